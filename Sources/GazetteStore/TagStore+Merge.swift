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

    /// Copies every article of `shard` not already here, with its mentions, topics and stored text,
    /// through `save` (so entities are reconciled by canonical key exactly as a tag run does).
    /// Articles are deduplicated by content hash: an article whose hash is stored (under its own key
    /// or another) is skipped; a stored key with a different hash is replaced by the shard's tags.
    public func merge(_ shard: TagStore, runID: Int64, batchSize: Int = 500) throws -> MergeSummary {
        var summary = MergeSummary()
        let known = try fingerprints()
        var storedHashes = Set(known.values.map(\.contentHash))
        let rows = try shard.allArticles()
        // `save` takes one pipeline hash and one keep-text choice per batch.
        var batches: [String: [ArticleDocument]] = [:]
        func flush(_ group: String, pipelineHash: String, keepText: Bool) throws {
            guard let documents = batches[group], !documents.isEmpty else { return }
            try save(documents, pipelineHash: pipelineHash, runID: runID, keepText: keepText)
            batches[group] = []
        }
        var groups: [String: (String, Bool)] = [:]
        for row in rows {
            if storedHashes.contains(row.contentHash) {
                summary.skipped += 1
                continue
            }
            storedHashes.insert(row.contentHash)
            let text = try shard.text(articleID: row.id)
            var document = ArticleDocument(article: Article(
                key: row.key, path: row.path, line: row.line, sourceID: row.sourceID, title: row.title ?? "",
                date: row.date, text: text ?? "", contentHash: row.contentHash, byteSize: row.size))
            document.mentions = try shard.mentions(articleID: row.id).map {
                Mention(entity: $0.entity, start: $0.start, end: $0.end, surface: $0.surface)
            }
            document.topics = try shard.topics(articleID: row.id)
            summary.merged += 1
            summary.mentions += document.mentions.count
            summary.topics += document.topics.count
            let group = row.pipelineHash + (text == nil ? "-" : "+")
            groups[group] = (row.pipelineHash, text != nil)
            batches[group, default: []].append(document)
            if batches[group]!.count >= batchSize { try flush(group, pipelineHash: row.pipelineHash, keepText: text != nil) }
        }
        for (group, (pipelineHash, keepText)) in groups.sorted(by: { $0.key < $1.key }) {
            try flush(group, pipelineHash: pipelineHash, keepText: keepText)
        }
        return summary
    }

    /// Every article row, in id order.
    func allArticles() throws -> [StoredArticle] {
        let statement = try query("SELECT \(Self.articleColumns) FROM articles ORDER BY id")
        defer { statement.reset() }
        var result: [StoredArticle] = []
        while try statement.step(operation: "read articles") {
            result.append(StoredArticle(
                id: statement.int64(0), key: statement.string(1), path: statement.string(2),
                line: statement.optionalInt(3), sourceID: statement.optionalString(4),
                title: statement.optionalString(5), date: statement.optionalString(6), size: statement.int(7),
                contentHash: statement.string(8), pipelineHash: statement.string(9),
                taggedAt: statement.string(10),
                runID: statement.isNull(11) ? nil : statement.int64(11)))
        }
        return result
    }
}
