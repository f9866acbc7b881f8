import Foundation

/// A `TagSink` that keeps the tagged documents in memory instead of a database: what evaluation
/// uses, so that it runs exactly the reading and tagging path of `gazette tag`.
public final class CollectingSink: TagSink, @unchecked Sendable {
    // TagRun calls a sink from one task at a time; the lock only guards reads from other threads.
    private let lock = NSLock()
    private var collected: [ArticleDocument] = []
    private var runs: Int64 = 0

    public init() {}

    public var documents: [ArticleDocument] {
        lock.lock()
        defer { lock.unlock() }
        return collected
    }

    public func storedFingerprints() throws -> any FingerprintLookup { NoStoredFingerprints() }

    public func beginRun(configHash: String, pipelineVersion: String) throws -> Int64 {
        lock.lock()
        defer { lock.unlock() }
        runs += 1
        return runs
    }

    public func save(_ documents: [ArticleDocument], pipelineHash: String, runID: Int64, keepText: Bool) throws {
        lock.lock()
        defer { lock.unlock() }
        collected.append(contentsOf: documents)
    }

    public func finishRun(id: Int64, status: RunStatus, counts: RunCounts) throws {}
}
