import Foundation

/// JSON string literals with every control character escaped (U+2028 and U+2029 too, so a line
/// stays one line and valid JavaScript). One writer for every JSON the project prints: the CLI's
/// `--json` outputs and `gazette stream` records.
public enum JSONText {
    public static func string(_ value: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(value.utf8.count + 2)
        append(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `value` as a JSON string literal to UTF-8 bytes. Works on the bytes: runs that need
    /// no escape are copied whole (a record's keys, names and surfaces almost never need one).
    /// Written scalar by scalar into a `String`, the literals of a `gazette stream` record were
    /// 30% of that command's CPU time.
    public static func append(_ value: String, to out: inout [UInt8]) {
        out.append(0x22)
        var value = value
        value.withUTF8 { bytes in
            var runStart = 0
            var index = 0
            let count = bytes.count
            while index < count {
                let byte = bytes[index]
                let escape: [UInt8]
                if byte == 0x22 {
                    escape = quoteEscape
                } else if byte == 0x5C {
                    escape = backslashEscape
                } else if byte < 0x20 {
                    escape = controlEscapes[Int(byte)]
                } else if byte == 0xE2 && index + 2 < count && bytes[index + 1] == 0x80
                            && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9) {
                    // U+2028 LINE SEPARATOR, U+2029 PARAGRAPH SEPARATOR.
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                    out.append(contentsOf: bytes[index + 2] == 0xA8 ? lineSeparatorEscape : paragraphSeparatorEscape)
                    index += 3
                    runStart = index
                    continue
                } else {
                    index += 1
                    continue
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                out.append(contentsOf: escape)
                index += 1
                runStart = index
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<count]))
        }
        out.append(0x22)
    }

    private static let quoteEscape: [UInt8] = Array("\\\"".utf8)
    private static let backslashEscape: [UInt8] = Array("\\\\".utf8)
    private static let lineSeparatorEscape: [UInt8] = Array("\\u2028".utf8)
    private static let paragraphSeparatorEscape: [UInt8] = Array("\\u2029".utf8)

    /// The escape of each control character: `\n`, `\r`, `\t`, else `\u00XX` in lower-case hex.
    private static let controlEscapes: [[UInt8]] = (0..<0x20).map { (code: Int) -> [UInt8] in
        switch code {
        case 0x0A: return Array("\\n".utf8)
        case 0x0D: return Array("\\r".utf8)
        case 0x09: return Array("\\t".utf8)
        default: return Array(String(format: "\\u%04x", code).utf8)
        }
    }
}
