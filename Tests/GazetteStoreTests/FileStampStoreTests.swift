import Foundation
import GazetteCore
import Testing

@testable import GazetteStore

/// The store keeps each whole-file article's file stamp (`articles.file_stamp`, schema v3): saved
/// with the article, recorded for articles found unchanged, cleared wherever the row gets bytes
/// that were not read from the file under that stamp.
@Suite("File stamps in the store")
struct FileStampStoreTests {
    let stampA = FileStamp(size: 14, modified: 1_700_000_000_000_000_001, changed: 1_700_000_000_000_000_002, inode: 42)
    let stampB = FileStamp(size: 14, modified: 1_700_000_000_000_000_001, changed: 1_700_000_100_000_000_000, inode: 42)

    func stamped(_ document: ArticleDocument, _ stamp: FileStamp?) -> ArticleDocument {
        var article = document.article
        article.fileStamp = stamp
        var stamped = ArticleDocument(article: article)
        stamped.mentions = document.mentions
        stamped.topics = document.topics
        return stamped
    }

    @Test("an article is saved with its stamp, which the run's lookup returns; a re-save without one clears it")
    func savedAndLookedUp() throws {
        let directory = try TemporaryDirectory()
        let store = try TagStore(path: directory.path("tags.sqlite"))
        let run = try store.beginRun(configHash: "c", pipelineVersion: "1")
        let a = document(key: "/a.txt", text: "London calling", entities: [("London", london)])
        try store.save([stamped(a, stampA), document(key: "/b.txt", text: "Paris", entities: [])], pipelineHash: "p", runID: run, keepText: false)
        #expect(try store.fingerprints()["/a.txt"]?.fileStamp == stampA)
        #expect(try store.fingerprints()["/b.txt"]?.fileStamp == nil)
        let answers = try store.storedFingerprints().fingerprints(ofFiles: ["/a.txt", "/b.txt"])
        #expect(answers.map { $0.values.first?.fileStamp } == [stampA, nil])

        try store.save([stamped(a, nil)], pipelineHash: "p", runID: run, keepText: false)
        #expect(try store.fingerprints()["/a.txt"]?.fileStamp == nil)
        try store.save([stamped(a, stampB)], pipelineHash: "p", runID: run, keepText: false)
        #expect(try store.fingerprints()["/a.txt"]?.fileStamp == stampB)
    }

    @Test("recorded stamps land only where the stored hash is still the one the file was found to hold")
    func recordedWhereTheHashStillMatches() throws {
        let directory = try TemporaryDirectory()
        let store = try TagStore(path: directory.path("tags.sqlite"))
        let run = try store.beginRun(configHash: "c", pipelineVersion: "1")
        let a = document(key: "/a.txt", text: "London calling", entities: [("London", london)])
        let b = document(key: "/b.txt", text: "Paris", entities: [])
        try store.save([a, b], pipelineHash: "p", runID: run, keepText: false)
        try store.recordFileStamps([
            FileStampUpdate(key: "/a.txt", contentHash: a.article.contentHash, stamp: stampA),
            FileStampUpdate(key: "/b.txt", contentHash: "bytes another writer replaced", stamp: stampB),
            FileStampUpdate(key: "/missing.txt", contentHash: "h", stamp: stampB),
        ])
        let stored = try store.fingerprints()
        #expect(stored["/a.txt"]?.fileStamp == stampA)
        #expect(stored["/b.txt"]?.fileStamp == nil)
        #expect(stored.count == 2)
        try store.recordFileStamps([])
        #expect(!store.connection.isInTransaction)
    }

    @Test("a merged article has no stamp, and a stored one it replaces loses its stamp")
    func mergeClearsStamps() throws {
        let directory = try TemporaryDirectory()
        let target = try TagStore(path: directory.path("target.sqlite"))
        let shard = try TagStore(path: directory.path("shard.sqlite"))
        let run = try target.beginRun(configHash: "c", pipelineVersion: "1")
        let shardRun = try shard.beginRun(configHash: "c", pipelineVersion: "1")
        try target.save([stamped(document(key: "/a.txt", text: "London calling", entities: [("London", london)]), stampA)],
                        pipelineHash: "p", runID: run, keepText: false)
        try shard.save([
            stamped(document(key: "/a.txt", text: "London calling again", entities: [("London", london)]), stampB),
            stamped(document(key: "/c.txt", text: "Berlin", entities: [("Berlin", berlin)]), stampB),
        ], pipelineHash: "p", runID: shardRun, keepText: false)
        let summary = try target.merge(shard, runID: run)
        #expect(summary.merged == 2)
        let stored = try target.fingerprints()
        #expect(stored["/a.txt"]?.contentHash == "hash-20-20")
        #expect(stored["/a.txt"]?.fileStamp == nil)
        #expect(stored["/c.txt"]?.fileStamp == nil)
    }

    @Test("a version 2 store gets the column, its articles without stamps, and keeps its data")
    func version2StoreIsUpgraded() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("tags.sqlite")
        do {
            let connection = try SQLiteConnection(path: path, readOnly: false, busyTimeoutMilliseconds: 1000)
            try TagStore.migrate(connection, steps: Array(Schema.migrations.prefix(2)))
            try connection.execute("""
                INSERT INTO runs (id, started_at, config_hash, pipeline_version, status) VALUES (1, 't', 'c', '1', 'completed');
                INSERT INTO articles (id, key, path, content_hash, pipeline_hash, title, size, tagged_at, run_id)
                    VALUES (1, '/a.txt', '/a.txt', 'h1', 'p', 'A', 10, 't', 1);
                """, operation: "test")
            #expect(try connection.scalarInt("PRAGMA user_version", operation: "test") == 2)
        }
        let store = try TagStore(path: path)
        #expect(try store.connection.scalarInt("PRAGMA user_version", operation: "test") == 3)
        #expect(try store.fingerprints() == ["/a.txt": ArticleFingerprint(contentHash: "h1", pipelineHash: "p")])
        try store.recordFileStamps([FileStampUpdate(key: "/a.txt", contentHash: "h1", stamp: stampA)])
        #expect(try store.fingerprints()["/a.txt"]?.fileStamp == stampA)
    }
}
