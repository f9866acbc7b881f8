import Foundation

/// The `topics` entry of `Pipeline.yaml`.
public struct TopicSettings: Sendable, Codable, Equatable {
    /// Path of the model file.
    public var model: String
    /// At most this many topics are stored per article.
    public var topK: Int
    /// Calibrated probability a topic needs to be stored, for labels without their own threshold.
    /// When absent: the model's trained per-label thresholds for a multi-label model, 0.2 for a
    /// single-label one.
    public var minScore: Double?
    /// Per-label thresholds overriding `minScore`.
    public var thresholds: [String: Double]
    /// Store the best topic even when it is below its threshold, so no article goes untagged.
    public var keepBest: Bool

    public static let defaultTopK = 3
    public static let defaultSingleLabelMinScore = 0.2

    public init(model: String, topK: Int = defaultTopK, minScore: Double? = nil, thresholds: [String: Double] = [:], keepBest: Bool = true) {
        self.model = model
        self.topK = topK
        self.minScore = minScore
        self.thresholds = thresholds
        self.keepBest = keepBest
    }

    enum CodingKeys: String, CodingKey {
        case model, topK, minScore, thresholds, keepBest
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        model = try container.decode(String.self, forKey: .model)
        topK = try container.decodeIfPresent(Int.self, forKey: .topK) ?? Self.defaultTopK
        minScore = try container.decodeIfPresent(Double.self, forKey: .minScore)
        thresholds = try container.decodeIfPresent([String: Double].self, forKey: .thresholds) ?? [:]
        keepBest = try container.decodeIfPresent(Bool.self, forKey: .keepBest) ?? true
    }
}

/// Sets `document.topics` from the article's title and text: the calibrated probabilities of the
/// labels that pass their threshold, highest first, at most `topK`.
public struct TopicStage: Stage {
    public static let name = "topics"

    public let model: TopicModel
    public let settings: TopicSettings

    public init(model: TopicModel, settings: TopicSettings) {
        self.model = model
        self.settings = settings
    }

    /// The threshold a label's calibrated probability must reach to be stored.
    public func threshold(for label: String) -> Double {
        if let own = settings.thresholds[label] { return own }
        if let minScore = settings.minScore { return minScore }
        if model.multiLabel, let index = model.labels.firstIndex(of: label) { return model.thresholds[index] }
        return TopicSettings.defaultSingleLabelMinScore
    }

    /// Applies thresholds and top-k to all-label scores (highest first).
    public func select(_ scores: [TopicScore]) -> [TopicScore] {
        guard settings.topK > 0 else { return [] }
        var selected = scores.filter { $0.score >= threshold(for: $0.label) }
        if selected.isEmpty, settings.keepBest, let best = scores.first { selected = [best] }
        return Array(selected.prefix(settings.topK))
    }

    public func process(_ document: inout ArticleDocument) throws {
        // Same scores as `predict(text: Self.input(title:text:))`, without joining the strings.
        document.topics = select(model.predict(title: document.article.title, text: document.article.text))
    }

    /// What the classifier reads: the title, then the text. `show --explain` rebuilds it the same way.
    public static func input(title: String, text: String) -> String {
        title.isEmpty ? text : title + "\n" + text
    }
}
