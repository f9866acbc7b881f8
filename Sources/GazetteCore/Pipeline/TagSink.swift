/// Where tagged articles go. The tag store implements it; the pipeline only knows this protocol, so
/// data flows one way (files → articles → stages → sink) and `GazetteCore` never touches SQL.
///
/// `TagRun` calls a sink from one task at a time, never concurrently.
public protocol TagSink: AnyObject, Sendable {
    /// What is already stored, asked a few files at a time, to skip articles that have not changed
    /// (or make only part of their tags again). Called twice per run, before `beginRun`: the run
    /// asks one lookup about its files from its one coordinating task, and the other about the
    /// articles of each piece of a JSON-lines file (one piece at a time), while `save` writes.
    func storedFingerprints() throws -> any FingerprintLookup
    func beginRun(configHash: String, pipelineVersion: String) throws -> Int64
    /// Stores a batch in one transaction: every article's row, mentions, topics and text commit
    /// together, replacing what was stored for the same key (never doubling it), except the kinds
    /// of tags a document keeps (`ArticleDocument.kept`), which stay as stored.
    func save(_ documents: [ArticleDocument], pipelineHash: String, runID: Int64, keepText: Bool) throws
    func finishRun(id: Int64, status: RunStatus, counts: RunCounts) throws
    /// Records the stamps of whole-file articles found unchanged by their bytes, each only where
    /// the article's stored content hash is still the update's (another writer may have stored
    /// other bytes meanwhile). Called from the writer, between batches.
    func recordFileStamps(_ updates: [FileStampUpdate]) throws
}

extension TagSink {
    /// A sink that keeps no stamps reads every file again, as before stamps.
    public func recordFileStamps(_ updates: [FileStampUpdate]) throws {}
}

/// The identity of what was stored for an article: if both hashes match, tagging again would give
/// the same tags, so the article is skipped.
public struct ArticleFingerprint: Sendable, Hashable {
    public var contentHash: String
    public var pipelineHash: String
    /// The stamp of the article's file when its bytes were last read (whole-file articles only):
    /// the file still has it, so it still holds the bytes `contentHash` was made from.
    public var fileStamp: FileStamp?

    public init(contentHash: String, pipelineHash: String, fileStamp: FileStamp? = nil) {
        self.contentHash = contentHash
        self.pipelineHash = pipelineHash
        self.fileStamp = fileStamp
    }
}

/// The stamp a whole-file article's file has now, found to hold the bytes stored for it: recorded
/// so that the next run skips the file unread (`TagSink.recordFileStamps`).
public struct FileStampUpdate: Sendable, Equatable {
    public var key: String
    public var contentHash: String
    public var stamp: FileStamp

    public init(key: String, contentHash: String, stamp: FileStamp) {
        self.key = key
        self.contentHash = contentHash
        self.stamp = stamp
    }
}

/// The fingerprints a sink has stored, asked a few files at a time (or, for a JSON-lines file, a
/// piece's articles at a time).
///
/// A lookup rather than a dictionary loaded up front: a run's memory then does not grow with the
/// store. A dictionary of every stored article's key and hashes held about 900 bytes an article
/// (peak RSS of an unchanged re-run: 139 MB for 44,500 articles, 253 MB for 178,000), so 2.7 GB
/// for an archive of 3 million before a single file was read.
///
/// A run asks for each file once, just before reading it, and never stores two articles under one
/// key (keys are paths, or a path and a line's id, which `DuplicateIDs` keeps unique in a file):
/// so the answers for a run's files are what was stored before the run, though it writes meanwhile.
public protocol FingerprintLookup {
    /// For each of `paths`, in order, the fingerprints stored for the articles of that file, by
    /// article key: its whole-file article is stored under the path itself, its JSON lines under
    /// `path#id` (keys of other files may come along; callers look up their own keys). May answer
    /// only the first files (at least one, when `paths` is not empty), to bound what one answer
    /// holds; the caller asks again for the rest.
    func fingerprints(ofFiles paths: [String]) throws -> [[String: ArticleFingerprint]]

    /// The fingerprints stored under `keys` (a key with none stored is absent). A run asks this
    /// for the articles of each piece of a JSON-lines file (`FeedInProgress`), rather than a whole
    /// file's at once: a news dump may hold millions of articles. The run calls it from one task at
    /// a time, on a lookup of its own (`TagSink.storedFingerprints()` asked a second time).
    func fingerprints(ofKeys keys: [String]) throws -> [String: ArticleFingerprint]
}

/// The lookup of a sink that keeps nothing between runs, or of an empty store.
public struct NoStoredFingerprints: FingerprintLookup {
    public init() {}
    public func fingerprints(ofFiles paths: [String]) throws -> [[String: ArticleFingerprint]] {
        paths.map { _ in [:] }
    }

    public func fingerprints(ofKeys keys: [String]) throws -> [String: ArticleFingerprint] { [:] }
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
