import Foundation
import TestSupport
import Testing
@testable import GazetteCore

/// `JSONLineFields` reads a line's fields from its bytes; where it answers, the article (or the
/// error) must be what reading the line through Foundation gives.
@Suite("JSON line fields read from bytes")
struct JSONLineFieldsTests {
    static let stringPieces = [
        "Talks in Berlin", " ", "é", "Zürich", "😀", "\\n", "\\\"", "\\\\", "\\/", "\\t", "\\u00e9", "\\u00E9",
        "\\ud83d\\ude00", "\\ud83d", "\\ude00", "\\u0000", "\\u001f", "\\x", "\\", "\t", "\u{01}", "\r\n", "2005-03-14",
        "14 March 2005", "  ", "abc", "\u{7F}", "—", "’",
    ]
    static let numbers = ["0", "12", "-7", "123456789012345", "1234567890123456", "1.5", "-0", "-0.0", "1e3", "1E-2",
                          "01", "1.", ".5", "-", "99999999999999999999", "3.14159265358979", "1x"]
    static let keys = ["text", "id", "title", "date", "source", "t\\u0065xt", "", "tags", "TEXT"]

    /// The pieces a well-formed news line has (the others are left to Foundation, or break the line).
    static let cleanPieces = Array(stringPieces.prefix(13)) + ["2005-03-14", "14 March 2005", "  ", "abc", "—", "’"]

    static func string(_ random: inout SplitMix) -> String {
        let pieces = Bool.random(using: &random) ? cleanPieces : stringPieces
        return "\"" + (0..<Int.random(in: 0...5, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined() + "\""
    }

    static func value(_ random: inout SplitMix, depth: Int) -> String {
        switch Int.random(in: 0..<(depth > 3 ? 6 : 8), using: &random) {
        case 0, 1, 2: return string(&random)
        case 3: return numbers.randomElement(using: &random)!
        case 4: return ["true", "false", "null", "nul", "True"].randomElement(using: &random)!
        case 5: return string(&random)
        case 6: return "[" + (0..<Int.random(in: 0...3, using: &random)).map { _ in value(&random, depth: depth + 1) }.joined(separator: ", ") + "]"
        default: return object(&random, depth: depth + 1)
        }
    }

    static func object(_ random: inout SplitMix, depth: Int) -> String {
        var members: [String] = []
        if depth == 0 && Int.random(in: 0..<4, using: &random) > 0 { members.append("\"text\": " + string(&random)) }
        for _ in 0..<Int.random(in: 0...4, using: &random) {
            members.append("\"" + keys.randomElement(using: &random)! + "\":" + value(&random, depth: depth))
        }
        members.shuffle(using: &random)
        let spaces = [" ", "", "\t", "  "]
        return "{" + spaces.randomElement(using: &random)! + members.joined(separator: "," + spaces.randomElement(using: &random)!) + "}"
    }

    /// A line: an object, sometimes damaged (cut, a byte changed or dropped, junk around it).
    static func line(_ random: inout SplitMix) -> [UInt8] {
        var bytes = Array(object(&random, depth: 0).utf8)
        switch Int.random(in: 0..<16, using: &random) {
        case 0 where !bytes.isEmpty: bytes.removeSubrange(Int.random(in: 0..<bytes.count, using: &random)...)
        case 1 where !bytes.isEmpty: bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
        case 2 where !bytes.isEmpty: bytes.remove(at: Int.random(in: 0..<bytes.count, using: &random))
        case 3: bytes = Array(" \t".utf8) + bytes + Array("  ".utf8)
        case 4: bytes += Array(["x", "}", ",", "{}", "\u{FEFF}"].randomElement(using: &random)!.utf8)
        case 5: bytes = Array(["[1]", "\"text\"", "null", "\u{FEFF}{\"text\": \"a\"}", "{\"text\": \"a\"} {}"].randomElement(using: &random)!.utf8)
        default: break
        }
        return bytes
    }

    @Test("on 40,000 varied and broken lines: where the bytes are read, the same article or error as Foundation")
    func sameAsFoundation() {
        var random = SplitMix(seed: 20261130)
        let fast = JSONLinesReader(path: "/feed.jsonl")
        var slow = JSONLinesReader(path: "/feed.jsonl")
        slow.readsFieldsFromBytes = false
        var answered = 0, articles = 0
        for round in 0..<40_000 {
            let bytes = Self.line(&random)
            bytes.withUnsafeBufferPointer { line in
                if JSONLineFields.parse(line) != nil { answered += 1 }
                let expected = slow.parse(line, lineNumber: 7)
                let actual = fast.parse(line, lineNumber: 7)
                switch (expected, actual) {
                case (.success(let one), .success(let other)):
                    articles += 1
                    #expect(one == other, "round \(round): \(String(decoding: bytes, as: UTF8.self))")
                case (.failure(let one), .failure(let other)):
                    #expect(one.description == other.description, "round \(round): \(String(decoding: bytes, as: UTF8.self))")
                default:
                    Issue.record("round \(round): \(expected) against \(actual) for \(String(decoding: bytes, as: UTF8.self))")
                }
            }
        }
        // The test means something only if the bytes path answers for many lines, articles among them.
        #expect(answered > 8_000 && articles > 4_000, "answered \(answered), articles \(articles)")
    }

    @Test("a title is trimmed as Foundation trims it, with or without visible ASCII at its ends")
    func titleTrimming() {
        var random = SplitMix(seed: 7)
        let pieces = ["Budget", " ", "  ", "\n", "\r\n", "\t", "\u{A0}", "\u{2003}", "\u{3000}", "é", "e\u{301}", "\u{301}",
                      "\u{85}", "\u{1}", "\u{7F}", "😀", "\u{200B}", "\u{FEFF}", "x", "."]
        for _ in 0..<20_000 {
            let title = (0..<Int.random(in: 0...6, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
            #expect(JSONLinesReader.trimmed(title) == title.trimmingCharacters(in: .whitespacesAndNewlines), "\(Array(title.unicodeScalars))")
        }
    }

    @Test("a news feed line: its fields, escapes decoded; what it leaves to Foundation")
    func fields() throws {
        func parse(_ text: String) -> JSONLineFields? {
            Array(text.utf8).withUnsafeBufferPointer { JSONLineFields.parse($0) }
        }
        let line = #"{"id": 42, "title": "Caf\u00e9 \"talks\"", "text": "Line one\nZürich 😀 \ud83d\ude00", "tags": [1, {"a": null}], "date": null}"#
        let fields = try #require(parse(line))
        #expect(fields.id == .integer("42"))
        #expect(fields.title == .string("Café \"talks\""))
        #expect(fields.text == .string("Line one\nZürich 😀 😀"))
        #expect(fields.date == .null)
        for unusual in [#"{"text": "a", "text": "b"}"#, #"{"text": "\ud83d"}"#, #"{"text": "a", "n": 1e5}"#, #"{"text": "a\u0000"}"#,
                        #"{"text": "a"} x"#, #"{"id": -0, "text": "a"}"#, #"{"text": "a", "n": 1234567890123456}"#, "{\"text\": \"a\tb\"}"] {
            #expect(parse(unusual) == nil, "\(unusual)")
        }
    }
}
