import CSQLite3
import Foundation
import GazetteCore

/// A store's fingerprints asked one key at a time, from many tasks at once.
///
/// Each lookup takes an idle read-only connection (opened when none is idle, so there are at most
/// as many as lookups ever ran at once, one per core), asks the `articles` key index, and gives the
/// connection back. A connection is never used by two threads at once (they are opened without
/// SQLite's mutex, like the store's own). Each lookup is its own short read transaction, ended by
/// the statement's reset: WAL lets it run while the tag run's writer commits, and a read
/// transaction held open would stop checkpoints from emptying the WAL.
final class StoredFingerprintLookup: FingerprintLookup, @unchecked Sendable {
    private let path: String
    private let busyTimeoutMilliseconds: Int32
    private let lock = NSLock()
    private var idle: [Reader] = []

    /// SQLite page cache of each reader: the inner pages of the key index and the rows' pages
    /// recently read, not the whole store (the writer's own cache is 128 MiB).
    static let readerCacheKibibytes = 4096

    private final class Reader {
        let connection: SQLiteConnection
        let select: SQLiteStatement

        init(path: String, busyTimeoutMilliseconds: Int32) throws {
            connection = try SQLiteConnection(path: path, readOnly: true, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
            try connection.execute(
                "PRAGMA cache_size = \(-StoredFingerprintLookup.readerCacheKibibytes)", operation: "set reader cache size")
            select = try connection.prepare(
                "SELECT content_hash, pipeline_hash FROM articles WHERE key = ?1", operation: "prepare fingerprint lookup")
        }
    }

    init(path: String, busyTimeoutMilliseconds: Int32) {
        self.path = path
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
    }

    func fingerprint(of key: String) throws -> ArticleFingerprint? {
        let reader = try lock.withLock { idle.popLast() } ?? Reader(path: path, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
        defer { lock.withLock { idle.append(reader) } }
        let select = reader.select
        defer { select.reset() }
        select.bind(1, key)
        guard try select.step(operation: "look up the stored hashes of '\(key)'") else { return nil }
        return ArticleFingerprint(contentHash: select.string(0), pipelineHash: select.string(1))
    }
}
