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

    /// `GivenNames` answers an ASCII word on its bytes exactly as on the `String`: a name, an
    /// all-caps name ("JOHN" as "John"), a name whose key is canonically equal to ASCII (the
    /// Kelvin sign), and misses.
    @Test func givenNamesAnswerBytesLikeStrings() {
        let names = GivenNames(names: [
            "John": (3, false), "Will": (40, true), "Mo": (700, false), "Éric": (12, false), "\u{212A}elvin": (90, false),
            "Kel": (5, false), "JO": (8, false),
        ])
        let letters = ["J", "o", "h", "n", "O", "H", "N", "W", "i", "l", "L", "I", "M", "K", "\u{212A}", "e", "E", "v", "V", "É", "r", "c", "."]
        var generator = SplitMix(seed: 5)
        var asked = ["John", "JOHN", "john", "WILL", "Kelvin", "KELVIN", "MO", "Mo", "M", "J", "", "JO", "Jo", "ÉRIC", "Éric"]
        for _ in 0..<20_000 {
            let length = Int(generator.next() % 7)
            asked.append((0..<length).map { _ in letters[Int(generator.next() % UInt64(letters.count))] }.joined())
        }
        func describe(_ entry: (rank: Int, common: Bool)?) -> String { entry.map { "\($0.rank) \($0.common)" } ?? "nil" }
        var found = 0
        for word in asked where word.utf8.allSatisfy({ $0 < 0x80 }) {
            var bytes = word
            let answer = bytes.withUTF8 { names.entry(asciiBytes: $0) }
            #expect(describe(answer) == describe(names.entry(word)), "\(word.debugDescription)")
            if answer != nil { found += 1 }
        }
        #expect(names.lookup("KELVIN") == false && names.rank("JOHN") == 3 && names.lookup("Jo") == nil)
        #expect(found >= 10)  // the listed words and some random ones are names
    }
}
