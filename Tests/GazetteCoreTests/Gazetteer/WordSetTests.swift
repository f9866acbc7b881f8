import Foundation
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

    /// `surelyLacks` says no only where `contains` says no: a set with a word of no ASCII form
    /// ("Señor") never answers from the bytes; one without answers for every word with an accented
    /// Latin letter, each of whose canonical decompositions keeps a non-ASCII scalar.
    @Test func surelyLacksOnlyWhatTheSetLacks() {
        let asciiOnly = WordSet(arrayLiteral: "Mr", "Gen", "of", "\u{212A}elvin", "Bank")
        let withAccents = WordSet(arrayLiteral: "Mr", "Señor")
        var checked = 0
        for value in UInt32(0xC0)...0x27F {
            let letter = String(Character(Unicode.Scalar(value)!))
            #expect(letter.decomposedStringWithCanonicalMapping.unicodeScalars.contains { !$0.isASCII }, "U+\(String(value, radix: 16))")
            for word in [letter, "B\(letter)nk", "M\(letter)", "\(letter)of"] {
                var bytes = word
                #expect(bytes.withUTF8 { asciiOnly.surelyLacks(utf8: $0) } && !asciiOnly.contains(word))
                #expect(!bytes.withUTF8 { withAccents.surelyLacks(utf8: $0) })
                checked += 1
            }
        }
        var plain = "Bank", marked = "Ba\u{301}nk", greek = "Ωmega"
        #expect(!plain.withUTF8 { asciiOnly.surelyLacks(utf8: $0) })
        #expect(!marked.withUTF8 { asciiOnly.surelyLacks(utf8: $0) }, "a combining mark is not in the range")
        #expect(!greek.withUTF8 { asciiOnly.surelyLacks(utf8: $0) })
        #expect(withAccents.contains("Señor") && checked == 4 * (0x27F - 0xC0 + 1))
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

    /// `LowercaseWordFilter` never says "no" for a token whose lower-case form is a word it was
    /// given (a Bloom filter may say "maybe" for others, but seldom), as `lowercasedWord(_:mayBeIn:)`
    /// asks it: on the bytes of ASCII tokens, "maybe" for any other token.
    @Test func lowercaseWordFilterHasNoFalseNo() {
        // Keys are lower-case forms (`lowercased[i]`); the Kelvin sign's is ASCII ("kelvin").
        let entered = ["brown", "o'neill", "al-assad", "\u{212A}elvin".lowercased(), "müller", "smith", "jean-pierre", "x"]
        let filter = LowercaseWordFilter(entered, capacity: entered.count)
        let article = ArticleTokens(text: "Mr BROWN met Smith, O'Neill and al-Assad; KELVIN, J.R. Jones, MÜLLER, Müller and Jean-Pierre X. y")
        var maybes: [String] = []
        for index in article.tokens.indices {
            let inSet = entered.contains(article.lowercased[index])
            let maybe = article.lowercasedWord(index, mayBeIn: filter)
            #expect(!inSet || maybe, "\(article.texts[index]) is entered")
            if maybe && !inSet && article.tokens[index].ascii { maybes.append(article.texts[index]) }
        }
        #expect(maybes.count <= 2, "false maybes: \(maybes)")
        var generator = SplitMix(seed: 3)
        var many = LowercaseWordFilter(capacity: 2000)
        var words: [String] = []
        for _ in 0..<2000 {
            let word = String((0..<(3 + Int(generator.next() % 8))).map { _ in Character(Unicode.Scalar(UInt8(0x61 + generator.next() % 26))) })
            words.append(word)
            many.insert(word)
        }
        for word in words {
            var upper = word.uppercased()
            #expect(upper.withUTF8 { many.mayContain(hash: LowercaseWordFilter.hash(asciiBytes: $0)) }, "\(word)")
        }
        var falseMaybes = 0
        for _ in 0..<10_000 {
            var word = String((0..<12).map { _ in Character(Unicode.Scalar(UInt8(0x61 + generator.next() % 26))) })
            if word.withUTF8({ many.mayContain(hash: LowercaseWordFilter.hash(asciiBytes: $0)) }) { falseMaybes += 1 }
        }
        #expect(falseMaybes < 300, "\(falseMaybes) of 10,000 words never entered were a maybe")
    }
}
