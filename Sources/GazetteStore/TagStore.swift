import CSQLite3
import Foundation
import GazetteCore

/// The SQLite tag store: articles with their mentions, topics and (optionally) text, the entities they
/// resolve to, and the runs that wrote them. Schema and offsets are documented in `docs/schema.md`.
///
/// One `TagStore` owns one SQLite connection and its prepared statements.
///
/// `@unchecked Sendable` is safe because of how it is used, not because of locking: the pipeline hands
/// the store to a single writer task and the CLI queries it from one task, so no two calls ever run
/// at the same time. The connection is opened with `SQLITE_OPEN_NOMUTEX` on that basis. Sharing one
/// instance between concurrent tasks is a bug; open one store per task instead (SQLite coordinates
/// separate connections through its file locks and the busy timeout).
public final class TagStore: TagSink, @unchecked Sendable {
    public let path: String
    public let isReadOnly: Bool

    let connection: SQLiteConnection
    /// Prepared once, reused for every `save` call.
    private var saveStatements: SaveStatements?
    /// Query statements by SQL text, prepared on first use.
    private var queryStatements: [String: SQLiteStatement] = [:]
    /// Entities known to be committed, so `save` only touches the `entities` table for entities it
    /// has not seen (bounded: `EntityIDCache`).
    var committedEntities = EntityIDCache()
    /// Committed ids of gazetteer entities by their mentions' `GazetteerEntityHint`: a mention
    /// with a hint seen before gets its entity id without its key being hashed or its strings
    /// copied (`entityID` and the copy of its entity were ~3% of `gazette tag`). A hint names one
    /// entity of one loaded gazetteer, whose key, name and type never change, so its first id
    /// stays right. Emptied when it would pass `committedHintLimit`.
    var committedHints: [GazetteerEntityHint: Int64] = [:]
    /// 262,144 hints: ~10 MB at most, room for every entity of the shipped gazetteers (84,389).
    static let committedHintLimit = 1 << 18

    /// Opens (and, for writing, creates or upgrades) the store at `path`.
    ///
    /// - Parameters:
    ///   - readOnly: open for queries only; the file must exist and be at the current schema version.
    ///   - busyTimeout: how long a call waits for another process's lock before failing with
    ///     `StoreError.Kind.busy`.
    ///   - cacheMebibytes: SQLite page cache of this connection.
    public init(
        path: String, readOnly: Bool = false, busyTimeout: Duration = .seconds(5), cacheMebibytes: Int = 128
    ) throws {
        self.path = path
        self.isReadOnly = readOnly
        if readOnly && !FileManager.default.fileExists(atPath: path) {
            throw StoreError(
                kind: .fileNotFound, path: path, operation: "open read-only",
                message: "no store at this path (tag some articles first)")
        }
        let (seconds, attoseconds) = busyTimeout.components
        let milliseconds = max(0, min(Int64(Int32.max), seconds * 1000 + attoseconds / 1_000_000_000_000_000))
        connection = try SQLiteConnection(
            path: path, readOnly: readOnly, busyTimeoutMilliseconds: Int32(milliseconds))

        // SQLite silently falls back to a read-only open when the file is not writable; say so now
        // rather than fail on the first write of a tag run.
        if !readOnly && sqlite3_db_readonly(connection.handle, "main") == 1 {
            throw StoreError(
                kind: .sqlite(code: SQLITE_READONLY), path: path, operation: "open for writing",
                message: "the store file is read-only (no write permission); tag into another file with --db "
                    + "or make this one writable")
        }
        var version = try Self.schemaVersion(of: connection)
        if readOnly {
            // A store an older Gazette wrote is upgraded here, once, through a connection opened
            // for writing (one transaction, like any upgrade), so `show` or `cooccur` after an
            // update just work. Only a store that cannot be written stays at its version.
            var upgradeFailure = ""
            if version > 0 && version < Schema.currentVersion {
                do {
                    _ = try TagStore(path: path, busyTimeout: busyTimeout, cacheMebibytes: cacheMebibytes)
                    version = try Self.schemaVersion(of: connection)
                } catch {
                    upgradeFailure = " (upgrading it failed: \(error))"
                }
            }
            guard version == Schema.currentVersion else {
                throw StoreError(
                    kind: .needsUpgrade(found: version, supported: Schema.currentVersion), path: path,
                    operation: "open read-only",
                    message: "store has schema version \(version), this Gazette reads \(Schema.currentVersion)"
                        + upgradeFailure + "; open it for writing once to upgrade it")
            }
        } else {
            // A new store gets 32 KiB pages (only possible before WAL is on and the first table is
            // made; an existing store keeps its size). Against SQLite's 4 KiB, with the same WAL
            // bytes between checkpoints, on the 100 MB benchmark corpus: `gazette bench-store` save
            // CPU 2.43 → 2.08 s (medians of 12 saves, alternating), system time of `gazette tag`
            // 1.1–1.3 → 0.96–1.04 s (fewer WAL frames, two write calls each), the store 193 → 166 MB
            // (an article's text and its mention rows fill whole pages instead of spilling into
            // 4 KiB overflow pages); `entities`, `cooccur`, `find` and `show` as fast or faster, with
            // the same output. 64 KiB pages measured about the same.
            if version == 0 {
                try connection.execute("PRAGMA page_size = \(Self.newStorePageSize)", operation: "set page size")
            }
            // WAL lets readers (show, cooccur) run while a tag run writes; NORMAL sync is durable
            // across application crashes and loses at most the last commits on power loss.
            try connection.execute("PRAGMA journal_mode = WAL", operation: "enable WAL")
            try connection.execute("PRAGMA synchronous = NORMAL", operation: "set synchronous")
            // Checkpoint (copy the WAL into the database file, fdatasync of both) every ~40 MB of WAL
            // rather than SQLite's ~4 MB. A tag run writes ~4 MB of pages per 256 articles
            // (mostly leaves keyed by entity, of `article_entities` now and of the index it replaced
            // when this was measured: a batch touches the tail of each mentioned entity),
            // so the default checkpointed after almost every batch, copying and syncing pages that
            // the next batch dirtied again; the writer waited on those syncs. Commits are unchanged:
            // each is in the WAL when COMMIT returns, so a crash or kill loses no committed batch.
            // What grows is what NORMAL already allows to be lost on power loss: the commits since
            // the last checkpoint (now up to ~40 MB of WAL, a few thousand articles).
            let pageSize = try connection.scalarInt("PRAGMA page_size", operation: "read page size")
            try connection.execute(
                "PRAGMA wal_autocheckpoint = \(Self.walCheckpointBytes / max(512, Int(pageSize)))",
                operation: "set WAL checkpoint size")
            if version < Schema.currentVersion { try migrate() }
        }
        try connection.execute("PRAGMA foreign_keys = ON", operation: "enable foreign keys")
        try connection.execute("PRAGMA temp_store = MEMORY", operation: "set temp_store")
        // SQLite's default page cache is 2 MB; `article_entities` is written in entity order, so a
        // small cache makes inserts re-read its pages (measured with the index it replaced: 1.7x the
        // CPU time at 2 MB).
        try connection.execute("PRAGMA cache_size = \(-cacheMebibytes * 1024)", operation: "set cache size")
    }

    /// WAL bytes between automatic checkpoints (SQLite counts pages: 1,250 of 32 KiB, 10,000 of a
    /// store made with 4 KiB pages); see `init`.
    static let walCheckpointBytes = 40_960_000

    /// The page size of a new store; see `init`.
    static let newStorePageSize = 32_768

    // MARK: - Schema

    /// The schema version of a Gazette store; 0 for an empty new database. Throws for anything else.
    static func schemaVersion(of connection: SQLiteConnection, supported: Int = Schema.currentVersion) throws -> Int {
        let operation = "read schema version"
        // The first read of a file that is not SQLite fails here with SQLITE_NOTADB.
        let applicationID = Int32(truncatingIfNeeded: try connection.scalarInt("PRAGMA application_id", operation: operation))
        let version = Int(try connection.scalarInt("PRAGMA user_version", operation: operation))
        if applicationID == 0 {
            let objects = try connection.scalarInt("SELECT count(*) FROM sqlite_schema", operation: operation)
            if objects == 0 && version == 0 { return 0 }
            throw StoreError(
                kind: .notAGazetteStore, path: connection.path, operation: operation,
                message: "an SQLite database that Gazette did not create (application_id 0, \(objects) schema objects)")
        }
        guard applicationID == Schema.applicationID else {
            throw StoreError(
                kind: .notAGazetteStore, path: connection.path, operation: operation,
                message: "an SQLite database of another application (application_id "
                    + "0x\(String(UInt32(bitPattern: applicationID), radix: 16)))")
        }
        guard version <= supported else {
            throw StoreError(
                kind: .newerSchema(found: version, supported: supported), path: connection.path,
                operation: operation,
                message: "store has schema version \(version), newer than this Gazette's \(supported); "
                    + "use a newer Gazette")
        }
        return version
    }

    /// Applies the missing migration steps in ONE write transaction: a store is either upgraded to the
    /// current version or left exactly as it was (a crash, a failing step or a full disk mid-upgrade
    /// rolls every step back). The version is re-read under the write lock, so two processes opening
    /// the same store at once upgrade it once.
    private func migrate() throws {
        try Self.migrate(connection, steps: Schema.migrations)
    }

    /// `steps` is a parameter so tests can check the all-or-nothing rule with a step that fails.
    static func migrate(_ connection: SQLiteConnection, steps: [Schema.Migration]) throws {
        try connection.execute("BEGIN IMMEDIATE", operation: "begin schema migration")
        do {
            let found = try schemaVersion(of: connection, supported: steps.count)
            for version in found..<steps.count {
                let step = steps[version]
                let operation = "migrate schema from version \(found) to \(steps.count): step \(version + 1) (\(step.name))"
                for statement in step.statements {
                    try connection.execute(statement, operation: operation)
                }
            }
            if found < steps.count {
                try connection.execute("PRAGMA user_version = \(steps.count)", operation: "set schema version \(steps.count)")
            }
            try connection.execute("COMMIT", operation: "commit schema migration")
        } catch {
            if connection.isInTransaction {
                try? connection.execute("ROLLBACK", operation: "roll back schema migration")
            }
            throw error
        }
    }

    func rollbackIfNeeded() {
        if connection.isInTransaction {
            try? connection.execute("ROLLBACK", operation: "roll back")
        }
    }

    // MARK: - Runs

    /// Records the start of a tag run and returns its id.
    public func beginRun(configHash: String, pipelineVersion: String) throws -> Int64 {
        let statement = try query("""
            INSERT INTO runs (started_at, config_hash, pipeline_version, status)
            VALUES (?1, ?2, ?3, ?4)
            """)
        statement.bind(1, Self.timestamp())
        statement.bind(2, configHash)
        statement.bind(3, pipelineVersion)
        statement.bind(4, RunStatus.running.rawValue)
        try statement.run(operation: "begin run")
        return connection.lastInsertRowID
    }

    /// Records how a run ended.
    public func finishRun(id: Int64, status: RunStatus, counts: RunCounts) throws {
        let statement = try query("""
            UPDATE runs SET finished_at = ?2, status = ?3, tagged = ?4, skipped = ?5, failed = ?6,
                mentions = ?7, topics = ?8
            WHERE id = ?1
            """)
        statement.bind(1, id)
        statement.bind(2, Self.timestamp())
        statement.bind(3, status.rawValue)
        statement.bind(4, counts.tagged)
        statement.bind(5, counts.skipped)
        statement.bind(6, counts.failed)
        statement.bind(7, counts.mentions)
        statement.bind(8, counts.topics)
        try statement.run(operation: "finish run \(id)")
        guard sqlite3_changes(connection.handle) == 1 else {
            throw StoreError(
                kind: .sqlite(code: SQLITE_NOTFOUND), path: path, operation: "finish run \(id)",
                message: "no run with this id")
        }
    }

    public func run(id: Int64) throws -> StoredRun? {
        let statement = try query("""
            SELECT id, started_at, finished_at, config_hash, pipeline_version, status,
                tagged, skipped, failed, mentions, topics
            FROM runs WHERE id = ?1
            """)
        defer { statement.reset() }
        statement.bind(1, id)
        guard try statement.step(operation: "read run \(id)") else { return nil }
        return StoredRun(
            id: statement.int64(0), startedAt: statement.string(1), finishedAt: statement.optionalString(2),
            configHash: statement.string(3), pipelineVersion: statement.string(4), status: statement.string(5),
            counts: RunCounts(
                tagged: statement.int(6), skipped: statement.int(7), failed: statement.int(8),
                mentions: statement.int(9), topics: statement.int(10)))
    }

    // MARK: - Writing

    /// The lookup a tag run asks for the stored hashes of its files (`FingerprintLookup`), through
    /// a read-only connection of its own, so that it asks while this connection writes. A store
    /// without articles gives a lookup that asks nothing (a first run costs no query per file).
    public func storedFingerprints() throws -> any FingerprintLookup {
        let statement = try query("SELECT EXISTS (SELECT 1 FROM articles)")
        defer { statement.reset() }
        guard try statement.step(operation: "count stored articles"), statement.int(0) == 1 else {
            return NoStoredFingerprints()
        }
        return try StoredFingerprintLookup(path: path, busyTimeoutMilliseconds: connection.busyTimeoutMilliseconds)
    }

    /// Every stored article's key and hashes at once (for inspection and tests; a run asks a few
    /// files at a time through `storedFingerprints()`).
    public func fingerprints() throws -> [String: ArticleFingerprint] {
        let statement = try query("SELECT key, content_hash, pipeline_hash, file_stamp FROM articles")
        defer { statement.reset() }
        var result: [String: ArticleFingerprint] = [:]
        while try statement.step(operation: "read fingerprints") {
            result[statement.string(0)] = ArticleFingerprint(
                contentHash: statement.string(1), pipelineHash: statement.string(2),
                fileStamp: statement.optionalString(3).flatMap(FileStamp.init(text:)))
        }
        return result
    }

    /// Records the stamps of files found to hold their articles' stored bytes, in one transaction.
    /// An article whose content hash is no longer the update's (another writer stored other bytes
    /// meanwhile) keeps what it has.
    public func recordFileStamps(_ updates: [FileStampUpdate]) throws {
        guard !updates.isEmpty else { return }
        let operation = "record the file stamps of \(updates.count) unchanged articles"
        let update = try query("UPDATE articles SET file_stamp = ?1 WHERE key = ?2 AND content_hash = ?3")
        try connection.execute("BEGIN IMMEDIATE", operation: operation)
        do {
            for item in updates {
                update.bind(1, item.stamp.text)
                update.bind(2, item.key)
                update.bind(3, item.contentHash)
                try update.run(operation: operation)
            }
            try connection.execute("COMMIT", operation: operation)
        } catch {
            rollbackIfNeeded()
            throw error
        }
    }

    /// Writes a batch of tagged documents in one transaction.
    ///
    /// An article whose key is already stored keeps its id; its row is updated and its mentions,
    /// topics and text are replaced. On any error nothing of the batch is kept.
    ///
    /// - Parameter storeText: also store each article's decoded text (for `show` context); when
    ///   false, a previously stored text of a re-saved article is removed, since its offsets would
    ///   no longer match.
    public func save(_ documents: [ArticleDocument], pipelineHash: String, runID: Int64, keepText storeText: Bool) throws {
        let statements = try preparedSaveStatements()
        let taggedAt = Self.timestamp()
        // Every reference `save` writes holds by construction: a mention's or topic's article id
        // comes from the insert or update of that article in this transaction, and an entity id
        // from its upsert here or from an earlier commit (Gazette never deletes an article or an
        // entity row). Enforcing foreign keys would add two B-tree searches per mention to prove
        // it again, ~20% of a save (`gazette bench-store`: 4.0–5.1 → 3.3–4.2 s CPU for 102 MB).
        // The pragma is a no-op inside a transaction, so it is switched around the batch, and back
        // on however the batch ends: every other statement on this connection keeps the checks.
        try connection.execute("PRAGMA foreign_keys = OFF", operation: "begin saving \(documents.count) articles")
        defer { try? connection.execute("PRAGMA foreign_keys = ON", operation: "end saving") }
        try connection.execute("BEGIN IMMEDIATE", operation: "begin saving \(documents.count) articles")
        // Entities created in this transaction become known only after COMMIT: a rollback removes
        // their rows, and caching their ids earlier would hand out ids that no longer exist.
        var pendingEntities: [String: EntityIDCache.Entry] = [:]
        var pendingHints: [GazetteerEntityHint: Int64] = [:]
        var articleEntities = ArticleEntityRows()
        do {
            // By index, not for-in: the loop's copy of each document retained all its strings.
            for index in documents.indices {
                try write(
                    documents[index], statements: statements, pipelineHash: pipelineHash, runID: runID,
                    taggedAt: taggedAt, storeText: storeText, pendingEntities: &pendingEntities,
                    pendingHints: &pendingHints, articleEntities: &articleEntities)
            }
            try insertArticleEntities(
                articleEntities.sorted(), with: statements.insertArticleEntities,
                operation: "save the article entities of \(documents.count) articles")
            try connection.execute("COMMIT", operation: "commit \(documents.count) articles")
        } catch {
            rollbackIfNeeded()
            throw error
        }
        for (key, entry) in pendingEntities { committedEntities.insert(entry, for: key) }
        if committedHints.count + pendingHints.count > Self.committedHintLimit { committedHints.removeAll() }
        committedHints.merge(pendingHints) { _, new in new }
    }

    /// Drops the cache of committed entities, after entities were written other than through `save`.
    func forgetCommittedEntities() {
        committedEntities.removeAll()
        committedHints.removeAll()
    }

    private func write(
        _ document: ArticleDocument, statements: SaveStatements, pipelineHash: String, runID: Int64,
        taggedAt: String, storeText: Bool, pendingEntities: inout [String: EntityIDCache.Entry],
        pendingHints: inout [GazetteerEntityHint: Int64], articleEntities: inout ArticleEntityRows
    ) throws {
        // The article is read through `document` (borrowed), not bound to a local: a local copy
        // retained and released each of its strings, ~0.5% of `gazette tag`. The operation's name
        // is made only for an error message, and its function captures only the key: capturing
        // `document` copied the whole document (retaining its ~20 references, then releasing them)
        // for every autoclosure made from it, once per mention (measured: ~1% of `gazette tag`).
        let articleKey = document.article.key
        func operation() -> String { "save article '\(articleKey)'" }

        // Tags of a kind in `document.kept` are not in the document: the stored ones stay. They are
        // vouched for (the article gets `pipelineHash`) only if the article is still as the run
        // found it; if another writer changed it meanwhile, it gets an empty pipeline hash, so the
        // next run tags it whole.
        let kept = document.kept
        var pipelineHash = pipelineHash
        if !kept.isEmpty {
            let select = statements.selectFingerprint
            select.bind(1, document.article.key)
            defer { select.reset() }
            let unchanged = try select.step(operation: operation())
                && select.string(0) == document.article.contentHash && select.string(1) == document.keptFrom
            if !unchanged { pipelineHash = "" }
        }
        // With the article's mentions view, which the next run compares (`Pipeline.storedHash`).
        if !pipelineHash.isEmpty { pipelineHash = Pipeline.storedHash(pipelineHash, mentionsView: document.mentionsView) }

        let mentions = kept.contains(.mentions) ? [] : document.mentions
        var entityIDs: [Int64] = []
        entityIDs.reserveCapacity(mentions.count)
        // Mentions are read in place, field by field: a `Mention` copied out of the array (a
        // for-in loop, a local `let`) retained its three strings and released them again
        // (measured: ~1% of `gazette tag`). The entity passed to `entityID` is still copied (its
        // key and name retained, on this core, strings a worker's core made: the disassembly of
        // `write` shows the copies, from the unsafe buffer's element as from the array's), which
        // is why a mention with a committed hint skips that call.
        try mentions.withUnsafeBufferPointer { mentions in
            for index in mentions.indices {
                let hint = mentions[index].gazetteerEntity
                if let hint, let id = committedHints[hint] ?? pendingHints[hint] {
                    entityIDs.append(id)
                    continue
                }
                let id = try self.entityID(
                    for: mentions[index].entity, statements: statements, pendingEntities: &pendingEntities,
                    operation: operation())
                if let hint { pendingHints[hint] = id }
                entityIDs.append(id)
            }
        }
        // Set when the article's stored mentions are already exactly `mentions`.
        var mentionsStored = false

        // A new key is inserted; only a key already stored (a re-saved article) has old tags, text
        // and row values to replace. New articles are the bulk of a tag run; the three deletes
        // that find nothing for them were three of the ~27 statements run per article.
        //
        // A just-inserted id has no mentions, topics or text: those rows are only ever written by
        // `save` and `merge` for an article row they have just written, and Gazette never deletes an
        // article row (deletes of tags go by article id, with the article row kept), so its id is
        // never handed out again.
        let insert = statements.insertArticle
        bindArticleColumns(insert, document.article, pipelineHash: pipelineHash, taggedAt: taggedAt, runID: runID)
        try insert.run(operation: operation())
        let inserted = sqlite3_changes(connection.handle) == 1
        var articleID = inserted ? connection.lastInsertRowID : 0
        if !inserted {
            let update = statements.updateArticle
            bindArticleColumns(update, document.article, pipelineHash: pipelineHash, taggedAt: taggedAt, runID: runID)
            try update.run(operation: operation())
            articleID = try storedID(of: document.article.key, with: statements.selectArticleID, operation: operation()) {
                "article insert found the key taken, but no row has it"
            }
            // The re-saved article's old tags go, but for kept kinds; its entity rows first: they
            // are found through its mentions (the table is keyed entity first). Its old text goes
            // unless it is kept below.
            var deletes: [SQLiteStatement] = []
            if !kept.contains(.mentions) {
                // After a gazetteer edit most articles get the mentions they had: those are left
                // as stored, which reads them once instead of deleting and writing again each
                // mention and article-entity row (and their pages, to the WAL and the database).
                mentionsStored = try storedMentions(
                    of: articleID, equal: mentions, entityIDs: entityIDs, statements: statements, operation: operation())
                if !mentionsStored {
                    deletes += [statements.deleteArticleEntities, statements.deleteMentions]
                    // Rows of an earlier save of it in this batch are not in the table yet.
                    articleEntities.removeRows(of: articleID)
                }
            }
            if !kept.contains(.topics) { deletes.append(statements.deleteTopics) }
            if !storeText { deletes.append(statements.deleteText) }
            for delete in deletes {
                delete.bind(1, articleID)
                try delete.run(operation: operation())
            }
        }

        if storeText {
            // A re-saved article's text is mostly the same (re-tagged after a gazetteer or model
            // change): it is rewritten only when it differs, which reads the old text instead of
            // writing the new one to the WAL and again at the checkpoint. With its mentions kept,
            // the article's text is the one they were found in (same content hash), so a stored
            // text stays without being read: their offsets point into it.
            let write = kept.contains(.mentions) ? statements.insertTextIfAbsent : statements.upsertText
            write.bind(1, articleID)
            write.bind(2, document.article.text)
            try write.run(operation: operation())
        }

        if !mentionsStored {
            try insertRows(mentions.count, with: statements.insertMentions, articleID: articleID, operation: operation()) {
                insert, row, parameter in
                insert.bind(parameter, entityIDs[row])
                insert.bind(parameter + 1, mentions[row].start)
                insert.bind(parameter + 2, mentions[row].end)
                insert.bind(parameter + 3, mentions[row].surface)
            }

            // The article's entities with their mention counts, in entity order.
            entityIDs.sort()
            var entities: [(id: Int64, mentions: Int)] = []
            entities.reserveCapacity(entityIDs.count)
            for id in entityIDs {
                if entities.last?.id == id { entities[entities.count - 1].mentions += 1 } else { entities.append((id, 1)) }
            }
            articleEntities.append(entities, of: articleID)
        }

        let insertTopic = statements.insertTopic
        for topic in kept.contains(.topics) ? [] : document.topics {
            insertTopic.bind(1, articleID)
            insertTopic.bind(2, topic.label)
            insertTopic.bind(3, topic.score)
            try insertTopic.run(operation: operation())
        }
    }

    /// Whether the mentions stored for `articleID` are exactly `mentions` (their entities' ids in
    /// `entityIDs`): the same rows, compared in key order (start, then entity id).
    private func storedMentions(
        of articleID: Int64, equal mentions: [Mention], entityIDs: [Int64], statements: SaveStatements,
        operation: @autoclosure () -> String
    ) throws -> Bool {
        let order = mentions.indices.sorted { (mentions[$0].start, entityIDs[$0]) < (mentions[$1].start, entityIDs[$1]) }
        let select = statements.selectMentions
        select.bind(1, articleID)
        defer { select.reset() }
        var row = 0
        while try select.step(operation: operation()) {
            guard row < order.count else { return false }
            let index = order[row]
            guard select.int64(0) == entityIDs[index], select.int(1) == mentions[index].start,
                  select.int(2) == mentions[index].end, select.text(3, equals: mentions[index].surface) else { return false }
            row += 1
        }
        return row == order.count
    }

    /// Inserts `count` rows of one article through `statements`, multi-row inserts by row count
    /// (`rowsPerInsert`), the largest that fits first: an article has ~20 mentions, and each
    /// statement run costs a step, a reset and its setup on top of its rows (measured: ~10% of a
    /// save with one statement per mention). ?1 is the article id; `bindRow(statement, row,
    /// first)` binds row `row` from parameter `first` on.
    private func insertRows(
        _ count: Int, with statements: [Int: SQLiteStatement], articleID: Int64, operation: @autoclosure () -> String,
        bindRow: (SQLiteStatement, Int, Int32) -> Void
    ) throws {
        var next = 0
        while next < count {
            let size = Self.rowsPerInsert.first { $0 <= count - next }!
            let insert = statements[size]!
            insert.bind(1, articleID)
            let perRow = Int32(insert.parameterCount - 1) / Int32(size)
            for row in 0..<size {
                bindRow(insert, next + row, 2 + perRow * Int32(row))
            }
            try insert.run(operation: operation())
            next += size
        }
    }

    /// Binds ?1…?12 of the article insert and update statements.
    private func bindArticleColumns(
        _ statement: SQLiteStatement, _ article: Article, pipelineHash: String, taggedAt: String, runID: Int64
    ) {
        statement.bind(1, article.key)
        statement.bind(2, article.path)
        statement.bind(3, article.line)
        statement.bind(4, article.sourceID)
        statement.bind(5, article.contentHash)
        statement.bind(6, pipelineHash)
        statement.bind(7, article.title)
        statement.bind(8, article.date)
        statement.bind(9, article.byteSize)
        statement.bind(10, taggedAt)
        statement.bind(11, runID)
        statement.bind(12, article.fileStamp?.text)
    }

    /// The row id of an entity, inserting it (or updating its name/type) when the cache has no
    /// matching entry.
    private func entityID(
        for entity: EntityRef, statements: SaveStatements, pendingEntities: inout [String: EntityIDCache.Entry],
        operation: @autoclosure () -> String
    ) throws -> Int64 {
        // The recent committed entities first: in a long run nearly every mention names one of
        // them, and each lookup hashes the key. (The order changes no answer: a key has one id,
        // and an entry is used only when its name and type are the mention's.)
        func matches(_ known: EntityIDCache.Entry) -> Bool { known.name == entity.name && known.type == entity.type }
        if let known = committedEntities.recent[entity.key], matches(known) { return known.id }
        if let known = pendingEntities[entity.key], matches(known) { return known.id }
        if let known = committedEntities.older[entity.key], matches(known) {
            // Entered again at commit, as recent: an entity articles keep naming stays cached.
            pendingEntities[entity.key] = known
            return known.id
        }
        let insert = statements.insertEntity
        insert.bind(1, entity.key)
        insert.bind(2, entity.name)
        insert.bind(3, entity.type.rawValue)
        try insert.run(operation: operation())
        let id: Int64
        if sqlite3_changes(connection.handle) == 1 {
            id = connection.lastInsertRowID
        } else {
            // Stored already: its id, and its name and type brought up to date.
            id = try storedID(of: entity.key, with: statements.selectEntityID, operation: operation()) {
                "entity insert found the key taken, but no row has it"
            }
            let update = statements.updateEntity
            update.bind(1, id)
            update.bind(2, entity.name)
            update.bind(3, entity.type.rawValue)
            try update.run(operation: operation())
        }
        pendingEntities[entity.key] = EntityIDCache.Entry(id: id, name: entity.name, type: entity.type)
        return id
    }

    /// The id `select` finds for `key` (?1), which an insert has just found taken.
    private func storedID(
        of key: String, with select: SQLiteStatement, operation: @autoclosure () -> String, missing: () -> String
    ) throws -> Int64 {
        select.bind(1, key)
        defer { select.reset() }
        guard try select.step(operation: operation()) else {
            throw StoreError(kind: .sqlite(code: SQLITE_INTERNAL), path: path, operation: operation(), message: missing())
        }
        return select.int64(0)
    }

    /// How an entity row already stored takes a new name and type. A gazetteer entity takes the
    /// latest (its canonical name may have changed in the TSVs). An article-local one (`local:…`)
    /// is named by how articles write it ("Theo van Gogh", "Theo Van Gogh"): it keeps the smallest
    /// spelling seen, so the stored name does not depend on the order articles are saved in — two
    /// runs with different `--jobs`, or shards merged in any order, give the same store.
    static let entityUpdateOnConflict = "name = \(keptEntityName(new: "excluded.name")), type = excluded.type"

    /// The name an entity row keeps when `new` (an SQL expression) names it again: the rule of
    /// `entityUpdateOnConflict`, for `merge`'s upsert and `save`'s update alike.
    static func keptEntityName(new: String) -> String {
        "CASE WHEN substr(key, 1, 6) = 'local:' AND name <= \(new) THEN name ELSE \(new) END"
    }

    private struct SaveStatements {
        let insertArticle: SQLiteStatement
        let updateArticle: SQLiteStatement
        let selectArticleID: SQLiteStatement
        let deleteMentions: SQLiteStatement
        let deleteTopics: SQLiteStatement
        let deleteText: SQLiteStatement
        let upsertText: SQLiteStatement
        let insertTextIfAbsent: SQLiteStatement
        let insertEntity: SQLiteStatement
        let selectEntityID: SQLiteStatement
        let updateEntity: SQLiteStatement
        /// Multi-row inserts by row count (each of `rowsPerInsert`).
        let insertMentions: [Int: SQLiteStatement]
        let insertArticleEntities: [Int: SQLiteStatement]
        let deleteArticleEntities: SQLiteStatement
        let insertTopic: SQLiteStatement
        let selectFingerprint: SQLiteStatement
        let selectMentions: SQLiteStatement
    }

    /// Row counts of the multi-row inserts, largest first.
    static let rowsPerInsert = [16, 8, 4, 2, 1]
    /// Row counts of the inserts of a batch's article-entity rows (tens of thousands in one list).
    static let articleEntityRowsPerInsert = [64, 16, 4, 1]

    /// `INSERT OR FAIL INTO table (article_id, columns…)` of `rows` rows: ?1 is the article id,
    /// shared by the rows, then one parameter per column and row.
    ///
    /// `OR FAIL`, not the default `ABORT`: an aborting statement that writes several rows must be
    /// able to undo its own rows alone, so SQLite copied every page it touched into a statement
    /// journal first (one page per entity an article mentions, in `article_entities`), and each
    /// copy cost allocations (`gazette tag`, 2,225 BBC articles: 392 → 340 calls to malloc per
    /// article with `OR FAIL`). A failing statement here never needs that: `save` rolls the whole
    /// batch back on any error, the rows this statement wrote with it.
    static func multiRowInsertSQL(_ table: String, columns: [String], rows: Int) -> String {
        let values = (0..<rows).map { row in
            let first = 2 + columns.count * row
            return "(?1, " + (first..<first + columns.count).map { "?\($0)" }.joined(separator: ", ") + ")"
        }
        return "INSERT OR FAIL INTO \(table) (article_id, \(columns.joined(separator: ", "))) VALUES "
            + values.joined(separator: ", ")
    }

    /// `INSERT OR FAIL INTO article_entities` of `rows` rows, three parameters a row (entity id,
    /// article id, mentions): unlike `multiRowInsertSQL`'s, the rows are of many articles. `OR
    /// FAIL` for the reason given there.
    static func articleEntityInsertSQL(rows: Int) -> String {
        let values = (0..<rows).map { row in "(?\(3 * row + 1), ?\(3 * row + 2), ?\(3 * row + 3))" }
        return "INSERT OR FAIL INTO article_entities (entity_id, article_id, mentions) VALUES "
            + values.joined(separator: ", ")
    }

    /// Inserts a batch's article-entity rows, given in key order, by multi-row inserts.
    private func insertArticleEntities(
        _ rows: [ArticleEntityRows.Row], with statements: [Int: SQLiteStatement], operation: String
    ) throws {
        var next = 0
        while next < rows.count {
            let size = Self.articleEntityRowsPerInsert.first { $0 <= rows.count - next }!
            let insert = statements[size]!
            for row in 0..<size {
                let parameter = Int32(3 * row + 1)
                insert.bind(parameter, rows[next + row].entity)
                insert.bind(parameter + 1, rows[next + row].article)
                insert.bind(parameter + 2, Int64(rows[next + row].mentions))
            }
            try insert.run(operation: operation)
            next += size
        }
    }

    private func preparedSaveStatements() throws -> SaveStatements {
        if let saveStatements { return saveStatements }
        let operation = "prepare save statements"
        func multiRowInserts(_ table: String, columns: [String]) throws -> [Int: SQLiteStatement] {
            try Dictionary(uniqueKeysWithValues: Self.rowsPerInsert.map { rows in
                (rows, try connection.prepare(Self.multiRowInsertSQL(table, columns: columns, rows: rows), operation: operation))
            })
        }
        let statements = SaveStatements(
            // Changes one row (the new id is the last insert rowid), or none when the key is
            // already stored. Not `RETURNING id`: SQLite gathers returned rows in a temporary
            // table, built and dropped on every run of the statement (~26 allocations per article).
            insertArticle: try connection.prepare("""
                INSERT INTO articles (key, path, line, source_id, content_hash, pipeline_hash, title, date,
                    size, tagged_at, run_id, file_stamp)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
                ON CONFLICT (key) DO NOTHING
                """, operation: operation),
            // A re-saved article keeps its id (`selectArticleID`). No `RETURNING` in these
            // statements: with it SQLite copied every page the statement touched into a statement
            // journal first, in 1 KiB pieces (temp_store is MEMORY): 32 allocations and a 32 KiB
            // copy per page (measured with the sqlite3 shell: 65 allocations a statement).
            updateArticle: try connection.prepare("""
                UPDATE articles SET path = ?2, line = ?3, source_id = ?4, content_hash = ?5, pipeline_hash = ?6,
                    title = ?7, date = ?8, size = ?9, tagged_at = ?10, run_id = ?11, file_stamp = ?12
                WHERE key = ?1
                """, operation: operation),
            selectArticleID: try connection.prepare(
                "SELECT id FROM articles WHERE key = ?1", operation: operation),
            deleteMentions: try connection.prepare(
                "DELETE FROM mentions WHERE article_id = ?1", operation: operation),
            deleteTopics: try connection.prepare(
                "DELETE FROM topics WHERE article_id = ?1", operation: operation),
            deleteText: try connection.prepare(
                "DELETE FROM article_texts WHERE article_id = ?1", operation: operation),
            upsertText: try connection.prepare("""
                INSERT INTO article_texts (article_id, text) VALUES (?1, ?2)
                ON CONFLICT (article_id) DO UPDATE SET text = excluded.text WHERE text IS NOT excluded.text
                """, operation: operation),
            insertTextIfAbsent: try connection.prepare("""
                INSERT INTO article_texts (article_id, text) VALUES (?1, ?2) ON CONFLICT (article_id) DO NOTHING
                """, operation: operation),
            // An entity is inserted (its id is the last insert rowid), or found and brought up to
            // date; the update writes only when the name or type changes.
            insertEntity: try connection.prepare(
                "INSERT INTO entities (key, name, type) VALUES (?1, ?2, ?3) ON CONFLICT (key) DO NOTHING",
                operation: operation),
            selectEntityID: try connection.prepare(
                "SELECT id FROM entities WHERE key = ?1", operation: operation),
            updateEntity: try connection.prepare("""
                UPDATE entities SET name = \(Self.keptEntityName(new: "?2")), type = ?3
                WHERE id = ?1 AND (name IS NOT \(Self.keptEntityName(new: "?2")) OR type IS NOT ?3)
                """, operation: operation),
            insertMentions: try multiRowInserts("mentions", columns: ["entity_id", "start", "\"end\"", "surface"]),
            insertArticleEntities: try Dictionary(uniqueKeysWithValues: Self.articleEntityRowsPerInsert.map { rows in
                (rows, try connection.prepare(Self.articleEntityInsertSQL(rows: rows), operation: operation))
            }),
            deleteArticleEntities: try connection.prepare("""
                DELETE FROM article_entities
                WHERE article_id = ?1 AND entity_id IN (SELECT entity_id FROM mentions WHERE article_id = ?1)
                """, operation: operation),
            insertTopic: try connection.prepare(
                "INSERT INTO topics (article_id, label, score) VALUES (?1, ?2, ?3)", operation: operation),
            selectFingerprint: try connection.prepare(
                "SELECT content_hash, pipeline_hash FROM articles WHERE key = ?1", operation: operation),
            // In key order: (article_id, start, entity_id).
            selectMentions: try connection.prepare("""
                SELECT entity_id, start, "end", surface FROM mentions WHERE article_id = ?1 ORDER BY start, entity_id
                """, operation: operation))
        saveStatements = statements
        return statements
    }

    // MARK: - Reading

    /// The article of the current row of a statement that selects `articleColumns` first.
    static func storedArticle(_ statement: SQLiteStatement) -> StoredArticle {
        StoredArticle(
            id: statement.int64(0), key: statement.string(1), path: statement.string(2),
            line: statement.optionalInt(3), sourceID: statement.optionalString(4),
            title: statement.optionalString(5), date: statement.optionalString(6), size: statement.int(7),
            contentHash: statement.string(8), pipelineHash: statement.string(9),
            taggedAt: statement.string(10),
            runID: statement.isNull(11) ? nil : statement.int64(11))
    }

    static let articleColumns = """
        id, key, path, line, source_id, title, date, size, content_hash, pipeline_hash, tagged_at, run_id
        """

    /// Finds an article by its key, its integer id, its JSON-lines `source_id`, or the absolute path
    /// of its file.
    ///
    /// An exact key match wins. Otherwise the id, source id and path matches are pooled: none gives
    /// nil, one gives that article, and several (a JSON-lines file's path, a source id used in two
    /// files, a number that is one article's id and another's source id) throw
    /// `StoreError.Kind.ambiguousArticle`.
    public func article(matching text: String) throws -> StoredArticle? {
        if let exact = try articles(where: "key = ?1", limit: 1, bind: { $0.bind(1, text) }).first {
            return exact
        }
        var candidates: [Int64: StoredArticle] = [:]
        if let id = Int64(text) {
            for article in try articles(where: "id = ?1", limit: 1, bind: { $0.bind(1, id) }) {
                candidates[article.id] = article
            }
        }
        for column in ["source_id", "path"] {
            for article in try articles(where: "\(column) = ?1", limit: 2, bind: { $0.bind(1, text) }) {
                candidates[article.id] = article
            }
        }
        if candidates.count <= 1 { return candidates.values.first }
        let total = try query("""
            SELECT count(*) FROM articles WHERE id = ?1 OR source_id = ?2 OR path = ?2
            """)
        defer { total.reset() }
        total.bind(1, Int64(text) ?? -1)
        total.bind(2, text)
        _ = try total.step(operation: "count articles matching a query")
        let matches = total.int(0)
        throw StoreError(
            kind: .ambiguousArticle(matches: matches), path: path, operation: "find article '\(text)'",
            message: "\(matches) articles match (by id, source id or path); give the article's key")
    }

    /// `where` is fixed SQL from this file; values are bound by `bind`.
    private func articles(
        where condition: String, limit: Int, bind: (SQLiteStatement) -> Void
    ) throws -> [StoredArticle] {
        let statement = try query(
            "SELECT \(Self.articleColumns) FROM articles WHERE \(condition) ORDER BY id LIMIT \(limit)")
        defer { statement.reset() }
        bind(statement)
        var result: [StoredArticle] = []
        while try statement.step(operation: "find article") {
            result.append(Self.storedArticle(statement))
        }
        return result
    }

    /// The article's mentions in text order.
    public func mentions(articleID: Int64) throws -> [StoredMention] {
        let statement = try query("""
            SELECT m.entity_id, e.key, e.name, e.type, m.start, m."end", m.surface
            FROM mentions m JOIN entities e ON e.id = m.entity_id
            WHERE m.article_id = ?1
            ORDER BY m.start, e.key
            """)
        defer { statement.reset() }
        statement.bind(1, articleID)
        var result: [StoredMention] = []
        let operation = "read mentions of article \(articleID)"
        while try statement.step(operation: operation) {
            result.append(StoredMention(
                entityID: statement.int64(0),
                entity: try entityRef(statement, key: 1, name: 2, type: 3, operation: operation),
                start: statement.int(4), end: statement.int(5), surface: statement.string(6)))
        }
        return result
    }

    /// The article's topics, highest score first.
    public func topics(articleID: Int64) throws -> [TopicScore] {
        let statement = try query(
            "SELECT label, score FROM topics WHERE article_id = ?1 ORDER BY score DESC, label")
        defer { statement.reset() }
        statement.bind(1, articleID)
        var result: [TopicScore] = []
        while try statement.step(operation: "read topics of article \(articleID)") {
            result.append(TopicScore(label: statement.string(0), score: statement.double(1)))
        }
        return result
    }

    /// The article's decoded text, if it was stored.
    public func text(articleID: Int64) throws -> String? {
        let statement = try query("SELECT text FROM article_texts WHERE article_id = ?1")
        defer { statement.reset() }
        statement.bind(1, articleID)
        guard try statement.step(operation: "read text of article \(articleID)") else { return nil }
        return statement.string(0)
    }

    /// The most mentioned entities (of one type, or all), most mentions first; ties by article
    /// count, then key. `top` ≤ 0 returns all.
    public func entities(type: EntityType? = nil, top: Int) throws -> [EntityCount] {
        // Aggregating in the inner query follows `article_entities`' (entity_id, article_id) order.
        let statement = try query("""
            SELECT e.id, e.key, e.name, e.type, c.mention_count, c.article_count, c.first_date, c.last_date
            FROM (
                SELECT x.entity_id, sum(x.mentions) AS mention_count, count(*) AS article_count,
                    min(a.date) AS first_date, max(a.date) AS last_date
                FROM article_entities x JOIN articles a ON a.id = x.article_id
                WHERE ?1 IS NULL OR x.entity_id IN (SELECT id FROM entities WHERE type = ?1)
                GROUP BY x.entity_id
            ) c
            JOIN entities e ON e.id = c.entity_id
            ORDER BY c.mention_count DESC, c.article_count DESC, e.key
            LIMIT ?2
            """)
        defer { statement.reset() }
        statement.bind(1, type?.rawValue)
        statement.bind(2, top > 0 ? top : -1)
        var result: [EntityCount] = []
        let operation = "rank entities"
        while try statement.step(operation: operation) {
            result.append(EntityCount(
                entityID: statement.int64(0),
                entity: try entityRef(statement, key: 1, name: 2, type: 3, operation: operation),
                mentionCount: statement.int(4), articleCount: statement.int(5),
                firstDate: statement.optionalString(6), lastDate: statement.optionalString(7)))
        }
        return result
    }

    /// Streams every undirected pair of entities (of the given types; all types when empty) that
    /// appear together in at least `minCount` articles, with PMI and NPMI over articles; most shared
    /// articles first, then by the pair's keys.
    ///
    /// Counting happens in SQLite: a self-join of the (article, entity) pairs (`article_entities`)
    /// grouped by entity pair, so memory does not grow with the number of pairs. The whole read runs in one
    /// snapshot, so N and the counts agree even while a tag run writes.
    public func cooccurrences(
        types: Set<EntityType>, minCount: Int, _ body: (CooccurrencePair) throws -> Void
    ) throws {
        let typeValues = types.map(\.rawValue).sorted()
        // Only placeholders are generated here; the type names are bound.
        let typeFilter = typeValues.isEmpty ? "" :
            "WHERE e.type IN (" + typeValues.indices.map { "?\($0 + 2)" }.joined(separator: ", ") + ")"
        let operation = "count co-occurrences"
        try connection.execute("BEGIN", operation: operation)
        defer { rollbackIfNeeded() }  // a read transaction: ending it by rollback changes nothing

        let total = try query("SELECT count(*) FROM articles")
        _ = try total.step(operation: operation)
        let articleCount = total.int(0)
        total.reset()

        let statement = try query("""
            WITH scoped AS MATERIALIZED (
                SELECT x.article_id, x.entity_id
                FROM article_entities x JOIN entities e ON e.id = x.entity_id
                \(typeFilter)
            ),
            entity_articles AS MATERIALIZED (
                SELECT entity_id, count(*) AS n FROM scoped GROUP BY entity_id
            ),
            pairs AS (
                SELECT x.entity_id AS x, y.entity_id AS y, count(*) AS n_xy
                FROM scoped x
                JOIN scoped y ON y.article_id = x.article_id AND y.entity_id > x.entity_id
                GROUP BY x.entity_id, y.entity_id
                HAVING count(*) >= ?1
            )
            SELECT ex.id, ex.key, ex.name, ex.type, ey.id, ey.key, ey.name, ey.type, p.n_xy, nx.n, ny.n
            FROM pairs p
            JOIN entities ex ON ex.id = p.x
            JOIN entities ey ON ey.id = p.y
            JOIN entity_articles nx ON nx.entity_id = p.x
            JOIN entity_articles ny ON ny.entity_id = p.y
            ORDER BY p.n_xy DESC, min(ex.key, ey.key), max(ex.key, ey.key)
            """)
        defer { statement.reset() }
        statement.bind(1, max(1, minCount))
        for (offset, value) in typeValues.enumerated() {
            statement.bind(Int32(offset + 2), value)
        }
        while try statement.step(operation: operation) {
            var first = (id: statement.int64(0),
                         entity: try entityRef(statement, key: 1, name: 2, type: 3, operation: operation),
                         count: statement.int(9))
            var second = (id: statement.int64(4),
                          entity: try entityRef(statement, key: 5, name: 6, type: 7, operation: operation),
                          count: statement.int(10))
            if second.entity.key < first.entity.key { swap(&first, &second) }
            let together = statement.int(8)
            let (pmi, npmi) = Self.pointwiseMutualInformation(
                together: together, first: first.count, second: second.count, total: articleCount)
            try body(CooccurrencePair(
                firstID: first.id, first: first.entity, secondID: second.id, second: second.entity,
                articleCount: together, firstArticleCount: first.count, secondArticleCount: second.count,
                totalArticles: articleCount, pmi: pmi, npmi: npmi))
        }
    }

    /// PMI and NPMI of two events counted over `total` articles.
    static func pointwiseMutualInformation(together: Int, first: Int, second: Int, total: Int) -> (pmi: Double, npmi: Double) {
        let n = Double(total)
        let pXY = Double(together) / n
        let pmi = log(pXY / ((Double(first) / n) * (Double(second) / n)))
        let npmi = pXY == 1 ? 1 : pmi / -log(pXY)
        return (pmi, npmi)
    }

    /// Row counts of every table.
    public func stats() throws -> StoreStats {
        let statement = try query("""
            SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM entities),
                (SELECT count(*) FROM mentions), (SELECT count(*) FROM topics), (SELECT count(*) FROM runs)
            """)
        defer { statement.reset() }
        _ = try statement.step(operation: "count rows")
        return StoreStats(
            articles: statement.int(0), entities: statement.int(1), mentions: statement.int(2),
            topics: statement.int(3), runs: statement.int(4))
    }

    // MARK: - Helpers

    /// A cached prepared statement for fixed SQL, reset and ready to bind.
    func query(_ sql: String) throws -> SQLiteStatement {
        if let statement = queryStatements[sql] {
            statement.reset()
            return statement
        }
        let statement = try connection.prepare(sql, operation: "prepare query")
        queryStatements[sql] = statement
        return statement
    }

    func entityRef(
        _ statement: SQLiteStatement, key: Int32, name: Int32, type: Int32, operation: String
    ) throws -> EntityRef {
        let typeName = statement.string(type)
        guard let entityType = EntityType(rawValue: typeName) else {
            throw StoreError(
                kind: .sqlite(code: SQLITE_MISMATCH), path: path, operation: operation,
                message: "entity '\(statement.string(key))' has unknown type '\(typeName)'")
        }
        return EntityRef(key: statement.string(key), name: statement.string(name), type: entityType)
    }

    private static func timestamp() -> String {
        Date.now.ISO8601Format()
    }
}

/// A batch's `article_entities` rows, inserted together at its end in key order (entity, then
/// article), not article by article. The table is keyed entity first, so an article's rows land
/// all over it, one B-tree descent through cold pages each; in key order, consecutive rows go
/// to the same or the next leaf. Measured with `gazette bench-store Benchmarks/work/corpus`
/// (102 MB, 480,040 rows): save CPU 1.55–1.64 → 1.37–1.49 s.
struct ArticleEntityRows {
    struct Row {
        var entity: Int64
        var article: Int64
        var mentions: Int
    }

    private var rows: [Row] = []
    /// Articles with rows here, so that an article saved twice in one batch keeps only its last.
    private var articles: Set<Int64> = []

    /// The rows of `article`: one per entity, with its mention count.
    mutating func append(_ entities: [(id: Int64, mentions: Int)], of article: Int64) {
        guard !entities.isEmpty else { return }
        for entity in entities { rows.append(Row(entity: entity.id, article: article, mentions: entity.mentions)) }
        articles.insert(article)
    }

    /// Drops the rows of `article` (saved again in the batch, with other mentions).
    mutating func removeRows(of article: Int64) {
        if articles.remove(article) != nil { rows.removeAll { $0.article == article } }
    }

    /// The rows in key order.
    func sorted() -> [Row] {
        rows.sorted { ($0.entity, $0.article) < ($1.entity, $1.article) }
    }
}
