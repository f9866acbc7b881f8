/// Where tagged articles go. The tag store implements it; the pipeline only knows this protocol, so
/// data flows one way (files → articles → stages → sink) and `GazetteCore` never touches SQL.
///
/// `TagRun` calls a sink from one task at a time, never concurrently.
public protocol TagSink: AnyObject, Sendable {
    /// What is already stored, by article key, to skip articles that have not changed.
    func fingerprints() throws -> [String: ArticleFingerprint]
    func beginRun(configHash: String, pipelineVersion: String) throws -> Int64
    /// Stores a batch in one transaction: every article's row, mentions, topics and text commit
    /// together, replacing what was stored for the same key (never doubling it), except the kinds
    /// of tags a document keeps (`ArticleDocument.kept`), which stay as stored.
    func save(_ documents: [ArticleDocument], pipelineHash: String, runID: Int64, keepText: Bool) throws
    func finishRun(id: Int64, status: RunStatus, counts: RunCounts) throws
}

/// The identity of what was stored for an article: if both hashes match, tagging again would give
/// the same tags, so the article is skipped.
public struct ArticleFingerprint: Sendable, Hashable {
    public var contentHash: String
    public var pipelineHash: String

    public init(contentHash: String, pipelineHash: String) {
        self.contentHash = contentHash
        self.pipelineHash = pipelineHash
    }
}

public enum RunStatus: String, Sendable, CaseIterable {
    case running, completed, interrupted, failed
}

public struct RunCounts: Sendable, Hashable {
    public var tagged = 0
    public var skipped = 0
    public var failed = 0
    public var mentions = 0
    public var topics = 0

    public init(tagged: Int = 0, skipped: Int = 0, failed: Int = 0, mentions: Int = 0, topics: Int = 0) {
        self.tagged = tagged
        self.skipped = skipped
        self.failed = failed
        self.mentions = mentions
        self.topics = topics
    }
}
