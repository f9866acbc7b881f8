import Testing
@testable import GazetteCore

@Suite("Topic tokenizer and hashing")
struct TopicTokenizerTests {
    let tokenizer = TopicTokenizer()

    @Test func splitsOnPunctuationAndFoldsASCIICase() {
        #expect(tokenizer.tokenize("Hello, World! U.S. 3.5% growth").strings == ["hello", "world", "u", "s", "3", "5", "growth"])
    }

    @Test func nonASCIILettersAreWordCharacters() {
        #expect(tokenizer.tokenize("Ǆemal résumé Москва 東京").strings == ["Ǆemal", "résumé", "Москва", "東京"])
    }

    @Test func foldsLatin1Capitals() {
        #expect(tokenizer.tokenize("ÉCOLE Über").strings == ["école", "über"])
    }

    @Test func nonASCIIPunctuationSeparates() {
        // Curly quotes, no-break space, em dash, guillemets.
        #expect(tokenizer.tokenize("“said”\u{00A0}he—then «non»").strings == ["said", "he", "then", "non"])
    }

    @Test func emptyAndSeparatorOnlyTextHasNoTokens() {
        #expect(tokenizer.tokenize("").count == 0)
        #expect(tokenizer.tokenize(" ,.;\n\t").count == 0)
    }

    @Test func fnv1aMatchesPublishedVectors() {
        // Reference values of 64-bit FNV-1a (Fowler/Noll/Vo test suite).
        #expect(TopicHashing.fnv1a([]) == 0xcbf2_9ce4_8422_2325)
        #expect(TopicHashing.fnv1a(Array("a".utf8)[...]) == 0xaf63_dc4c_8601_ec8c)
        #expect(TopicHashing.fnv1a(Array("foobar".utf8)[...]) == 0x8594_4171_f739_67e8)
    }

    @Test func hashingIsStableAndOrderSensitive() {
        let hashing = TopicHashing(bucketBits: 20)
        let first = hashing.grams(of: tokenizer.tokenize("interest rates rise"))
        let again = hashing.grams(of: tokenizer.tokenize("Interest  RATES, rise"))
        #expect(first == again)
        #expect(first.count == 3 + 2)
        #expect(first.allSatisfy { $0.bucket < 1 << 20 })
        // The bigram "rates interest" is not the bigram "interest rates".
        let reversed = hashing.grams(of: tokenizer.tokenize("rates interest"))
        #expect(reversed.first { $0.order == 2 }!.bucket != first.first { $0.order == 2 }!.bucket)
        // A different seed moves the buckets.
        let seeded = TopicHashing(bucketBits: 20, seed: 99).grams(of: tokenizer.tokenize("interest rates rise"))
        #expect(seeded.map(\.bucket) != first.map(\.bucket))
    }

    @Test func bucketCountsCountRepeats() {
        let counts = TopicHashing(bucketBits: 20, maxOrder: 1).bucketCounts(of: tokenizer.tokenize("win win lose win"))
        #expect(counts.map(\.count).sorted() == [1, 3])
        #expect(counts.map(\.bucket) == counts.map(\.bucket).sorted())
    }
}
