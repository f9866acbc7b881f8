/// Scores of predicted label sets against gold label sets.
///
/// Only `labels` are scored: gold and predicted labels outside that set are ignored (Reuters'
/// ModApte evaluation keeps the 90 topics with training and test documents).
public struct TopicEvaluation: Sendable {
    public struct LabelScore: Sendable, Equatable {
        public var label: String
        public var truePositives: Int
        public var falsePositives: Int
        public var falseNegatives: Int

        public var precision: Double {
            truePositives + falsePositives == 0 ? 0 : Double(truePositives) / Double(truePositives + falsePositives)
        }
        public var recall: Double {
            truePositives + falseNegatives == 0 ? 0 : Double(truePositives) / Double(truePositives + falseNegatives)
        }
        public var f1: Double {
            let denominator = 2 * truePositives + falsePositives + falseNegatives
            return denominator == 0 ? 0 : 2 * Double(truePositives) / Double(denominator)
        }
        public var support: Int { truePositives + falseNegatives }
    }

    public var labels: [String]
    public var documentCount: Int
    /// Documents whose scored predicted set equals their scored gold set (accuracy for single-label).
    public var exactMatches: Int
    public var perLabel: [LabelScore]
    /// `confusion[gold][predicted]` over documents with exactly one gold and one predicted label
    /// (single-label data), in `labels` order.
    public var confusion: [[Int]]

    public init(gold: [[String]], predicted: [[String]], labels: [String]) {
        precondition(gold.count == predicted.count)
        self.labels = labels
        documentCount = gold.count
        let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        var scores = labels.map { LabelScore(label: $0, truePositives: 0, falsePositives: 0, falseNegatives: 0) }
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: labels.count), count: labels.count)
        var exact = 0
        for (goldLabels, predictedLabels) in zip(gold, predicted) {
            let goldSet = Set(goldLabels.compactMap { index[$0] })
            let predictedSet = Set(predictedLabels.compactMap { index[$0] })
            if goldSet == predictedSet { exact += 1 }
            for label in goldSet.union(predictedSet) {
                switch (goldSet.contains(label), predictedSet.contains(label)) {
                case (true, true): scores[label].truePositives += 1
                case (false, true): scores[label].falsePositives += 1
                case (true, false): scores[label].falseNegatives += 1
                case (false, false): break
                }
            }
            if goldSet.count == 1 && predictedSet.count == 1 {
                confusion[goldSet.first!][predictedSet.first!] += 1
            }
        }
        exactMatches = exact
        perLabel = scores
        self.confusion = confusion
    }

    public var accuracy: Double { documentCount == 0 ? 0 : Double(exactMatches) / Double(documentCount) }

    public var microF1: Double {
        let tp = perLabel.reduce(0) { $0 + $1.truePositives }
        let fp = perLabel.reduce(0) { $0 + $1.falsePositives }
        let fn = perLabel.reduce(0) { $0 + $1.falseNegatives }
        let denominator = 2 * tp + fp + fn
        return denominator == 0 ? 0 : 2 * Double(tp) / Double(denominator)
    }

    public var microPrecision: Double {
        let tp = perLabel.reduce(0) { $0 + $1.truePositives }
        let fp = perLabel.reduce(0) { $0 + $1.falsePositives }
        return tp + fp == 0 ? 0 : Double(tp) / Double(tp + fp)
    }

    public var microRecall: Double {
        let tp = perLabel.reduce(0) { $0 + $1.truePositives }
        let fn = perLabel.reduce(0) { $0 + $1.falseNegatives }
        return tp + fn == 0 ? 0 : Double(tp) / Double(tp + fn)
    }

    /// Mean F1 over the scored labels.
    public var macroF1: Double {
        perLabel.isEmpty ? 0 : perLabel.reduce(0) { $0 + $1.f1 } / Double(perLabel.count)
    }
}
