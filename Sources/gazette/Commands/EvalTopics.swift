import ArgumentParser
import Foundation
import GazetteCore

/// `gazette eval topics`: scores a topic model on labelled data.
struct EvalTopics: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topics",
        abstract: "Evaluate a topic model: accuracy or micro/macro-F1, per-label precision/recall, confusion matrix.")

    enum View: String, ExpressibleByArgument, CaseIterable {
        /// The whole document.
        case full
        /// Only the first non-empty line (the title in the BBC layout).
        case title
        /// Only the first sentence after the title: a short news item.
        case firstSentence = "first-sentence"
    }

    @Option(help: "Model file.")
    var model: String
    @Option(help: "Evaluation data: a folder, a .jsonl file, or a folder of reut2-*.sgm files.")
    var data: String
    @Option(help: "Data layout (folders, jsonl, reuters); guessed from the path when omitted.")
    var format: TopicDataFormat?
    @Option(help: "For folders: a TSV path<TAB>label<TAB>train|test, paths relative to the TSV's folder.")
    var split: String?
    @Option(help: "Which part to score (train, test, all). Default: test with a split or Reuters, else all.")
    var part: TopicDataPart?
    @Option(help: "Part of each document to classify: full, title, first-sentence (robustness checks).")
    var view: View = .full

    func run() async throws {
        let topicModel = try TopicModel.load(from: URL(fileURLWithPath: model))
        let dataURL = URL(fileURLWithPath: data)
        let format = format ?? TopicDataFormat.guess(for: dataURL)
        let part = part ?? ((split != nil || format == .reuters) ? .test : .all)
        let examples = try TopicCorpus.load(dataURL, format: format, part: part, split: split.map { URL(fileURLWithPath: $0) })
        guard !examples.isEmpty else { throw ValidationError("no documents to evaluate in \(data)") }

        let started = Date()
        let scores = examples.map { topicModel.predict(text: Self.excerpt($0.text, view: view)) }
        let predicted = scores.map(topicModel.decide)
        let seconds = Date().timeIntervalSince(started)
        let gold = examples.map(\.labels)
        let goldLabels = Set(gold.flatMap { $0 })
        let singleLabel = !topicModel.multiLabel && gold.allSatisfy { $0.count == 1 }
        // Single-label: every gold label counts (a label the model lacks is always wrong).
        // Multi-label: the labels both the model and the data have (ModApte's 90 Reuters topics).
        let labels = singleLabel
            ? topicModel.labels + goldLabels.subtracting(topicModel.labels).sorted()
            : topicModel.labels.filter(goldLabels.contains)
        let evaluation = TopicEvaluation(gold: gold, predicted: predicted, labels: labels)

        print("documents: \(examples.count) (\(format.rawValue), part \(part.rawValue), view \(view.rawValue))")
        print(String(format: "prediction: %.3f s (%.0f documents/s)", seconds, Double(examples.count) / max(seconds, 1e-9)))
        if singleLabel {
            print(String(format: "accuracy: %.4f (%d/%d)", evaluation.accuracy, evaluation.exactMatches, evaluation.documentCount))
            // Calibration of the top score: its mean against accuracy, and the expected calibration
            // error over ten equal-width confidence bins.
            var bins = Array(repeating: (count: 0, confidence: 0.0, correct: 0), count: 10)
            for (documentScores, goldLabels) in zip(scores, gold) {
                guard let top = documentScores.first else { continue }
                let bin = min(9, Int(top.score * 10))
                bins[bin].count += 1
                bins[bin].confidence += top.score
                if goldLabels.contains(top.label) { bins[bin].correct += 1 }
            }
            let total = Double(examples.count)
            let meanConfidence = bins.reduce(0) { $0 + $1.confidence } / total
            let calibrationError = bins.reduce(0.0) { $0 + abs($1.confidence - Double($1.correct)) } / total
            print(String(format: "mean top score: %.4f, expected calibration error: %.4f", meanConfidence, calibrationError))
        } else {
            print("labels scored: \(labels.count)")
            print(String(format: "micro-F1: %.4f (precision %.4f, recall %.4f)", evaluation.microF1, evaluation.microPrecision, evaluation.microRecall))
            print(String(format: "macro-F1: %.4f", evaluation.macroF1))
            print(String(format: "exact match: %.4f", evaluation.accuracy))
        }
        let width = max(8, labels.map(\.count).max() ?? 0)
        print("")
        print("label".padding(toLength: width, withPad: " ", startingAt: 0) + "  support  precision  recall      F1")
        for score in evaluation.perLabel where score.support > 0 || score.falsePositives > 0 {
            print(score.label.padding(toLength: width, withPad: " ", startingAt: 0)
                + String(format: "  %7d  %9.4f  %6.4f  %6.4f", score.support, score.precision, score.recall, score.f1))
        }
        if singleLabel {
            print("\nconfusion matrix (rows: gold, columns: predicted)")
            let cell = max(6, labels.map(\.count).max() ?? 0)
            print("".padding(toLength: width, withPad: " ", startingAt: 0)
                + labels.map { " " + String(repeating: " ", count: max(0, cell - $0.count)) + $0 }.joined())
            for (row, label) in labels.enumerated() where evaluation.confusion[row].contains(where: { $0 > 0 }) {
                print(label.padding(toLength: width, withPad: " ", startingAt: 0)
                    + evaluation.confusion[row].map { " " + String(repeating: " ", count: max(0, cell - String($0).count)) + String($0) }.joined())
            }
        } else {
            print("\n(multi-label: per-label true/false positives above stand for the confusion matrix)")
        }
    }

    static func excerpt(_ text: String, view: View) -> String {
        guard view != .full else { return text }
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard let title = lines.first else { return text }
        if view == .title { return title }
        let body = lines.dropFirst().joined(separator: " ")
        if let end = body.range(of: ". ") { return String(body[..<end.lowerBound]) + "." }
        return body.isEmpty ? title : body
    }
}
