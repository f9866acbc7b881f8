import GazetteCore

/// A store's fingerprints, asked file by file by a tag run's coordinating task while the run's
/// writer commits on another thread.
///
/// A read-only connection of its own (the writer's connection is busy in `save` on another
/// thread; WAL lets this one read meanwhile). A file's articles are one range of the `articles`
/// key index: `path` itself and `path#…` (`#` sorts right before `$`).
///
/// Each read transaction spans up to `filesPerTransaction` files or `transactionSeconds`: one
/// per file cost about 4 µs in file locks on the WAL index (fcntl) beside the 1 µs lookup. It is
/// kept short because while it is open the writer's checkpoints cannot empty the WAL; it ends when
/// the lookup is released, which the run does once every file was asked for.
final class StoredFingerprintLookup: FingerprintLookup {
    private let connection: SQLiteConnection
    private let select: SQLiteStatement
    private let clock = ContinuousClock()
    private var transactionStart: ContinuousClock.Instant?
    private var filesInTransaction = 0

    static let filesPerTransaction = 256
    static let transactionSeconds = 0.02

    /// SQLite page cache of the lookup's connection: the inner pages of the key index and the
    /// leaves recently read, not the whole store (the writer's own cache is 128 MiB).
    static let cacheKibibytes = 8192

    init(path: String, busyTimeoutMilliseconds: Int32) throws {
        connection = try SQLiteConnection(path: path, readOnly: true, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
        try connection.execute("PRAGMA cache_size = \(-Self.cacheKibibytes)", operation: "set lookup cache size")
        select = try connection.prepare(
            "SELECT key, content_hash, pipeline_hash FROM articles WHERE key >= ?1 AND key < ?2",
            operation: "prepare fingerprint lookup")
    }

    deinit {
        select.reset()
        if transactionStart != nil { try? connection.execute("COMMIT", operation: "end fingerprint lookups") }
    }

    func fingerprints(ofFile path: String) throws -> [String: ArticleFingerprint] {
        let operation = "look up the stored hashes of '\(path)'"
        if let start = transactionStart,
           filesInTransaction >= Self.filesPerTransaction || clock.now - start > .seconds(Self.transactionSeconds) {
            transactionStart = nil
            try connection.execute("COMMIT", operation: operation)
        }
        if transactionStart == nil {
            try connection.execute("BEGIN", operation: operation)
            transactionStart = clock.now
            filesInTransaction = 0
        }
        filesInTransaction += 1
        defer { select.reset() }
        select.bind(1, path)
        select.bind(2, path + "$")
        var found: [String: ArticleFingerprint] = [:]
        while try select.step(operation: operation) {
            found[select.string(0)] = ArticleFingerprint(contentHash: select.string(1), pipelineHash: select.string(2))
        }
        return found
    }
}
