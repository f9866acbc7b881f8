import Foundation
import Testing
import TestSupport
@testable import PhraseMatcher

/// Reference: every phrase at every offset, kept when the scalar before the start and the scalar
/// after the end are not word scalars, and the start is not a space.
func naiveMatches(_ phrases: [[UInt8]], in text: [UInt8]) -> Set<Match> {
    let scalarStarts = Set(scalarOffsets(text))
    func isWord(at offset: Int) -> Bool {
        let scalar = String(decoding: text[offset...], as: UTF8.self).unicodeScalars.first!
        return WordScalars.isWord(scalar)
    }
    func previousScalarIsWord(_ offset: Int) -> Bool {
        guard offset > 0 else { return false }
        var previous = offset - 1
        while !scalarStarts.contains(previous) { previous -= 1 }
        return isWord(at: previous)
    }
    var seen: [[UInt8]: UInt32] = [:]
    var matches: Set<Match> = []
    for (id, phrase) in phrases.enumerated() {
        guard !phrase.isEmpty, phrase.first != 0x20, phrase.last != 0x20 else { continue }
        if seen[phrase] != nil { continue }
        seen[phrase] = UInt32(id)
        for start in scalarStarts where start + phrase.count <= text.count && text[start] != 0x20 {
            guard text[start..<(start + phrase.count)].elementsEqual(phrase) else { continue }
            let end = start + phrase.count
            guard !previousScalarIsWord(start), end == text.count || !isWord(at: end) else { continue }
            matches.insert(Match(phraseID: UInt32(id), start: start, end: end))
        }
    }
    return matches
}

func scalarOffsets(_ text: [UInt8]) -> [Int] {
    text.indices.filter { text[$0] & 0xC0 != 0x80 }
}

func utf8(_ strings: [String]) -> [[UInt8]] { strings.map { Array($0.utf8) } }

struct MatchCase: Sendable, CustomStringConvertible {
    var phrases: [String]
    var text: String
    var expected: [String]
    var description: String { "\(phrases) in \"\(text)\"" }
}

let matchCases: [MatchCase] = [
    MatchCase(phrases: ["new york", "new york city", "york"], text: "in new york city and new york",
              expected: ["new york", "new york city", "york", "new york", "york"]),
    MatchCase(phrases: ["oman", "us", "1"], text: "a woman from the ussr in 2011", expected: []),
    MatchCase(phrases: ["oman", "us", "1"], text: "oman, us (1)", expected: ["oman", "us", "1"]),
    MatchCase(phrases: ["u.s", "u.s.", "u.s.a"], text: "the u.s. and the u.s.a", expected: ["u.s", "u.s.", "u.s", "u.s.a"]),
    MatchCase(phrases: ["at&t", "procter & gamble"], text: "at&t and procter & gamble, not procter &gamble",
              expected: ["at&t", "procter & gamble"]),
    MatchCase(phrases: ["são paulo", "zürich"], text: "from são paulo to zürich's airport", expected: ["são paulo", "zürich"]),
    MatchCase(phrases: ["北京", "东京"], text: "在北京和东京", expected: ["北京", "东京"]),
    MatchCase(phrases: ["'s"], text: "london's", expected: []),
    MatchCase(phrases: ["de", "de la", "de la rua"], text: "fernando de la rua", expected: ["de", "de la", "de la rua"]),
    MatchCase(phrases: ["york new"], text: "new york", expected: []),
    MatchCase(phrases: ["a b"], text: "a  b ab a b", expected: ["a b"]),
]

@Suite struct PhraseMatcherTests {
    /// The Basic Multilingual Plane's table gives `isNonASCIIWord`'s answer for every scalar of it.
    @Test func basicPlaneTableMatchesTheProperties() {
        var words = 0
        for value in UInt32(0x80)..<0x10000 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let expected = WordScalars.isNonASCIIWord(scalar)
            #expect(WordScalars.isWord(scalar) == expected, "U+\(String(value, radix: 16))")
            if expected { words += 1 }
        }
        #expect(words > 10_000 && WordScalars.isWord("é") && !WordScalars.isWord("中") && !WordScalars.isWord("\u{2014}"))
        #expect(WordScalars.isWord("\u{1D400}") == WordScalars.isNonASCIIWord("\u{1D400}"))
    }

    @Test(arguments: matchCases)
    func findsPhrasesBetweenWordBoundaries(_ example: MatchCase) {
        let phrases = utf8(example.phrases)
        let text = Array(example.text.utf8)
        let matches = PhraseMatcher(phrases: phrases).allMatches(in: text)
        let found = matches.sorted { ($0.start, $0.end) < ($1.start, $1.end) }
            .map { String(decoding: text[$0.start..<$0.end], as: UTF8.self) }
        #expect(found == example.expected)
        #expect(Set(matches) == naiveMatches(phrases, in: text))
    }

    @Test func reportsByStartShortestFirst() {
        let matcher = PhraseMatcher(phrases: utf8(["new york city", "new york", "new"]))
        let matches = matcher.allMatches(in: Array("new york city".utf8))
        #expect(matches.map(\.phraseID) == [2, 1, 0])
    }

    @Test func duplicatePhraseIsReportedUnderItsFirstID() {
        let matcher = PhraseMatcher(phrases: utf8(["paris", "lyon", "paris"]))
        #expect(matcher.allMatches(in: Array("paris".utf8)) == [Match(phraseID: 0, start: 0, end: 5)])
        #expect(matcher.phraseCount == 3)
    }

    @Test func unmatchablePhrasesAreKeptButNeverReported() {
        let matcher = PhraseMatcher(phrases: utf8(["", " lead", "trail ", "ok"]))
        #expect(matcher.allMatches(in: Array(" lead trail  ok".utf8)).map(\.phraseID) == [3])
        var listed: [String] = []
        matcher.forEachPhrase { _, bytes in listed.append(String(decoding: bytes, as: UTF8.self)) }
        #expect(listed == ["", " lead", "trail ", "ok"])
    }

    /// Random phrases over a small alphabet (letters, a space, punctuation, an accented letter, a
    /// Han character) in random texts: the matcher finds exactly what the reference finds.
    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func agreesWithReferenceOnRandomInput(seed: UInt64) {
        var random = SplitMix(seed: seed)
        let alphabet = ["a", "b", "c", " ", ".", "-", "é", "北", "1", "'"]
        func randomString(_ length: Int) -> String {
            (0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }.joined()
        }
        let phrases = (0..<60).map { _ in Array(randomString(1 + Int(random.next() % 6)).utf8) }
        let text = Array(randomString(400).utf8)
        let matcher = PhraseMatcher(phrases: phrases)
        let found = matcher.allMatches(in: text)
        #expect(found.count == Set(found).count, "no match reported twice")
        #expect(Set(found) == naiveMatches(phrases, in: text))
        // The walks run one prefix length at a time; the report must still be by start, shortest first.
        #expect(found.map { [$0.start, $0.end] } == found.map { [$0.start, $0.end] }.sorted { $0.lexicographicallyPrecedes($1) })
    }

    /// Many phrases sharing first words, in a text long enough that every pass fetches ahead
    /// (more candidates than the prefetch distance): every length at one start is reported, in order.
    @Test func nestedPhrasesInALongTextAreReportedByStartShortestFirst() {
        let phrases = utf8(["new", "new york", "new york city", "new york city hall", "york", "city hall", "hall"])
        let sentence = "the new york city hall and new york and the city hall of york. "
        let text = Array(String(repeating: sentence, count: 40).utf8)
        let matcher = PhraseMatcher(phrases: phrases)
        let found = matcher.allMatches(in: text)
        #expect(Set(found) == naiveMatches(phrases, in: text))
        #expect(found.count == 40 * 13)
        #expect(found == found.sorted { ($0.start, $0.end) < ($1.start, $1.end) })
    }

    /// Long words (the tokenizer reads eight bytes at a time) broken by accents, digits, upper
    /// case and punctuation, near the end of the text too: the matcher agrees with the reference.
    @Test(arguments: [11, 12, 13, 14, 15, 16] as [UInt64])
    func agreesWithReferenceOnLongWords(seed: UInt64) {
        var random = SplitMix(seed: seed)
        let alphabet = ["a", "a", "b", "b", "c", "z", "Q", "9", " ", "é", ".", "ж", "-"]
        func randomString(_ length: Int) -> String {
            (0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }.joined()
        }
        let text = Array(randomString(600).utf8)
        // Phrases cut from the text itself at scalar boundaries (aliases are valid UTF-8), so long
        // ones occur; plus random ones.
        var phrases = (0..<40).map { _ in Array(randomString(1 + Int(random.next() % 12)).utf8) }
        let starts = scalarOffsets(text) + [text.count]
        for _ in 0..<60 {
            let first = Int(random.next() % UInt64(starts.count - 1))
            let last = min(starts.count - 1, first + 1 + Int(random.next() % 20))
            phrases.append(Array(text[starts[first]..<starts[last]]))
        }
        let found = PhraseMatcher(phrases: phrases).allMatches(in: text)
        #expect(Set(found) == naiveMatches(phrases, in: text))
        #expect(found.count == Set(found).count, "no match reported twice")
    }

    /// The tokenizer hashes ASCII words eight bytes at a time and everything else byte by byte:
    /// both must give the same hash for the same bytes, or a phrase would not be found.
    @Test func tokenHashesAgreeWithTheBytewiseHash() {
        var random = SplitMix(seed: 7)
        let alphabet = ["a", "b", "x", "0", "7", "M", " ", "  ", ",", "é", "北", "'"]
        let text = Array((0..<3000).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }.joined().utf8)
        var tokens: [PhraseToken] = []
        text.withUnsafeBufferPointer { buffer in
            PhraseTokenizer.tokenize(buffer, seed: 42, into: &tokens)
            for token in tokens {
                let expected = PhraseTokenizer.hash(buffer.baseAddress!, from: Int(token.start), to: Int(token.end), seed: 42)
                #expect(token.hash == expected, "token at \(token.start)..<\(token.end)")
            }
        }
        #expect(tokens.contains { $0.end - $0.start >= 9 }, "long tokens are exercised")
    }

    @Test func leftmostLongestPrefersTheLongerEarlierMatch() {
        let matches = [Match(phraseID: 0, start: 0, end: 3), Match(phraseID: 1, start: 0, end: 8),
                       Match(phraseID: 2, start: 4, end: 8), Match(phraseID: 3, start: 9, end: 12)]
        #expect(Match.leftmostLongest(matches).map(\.phraseID) == [1, 3])
    }

    /// The one-token filter holds the key of every one-token phrase and few others: of 2,000
    /// words that only start two-word phrases, under 5% pass it. A text of those words followed
    /// by other words is then matched as the reference matches it, as is one where they continue
    /// their phrases.
    @Test func oneTokenFilterHoldsOneTokenPhrasesOnly() {
        let starters = (0..<2_000).map { "w\($0)" }
        let phrases = utf8((0..<500).map { "solo\($0)" } + starters.map { "\($0) tail" })
        let matcher = PhraseMatcher(phrases: phrases)
        func passes(_ word: String) -> Bool {
            var tokens: [PhraseToken] = []
            Array(word.utf8).withUnsafeBufferPointer { PhraseTokenizer.tokenize($0, seed: matcher.seed, into: &tokens) }
            let key = PhraseMatcher.firstKey(tokens[0].hash, seed: matcher.seed)
            return matcher.singleTokenFilter.withUnsafeBufferPointer {
                PhraseMatcher.filter($0, word: PhraseMatcher.singleFilterWord(key), holds: PhraseMatcher.singleFilterBits(key))
            }
        }
        #expect((0..<500).allSatisfy { passes("solo\($0)") })
        #expect(starters.filter(passes).count < 100)
        let text = Array((starters.prefix(300).map { "\($0) other" } + starters.suffix(300).map { "\($0) tail" }
            + (0..<50).map { "solo\($0)" }).joined(separator: " ").utf8)
        #expect(Set(matcher.allMatches(in: text)) == naiveMatches(phrases, in: text))
        #expect(matcher.allMatches(in: text).count == 350)
    }

    @Test func sameInputBuildsTheSameTables() throws {
        let phrases = utf8(["london", "new york", "rio de janeiro", "u.s."])
        let first = PhraseMatcher(phrases: phrases), second = PhraseMatcher(phrases: phrases)
        #expect(first.slots == second.slots && first.seed == second.seed && first.firstTokenFilter == second.firstTokenFilter
                && first.longerPrefixFilter == second.longerPrefixFilter && first.singleTokenFilter == second.singleTokenFilter)
    }

    @Test func codableRoundTripKeepsMatches() throws {
        let phrases = utf8(["london", "new york", "rio de janeiro", "u.s."])
        let matcher = PhraseMatcher(phrases: phrases)
        let decoded = try JSONDecoder().decode(PhraseMatcher.self, from: JSONEncoder().encode(matcher))
        let text = Array("from london to new york via rio de janeiro and the u.s.".utf8)
        #expect(decoded.allMatches(in: text) == matcher.allMatches(in: text))
        #expect(decoded.allMatches(in: text).count == 4)
    }

    @Test func damagedTablesAreRejected() throws {
        let matcher = PhraseMatcher(phrases: utf8(["london", "paris"]))
        var object = try #require(JSONSerialization.jsonObject(with: JSONEncoder().encode(matcher)) as? [String: Any])
        object["phraseStart"] = [0, 6, 99]
        let damaged = try JSONSerialization.data(withJSONObject: object)
        #expect(throws: PhraseMatcher.DecodingFailure.self) { try JSONDecoder().decode(PhraseMatcher.self, from: damaged) }
        object = try #require(JSONSerialization.jsonObject(with: JSONEncoder().encode(matcher)) as? [String: Any])
        object["slots"] = [1, 2, 3]
        let odd = try JSONSerialization.data(withJSONObject: object)
        #expect(throws: PhraseMatcher.DecodingFailure.self) { try JSONDecoder().decode(PhraseMatcher.self, from: odd) }
        object = try #require(JSONSerialization.jsonObject(with: JSONEncoder().encode(matcher)) as? [String: Any])
        object["longerPrefixFilter"] = [0, 0]
        let short = try JSONSerialization.data(withJSONObject: object)
        #expect(throws: PhraseMatcher.DecodingFailure.self) { try JSONDecoder().decode(PhraseMatcher.self, from: short) }
        object = try #require(JSONSerialization.jsonObject(with: JSONEncoder().encode(matcher)) as? [String: Any])
        object["singleTokenFilter"] = [0]
        let shortSingle = try JSONSerialization.data(withJSONObject: object)
        #expect(throws: PhraseMatcher.DecodingFailure.self) { try JSONDecoder().decode(PhraseMatcher.self, from: shortSingle) }
    }
}
