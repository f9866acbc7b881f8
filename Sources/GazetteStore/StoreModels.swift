import GazetteCore

// ArticleFingerprint, RunStatus and RunCounts live in GazetteCore (Pipeline/TagSink.swift).

public struct StoredRun: Sendable, Hashable {
    public var id: Int64
    public var startedAt: String
    public var finishedAt: String?
    public var configHash: String
    public var pipelineVersion: String
    /// The stored status text; `RunStatus(rawValue:)` reads it.
    public var status: String
    public var counts: RunCounts
}

/// One row of `articles`.
public struct StoredArticle: Sendable, Hashable {
    public var id: Int64
    public var key: String
    public var path: String
    public var line: Int?
    public var sourceID: String?
    public var title: String?
    public var date: String?
    /// Size of the source in bytes.
    public var size: Int
    public var contentHash: String
    public var pipelineHash: String
    /// ISO 8601 timestamp of the save.
    public var taggedAt: String
    public var runID: Int64?
}

/// A mention read back from the store, with its entity.
public struct StoredMention: Sendable, Hashable {
    public var entityID: Int64
    public var entity: EntityRef
    /// Half-open Unicode-scalar offsets into the article's full decoded text.
    public var start: Int
    public var end: Int
    public var surface: String
}

/// One entity with how often it is mentioned.
public struct EntityCount: Sendable, Hashable {
    public var entityID: Int64
    public var entity: EntityRef
    public var mentionCount: Int
    public var articleCount: Int
    /// Earliest and latest `date` of the articles mentioning it (nil when none has a date).
    public var firstDate: String?
    public var lastDate: String?
}

/// Two entities that appear in the same articles. `first.key < second.key`.
public struct CooccurrencePair: Sendable, Hashable {
    public var firstID: Int64
    public var first: EntityRef
    public var secondID: Int64
    public var second: EntityRef
    /// n_xy: articles mentioning both.
    public var articleCount: Int
    /// n_x, n_y: articles mentioning each (restricted to the requested types, like the pairs).
    public var firstArticleCount: Int
    public var secondArticleCount: Int
    /// N: all articles in the store.
    public var totalArticles: Int
    /// ln(p(x,y) / (p(x) p(y))) with probabilities over articles.
    public var pmi: Double
    /// PMI / −ln p(x,y), in [−1, 1]; 1 when p(x,y) = 1.
    public var npmi: Double
}

public struct StoreStats: Sendable, Hashable {
    public var articles: Int
    public var entities: Int
    public var mentions: Int
    public var topics: Int
    public var runs: Int
}
