import Foundation
import Testing
import TestSupport
@testable import GazetteCore

/// `Gazetteer.aliasList` cuts an aliases field on its bytes; it must cut exactly where
/// `split(separator: "|")` (by `Character`) does, combining marks and prepended scalars included.
@Suite("Alias lists")
struct AliasListTests {
    @Test("cut where the Character split cuts: plain fields, non-Latin neighbours, pipes joined into one grapheme")
    func examples() {
        let fields = [
            "", "|", "||", "a", "a|b", "|a|", "a||b", "Paris|Parigi|Париж|巴黎|باريس",
            "Москва|Moscow", "a|\u{301}b", "a\u{301}|b", "|\u{301}", "\u{301}|", "a|\u{200D}b",
            "\u{600}|x", "x|\u{600}", "\u{110BD}|a", "a|\u{0903}", "a|\u{0E33}", "🇫|🇷", "👍|\u{1F3FB}",
            "\r|\n", "\r\n|x", "a\u{200D}|b", "ก|ำ", "é|e\u{301}|", "x|\u{FE0F}",
        ]
        for field in fields {
            #expect(Gazetteer.aliasList(field[...]) == field.split(separator: "|"), "\(field.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    @Test("cut where the Character split cuts, on 20,000 random fields of pipes, ASCII, marks, prepended and other scalars")
    func random() {
        // Scalars chosen for the grapheme rules around a pipe: extending (marks, ZWJ, variation
        // selectors, skin tones), spacing marks, prepended, controls, regional indicators, letters
        // of several scripts, Hangul jamo.
        let pool: [Unicode.Scalar] = [
            "|", "|", "|", "a", "Z", " ", "-", "\r", "\n", "\t",
            "\u{300}", "\u{301}", "\u{36F}", "\u{200D}", "\u{FE0F}", "\u{1F3FB}", "\u{0903}", "\u{093F}",
            "\u{0E33}", "\u{0600}", "\u{0605}", "\u{06DD}", "\u{110BD}", "\u{0D4E}", "\u{1F1EB}", "\u{1F1F7}",
            "é", "ж", "ب", "क", "्", "巴", "ก", "\u{1100}", "\u{1161}", "\u{11A8}", "👍",
        ]
        var generator = SplitMix(seed: 15)
        for _ in 0..<20_000 {
            var scalars = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0...12, using: &generator) { scalars.append(pool.randomElement(using: &generator)!) }
            let field = String(scalars)
            #expect(Gazetteer.aliasList(field[...]) == field.split(separator: "|"), "\(scalars.map { String($0.value, radix: 16) })")
        }
    }

    @Test("a field inside a longer line: the cuts are the substring's")
    func substring() {
        let line = "id\tplace\tParis\tParigi|\u{600}|Paname|\tFR"
        let field = line.split(separator: "\t", omittingEmptySubsequences: false)[3]
        #expect(Gazetteer.aliasList(field) == ["Parigi", "\u{600}|Paname"])
        #expect(Gazetteer.aliasList(field) == field.split(separator: "|"))
    }
}
