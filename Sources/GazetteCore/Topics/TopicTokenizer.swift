/// Splits text into lowercase word tokens at the UTF-8 byte level, for the topic classifier.
///
/// The topic stage must not depend on the normalize stage, and it sees every article, so this is a
/// single pass over the bytes: ASCII letters and digits are word characters (letters folded to
/// lowercase), as are non-ASCII letters. Non-ASCII punctuation and spaces (U+0080–U+00BF, ×, ÷,
/// U+2000–U+206F general punctuation, U+3000–U+303F CJK punctuation, U+FEFF) separate words, so
/// curly quotes and no-break spaces do not glue words together. Latin-1 capitals (U+00C0–U+00DE)
/// are folded to lowercase too; other scripts keep their case.
public struct TopicTokenizer: Sendable {
    public init() {}

    /// The tokens of `text`: `bytes` holds them back to back, `ranges` delimits each one.
    public struct Tokens: Sendable, Equatable {
        public var bytes: [UInt8] = []
        public var ranges: [Range<Int>] = []

        public var count: Int { ranges.count }

        public func string(at index: Int) -> String {
            String(decoding: bytes[ranges[index]], as: UTF8.self)
        }

        public var strings: [String] { (0..<count).map(string(at:)) }
    }

    public func tokenize(_ text: String) -> Tokens {
        var text = text
        return text.withUTF8 { tokenize(utf8: $0) }
    }

    public func tokenize(utf8 input: UnsafeBufferPointer<UInt8>) -> Tokens {
        var tokens = Tokens()
        tokens.bytes.reserveCapacity(input.count)
        tokens.ranges.reserveCapacity(input.count / 5)
        var tokenStart = -1
        var index = 0
        let count = input.count

        @inline(__always) func endToken(_ tokens: inout Tokens) {
            if tokenStart >= 0 {
                tokens.ranges.append(tokenStart..<tokens.bytes.count)
                tokenStart = -1
            }
        }

        while index < count {
            let byte = input[index]
            if byte < 0x80 {
                if byte >= 0x61 && byte <= 0x7A || byte >= 0x30 && byte <= 0x39 {
                    if tokenStart < 0 { tokenStart = tokens.bytes.count }
                    tokens.bytes.append(byte)
                } else if byte >= 0x41 && byte <= 0x5A {
                    if tokenStart < 0 { tokenStart = tokens.bytes.count }
                    tokens.bytes.append(byte | 0x20)
                } else {
                    endToken(&tokens)
                }
                index += 1
                continue
            }
            // A multi-byte scalar (or a stray byte, which is kept as part of a word).
            let (scalar, end) = Self.multiByteScalar(input, at: index)
            if Self.isSeparator(scalar) {
                endToken(&tokens)
            } else {
                if tokenStart < 0 { tokenStart = tokens.bytes.count }
                if scalar >= 0xC0 && scalar <= 0xDE && scalar != 0xD7 {
                    // Latin-1 capital: lowercase is +0x20, still two bytes (C3 80–9E → C3 A0–BE).
                    tokens.bytes.append(byte)
                    tokens.bytes.append(input[index + 1] | 0x20)
                } else {
                    for position in index..<end { tokens.bytes.append(input[position]) }
                }
            }
            index = end
        }
        endToken(&tokens)
        return tokens
    }

    /// The scalar a multi-byte sequence starting at `index` encodes, when it is 2 or 3 bytes long
    /// and complete (0 otherwise: 4-byte scalars, truncated or stray bytes, none of them a
    /// separator), and where the sequence ends. Shared with the streaming feature path, which must
    /// cut tokens exactly as this tokenizer does.
    @inline(__always)
    static func multiByteScalar(_ input: UnsafeBufferPointer<UInt8>, at index: Int) -> (scalar: UInt32, end: Int) {
        let byte = input[index]
        let length: Int
        if byte >= 0xF0 { length = 4 } else if byte >= 0xE0 { length = 3 } else if byte >= 0xC0 { length = 2 } else { length = 1 }
        let end = min(index + length, input.count)
        var scalar: UInt32 = 0
        if length == 2 && end - index == 2 {
            scalar = UInt32(byte & 0x1F) << 6 | UInt32(input[index + 1] & 0x3F)
        } else if length == 3 && end - index == 3 {
            scalar = UInt32(byte & 0x0F) << 12 | UInt32(input[index + 1] & 0x3F) << 6
                | UInt32(input[index + 2] & 0x3F)
        }
        return (scalar, end)
    }

    @inline(__always)
    static func isSeparator(_ scalar: UInt32) -> Bool {
        (scalar >= 0x80 && scalar <= 0xBF) || scalar == 0xD7 || scalar == 0xF7
            || (scalar >= 0x2000 && scalar <= 0x206F) || (scalar >= 0x3000 && scalar <= 0x303F)
            || scalar == 0xFEFF
    }
}
