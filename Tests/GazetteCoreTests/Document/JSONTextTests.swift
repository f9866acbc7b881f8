import Foundation
import Testing
@testable import GazetteCore

/// JSON string literals, written from bytes (`JSONText.append`), are what the scalar-by-scalar
/// writer they replaced wrote, and what `JSONSerialization` reads back as the same string.
@Suite("JSON string literals")
struct JSONTextTests {
    /// The writer before: each scalar escaped or appended to a `String`.
    static func reference(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    @Test("every escape class, at the start, middle and end of a string")
    func escapes() throws {
        let pieces = ["", "a", "\"", "\\", "\n", "\r", "\t", "\u{0}", "\u{1F}", "\u{7F}", "\u{2028}", "\u{2029}",
                      "\u{2027}", "\u{202A}", "€", "é", "🙂", "東京", "\r\n", "/", "\u{E2}"]
        for first in pieces {
            for second in pieces {
                for text in [first + second, "x" + first + "y" + second + "z"] {
                    let written = JSONText.string(text)
                    #expect(written == Self.reference(text), "\(Array(text.unicodeScalars))")
                    let read = try JSONSerialization.jsonObject(with: Data(("[" + written + "]").utf8)) as? [String]
                    #expect(read == [text])
                }
            }
        }
    }

    @Test("random strings of ASCII, controls, separators and other scripts")
    func randomStrings() {
        var random = SplitMix64(seed: 2028)
        let scalars: [Unicode.Scalar] = ["a", "Z", " ", "\"", "\\", "\n", "\u{1}", "\u{2028}", "\u{2029}", "\u{2026}", "é", "Ж", "中", "🙂", "\u{FEFF}"]
        for _ in 0..<2_000 {
            var text = String.UnicodeScalarView()
            for _ in 0..<Int(random.next() % 40) { text.append(scalars[Int(random.next() % UInt64(scalars.count))]) }
            let value = String(text)
            #expect(JSONText.string(value) == Self.reference(value))
            var bytes: [UInt8] = Array("prefix".utf8)
            JSONText.append(value, to: &bytes)
            #expect(bytes == Array("prefix".utf8) + Array(Self.reference(value).utf8))
        }
    }
}
