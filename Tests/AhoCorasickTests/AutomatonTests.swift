import Testing
@testable import AhoCorasick

/// Reference matcher: tries every pattern at every position.
func naiveAllMatches(_ patterns: [[UInt8]], in text: [UInt8]) -> [Match] {
    var matches: [Match] = []
    for start in 0..<text.count {
        for (id, pattern) in patterns.enumerated() where !pattern.isEmpty && start + pattern.count <= text.count {
            if Array(text[start..<(start + pattern.count)]) == pattern {
                matches.append(Match(patternID: UInt32(id), start: start, end: start + pattern.count))
            }
        }
    }
    return matches
}

/// Reference leftmost-longest: at each position take the longest pattern that starts there (lowest
/// id among equals), else move one byte on.
func naiveLeftmostLongest(_ patterns: [[UInt8]], in text: [UInt8]) -> [Match] {
    var matches: [Match] = []
    var position = 0
    while position < text.count {
        var best: Match?
        for (id, pattern) in patterns.enumerated() where !pattern.isEmpty && position + pattern.count <= text.count {
            guard Array(text[position..<(position + pattern.count)]) == pattern else { continue }
            if best == nil || pattern.count > best!.end - best!.start {
                best = Match(patternID: UInt32(id), start: position, end: position + pattern.count)
            }
        }
        if let best {
            matches.append(best)
            position = best.end
        } else {
            position += 1
        }
    }
    return matches
}

func build(_ patterns: [[UInt8]], denseEntryBudget: Int = 8 << 20) -> Automaton {
    var builder = AutomatonBuilder(denseEntryBudget: denseEntryBudget)
    for (id, pattern) in patterns.enumerated() { builder.add(pattern, id: UInt32(id)) }
    return builder.build()
}

func sortedMatches(_ matches: [Match]) -> [Match] {
    matches.sorted { ($0.start, $0.end, $0.patternID) < ($1.start, $1.end, $1.patternID) }
}

struct MatchCase: Sendable, CustomStringConvertible {
    var patterns: [String]
    var text: String
    var description: String { "\(patterns) in \"\(text)\"" }
}

let matchCases: [MatchCase] = [
    MatchCase(patterns: ["he", "she", "his", "hers"], text: "ushers"),
    MatchCase(patterns: ["new york", "new york city", "york"], text: "in new york city and new york"),
    MatchCase(patterns: ["a", "aa", "aaa"], text: "aaaa"),
    MatchCase(patterns: ["abcd", "bc", "bcde", "c"], text: "abcdef abcde"),
    MatchCase(patterns: ["x"], text: "no match here"),
    MatchCase(patterns: ["same", "same"], text: "the same thing"),
    MatchCase(patterns: ["zürich", "zü", "ürich"], text: "in zürich, zü"),
    MatchCase(patterns: ["abc"], text: ""),
    MatchCase(patterns: ["north atlantic treaty", "north atlantic treaty organization", "atlantic"],
              text: "the north atlantic treaty organization and the north atlantic treaty"),
]

@Suite struct AutomatonTests {
    @Test(arguments: matchCases, [8 << 20, 1])
    func overlappingMatchesEqualReference(_ example: MatchCase, budget: Int) {
        let patterns = example.patterns.map { Array($0.utf8) }
        let text = Array(example.text.utf8)
        let automaton = build(patterns, denseEntryBudget: budget)
        #expect(sortedMatches(automaton.allMatches(in: text)) == sortedMatches(naiveAllMatches(patterns, in: text)))
    }

    @Test(arguments: matchCases, [8 << 20, 1])
    func leftmostLongestEqualsReference(_ example: MatchCase, budget: Int) {
        let patterns = example.patterns.map { Array($0.utf8) }
        let text = Array(example.text.utf8)
        let automaton = build(patterns, denseEntryBudget: budget)
        #expect(automaton.leftmostLongestMatches(in: text) == naiveLeftmostLongest(patterns, in: text))
    }

    @Test func leftmostLongestPrefersLongerCity() {
        let automaton = build([Array("new york".utf8), Array("new york city".utf8)])
        let found = automaton.leftmostLongestMatches(in: Array("new york city".utf8))
        #expect(found == [Match(patternID: 1, start: 0, end: 13)])
    }

    @Test func matchesAreReportedInEndOrder() {
        let automaton = build(["he", "she", "hers"].map { Array($0.utf8) })
        let ends = automaton.allMatches(in: Array("ushers she".utf8)).map(\.end)
        #expect(ends == ends.sorted())
        #expect(ends.count == 5)
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func randomPatternsAgreeWithReference(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        // A small alphabet makes many overlaps and deep failure chains.
        let alphabet: [UInt8] = [0x61, 0x62, 0x63, 0x20, 0xC3, 0xA9]
        let patterns: [[UInt8]] = (0..<Int(random.next() % 40 + 1)).map { _ in
            (0..<Int(random.next() % 6 + 1)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
        }
        let text: [UInt8] = (0..<300).map { _ in
            random.next() % 10 == 0 ? UInt8(random.next() % 256) : alphabet[Int(random.next() % UInt64(alphabet.count))]
        }
        for budget in [1 << 20, 40, 1] {
            let automaton = build(patterns, denseEntryBudget: budget)
            #expect(sortedMatches(automaton.allMatches(in: text)) == sortedMatches(naiveAllMatches(patterns, in: text)))
            #expect(automaton.leftmostLongestMatches(in: text) == naiveLeftmostLongest(patterns, in: text))
        }
    }

    @Test(arguments: [11, 12, 13, 14] as [UInt64])
    func anchoredMatchesAreTheMatchesStartingThere(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let alphabet: [UInt8] = [0x61, 0x62, 0x63, 0x20]
        let patterns: [[UInt8]] = (0..<Int(random.next() % 30 + 1)).map { _ in
            (0..<Int(random.next() % 5 + 1)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
        }
        let text: [UInt8] = (0..<200).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
        let starts = (0..<text.count).filter { _ in random.next() % 3 == 0 }
        let expected = naiveAllMatches(patterns, in: text).filter { starts.contains($0.start) }
        for budget in [1 << 20, 30, 1] {
            let automaton = build(patterns, denseEntryBudget: budget)
            var found: [Match] = []
            text.withUnsafeBufferPointer { buffer in
                automaton.forEachMatch(in: buffer, anchoredAt: starts) { id, start, end in
                    found.append(Match(patternID: id, start: start, end: end))
                }
            }
            #expect(sortedMatches(found) == sortedMatches(expected))
        }
    }

    @Test func serializationRoundTrip() throws {
        var random = SplitMix64(seed: 42)
        let patterns: [[UInt8]] = (0..<200).map { _ in
            (0..<Int(random.next() % 8 + 1)).map { _ in UInt8(0x61 + random.next() % 5) }
        }
        let text: [UInt8] = (0..<2000).map { _ in UInt8(0x61 + random.next() % 6) }
        let original = build(patterns, denseEntryBudget: 200)
        #expect(original.numberOfDenseStates < original.numberOfStates)
        let loaded = try Automaton(serialized: original.serialized())
        #expect(loaded.allMatches(in: text) == original.allMatches(in: text))
        #expect(loaded.serialized() == original.serialized())
    }

    @Test func corruptBlobsAreRejected() {
        let blob = build(["alpha", "beta", "alphabet"].map { Array($0.utf8) }).serialized()
        var flipped = blob
        flipped[blob.count / 2] ^= 0x10
        #expect(throws: AutomatonError.self) { try Automaton(serialized: flipped) }
        #expect(throws: AutomatonError.self) { try Automaton(serialized: Array(blob.dropLast(5))) }
        var foreign = blob
        foreign[0] = UInt8(ascii: "X")
        #expect(throws: AutomatonError.self) { try Automaton(serialized: foreign) }
        var otherVersion = blob
        otherVersion[4] = 99
        #expect(throws: AutomatonError.self) { try Automaton(serialized: otherVersion) }
        #expect(throws: AutomatonError.self) { try Automaton(serialized: []) }
    }
}

extension AutomatonTests {
    /// Structural checks catch damage that a recomputed checksum would hide (a hand-edited blob).
    @Test func structurallyInvalidBlobIsRejected() throws {
        let patterns = (0..<50).map { Array("pattern\($0)".utf8) }
        let automaton = build(patterns, denseEntryBudget: 1)
        #expect(automaton.numberOfStates > automaton.numberOfDenseStates)
        var blob = automaton.serialized()
        // Point the first sparse record's failure link at itself: a fallback loop that never ends.
        let failWord = Automaton.headerSize + 4 * automaton.sparseOffset
        let selfID = UInt32(automaton.numberOfDenseStates)
        for k in 0..<4 { blob[failWord + k] = UInt8(truncatingIfNeeded: selfID >> UInt32(8 * k)) }
        let body = blob.dropLast(8)
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in body { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        blob = Array(body) + (0..<8).map { UInt8(truncatingIfNeeded: hash >> UInt64(8 * $0)) }
        #expect(throws: AutomatonError("failure link does not lead towards the root")) {
            try Automaton(serialized: blob)
        }
    }
}

/// Small seeded generator so random tests are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1330_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct AutomatonPatternExportTests {
    @Test func forEachPatternListsEveryPatternOnce() throws {
        var builder = AutomatonBuilder(denseEntryBudget: 64)
        let patterns = ["he", "she", "his", "hers", "new york", "new", "ab", "b"]
        for (id, pattern) in patterns.enumerated() { builder.add(Array(pattern.utf8), id: UInt32(id)) }
        let automaton = builder.build()
        var exported: [UInt32: String] = [:]
        automaton.forEachPattern { id, bytes in
            #expect(exported[id] == nil)
            exported[id] = String(decoding: bytes, as: UTF8.self)
        }
        #expect(exported.count == patterns.count)
        for (id, pattern) in patterns.enumerated() { #expect(exported[UInt32(id)] == pattern) }
        #expect(automaton.largestPatternID == UInt32(patterns.count - 1))
    }
}

@Suite struct AnchoredOrderTests {
    /// Anchored matches come in the order of the starts, shortest first at each start, as if each
    /// start were walked alone (the walks run side by side internally).
    @Test(arguments: [21, 22, 23] as [UInt64])
    func anchoredMatchesKeepStartOrder(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let alphabet: [UInt8] = [0x61, 0x62, 0x20]
        let patterns: [[UInt8]] = (0..<40).map { _ in
            (0..<Int(random.next() % 6 + 1)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
        }
        let text: [UInt8] = (0..<300).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
        let starts = (0..<text.count).filter { _ in random.next() % 2 == 0 }
        let naive = naiveAllMatches(patterns, in: text)
        var expected: [Match] = []
        for start in starts {
            expected += naive.filter { $0.start == start }.sorted { ($0.end, $0.patternID) < ($1.end, $1.patternID) }
        }
        for budget in [1 << 20, 20, 1] {
            var builder = AutomatonBuilder(denseEntryBudget: budget)
            for (id, pattern) in patterns.enumerated() { builder.add(pattern, id: UInt32(id)) }
            let automaton = builder.build()
            var found: [Match] = []
            text.withUnsafeBufferPointer { buffer in
                automaton.forEachMatch(in: buffer, anchoredAt: starts) { id, start, end in
                    found.append(Match(patternID: id, start: start, end: end))
                }
            }
            // Equal (start, end) pairs are duplicates of one byte string: compare their ids as sets.
            #expect(found.map { [$0.start, $0.end] } == expected.map { [$0.start, $0.end] })
            #expect(found.sorted { ($0.start, $0.end, $0.patternID) < ($1.start, $1.end, $1.patternID) }
                    == expected.sorted { ($0.start, $0.end, $0.patternID) < ($1.start, $1.end, $1.patternID) })
        }
    }
}
