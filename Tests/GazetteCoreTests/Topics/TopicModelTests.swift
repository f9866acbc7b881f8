import Foundation
import Testing
@testable import GazetteCore

@Suite("Topic model training and file format")
struct TopicModelTests {
    @Test func learnsSingleLabelSyntheticData() throws {
        let model = try TopicTrainer.train(TopicFixtures.synthetic(count: 240, seed: 1), options: TopicFixtures.smallOptions())
        #expect(!model.multiLabel)
        #expect(model.labels == ["money", "science", "sport"])
        let heldOut = TopicFixtures.synthetic(count: 100, seed: 2)
        let correct = heldOut.filter { model.predict(text: $0.text).first?.label == $0.labels[0] }.count
        #expect(correct >= 95)
        let scores = model.predict(text: "the striker scored a goal in the cup match")
        #expect(scores.first?.label == "sport")
        #expect(abs(scores.reduce(0) { $0 + $1.score } - 1) < 1e-9)
        #expect(zip(scores, scores.dropFirst()).allSatisfy { $0.score >= $1.score })
    }

    @Test func learnsMultiLabelSyntheticData() throws {
        let training = TopicFixtures.synthetic(count: 300, seed: 3, multiLabel: true)
        let model = try TopicTrainer.train(training, options: TopicFixtures.smallOptions())
        #expect(model.multiLabel)
        let scores = model.predict(text: "bank profit shares market telescope planet physics lab")
        let decided = Set(model.decide(scores))
        #expect(decided == ["money", "science"])
        let heldOut = TopicFixtures.synthetic(count: 100, seed: 4, multiLabel: true)
        let predicted = heldOut.map { model.decide(model.predict(text: $0.text)) }
        let evaluation = TopicEvaluation(gold: heldOut.map(\.labels), predicted: predicted, labels: model.labels)
        #expect(evaluation.microF1 > 0.9)
    }

    @Test func explainReportsTheArticlesOwnNGrams() throws {
        let model = try TopicTrainer.train(TopicFixtures.synthetic(count: 240, seed: 1), options: TopicFixtures.smallOptions())
        let text = "The striker scored: goal! said the coach"
        let explained = model.explain(text: text, label: "sport", top: 3)
        #expect(explained.count == 3)
        let grams = Set(["the", "striker", "scored", "goal", "said", "coach", "the striker", "striker scored",
                         "scored goal", "goal said", "said the", "the coach"])
        #expect(explained.allSatisfy { grams.contains($0.feature) })
        #expect(explained.contains { $0.feature == "striker" || $0.feature == "goal" || $0.feature == "coach" })
        #expect(zip(explained, explained.dropFirst()).allSatisfy { $0.weight >= $1.weight })
        #expect(model.explain(text: text, label: "no such label").isEmpty)
    }

    @Test func sameDataAndSeedGiveIdenticalBytes() throws {
        let data = TopicFixtures.synthetic(count: 120, seed: 5)
        let first = try TopicTrainer.train(data, options: TopicFixtures.smallOptions(seed: 11)).serialized()
        let second = try TopicTrainer.train(data, options: TopicFixtures.smallOptions(seed: 11)).serialized()
        let otherSeed = try TopicTrainer.train(data, options: TopicFixtures.smallOptions(seed: 12)).serialized()
        #expect(first == second)
        #expect(first != otherSeed)
    }

    @Test func saveLoadRoundTrip() throws {
        let model = try TopicTrainer.train(TopicFixtures.synthetic(count: 150, seed: 6, multiLabel: true), options: TopicFixtures.smallOptions())
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("topics-roundtrip-\(UUID().uuidString).model")
        defer { try? FileManager.default.removeItem(at: url) }
        try model.write(to: url)
        let loaded = try TopicModel.load(from: url)
        #expect(loaded.labels == model.labels)
        #expect(loaded.multiLabel == model.multiLabel)
        #expect(loaded.hashing == model.hashing)
        #expect(loaded.buckets == model.buckets)
        #expect(loaded.weights == model.weights)
        #expect(loaded.thresholds == model.thresholds)
        #expect(loaded.calibrationScale == model.calibrationScale)
        let text = "bank shares fell as the league match ended"
        #expect(loaded.predict(text: text) == model.predict(text: text))
        #expect(loaded.serialized() == model.serialized())
    }

    func expectLoadError(_ bytes: [UInt8], _ expected: TopicModelError.Reason) {
        #expect(throws: TopicModelError(file: "test.model", reason: expected)) {
            _ = try TopicModel.decode(bytes, file: "test.model")
        }
    }

    @Test func corruptTruncatedAndForeignFilesAreClearErrors() throws {
        let bytes = try TopicTrainer.train(TopicFixtures.synthetic(count: 60, seed: 8), options: TopicFixtures.smallOptions()).serialized()
        expectLoadError(Array("PK\u{3}\u{4} this is a zip, not a model".utf8), .wrongMagic)
        expectLoadError(Array(bytes.prefix(5)), .truncated)
        expectLoadError(Array(bytes.prefix(bytes.count / 2)), .truncated)
        expectLoadError(Array(bytes.dropLast(1)), .truncated)
        var future = bytes
        future[8] = 9  // version field, little-endian
        expectLoadError(future, .unsupportedVersion(9))
        var flipped = bytes
        flipped[bytes.count - 40] ^= 0x55  // inside the last feature's weights
        expectLoadError(flipped, .checksumMismatch)
        let error = TopicModelError(file: "/x/topics.model", reason: .wrongMagic)
        #expect(error.description.contains("/x/topics.model"))
        #expect(error.description.contains("magic"))
        #expect(throws: TopicModelError.self) { _ = try TopicModel.load(from: URL(fileURLWithPath: "/nonexistent/topics.model")) }
    }

    @Test func calibrationFitsHeldOutScores() {
        // Scores that separate the classes only partly: the fitted probabilities must track the
        // empirical frequencies in each score band, not saturate.
        var scores: [Double] = [], truth: [Bool] = []
        for (score, positives) in [(-1.0, 12), (0.0, 50), (1.0, 88)] {  // about σ(2·score) positive
            for index in 0..<100 {
                scores.append(score)
                truth.append(index < positives)
            }
        }
        let (a, b) = TopicTrainer.fitPlatt(scores: scores, truth: truth)
        let probability = { (score: Double) in 1 / (1 + exp(-(a * score + b))) }
        #expect(abs(probability(-1) - 0.12) < 0.03)
        #expect(abs(probability(0) - 0.5) < 0.03)
        #expect(abs(probability(1) - 0.88) < 0.03)
    }
}

@Suite("Topic model storage and augmentation")
struct TopicModelStorageTests {
    @Test func quantizedWeightsRoundTripExactlyAndStayClose() {
        let weights: [Float] = [0.5, -3.25, 1e-4, 2.0, -0.75, 7.5, 0, 0.001]
        let once = TopicModel.quantizationRoundTrip(weights, labelCount: 2)
        #expect(TopicModel.quantizationRoundTrip(once, labelCount: 2) == once)
        for (original, stored) in zip(weights, once) {
            #expect(abs(original - stored) <= 7.5 / 16384)
        }
        #expect(once[5] == 7.5)
    }

    @Test func fragmentsAddShortExamplesButNotFeatures() throws {
        // Each document is a title line plus body lines; a phrase that only one document has must
        // not reach the minimum document frequency by also appearing in that document's fragments.
        var examples = TopicFixtures.synthetic(count: 90, seed: 21)
        for index in examples.indices {
            let words = examples[index].text.split(separator: " ")
            examples[index].text = words.prefix(5).joined(separator: " ") + " unique\(index) phrase\(index)\n"
                + words.dropFirst(5).joined(separator: " ") + " unique\(index) phrase\(index)"
        }
        var options = TopicFixtures.smallOptions()
        let plain = try TopicTrainer.train(examples, options: options)
        options.fragmentsPerDocument = 3
        let augmented = try TopicTrainer.train(examples, options: options)
        #expect(augmented.buckets == plain.buckets)
        #expect(augmented.idf == plain.idf)
        #expect(augmented.weights != plain.weights)
        #expect(TopicTrainer.fragments(of: "Title\n\nFirst paragraph.\nSecond.\nThird.", limit: 3) == ["Title", "First paragraph.", "Second."])
        #expect(TopicTrainer.fragments(of: "one line only", limit: 3).isEmpty)
    }
}

@Suite("Topic model naive Bayes prior")
struct TopicNaiveBayesPriorTests {
    @Test func priorIsCentredAndFavoursTheLabelsWords() throws {
        var options = TopicFixtures.smallOptions()
        options.naiveBayesWeight = 1
        let model = try TopicTrainer.train(TopicFixtures.synthetic(count: 240, seed: 1), options: options)
        let heldOut = TopicFixtures.synthetic(count: 100, seed: 2)
        let correct = heldOut.filter { model.predict(text: $0.text).first?.label == $0.labels[0] }.count
        #expect(correct >= 95)
        // A single topical word is enough for a short item.
        #expect(model.predict(text: "telescope").first?.label == "science")
        #expect(model.predict(text: "investors").first?.label == "money")
    }

    @Test func naiveBayesPriorFromHandCountedMass() {
        // Two features, two labels; label 0 has all its mass on feature 0, label 1 splits evenly.
        let design = TopicTrainer.Design(
            vectors: [
                TopicModel.FeatureVector(features: [0], values: [1]),
                TopicModel.FeatureVector(features: [0, 1], values: [0.5, 0.5]),
            ],
            targets: [[0], [1]], groups: [0, 1], groupCount: 2, featureCount: 2, labelCount: 2, multiLabel: false)
        var options = TopicTrainingOptions()
        options.naiveBayesWeight = 1
        options.naiveBayesAlpha = 0.5
        let prior = TopicTrainer.naiveBayesPrior(design, rows: [0, 1], options: options)
        // log θ: label 0: f0 (1.5/2), f1 (0.5/2); label 1: f0 (1/2), f1 (1/2).
        let f0 = (log(1.5 / 2.0), log(1.0 / 2.0)), f1 = (log(0.5 / 2.0), log(1.0 / 2.0))
        #expect(abs(Double(prior[0]) - (f0.0 - f0.1) / 2) < 1e-6)
        #expect(abs(Double(prior[1]) + (f0.0 - f0.1) / 2) < 1e-6)
        #expect(abs(Double(prior[2]) - (f1.0 - f1.1) / 2) < 1e-6)
        #expect(abs(Double(prior[2] + prior[3])) < 1e-6)
    }
}
