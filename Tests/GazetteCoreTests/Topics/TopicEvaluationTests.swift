import Testing
@testable import GazetteCore

@Suite("Topic evaluation metrics")
struct TopicEvaluationTests {
    @Test func singleLabelAccuracyAndConfusion() {
        let gold = [["a"], ["a"], ["b"], ["b"], ["c"]]
        let predicted = [["a"], ["b"], ["b"], ["b"], ["a"]]
        let evaluation = TopicEvaluation(gold: gold, predicted: predicted, labels: ["a", "b", "c"])
        #expect(evaluation.accuracy == 3.0 / 5.0)
        #expect(evaluation.confusion == [[1, 1, 0], [0, 2, 0], [1, 0, 0]])
        let a = evaluation.perLabel[0]
        #expect(a.truePositives == 1 && a.falsePositives == 1 && a.falseNegatives == 1)
        #expect(a.precision == 0.5 && a.recall == 0.5)
        let b = evaluation.perLabel[1]
        #expect(b.precision == 2.0 / 3.0 && b.recall == 1)
        #expect(evaluation.perLabel[2].f1 == 0)
    }

    @Test func multiLabelMicroAndMacroF1() {
        // x: TP 2, FP 1, FN 0 → F1 0.8; y: TP 1, FP 0, FN 2 → F1 0.5. Micro: TP 3, FP 1, FN 2 → 6/9.
        let gold = [["x", "y"], ["x"], ["y"], ["y"]]
        let predicted = [["x", "y"], ["x"], ["x"], []]
        let evaluation = TopicEvaluation(gold: gold, predicted: predicted, labels: ["x", "y"])
        #expect(abs(evaluation.microF1 - 6.0 / 9.0) < 1e-12)
        #expect(abs(evaluation.macroF1 - (0.8 + 0.5) / 2) < 1e-12)
        #expect(evaluation.microPrecision == 0.75)
        #expect(evaluation.microRecall == 0.6)
        #expect(evaluation.exactMatches == 2)
    }

    @Test func labelsOutsideTheScoredSetAreIgnored() {
        let evaluation = TopicEvaluation(gold: [["x", "rare"]], predicted: [["x", "other"]], labels: ["x"])
        #expect(evaluation.microF1 == 1)
        #expect(evaluation.accuracy == 1)
    }
}
