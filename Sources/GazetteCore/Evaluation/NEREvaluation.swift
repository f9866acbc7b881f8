import Foundation

/// Strict span-level precision, recall and F1 of Gazette's mentions against CoNLL gold spans.
///
/// Each gold document is written as a `.txt` file (its tokens joined by single spaces, one sentence
/// per line) and tagged by `TagRun`, the code path of `gazette tag`, reading included; mentions are
/// then mapped back to token ranges. A mention that does not start and end on token boundaries can
/// match no gold span, so it counts as a false positive.
public struct NEREvaluation: Sendable {
    /// How Gazette's types are scored against CoNLL's.
    public static let typeMapping: [EntityType: String] = [
        .person: "PER", .place: "LOC", .organization: "ORG", .treaty: "MISC",
    ]
    /// The types whose micro-average is the headline figure: what a gazetteer of people, places and
    /// organizations is expected to find. MISC is reported but not averaged in.
    public static let headlineTypes = ["PER", "LOC", "ORG"]

    public struct Score: Sendable, Equatable {
        public var gold = 0
        public var predicted = 0
        public var correct = 0
        public var precision: Double { predicted == 0 ? 0 : Double(correct) / Double(predicted) }
        public var recall: Double { gold == 0 ? 0 : Double(correct) / Double(gold) }
        public var f1: Double {
            let p = precision, r = recall
            return p + r == 0 ? 0 : 2 * p * r / (p + r)
        }

        static func + (a: Score, b: Score) -> Score {
            Score(gold: a.gold + b.gold, predicted: a.predicted + b.predicted, correct: a.correct + b.correct)
        }
    }

    public var byType: [String: Score]
    public var documents: Int
    public var seconds: Double

    public var micro: Score {
        Self.headlineTypes.compactMap { byType[$0] }.reduce(Score(), +)
    }

    public init(byType: [String: Score], documents: Int, seconds: Double) {
        self.byType = byType
        self.documents = documents
        self.seconds = seconds
    }

    /// Tags `corpus` with `pipeline` and scores it.
    public static func run(_ corpus: CoNLLCorpus, pipeline: Pipeline, jobs: Int) async throws -> NEREvaluation {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("gazette-eval-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var paths: [String] = []
        for (index, document) in corpus.documents.enumerated() {
            let text = Self.text(of: document)
            let url = folder.appendingPathComponent(String(format: "doc-%06d.txt", index))
            try Data(text.utf8).write(to: url)
            paths.append(url.standardizedFileURL.path)
        }
        let sink = CollectingSink()
        let tagRun = TagRun(
            pipeline: pipeline, reader: ArticleReader(), walker: DirectoryWalker(extensions: ["txt"]),
            jobs: jobs, batchSize: 256, keepText: false, configHash: "eval")
        let summary = try await tagRun.run(folder.path, into: sink)
        if let failure = summary.failures.first {
            throw CoNLLCorpus.FormatError(file: failure.path, line: 0, reason: "could not be tagged: \(failure.message)")
        }
        let byPath = Dictionary(uniqueKeysWithValues: sink.documents.map { ($0.article.path, $0) })
        var scores: [String: Score] = [:]
        for (index, document) in corpus.documents.enumerated() {
            let gold = Set(CoNLLCorpus.spans(of: document))
            let predicted = Set(Self.predictedSpans(byPath[paths[index]]?.mentions ?? [], in: document))
            for span in gold { scores[span.type, default: Score()].gold += 1 }
            for span in predicted {
                scores[span.type, default: Score()].predicted += 1
                if gold.contains(span) { scores[span.type, default: Score()].correct += 1 }
            }
        }
        return NEREvaluation(byType: scores, documents: corpus.documents.count, seconds: summary.seconds)
    }

    /// The evaluation text of a document: tokens joined by single spaces, one sentence per line.
    public static func text(of document: CoNLLCorpus.Document) -> String {
        document.sentences.map { $0.tokens.joined(separator: " ") }.joined(separator: "\n") + "\n"
    }

    /// Maps mentions (Unicode-scalar offsets into `text(of:)`) to token spans. A mention that does not
    /// align with token boundaries gets an impossible span, so it is scored as a false positive.
    public static func predictedSpans(_ mentions: [Mention], in document: CoNLLCorpus.Document) -> [CoNLLCorpus.Span] {
        var starts: [Int: (sentence: Int, token: Int)] = [:]
        var ends: [Int: (sentence: Int, token: Int)] = [:]
        var offset = 0
        for (sentenceIndex, sentence) in document.sentences.enumerated() {
            for (tokenIndex, token) in sentence.tokens.enumerated() {
                starts[offset] = (sentenceIndex, tokenIndex)
                offset += token.unicodeScalars.count
                ends[offset] = (sentenceIndex, tokenIndex)
                offset += 1  // the space, or the newline after the last token
            }
        }
        return mentions.compactMap { mention in
            guard let type = typeMapping[mention.entity.type] else { return nil }
            if let start = starts[mention.start], let end = ends[mention.end], start.sentence == end.sentence {
                return CoNLLCorpus.Span(sentence: start.sentence, startToken: start.token, endToken: end.token + 1, type: type)
            }
            return CoNLLCorpus.Span(sentence: -1, startToken: mention.start, endToken: mention.end, type: type)
        }
    }

    /// The table `gazette eval ner` prints.
    public func table() -> String {
        var lines = ["type   gold  predicted  correct  precision  recall      F1"]
        func row(_ name: String, _ score: Score) -> String {
            name.padding(toLength: 5, withPad: " ", startingAt: 0)
                + String(format: " %6d %10d %8d %10.3f %7.3f %7.3f", score.gold, score.predicted, score.correct,
                         score.precision, score.recall, score.f1)
        }
        let order = Self.headlineTypes + ["MISC"] + byType.keys.filter { !Self.headlineTypes.contains($0) && $0 != "MISC" }.sorted()
        for type in order { if let score = byType[type] { lines.append(row(type, score)) } }
        lines.append(row("micro", micro) + "   (PER, LOC, ORG)")
        return lines.joined(separator: "\n") + "\n"
    }
}
