import Foundation
import Testing
@testable import GazetteCore

@Suite("Shipped topic model")
struct ShippedTopicModelTests {
    static let url = TopicFixtures.directory
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Models/topics-v1.model")

    @Test func loadsAndClassifiesShortItemsWeWrote() throws {
        let model = try TopicModel.load(from: Self.url)
        #expect(model.labels == ["business", "entertainment", "politics", "sport", "tech"])
        #expect(!model.multiLabel)
        let items = [
            ("Shares slide as the central bank raises interest rates and profits fall", "business"),
            ("The striker scored twice as the champions won the cup final", "sport"),
            ("The new smartphone software lets users download games and music online", "tech"),
            ("The prime minister faces MPs over the election manifesto and tax plans", "politics"),
            ("The actress won an Oscar for her role in the box office hit film", "entertainment"),
        ]
        for (text, label) in items {
            let scores = model.predict(text: text)
            #expect(scores.first?.label == label, "\(text)")
            #expect(abs(scores.reduce(0) { $0 + $1.score } - 1) < 1e-9)
        }
        let explained = model.explain(text: items[1].0, label: "sport", top: 3)
        #expect(explained.count == 3)
        #expect(explained.allSatisfy { $0.weight > 0 })
    }
}
