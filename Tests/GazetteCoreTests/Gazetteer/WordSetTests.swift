import Testing
import TestSupport
@testable import GazetteCore

/// `WordSet` answers exactly as the `Set<String>` it replaces, for any word.
@Suite struct WordSetTests {
    static let words = ["Mr", "Gen", "of", "the", "Señor", "\u{212A}elvin", "Ω", "a", "Bank", "Ministry", "Banks"]

    @Test func answersLikeASetOfStrings() {
        let set = WordSet(arrayLiteral: "Mr", "Gen", "of", "the", "Señor", "\u{212A}elvin", "Ω", "a", "Bank", "Ministry", "Banks")
        let reference = Set(Self.words)
        let letters = ["M", "r", "G", "e", "n", "o", "f", "t", "h", "a", "B", "k", "s", "S", "ñ", "n\u{303}", "K",
                       "\u{212A}", "l", "v", "i", "Ω", "\u{2126}", "y", "I"]
        var generator = SplitMix(seed: 11)
        var asked = Self.words + ["Sen\u{303}or", "Kelvin", "\u{2126}", "", "Mrs", "Ban"]
        for _ in 0..<20_000 {
            let length = Int(generator.next() % 8)
            asked.append((0..<length).map { _ in letters[Int(generator.next() % UInt64(letters.count))] }.joined())
        }
        for word in asked {
            #expect(set.contains(word) == reference.contains(word), "\(word.debugDescription)")
            if word.utf8.allSatisfy({ $0 < 0x80 }) {
                var bytes = word
                let answer = bytes.withUTF8 { set.contains(asciiBytes: $0) }
                #expect(answer == reference.contains(word), "\(word.debugDescription) as bytes")
            }
        }
        #expect(set.contains("Kelvin") && set.contains("Sen\u{303}or") && set.contains("\u{2126}") && !set.contains("Mrs"))
    }
}
