import CSQLite3
import Foundation
import GazetteCore

/// Merging shard stores (made on different machines) into this one.
extension TagStore {
    public struct MergeSummary: Sendable, Hashable {
        public var merged = 0
        /// Articles already here with the same content (same key and hash, or the same hash under
        /// another key).
        public var skipped = 0
        public var mentions = 0
        public var topics = 0
    }

    /// Copies every article of `shard` not already here, with its mentions, topics and stored text.
    /// Articles are deduplicated by content hash: an article whose hash is stored (under its own key
    /// or another), or that an earlier article of the shard already brings, is skipped; a stored key
    /// with a different hash is replaced by the shard's tags (keeping its article id). Entities are
    /// reconciled by canonical key, taking the shard's name and type, as `save` does.
    ///
    /// The shard is attached to this connection and copied with set-based SQL in one transaction,
    /// so a shard is merged whole or not at all. (Reading each article through Swift and saving it
    /// again took one query per article and held every article row in memory: 1M articles took
    /// 140 s of CPU and 0.8 GB; see docs/scaling.md.)
    public func merge(_ shard: TagStore, runID: Int64) throws -> MergeSummary {
        let operation = "merge \(shard.path)"
        let attach = try connection.prepare("ATTACH DATABASE ?1 AS shard", operation: operation)
        attach.bind(1, shard.path)
        try attach.run(operation: operation)
        defer { try? connection.execute("DETACH DATABASE shard", operation: operation) }

        var summary = MergeSummary()
        try connection.execute("BEGIN IMMEDIATE", operation: operation)
        do {
            for statement in Self.mergeSetup {
                try connection.execute(statement, operation: operation)
            }
            let shardArticles = try connection.scalarInt("SELECT count(*) FROM shard.articles", operation: operation)
            summary.merged = Int(try connection.scalarInt("SELECT count(*) FROM temp.merge_pick", operation: operation))
            summary.skipped = Int(shardArticles) - summary.merged

            let copyArticles = try connection.prepare(Self.mergeArticles, operation: operation)
            copyArticles.bind(1, Self.mergeTimestamp())
            copyArticles.bind(2, runID)
            try copyArticles.run(operation: operation)
            try connection.execute(Self.mergeIDs, operation: operation)
            try connection.execute(Self.mergeMentions, operation: operation)
            summary.mentions = Int(sqlite3_changes64(connection.handle))
            try connection.execute(Self.mergeArticleEntities, operation: operation)
            try connection.execute(Self.mergeTopics, operation: operation)
            summary.topics = Int(sqlite3_changes64(connection.handle))
            try connection.execute(Self.mergeTexts, operation: operation)
            try connection.execute(
                "DROP TABLE temp.merge_pick; DROP TABLE temp.merge_ids; DROP TABLE temp.merge_entities",
                operation: operation)
            try connection.execute("COMMIT", operation: operation)
        } catch {
            if connection.isInTransaction { try? connection.execute("ROLLBACK", operation: operation) }
            try? connection.execute(
                "DROP TABLE IF EXISTS temp.merge_pick; DROP TABLE IF EXISTS temp.merge_ids; DROP TABLE IF EXISTS temp.merge_entities",
                operation: operation)
            throw error
        }
        // Entity names may have changed under `save`'s cache of committed entities.
        forgetCommittedEntities()
        return summary
    }

    /// The articles to copy, the entities they need, and the old tags of the keys they replace.
    static let mergeSetup = [
        // One article per content hash not stored here: the first of the shard (lowest id), as a
        // sequential merge would keep. Bare `key` takes the row of min(id).
        """
        CREATE TEMP TABLE merge_pick (shard_id INTEGER PRIMARY KEY, key TEXT NOT NULL);
        INSERT INTO temp.merge_pick (shard_id, key)
            SELECT min(a.id), a.key FROM shard.articles a
            WHERE a.content_hash NOT IN (SELECT content_hash FROM main.articles)
            GROUP BY a.content_hash;
        """,
        // Entities the copied mentions name: added, or renamed/retyped to the shard's, by key.
        """
        INSERT INTO main.entities (key, name, type)
            SELECT e.key, e.name, e.type FROM shard.entities e
            WHERE e.id IN (SELECT m.entity_id FROM shard.mentions m JOIN temp.merge_pick p ON p.shard_id = m.article_id)
            ORDER BY e.id
            ON CONFLICT (key) DO UPDATE SET \(TagStore.entityUpdateOnConflict);
        CREATE TEMP TABLE merge_entities (shard_id INTEGER PRIMARY KEY, target_id INTEGER NOT NULL);
        INSERT INTO temp.merge_entities (shard_id, target_id)
            SELECT s.id, t.id FROM shard.entities s JOIN main.entities t ON t.key = s.key;
        """,
        // A stored key with another hash is re-tagged: its old tags and text go (its entity rows
        // first: they are found through its mentions).
        """
        DELETE FROM main.article_entities WHERE (entity_id, article_id) IN
            (SELECT m.entity_id, m.article_id FROM main.mentions m
             WHERE m.article_id IN (SELECT a.id FROM temp.merge_pick p JOIN main.articles a ON a.key = p.key));
        DELETE FROM main.mentions WHERE article_id IN
            (SELECT a.id FROM temp.merge_pick p JOIN main.articles a ON a.key = p.key);
        DELETE FROM main.topics WHERE article_id IN
            (SELECT a.id FROM temp.merge_pick p JOIN main.articles a ON a.key = p.key);
        DELETE FROM main.article_texts WHERE article_id IN
            (SELECT a.id FROM temp.merge_pick p JOIN main.articles a ON a.key = p.key);
        """,
    ]

    /// Inserts or updates the picked articles by key, as `save`'s upsert does (?1 time, ?2 run).
    /// Without a file stamp: the shard's bytes were not read from this machine's files, and a
    /// stamp kept from before would vouch for bytes the row no longer holds (`FileStamp`).
    static let mergeArticles = """
        INSERT INTO main.articles (key, path, line, source_id, content_hash, pipeline_hash, title, date,
            size, tagged_at, run_id)
        SELECT a.key, a.path, a.line, a.source_id, a.content_hash, a.pipeline_hash, coalesce(a.title, ''),
            a.date, a.size, ?1, ?2
        FROM temp.merge_pick p JOIN shard.articles a ON a.id = p.shard_id
        ORDER BY p.shard_id
        ON CONFLICT (key) DO UPDATE SET path = excluded.path, line = excluded.line,
            source_id = excluded.source_id, content_hash = excluded.content_hash,
            pipeline_hash = excluded.pipeline_hash, title = excluded.title, date = excluded.date,
            size = excluded.size, tagged_at = excluded.tagged_at, run_id = excluded.run_id,
            file_stamp = NULL
        """

    /// Shard article id → this store's article id, for the copied articles.
    static let mergeIDs = """
        CREATE TEMP TABLE merge_ids (shard_id INTEGER PRIMARY KEY, target_id INTEGER NOT NULL);
        INSERT INTO temp.merge_ids (shard_id, target_id)
            SELECT p.shard_id, a.id FROM temp.merge_pick p JOIN main.articles a ON a.key = p.key;
        """

    static let mergeMentions = """
        INSERT INTO main.mentions (article_id, entity_id, start, "end", surface)
        SELECT i.target_id, e.target_id, m.start, m."end", m.surface
        FROM temp.merge_ids i JOIN shard.mentions m ON m.article_id = i.shard_id
            JOIN temp.merge_entities e ON e.shard_id = m.entity_id
        """

    /// Copied from the shard's own `article_entities` (a shard is at the current schema version:
    /// opening it upgrades it). Read in its key order and joined by primary keys (`CROSS JOIN`
    /// fixes that loop order), so nothing is sorted: counting them again from the mentions with
    /// `GROUP BY` sorted every mention of the shard in memory (`temp_store = MEMORY`), 786 MB of
    /// RSS for a shard of 1M articles and 10M mentions.
    static let mergeArticleEntities = """
        INSERT INTO main.article_entities (entity_id, article_id, mentions)
        SELECT e.target_id, i.target_id, x.mentions
        FROM shard.article_entities x
            CROSS JOIN temp.merge_ids i
            CROSS JOIN temp.merge_entities e
        WHERE i.shard_id = x.article_id AND e.shard_id = x.entity_id
        """

    static let mergeTopics = """
        INSERT INTO main.topics (article_id, label, score)
        SELECT i.target_id, t.label, t.score FROM temp.merge_ids i JOIN shard.topics t ON t.article_id = i.shard_id
        """

    static let mergeTexts = """
        INSERT INTO main.article_texts (article_id, text)
        SELECT i.target_id, x.text FROM temp.merge_ids i JOIN shard.article_texts x ON x.article_id = i.shard_id
        """

    private static func mergeTimestamp() -> String {
        Date.now.ISO8601Format()
    }
}
