import PhraseMatcher
import Testing
import TestSupport

@testable import GazetteCore

/// The gazetteer stage chooses its hits as the matcher reports them, asking a hit's case rules only
/// when it can still be chosen. These check that choice against the rule it stands for: from every
/// hit that passes its case rules, `Match.leftmostLongest`.
@Suite struct LeftmostLongestSurvivorsTests {
    /// Matches as the matcher reports them: by start, shortest first, one per range (its patterns
    /// are distinct, so two of them never cover the same range).
    func randomMatches(_ random: inout SplitMix) -> [Match] {
        var matches: [Match] = []
        let length = Int.random(in: 0...60, using: &random)
        for start in 0..<length where Int.random(in: 0..<3, using: &random) == 0 {
            var ends = Set<Int>()
            for _ in 0..<Int.random(in: 1...4, using: &random) { ends.insert(start + Int.random(in: 1...12, using: &random)) }
            for end in ends.sorted() { matches.append(Match(phraseID: UInt32(matches.count), start: start, end: end)) }
        }
        return matches
    }

    @Test("equals leftmost-longest over the survivors, on 20,000 random match lists and case verdicts")
    func equalsLeftmostLongestOfSurvivors() {
        var random = SplitMix(seed: 0x5EED_1E57)
        for _ in 0..<20_000 {
            let matches = randomMatches(&random)
            // Each match passes or fails its case rules on its own, as in the stage.
            let rejectEvery = Int.random(in: 1...4, using: &random)
            let salt = Int.random(in: 0..<1000, using: &random)
            func passes(_ match: Match) -> Bool { (match.start * 31 + match.end * 7 + salt) % rejectEvery != 0 || rejectEvery == 1 }

            var asked = 0
            let chosen = GazetteerStage.leftmostLongestSurvivors(of: matches) { match -> Match? in
                asked += 1
                return passes(match) ? match : nil
            }
            let expected = Match.leftmostLongest(matches.filter(passes))
            #expect(chosen == expected, "matches \(matches.map { ($0.start, $0.end) })")
            #expect(asked <= matches.count)
        }
    }

    @Test("a rejected long match falls back to the longest shorter one; a match inside a chosen one is not asked about")
    func fallbackAndSkippedQuestions() {
        // "new york city" (0..<13) rejected, "new york" (0..<8) kept, "york" (4..<8) inside it.
        let matches = [Match(phraseID: 0, start: 0, end: 3), Match(phraseID: 1, start: 0, end: 8),
                       Match(phraseID: 2, start: 0, end: 13), Match(phraseID: 3, start: 4, end: 8),
                       Match(phraseID: 4, start: 9, end: 13)]
        var asked: [UInt32] = []
        let chosen = GazetteerStage.leftmostLongestSurvivors(of: matches) { match -> UInt32? in
            asked.append(match.phraseID)
            return match.phraseID == 2 ? nil : match.phraseID
        }
        #expect(chosen == [1, 4])
        #expect(asked == [2, 1, 4])
    }
}
