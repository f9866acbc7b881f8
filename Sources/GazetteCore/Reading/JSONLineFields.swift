/// The fields of one JSON line that make an article (`text`, `id`, `title`, `date`), read straight
/// from its bytes.
///
/// Foundation's `JSONSerialization` builds every value of the line as objects, and the text is
/// copied again when bridged to `String`: on a one-file feed that was ~5% of a `gazette tag` run.
/// This reader validates the whole line as JSON but keeps only the four fields. It answers only for
/// lines it is sure of: anything malformed or unusual (a duplicate field, a lone surrogate, a number
/// with an exponent or many digits, deep nesting, bytes that are not UTF-8) gives nil, and the
/// caller asks Foundation, which then also words the error. `JSONLineFieldsTests` compares the two
/// on varied and broken lines.
struct JSONLineFields: Equatable {
    /// A field's value, as far as the article needs it.
    enum Value: Equatable {
        case absent
        case null
        case string(String)
        /// An integer of at most 15 digits, as written (a plain `-?[1-9][0-9]*` or `0`): it is
        /// what `NSNumber.stringValue` gives for it.
        case integer(String)
        /// Any other JSON value (a non-integer number, `true`, an array, an object).
        case other
    }

    var text = Value.absent
    var id = Value.absent
    var title = Value.absent
    var date = Value.absent

    /// The fields of `line`, or nil when Foundation should read it.
    static func parse(_ line: UnsafeBufferPointer<UInt8>) -> JSONLineFields? {
        var reader = Reader(bytes: line)
        return reader.object()
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0
        /// Bytes of a string with escapes, decoded.
        var scratch: [UInt8] = []

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
        }

        /// Deeper values are left to Foundation.
        static let maxDepth = 32
        /// Numbers with more digits are left to Foundation (its rules for large numbers are its own).
        static let maxDigits = 15

        mutating func object() -> JSONLineFields? {
            skipSpace()
            guard peek() == UInt8(ascii: "{") else { return nil }
            index += 1
            var fields = JSONLineFields()
            skipSpace()
            if peek() == UInt8(ascii: "}") {
                index += 1
            } else {
                while true {
                    skipSpace()
                    guard peek() == UInt8(ascii: "\""), let key = string(keep: true) else { return nil }
                    skipSpace()
                    guard peek() == UInt8(ascii: ":") else { return nil }
                    index += 1
                    skipSpace()
                    switch key {
                    case "text": guard fields.text == .absent, let value = value() else { return nil }; fields.text = value
                    case "id": guard fields.id == .absent, let value = value() else { return nil }; fields.id = value
                    case "title": guard fields.title == .absent, let value = value() else { return nil }; fields.title = value
                    case "date": guard fields.date == .absent, let value = value() else { return nil }; fields.date = value
                    default: guard skipValue(depth: 1) else { return nil }
                    }
                    skipSpace()
                    guard let next = peek() else { return nil }
                    index += 1
                    if next == UInt8(ascii: ",") { continue }
                    guard next == UInt8(ascii: "}") else { return nil }
                    break
                }
            }
            skipSpace()
            return index == bytes.count ? fields : nil
        }

        func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipSpace() {
            while index < bytes.count {
                let byte = bytes[index]
                guard byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D else { return }
                index += 1
            }
        }

        /// A value of one of the four fields.
        mutating func value() -> Value? {
            guard let first = peek() else { return nil }
            switch first {
            case UInt8(ascii: "\""):
                return string(keep: true).map { .string($0) }
            case UInt8(ascii: "n"):
                return literal("null") ? .null : nil
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                guard let (start, isInteger) = number() else { return nil }
                if !isInteger { return .other }
                // "-0" is a float zero to Foundation: left to it.
                guard !(index - start == 2 && bytes[start] == UInt8(ascii: "-") && bytes[start + 1] == UInt8(ascii: "0")) else { return nil }
                return .integer(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
            default:
                return skipValue(depth: 1) ? .other : nil
            }
        }

        /// Steps over any JSON value, checking it.
        mutating func skipValue(depth: Int) -> Bool {
            guard depth <= Self.maxDepth, let first = peek() else { return false }
            switch first {
            case UInt8(ascii: "\""):
                return string(keep: false) != nil
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let isObject = first == UInt8(ascii: "{")
                let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
                index += 1
                skipSpace()
                if peek() == close {
                    index += 1
                    return true
                }
                while true {
                    skipSpace()
                    if isObject {
                        // A repeated key is Foundation's to settle.
                        guard peek() == UInt8(ascii: "\""), string(keep: false) != nil else { return false }
                        skipSpace()
                        guard peek() == UInt8(ascii: ":") else { return false }
                        index += 1
                        skipSpace()
                    }
                    guard skipValue(depth: depth + 1) else { return false }
                    skipSpace()
                    guard let next = peek() else { return false }
                    index += 1
                    if next == UInt8(ascii: ",") { continue }
                    return next == close
                }
            case UInt8(ascii: "t"): return literal("true")
            case UInt8(ascii: "f"): return literal("false")
            case UInt8(ascii: "n"): return literal("null")
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return number() != nil
            default: return false
            }
        }

        mutating func literal(_ word: StaticString) -> Bool {
            let count = word.utf8CodeUnitCount
            guard bytes.count - index >= count else { return false }
            for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { return false }
            index += count
            return true
        }

        /// A number by JSON's grammar; nil when it is not one or has an exponent or more than
        /// `maxDigits` digits. Returns its start and whether it is an integer.
        mutating func number() -> (start: Int, isInteger: Bool)? {
            let start = index
            if peek() == UInt8(ascii: "-") { index += 1 }
            var digits = 0
            guard let first = peek(), first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9") else { return nil }
            if first == UInt8(ascii: "0") {
                index += 1
                digits = 1
            } else {
                while let byte = peek(), byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                    index += 1
                    digits += 1
                }
            }
            var isInteger = true
            if peek() == UInt8(ascii: ".") {
                isInteger = false
                index += 1
                var fraction = 0
                while let byte = peek(), byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                    index += 1
                    fraction += 1
                }
                guard fraction > 0 else { return nil }
                digits += fraction
            }
            if let byte = peek(), byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") { return nil }
            guard digits <= Self.maxDigits else { return nil }
            // A number runs into nothing but a delimiter ("01", "1x" are not numbers).
            if let byte = peek(), !(byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]")
                || byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D) { return nil }
            return (start, isInteger)
        }

        /// A string (at its opening quote). With `keep`, its decoded value; without, "" once it is
        /// checked. nil when it is not a valid string or holds what is left to Foundation.
        mutating func string(keep: Bool) -> String? {
            index += 1
            let start = index
            var ascii = true
            var escaped = false
            let base = bytes.baseAddress!
            while true {
                // Eight plain bytes at a time: ASCII, not a control byte, a quote or a backslash
                // (an article's text is mostly such runs).
                while index + 8 <= bytes.count {
                    let word = ByteWords.load(base + index)
                    let low7 = word & ~ByteWords.highBits
                    let control = ~ByteWords.highBits(of: low7, atLeast: 0x20) & ByteWords.highBits
                    let quote = Self.zeroBytes(low7 ^ (0x22 &* ByteWords.lowBits))
                    let backslash = Self.zeroBytes(low7 ^ (0x5C &* ByteWords.lowBits))
                    guard (word & ByteWords.highBits) | control | quote | backslash == 0 else { break }
                    index += 8
                }
                guard index < bytes.count else { return nil }
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") { break }
                if byte < 0x20 { return nil }
                if byte >= 0x80 { ascii = false }
                if byte == UInt8(ascii: "\\") {
                    escaped = true
                    index += 2
                    continue
                }
                index += 1
            }
            let end = index
            index += 1
            let raw = UnsafeBufferPointer(rebasing: bytes[start..<end])
            if !escaped {
                if ascii { return keep ? String(decoding: raw, as: UTF8.self) : "" }
                guard let value = String(validating: raw, as: UTF8.self) else { return nil }
                return keep ? value : ""
            }
            guard decodeEscapes(raw) else { return nil }
            return scratch.withUnsafeBufferPointer { decoded in
                guard let value = String(validating: decoded, as: UTF8.self) else { return nil }
                return keep ? value : ""
            }
        }

        /// A high bit in each byte of `word` (bytes below 0x80) that is zero; exact as to whether
        /// there is one, which is all the scan asks.
        @inline(__always)
        static func zeroBytes(_ word: UInt64) -> UInt64 {
            (word &- ByteWords.lowBits) & ~word & ByteWords.highBits
        }

        /// Decodes a string body with escapes into `scratch`; false for a bad or unusual escape.
        mutating func decodeEscapes(_ raw: UnsafeBufferPointer<UInt8>) -> Bool {
            scratch.removeAll(keepingCapacity: true)
            scratch.reserveCapacity(raw.count)
            var position = 0
            while position < raw.count {
                // The run up to the next backslash, copied at once.
                let next = raw[position...].firstIndex(of: UInt8(ascii: "\\")) ?? raw.count
                if next > position {
                    scratch.append(contentsOf: UnsafeBufferPointer(rebasing: raw[position..<next]))
                    position = next
                    continue
                }
                guard position + 1 < raw.count else { return false }
                let kind = raw[position + 1]
                position += 2
                switch kind {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(kind)
                case UInt8(ascii: "b"): scratch.append(0x08)
                case UInt8(ascii: "f"): scratch.append(0x0C)
                case UInt8(ascii: "n"): scratch.append(0x0A)
                case UInt8(ascii: "r"): scratch.append(0x0D)
                case UInt8(ascii: "t"): scratch.append(0x09)
                case UInt8(ascii: "u"):
                    guard let unit = hex4(raw, at: position) else { return false }
                    position += 4
                    var scalar = unit
                    if unit >= 0xD800 && unit <= 0xDBFF {
                        // A surrogate pair; a lone surrogate is Foundation's to settle.
                        guard position + 6 <= raw.count, raw[position] == UInt8(ascii: "\\"), raw[position + 1] == UInt8(ascii: "u"),
                              let low = hex4(raw, at: position + 2), low >= 0xDC00 && low <= 0xDFFF else { return false }
                        position += 6
                        scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                    } else if unit >= 0xDC00 && unit <= 0xDFFF || unit == 0 {
                        return false
                    }
                    guard let value = Unicode.Scalar(scalar) else { return false }
                    scratch.append(contentsOf: UTF8.encode(value)!)
                default:
                    return false
                }
            }
            return true
        }

        func hex4(_ raw: UnsafeBufferPointer<UInt8>, at position: Int) -> UInt32? {
            guard position + 4 <= raw.count else { return nil }
            var value: UInt32 = 0
            for offset in 0..<4 {
                let byte = raw[position + offset]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: return nil
                }
                value = value << 4 | UInt32(digit)
            }
            return value
        }
    }
}
