import CSQLite3
import Foundation
import GazetteCore
import Testing

@testable import GazetteStore

/// Forward migrations in one transaction, and stores that must be refused.
@Suite struct MigrationTests {
    /// The released steps plus hypothetical later ones, to exercise upgrades of an older store.
    static func steps(_ later: [String]...) -> [Schema.Migration] {
        Schema.migrations + later.enumerated().map { Schema.Migration(name: "test step \(Schema.currentVersion + $0.offset + 1)", statements: $0.element) }
    }

    static func version(_ connection: SQLiteConnection) throws -> Int64 {
        try connection.scalarInt("PRAGMA user_version", operation: "test")
    }

    static func tableExists(_ connection: SQLiteConnection, _ name: String) throws -> Bool {
        let statement = try connection.prepare("SELECT count(*) FROM sqlite_schema WHERE name = ?1", operation: "test")
        statement.bind(1, name)
        _ = try statement.step(operation: "test")
        return statement.int(0) == 1
    }

    @Test func anOlderStoreIsUpgradedThroughEveryStepAndKeepsItsData() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("tags.sqlite")
        do {
            let store = try TagStore(path: path)
            let run = try store.beginRun(configHash: "c", pipelineVersion: "1")
            try store.save([document(key: "/a.txt", text: "London calling", entities: [("London", london)])],
                           pipelineHash: "p", runID: run, keepText: true)
        }
        let connection = try SQLiteConnection(path: path, readOnly: false, busyTimeoutMilliseconds: 1000)
        try TagStore.migrate(connection, steps: Self.steps(
            ["CREATE TABLE notes (article_id INTEGER REFERENCES articles(id), body TEXT)"],
            ["ALTER TABLE notes ADD COLUMN author TEXT", "CREATE INDEX notes_author ON notes(author)"]))
        #expect(try Self.version(connection) == Int64(Schema.currentVersion + 2))
        #expect(try Self.tableExists(connection, "notes"))
        #expect(try Self.tableExists(connection, "notes_author"))
        #expect(try connection.scalarInt("SELECT count(*) FROM mentions", operation: "test") == 1)
        // Opening again with the same steps applies nothing.
        try TagStore.migrate(connection, steps: Self.steps(
            ["CREATE TABLE notes (article_id INTEGER REFERENCES articles(id), body TEXT)"],
            ["ALTER TABLE notes ADD COLUMN author TEXT", "CREATE INDEX notes_author ON notes(author)"]))
        #expect(try Self.version(connection) == Int64(Schema.currentVersion + 2))
    }

    @Test func aFailingStepRollsBackTheWholeUpgrade() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("tags.sqlite")
        _ = try TagStore(path: path)
        let connection = try SQLiteConnection(path: path, readOnly: false, busyTimeoutMilliseconds: 1000)
        let error = #expect(throws: StoreError.self) {
            try TagStore.migrate(connection, steps: Self.steps(
                ["CREATE TABLE notes (body TEXT)"],
                ["ALTER TABLE no_such_table ADD COLUMN x TEXT"]))
        }
        #expect(error?.description.contains(path) == true)
        let current = Schema.currentVersion
        #expect(error?.description.contains(
            "migrate schema from version \(current) to \(current + 2): step \(current + 2) (test step \(current + 2))") == true)
        // All or nothing: the first added step (which succeeded) is rolled back with the second.
        #expect(try Self.version(connection) == Int64(current))
        #expect(try !Self.tableExists(connection, "notes"))
        #expect(!connection.isInTransaction)
        // The store still opens at its version and works.
        let store = try TagStore(path: path)
        #expect(try store.stats().articles == 0)
    }

    @Test func aNewStoreIsCreatedInOneTransaction() throws {
        // A brand-new file goes from version 0 to current in one transaction: a failure leaves an
        // empty database (not a half-created schema with application_id set).
        let directory = try TemporaryDirectory()
        let path = directory.path("new.sqlite")
        let connection = try SQLiteConnection(path: path, readOnly: false, busyTimeoutMilliseconds: 1000)
        #expect(throws: StoreError.self) {
            try TagStore.migrate(connection, steps: Self.steps(["CREATE TABLE broken ("]))
        }
        #expect(try connection.scalarInt("SELECT count(*) FROM sqlite_schema", operation: "test") == 0)
        #expect(try connection.scalarInt("PRAGMA application_id", operation: "test") == 0)
        #expect(try Self.version(connection) == 0)
        _ = try TagStore(path: path)
        #expect(try Self.version(connection) == Int64(Schema.currentVersion))
    }

    @Test("a version 1 store gets article_entities counted from its mentions, and loses the mention index")
    func version1StoreGetsArticleEntities() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("tags.sqlite")
        do {
            // A store as Gazette's first schema wrote it.
            let connection = try SQLiteConnection(path: path, readOnly: false, busyTimeoutMilliseconds: 1000)
            try TagStore.migrate(connection, steps: Array(Schema.migrations.prefix(1)))
            try connection.execute("""
                INSERT INTO runs (id, started_at, config_hash, pipeline_version, status) VALUES (1, 't', 'c', '1', 'completed');
                INSERT INTO entities (id, key, name, type) VALUES (1, 'geonames:2643743', 'London', 'place'),
                    (2, 'person:merkel', 'Angela Merkel', 'person'), (3, 'geonames:2988507', 'Paris', 'place');
                INSERT INTO articles (id, key, path, content_hash, pipeline_hash, title, date, size, tagged_at, run_id)
                    VALUES (1, '/a.txt', '/a.txt', 'h1', 'p', 'A', '2005-01-02', 10, 't', 1),
                           (2, '/b.txt', '/b.txt', 'h2', 'p', 'B', '2005-03-04', 10, 't', 1);
                INSERT INTO mentions (article_id, entity_id, start, "end", surface) VALUES
                    (1, 1, 0, 6, 'London'), (1, 1, 10, 16, 'London'), (1, 2, 20, 26, 'Merkel'),
                    (2, 1, 0, 6, 'London'), (2, 3, 7, 12, 'Paris');
                """, operation: "test")
            #expect(try Self.version(connection) == 1)
        }
        // A read-only open (show, find, cooccur) upgrades it too.
        let store = try TagStore(path: path, readOnly: true)
        #expect(try Self.version(store.connection) == Int64(Schema.currentVersion))
        #expect(try Self.tableExists(store.connection, "article_entities"))
        #expect(try !Self.tableExists(store.connection, "mentions_entity"))
        try expectArticleEntitiesMatchMentions(store)
        #expect(try store.connection.scalarInt("SELECT count(*) FROM article_entities", operation: "test") == 4)
        let ranked = try store.entities(top: 0)
        #expect(ranked.map(\.entity.name) == ["London", "Paris", "Angela Merkel"])
        #expect(ranked.first?.mentionCount == 3)
        #expect(ranked.first?.articleCount == 2)
        #expect(try store.countArticles(mentioning: 1) == 2)
        #expect(try store.countArticles(mentioning: 1, with: 3) == 1)
    }

    @Test("a new store gets 32 KiB pages; one made with 4 KiB pages keeps them; both checkpoint every ~40 MB of WAL")
    func pageSizes() throws {
        let directory = try TemporaryDirectory()
        let fresh = try TagStore(path: directory.path("new.sqlite"))
        #expect(try fresh.connection.scalarInt("PRAGMA page_size", operation: "test") == 32_768)
        #expect(try fresh.connection.scalarInt("PRAGMA wal_autocheckpoint", operation: "test") == 1_250)

        let path = directory.path("old.sqlite")
        do {
            // A store as an earlier Gazette made it: SQLite's default page size.
            let connection = try SQLiteConnection(path: path, readOnly: false, busyTimeoutMilliseconds: 1000)
            try TagStore.migrate(connection, steps: Schema.migrations)
            #expect(try connection.scalarInt("PRAGMA page_size", operation: "test") == 4_096)
        }
        let old = try TagStore(path: path)
        #expect(try old.connection.scalarInt("PRAGMA page_size", operation: "test") == 4_096)
        #expect(try old.connection.scalarInt("PRAGMA wal_autocheckpoint", operation: "test") == 10_000)
        let run = try old.beginRun(configHash: "c", pipelineVersion: "1")
        try old.save([document(key: "/a.txt", text: "London calling", entities: [("London", london)])],
                     pipelineHash: "p", runID: run, keepText: true)
        #expect(try old.stats().mentions == 1)
    }

    @Test func aStoreNewerThanTheStepsIsRefused() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("tags.sqlite")
        _ = try TagStore(path: path)
        let connection = try SQLiteConnection(path: path, readOnly: false, busyTimeoutMilliseconds: 1000)
        let error = #expect(throws: StoreError.self) {
            try TagStore.migrate(connection, steps: Array(Schema.migrations.prefix(0)))
        }
        #expect(error?.kind == .newerSchema(found: Schema.currentVersion, supported: 0))
        #expect(try Self.version(connection) == Int64(Schema.currentVersion))
    }
}

@Suite struct StoreSafetyTests {
    @Test("user-given keys, paths and ids never reach SQL text: hostile strings are stored and found as data")
    func hostileStringsAreBound() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("tags.sqlite")
        let store = try TagStore(path: path)
        let run = try store.beginRun(configHash: "'); DROP TABLE articles; --", pipelineVersion: "1\" OR 1=1")
        let hostile = "/news/x'); DELETE FROM articles; --.txt"
        let entity = EntityRef(key: "x' OR '1'='1", name: "Robert'); DROP TABLE entities;--", type: .person)
        try store.save([
            document(key: hostile, text: "Robert met London", entities: [("Robert", entity), ("London", london)],
                     topics: [TopicScore(label: "politics'--", score: 0.5)], sourceID: "1 OR 1=1", path: hostile),
            document(key: "/plain.txt", text: "London", entities: [("London", london)]),
        ], pipelineHash: "p' OR 'x", runID: run, keepText: true)
        #expect(try store.stats() == StoreStats(articles: 2, entities: 2, mentions: 3, topics: 1, runs: 1))
        let found = try #require(try store.article(matching: hostile))
        #expect(found.key == hostile)
        #expect(try store.article(matching: "1 OR 1=1")?.key == hostile)
        #expect(try store.article(matching: "' OR '1'='1") == nil)
        #expect(try store.mentions(articleID: found.id).map(\.entity.name).contains("Robert'); DROP TABLE entities;--"))
        #expect(try store.topics(articleID: found.id).map(\.label) == ["politics'--"])
        #expect(try store.run(id: run)?.configHash == "'); DROP TABLE articles; --")
    }

    @Test("a store file without write permission is refused at open, before any work",
          .enabled(if: getuid() != 0, "root writes read-only files; the CLI suite covers this as user nobody"))
    func readOnlyFileIsRefused() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("tags.sqlite")
        _ = try TagStore(path: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
        let error = #expect(throws: StoreError.self) { _ = try TagStore(path: path) }
        #expect(error?.description == "\(path): open for writing failed: the store file is read-only (no write permission); tag into another file with --db or make this one writable")
    }
}
