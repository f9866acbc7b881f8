import GazetteCore

/// A store's fingerprints, asked a few files at a time by a tag run's coordinating task while the
/// run's writer commits on another thread.
///
/// A read-only connection of its own (the writer's connection is busy in `save` on another
/// thread; WAL lets this one read meanwhile). A file's articles are one range of the `articles`
/// key index: `path` itself and `path#…` (`#` sorts right before `$`).
///
/// The files of one call are read in one transaction, ended before the call returns: one
/// transaction per file cost about 4 µs in file locks on the WAL index (fcntl) beside the 1 µs
/// lookup, and a transaction left open between calls would keep the writer from starting the WAL
/// over after a checkpoint (`UpcomingFiles`). One call holds at most `fingerprintsPerCall`
/// fingerprints beyond its first file (a folder of large JSON-lines files has thousands each).
final class StoredFingerprintLookup: FingerprintLookup {
    private let connection: SQLiteConnection
    private let select: SQLiteStatement
    private let selectKey: SQLiteStatement
    let fingerprintsPerCall: Int

    /// SQLite page cache of the lookup's connection: the inner pages of the key index and the
    /// leaves recently read, not the whole store (the writer's own cache is 128 MiB).
    static let cacheKibibytes = 8192

    init(path: String, busyTimeoutMilliseconds: Int32, fingerprintsPerCall: Int = 16_384) throws {
        self.fingerprintsPerCall = fingerprintsPerCall
        connection = try SQLiteConnection(path: path, readOnly: true, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
        try connection.execute("PRAGMA cache_size = \(-Self.cacheKibibytes)", operation: "set lookup cache size")
        select = try connection.prepare(
            "SELECT key, content_hash, pipeline_hash, file_stamp FROM articles WHERE key >= ?1 AND key < ?2",
            operation: "prepare fingerprint lookup")
        selectKey = try connection.prepare(
            "SELECT content_hash, pipeline_hash FROM articles WHERE key = ?1", operation: "prepare fingerprint lookup by key")
    }

    /// One transaction for all the keys (a piece of a JSON-lines file: a few hundred articles).
    func fingerprints(ofKeys keys: [String]) throws -> [String: ArticleFingerprint] {
        guard let first = keys.first else { return [:] }
        let operation = "look up the stored hashes of '\(first)'" + (keys.count > 1 ? " and \(keys.count - 1) more articles" : "")
        try connection.execute("BEGIN", operation: operation)
        defer {
            selectKey.reset()
            try? connection.execute("COMMIT", operation: operation)
        }
        var found: [String: ArticleFingerprint] = [:]
        for key in keys {
            defer { selectKey.reset() }
            selectKey.bind(1, key)
            if try selectKey.step(operation: operation) {
                found[key] = ArticleFingerprint(contentHash: selectKey.string(0), pipelineHash: selectKey.string(1))
            }
        }
        return found
    }

    func fingerprints(ofFiles paths: [String]) throws -> [[String: ArticleFingerprint]] {
        guard let first = paths.first else { return [] }
        let operation = "look up the stored hashes of '\(first)'" + (paths.count > 1 ? " and \(paths.count - 1) more files" : "")
        try connection.execute("BEGIN", operation: operation)
        defer {
            select.reset()
            try? connection.execute("COMMIT", operation: operation)
        }
        var answers: [[String: ArticleFingerprint]] = []
        var held = 0
        for path in paths {
            if !answers.isEmpty && held >= fingerprintsPerCall { break }
            defer { select.reset() }
            select.bind(1, path)
            select.bind(2, path + "$")
            var found: [String: ArticleFingerprint] = [:]
            while try select.step(operation: "look up the stored hashes of '\(path)'") {
                found[select.string(0)] = ArticleFingerprint(
                    contentHash: select.string(1), pipelineHash: select.string(2),
                    fileStamp: select.optionalString(3).flatMap(FileStamp.init(text:)))
            }
            held += found.count
            answers.append(found)
        }
        return answers
    }
}
