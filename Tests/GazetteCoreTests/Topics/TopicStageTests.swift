import Foundation
import Testing
import Yams
@testable import GazetteCore

@Suite("Topic stage thresholds and top-k")
struct TopicStageTests {
    static let model = try! TopicTrainer.train(
        TopicFixtures.synthetic(count: 240, seed: 1), options: TopicFixtures.smallOptions())

    let scores = [
        TopicScore(label: "sport", score: 0.6), TopicScore(label: "money", score: 0.3),
        TopicScore(label: "science", score: 0.1),
    ]

    @Test func defaultSettingsKeepLabelsAboveTheSingleLabelMinimum() {
        let stage = TopicStage(model: Self.model, settings: TopicSettings(model: "m"))
        #expect(stage.select(scores).map(\.label) == ["sport", "money"])
    }

    @Test func topKLimits() {
        let stage = TopicStage(model: Self.model, settings: TopicSettings(model: "m", topK: 1, minScore: 0))
        #expect(stage.select(scores) == [scores[0]])
    }

    @Test func perLabelThresholdsOverrideMinScore() {
        let settings = TopicSettings(model: "m", topK: 3, minScore: 0.05, thresholds: ["money": 0.5])
        let stage = TopicStage(model: Self.model, settings: settings)
        #expect(stage.select(scores).map(\.label) == ["sport", "science"])
    }

    @Test func keepBestWhenNothingPasses() {
        let keep = TopicStage(model: Self.model, settings: TopicSettings(model: "m", minScore: 0.9))
        #expect(keep.select(scores).map(\.label) == ["sport"])
        let drop = TopicStage(model: Self.model, settings: TopicSettings(model: "m", minScore: 0.9, keepBest: false))
        #expect(drop.select(scores).isEmpty)
    }

    @Test func processUsesTitleAndText() throws {
        let stage = TopicStage(model: Self.model, settings: TopicSettings(model: "m", topK: 1))
        let article = Article(
            key: "k", path: "/p", title: "Striker scores in cup match",
            text: "The coach praised the team after the league goal.", contentHash: "", byteSize: 0)
        var document = ArticleDocument(article: article)
        try stage.process(&document)
        #expect(document.topics.map(\.label) == ["sport"])
        #expect(document.topics[0].score > 0.5 && document.topics[0].score <= 1)
        #expect(TopicStage.name == "topics")
    }

    @Test func settingsDecodeFromYAMLWithDefaults() throws {
        let minimal = try YAMLDecoder().decode(TopicSettings.self, from: "model: Models/topics-v1.model\n")
        #expect(minimal == TopicSettings(model: "Models/topics-v1.model"))
        let full = try YAMLDecoder().decode(
            TopicSettings.self,
            from: "model: m.model\ntopK: 2\nminScore: 0.4\nthresholds:\n  sport: 0.7\nkeepBest: false\n")
        #expect(full == TopicSettings(model: "m.model", topK: 2, minScore: 0.4, thresholds: ["sport": 0.7], keepBest: false))
    }
}
