import CSQLite3
import Foundation
import GazetteCore
import Testing

@testable import GazetteStore

/// A fresh directory per test, removed when the test ends.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("gazette-store-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}

// Key order matters for co-occurrence pairs: London < Berlin < Paris < Merkel.
let london = EntityRef(key: "geonames:2643743", name: "London", type: .place)
let berlin = EntityRef(key: "geonames:2950159", name: "Berlin", type: .place)
let paris = EntityRef(key: "geonames:2988507", name: "Paris", type: .place)
let merkel = EntityRef(key: "person:merkel", name: "Angela Merkel", type: .person)
let npt = EntityRef(key: "treaty:npt", name: "Treaty on the Non-Proliferation of Nuclear Weapons", type: .treaty)

/// A document whose mentions are found in its own text, so offsets are real scalar offsets.
func document(
    key: String, text: String, entities: [(String, EntityRef)], topics: [TopicScore] = [],
    date: String? = nil, sourceID: String? = nil, path: String? = nil, line: Int? = nil
) -> ArticleDocument {
    let article = Article(
        key: key, path: path ?? key, line: line, sourceID: sourceID, title: "Title of \(key)", date: date,
        text: text, contentHash: "hash-\(text.unicodeScalars.count)-\(text.utf8.count)", byteSize: text.utf8.count)
    var document = ArticleDocument(article: article)
    let scalars = Array(text.unicodeScalars)
    for (surface, entity) in entities {
        let needle = Array(surface.unicodeScalars)
        var index = 0
        while index + needle.count <= scalars.count {
            if Array(scalars[index..<index + needle.count]) == needle {
                document.mentions.append(
                    Mention(entity: entity, start: index, end: index + needle.count, surface: surface))
                index += needle.count
            } else {
                index += 1
            }
        }
    }
    document.mentions.sort { $0.start < $1.start }
    document.topics = topics
    return document
}

/// `article_entities` holds exactly one row per entity an article mentions, with its mention
/// count: what `save`, re-saves, `merge` and the migration from version 1 must all keep true.
func expectArticleEntitiesMatchMentions(_ store: TagStore, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let differences = try store.connection.scalarInt("""
        SELECT count(*) FROM (
            SELECT * FROM (SELECT entity_id, article_id, count(*) FROM mentions GROUP BY 1, 2
                           EXCEPT SELECT entity_id, article_id, mentions FROM article_entities)
            UNION ALL
            SELECT * FROM (SELECT entity_id, article_id, mentions FROM article_entities
                           EXCEPT SELECT entity_id, article_id, count(*) FROM mentions GROUP BY 1, 2))
        """, operation: "compare article_entities with mentions")
    #expect(differences == 0, "article_entities differs from the mentions in \(differences) rows", sourceLocation: sourceLocation)
}

/// Runs raw SQL on a separate connection (to forge foreign or future databases).
func rawExecute(_ path: String, _ sql: String) throws {
    let connection = try SQLiteConnection(path: path, readOnly: false, busyTimeoutMilliseconds: 1000)
    try connection.execute(sql, operation: "test setup")
}

@Suite struct SchemaTests {
    @Test func createsStoreAtCurrentVersionWithPragmas() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("tags.sqlite")
        let store = try TagStore(path: path)
        #expect(try store.stats() == StoreStats(articles: 0, entities: 0, mentions: 0, topics: 0, runs: 0))

        let connection = try SQLiteConnection(path: path, readOnly: true, busyTimeoutMilliseconds: 100)
        #expect(try connection.scalarInt("PRAGMA application_id", operation: "test") == Int64(Schema.applicationID))
        #expect(try connection.scalarInt("PRAGMA user_version", operation: "test") == Int64(Schema.currentVersion))
        let journal = try connection.prepare("PRAGMA journal_mode", operation: "test")
        _ = try journal.step(operation: "test")
        #expect(journal.string(0) == "wal")
        let tables = try connection.prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name", operation: "test")
        var names: [String] = []
        while try tables.step(operation: "test") { names.append(tables.string(0)) }
        #expect(names == ["article_entities", "article_texts", "articles", "entities", "mentions", "runs", "topics"])
    }

    @Test("an article-local entity keeps the same stored name whatever order its articles are saved in")
    func localEntityNameDoesNotDependOnSaveOrder() throws {
        let upper = EntityRef(key: "local:person:theo van gogh", name: "Theo Van Gogh", type: .person)
        let lower = EntityRef(key: "local:person:theo van gogh", name: "Theo van Gogh", type: .person)
        let first = document(key: "/a.txt", text: "Theo Van Gogh spoke.", entities: [("Theo Van Gogh", upper)])
        let second = document(key: "/b.txt", text: "Theo van Gogh left early.", entities: [("Theo van Gogh", lower)])
        let directory = try TemporaryDirectory()
        var names: [String] = []
        for (name, order) in [("one.sqlite", [first, second]), ("two.sqlite", [second, first])] {
            let store = try TagStore(path: directory.path(name))
            let run = try store.beginRun(configHash: "c", pipelineVersion: "1")
            for document in order {
                try store.save([document], pipelineHash: "p", runID: run, keepText: false)
            }
            names.append(try #require(store.entities(matching: "local:person:theo van gogh").first).entity.name)
        }
        #expect(names == ["Theo Van Gogh", "Theo Van Gogh"])
        // A gazetteer entity still takes its latest canonical name (renamed in the TSVs).
        let store = try TagStore(path: directory.path("one.sqlite"))
        let run = try store.beginRun(configHash: "c", pipelineVersion: "1")
        try store.save([document(key: "/c.txt", text: "London", entities: [("London", london)])], pipelineHash: "p", runID: run, keepText: false)
        let renamed = EntityRef(key: london.key, name: "London, England", type: .place)
        try store.save([document(key: "/d.txt", text: "London again", entities: [("London", renamed)])], pipelineHash: "p", runID: run, keepText: false)
        #expect(try store.entities(matching: london.key).first?.entity.name == "London, England")
    }

    @Test func reopenKeepsDataAndDoesNotMigrateAgain() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("tags.sqlite")
        do {
            let store = try TagStore(path: path)
            let run = try store.beginRun(configHash: "c", pipelineVersion: "1")
            try store.save([document(key: "/a.txt", text: "London calling", entities: [("London", london)])],
                           pipelineHash: "p", runID: run, keepText: true)
        }
        let reopened = try TagStore(path: path)
        #expect(try reopened.stats() == StoreStats(articles: 1, entities: 1, mentions: 1, topics: 0, runs: 1))
        let readOnly = try TagStore(path: path, readOnly: true)
        #expect(try readOnly.article(matching: "/a.txt")?.title == "Title of /a.txt")
    }

    @Test func upgradesAnEmptyDatabaseFileCreatedElsewhere() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("empty.sqlite")
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        let store = try TagStore(path: path)
        #expect(try store.stats().articles == 0)
    }

    @Test func rejectsAnotherApplicationsDatabase() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("other.sqlite")
        try rawExecute(path, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        let error = #expect(throws: StoreError.self) { try TagStore(path: path) }
        #expect(error?.kind == .notAGazetteStore)
        #expect(error?.description.contains(path) == true)

        let tagged = directory.path("tagged.sqlite")
        try rawExecute(tagged, "PRAGMA application_id = 1234")
        let otherID = #expect(throws: StoreError.self) { try TagStore(path: tagged) }
        #expect(otherID?.kind == .notAGazetteStore)
    }

    @Test func rejectsAFileThatIsNotSQLite() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("notes.txt")
        try String(repeating: "This is plain text, not a database.\n", count: 200)
            .write(toFile: path, atomically: true, encoding: .utf8)
        let error = #expect(throws: StoreError.self) { try TagStore(path: path) }
        #expect(error?.kind == .notAGazetteStore)
        #expect(error?.description.contains(path) == true)
        #expect(error?.description.contains("This is plain text") == false)
    }

    @Test func rejectsANewerSchema() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("future.sqlite")
        _ = try TagStore(path: path)
        try rawExecute(path, "PRAGMA user_version = \(Schema.currentVersion + 1)")
        for readOnly in [false, true] {
            let error = #expect(throws: StoreError.self) { try TagStore(path: path, readOnly: readOnly) }
            #expect(error?.kind == .newerSchema(found: Schema.currentVersion + 1, supported: Schema.currentVersion))
            #expect(error?.description.contains(path) == true)
        }
    }

    @Test func readOnlyOpenOfAMissingFileFailsWithoutCreatingIt() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("missing.sqlite")
        let error = #expect(throws: StoreError.self) { try TagStore(path: path, readOnly: true) }
        #expect(error?.kind == .fileNotFound)
        #expect(error?.description.contains(path) == true)
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func readOnlyStoreRefusesWrites() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("tags.sqlite")
        _ = try TagStore(path: path)
        let store = try TagStore(path: path, readOnly: true)
        let error = #expect(throws: StoreError.self) {
            try store.beginRun(configHash: "c", pipelineVersion: "1")
        }
        #expect(error?.kind == .sqlite(code: SQLITE_READONLY))
    }
}

@Suite struct SaveTests {
    @Test func saveThenReadBack() throws {
        let directory = try TemporaryDirectory()
        let store = try TagStore(path: directory.path("tags.sqlite"))
        let run = try store.beginRun(configHash: "config-1", pipelineVersion: "0.1.0")
        // "Zürich" and the emoji make scalar offsets differ from UTF-8 and UTF-16 offsets.
        let text = "Zürich 🎉: Merkel met officials in London, then Paris."
        let doc = document(
            key: "/news/2020/a.jsonl#42", text: text,
            entities: [("Merkel", merkel), ("London", london), ("Paris", paris)],
            topics: [TopicScore(label: "politics", score: 0.9), TopicScore(label: "travel", score: 0.2)],
            date: "2020-03-01", sourceID: "42", path: "/news/2020/a.jsonl", line: 7)
        try store.save([doc], pipelineHash: "pipe-1", runID: run, keepText: true)

        let stored = try #require(try store.article(matching: "/news/2020/a.jsonl#42"))
        #expect(stored.path == "/news/2020/a.jsonl")
        #expect(stored.line == 7)
        #expect(stored.sourceID == "42")
        #expect(stored.date == "2020-03-01")
        #expect(stored.title == "Title of /news/2020/a.jsonl#42")
        #expect(stored.size == text.utf8.count)
        #expect(stored.contentHash == doc.article.contentHash)
        #expect(stored.pipelineHash == "pipe-1")
        #expect(stored.runID == run)
        #expect(!stored.taggedAt.isEmpty)

        let mentions = try store.mentions(articleID: stored.id)
        #expect(mentions.map(\.entity) == [merkel, london, paris])
        #expect(mentions.map(\.surface) == ["Merkel", "London", "Paris"])
        #expect(mentions.first?.start == 10)  // after "Zürich 🎉: " (10 scalars, 14 UTF-8 bytes)
        let storedText = try #require(try store.text(articleID: stored.id))
        #expect(storedText == text)
        let scalars = Array(storedText.unicodeScalars)
        for mention in mentions {
            var surface = String.UnicodeScalarView()
            surface.append(contentsOf: scalars[mention.start..<mention.end])
            #expect(String(surface) == mention.surface)
        }
        #expect(try store.topics(articleID: stored.id) == doc.topics)
        #expect(try store.fingerprints() == [
            "/news/2020/a.jsonl#42": ArticleFingerprint(contentHash: doc.article.contentHash, pipelineHash: "pipe-1")
        ])

        try store.finishRun(id: run, status: .completed, counts: RunCounts(tagged: 1, mentions: 3, topics: 2))
        let storedRun = try #require(try store.run(id: run))
        #expect(storedRun.status == "completed")
        #expect(storedRun.counts == RunCounts(tagged: 1, mentions: 3, topics: 2))
        #expect(storedRun.finishedAt != nil)
        #expect(storedRun.configHash == "config-1")
    }

    @Test func textIsOptional() throws {
        let directory = try TemporaryDirectory()
        let store = try TagStore(path: directory.path("tags.sqlite"))
        let run = try store.beginRun(configHash: "c", pipelineVersion: "1")
        try store.save([document(key: "/a", text: "London", entities: [("London", london)])],
                       pipelineHash: "p", runID: run, keepText: true)
        let id = try #require(try store.article(matching: "/a")).id
        #expect(try store.text(articleID: id) == "London")
        // Re-saving without text drops the old text, whose offsets may no longer match.
        try store.save([document(key: "/a", text: "London!", entities: [("London", london)])],
                       pipelineHash: "p", runID: run, keepText: false)
        #expect(try store.text(articleID: id) == nil)
    }

    @Test func resaveReplacesTagsWithoutDoubling() throws {
        let directory = try TemporaryDirectory()
        let store = try TagStore(path: directory.path("tags.sqlite"))
        let run = try store.beginRun(configHash: "c", pipelineVersion: "1")
        let first = document(
            key: "/a.txt", text: "London and Paris and London", entities: [("London", london), ("Paris", paris)],
            topics: [TopicScore(label: "travel", score: 0.7)])
        try store.save([first], pipelineHash: "p1", runID: run, keepText: true)
        let id = try #require(try store.article(matching: "/a.txt")).id
        #expect(try store.mentions(articleID: id).count == 3)

        let second = document(
            key: "/a.txt", text: "Berlin, then London", entities: [("Berlin", berlin), ("London", london)],
            topics: [TopicScore(label: "politics", score: 0.6)])
        let run2 = try store.beginRun(configHash: "c", pipelineVersion: "1")
        try store.save([second], pipelineHash: "p2", runID: run2, keepText: true)
        try store.save([second, second], pipelineHash: "p2", runID: run2, keepText: true)

        let stored = try #require(try store.article(matching: "/a.txt"))
        #expect(stored.id == id)  // the id is stable across re-tagging
        #expect(stored.pipelineHash == "p2")
        #expect(stored.runID == run2)
        #expect(try store.mentions(articleID: id).map(\.entity) == [berlin, london])
        #expect(try store.topics(articleID: id) == [TopicScore(label: "politics", score: 0.6)])
        #expect(try store.text(articleID: id) == "Berlin, then London")
        let stats = try store.stats()
        #expect(stats.articles == 1)
        #expect(stats.mentions == 2)
        #expect(stats.topics == 1)
        #expect(stats.entities == 3)  // Paris stays known, unmentioned
    }

    @Test func entityNameChangesAreStored() throws {
        let directory = try TemporaryDirectory()
        let store = try TagStore(path: directory.path("tags.sqlite"))
        let run = try store.beginRun(configHash: "c", pipelineVersion: "1")
        try store.save([document(key: "/a", text: "London", entities: [("London", london)])],
                       pipelineHash: "p", runID: run, keepText: false)
        var renamed = london
        renamed.name = "London, United Kingdom"
        try store.save([document(key: "/b", text: "London", entities: [("London", renamed)])],
                       pipelineHash: "p", runID: run, keepText: false)
        let top = try store.entities(top: 10)
        #expect(top.count == 1)
        #expect(top.first?.entity == renamed)
        #expect(top.first?.mentionCount == 2)
    }

    @Test("a store opened again finds its entities by key: the same ids, a new type stored, an unchanged one left")
    func storedEntitiesKeepTheirIDs() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("tags.sqlite")
        var ids: [String: Int64] = [:]
        do {
            let store = try TagStore(path: path)
            let run = try store.beginRun(configHash: "c", pipelineVersion: "1")
            try store.save([document(key: "/a", text: "London and Paris", entities: [("London", london), ("Paris", paris)])],
                           pipelineHash: "p", runID: run, keepText: false)
            for entity in [london, paris] { ids[entity.key] = try #require(try store.entities(matching: entity.key).first).id }
        }
        // A new store object starts with no cached ids: each entity is inserted, found taken, then
        // looked up and updated.
        let store = try TagStore(path: path)
        let run = try store.beginRun(configHash: "c", pipelineVersion: "1")
        var club = paris
        club.type = .organization
        try store.save([document(key: "/b", text: "London and Paris", entities: [("London", london), ("Paris", club)])],
                       pipelineHash: "p", runID: run, keepText: false)
        let storedLondon = try #require(try store.entities(matching: london.key).first)
        let storedParis = try #require(try store.entities(matching: paris.key).first)
        #expect(storedLondon.id == ids[london.key] && storedLondon.entity == london)
        #expect(storedParis.id == ids[paris.key] && storedParis.entity == club)
        #expect(try store.stats().entities == 2)
        let mentioned = try store.mentions(articleID: try #require(try store.article(matching: "/b")).id).map(\.entity)
        #expect(mentioned == [london, club])
    }

    @Test func failingBatchRollsBackEntirely() throws {
        let directory = try TemporaryDirectory()
        let store = try TagStore(path: directory.path("tags.sqlite"))
        let run = try store.beginRun(configHash: "c", pipelineVersion: "1")
        let original = document(key: "/a.txt", text: "London", entities: [("London", london)],
                                topics: [TopicScore(label: "travel", score: 0.5)])
        try store.save([original], pipelineHash: "p1", runID: run, keepText: true)
        let before = try store.stats()

        // The batch re-saves /a.txt with a new entity, adds /b.txt, then fails on /c.txt, whose
        // two mentions share (start, entity): a primary-key violation.
        let replacement = document(key: "/a.txt", text: "Berlin", entities: [("Berlin", berlin)])
        let added = document(key: "/b.txt", text: "Paris", entities: [("Paris", paris)])
        var broken = document(key: "/c.txt", text: "Treaty text", entities: [])
        broken.mentions = [
            Mention(entity: npt, start: 0, end: 6, surface: "Treaty"),
            Mention(entity: npt, start: 0, end: 6, surface: "Treaty"),
        ]
        let error = #expect(throws: StoreError.self) {
            try store.save([replacement, added, broken], pipelineHash: "p2", runID: run, keepText: true)
        }
        #expect(error?.description.contains("/c.txt") == true)
        #expect(error?.description.contains("constraint") == true)

        #expect(try store.stats() == before)
        let stored = try #require(try store.article(matching: "/a.txt"))
        #expect(stored.pipelineHash == "p1")
        #expect(try store.mentions(articleID: stored.id).map(\.entity) == [london])
        #expect(try store.text(articleID: stored.id) == "London")
        #expect(try store.topics(articleID: stored.id) == [TopicScore(label: "travel", score: 0.5)])
        #expect(try store.article(matching: "/b.txt") == nil)

        // Entities created inside the failed batch must not linger in the cache: saving them again
        // must insert them anew rather than reuse ids of rolled-back rows.
        try store.save([added, replacement], pipelineHash: "p3", runID: run, keepText: false)
        let b = try #require(try store.article(matching: "/b.txt"))
        #expect(try store.mentions(articleID: b.id).map(\.entity) == [paris])
        #expect(try store.stats().entities == 3)
    }

    @Test func invalidOffsetsAreRejected() throws {
        let directory = try TemporaryDirectory()
        let store = try TagStore(path: directory.path("tags.sqlite"))
        let run = try store.beginRun(configHash: "c", pipelineVersion: "1")
        var doc = document(key: "/a", text: "London", entities: [])
        doc.mentions = [Mention(entity: london, start: 4, end: 4, surface: "")]
        #expect(throws: StoreError.self) {
            try store.save([doc], pipelineHash: "p", runID: run, keepText: false)
        }
        #expect(try store.stats().articles == 0)
    }

    @Test func finishingAnUnknownRunFails() throws {
        let directory = try TemporaryDirectory()
        let store = try TagStore(path: directory.path("tags.sqlite"))
        #expect(throws: StoreError.self) {
            try store.finishRun(id: 99, status: .completed, counts: RunCounts())
        }
    }
}

@Suite struct QueryTests {
    @Test func findsArticlesByIdKeySourceIDAndPath() throws {
        let directory = try TemporaryDirectory()
        let store = try TagStore(path: directory.path("tags.sqlite"))
        let run = try store.beginRun(configHash: "c", pipelineVersion: "1")
        try store.save([
            document(key: "/news/one.txt", text: "One", entities: []),
            document(key: "/news/feed.jsonl#a1", text: "Two", entities: [], sourceID: "a1",
                     path: "/news/feed.jsonl", line: 1),
            document(key: "/news/feed.jsonl#a2", text: "Three", entities: [], sourceID: "a2",
                     path: "/news/feed.jsonl", line: 2),
        ], pipelineHash: "p", runID: run, keepText: false)

        let one = try #require(try store.article(matching: "/news/one.txt"))
        #expect(try store.article(matching: String(one.id))?.key == "/news/one.txt")
        #expect(try store.article(matching: "a2")?.key == "/news/feed.jsonl#a2")
        #expect(try store.article(matching: "nothing") == nil)
        let ambiguous = #expect(throws: StoreError.self) { try store.article(matching: "/news/feed.jsonl") }
        #expect(ambiguous?.kind == .ambiguousArticle(matches: 2))
    }

    @Test func entitiesRankedByMentions() throws {
        let directory = try TemporaryDirectory()
        let store = try TagStore(path: directory.path("tags.sqlite"))
        let run = try store.beginRun(configHash: "c", pipelineVersion: "1")
        try store.save([
            document(key: "/1", text: "London London Paris", entities: [("London", london), ("Paris", paris)],
                     date: "2019-05-01"),
            document(key: "/2", text: "Paris Berlin Merkel",
                     entities: [("Paris", paris), ("Berlin", berlin), ("Merkel", merkel)], date: "2021-01-02"),
            document(key: "/3", text: "Paris and London", entities: [("Paris", paris), ("London", london)]),
        ], pipelineHash: "p", runID: run, keepText: false)

        let all = try store.entities(top: 0)
        // London: 3 mentions in 2 articles; Paris: 3 in 3, so Paris wins the article tie-break.
        #expect(all.map(\.entity.key) == [paris.key, london.key, berlin.key, merkel.key])
        #expect(all.map(\.mentionCount) == [3, 3, 1, 1])
        #expect(all.map(\.articleCount) == [3, 2, 1, 1])
        #expect(all[0].firstDate == "2019-05-01")
        #expect(all[0].lastDate == "2021-01-02")
        #expect(try store.entities(top: 2).count == 2)
        #expect(try store.entities(type: .person, top: 10).map(\.entity) == [merkel])
        #expect(try store.entities(type: .treaty, top: 10).isEmpty)
    }

    /// Five articles (N = 5):
    ///   1: London, Paris     2: London, Paris, Berlin     3: London, Berlin
    ///   4: Paris, Merkel     5: (no entities)
    /// n(London) = 3, n(Paris) = 3, n(Berlin) = 2, n(Merkel) = 1.
    /// Pairs: London–Berlin 2, London–Paris 2, Berlin–Paris 1, Paris–Merkel 1.
    @Test func cooccurrenceCountsAndNPMI() throws {
        let directory = try TemporaryDirectory()
        let store = try TagStore(path: directory.path("tags.sqlite"))
        let run = try store.beginRun(configHash: "c", pipelineVersion: "1")
        try store.save([
            // Repeated mentions in one article count once.
            document(key: "/1", text: "London, Paris, London", entities: [("London", london), ("Paris", paris)]),
            document(key: "/2", text: "London Paris Berlin",
                     entities: [("London", london), ("Paris", paris), ("Berlin", berlin)]),
            document(key: "/3", text: "London Berlin", entities: [("London", london), ("Berlin", berlin)]),
            document(key: "/4", text: "Paris Merkel", entities: [("Paris", paris), ("Merkel", merkel)]),
            document(key: "/5", text: "Nothing here", entities: []),
        ], pipelineHash: "p", runID: run, keepText: false)

        var pairs: [CooccurrencePair] = []
        try store.cooccurrences(types: [], minCount: 1) { pairs.append($0) }
        #expect(pairs.map { [$0.first.name, $0.second.name] } == [
            ["London", "Berlin"], ["London", "Paris"], ["Berlin", "Paris"], ["Paris", "Angela Merkel"],
        ])
        #expect(pairs.map(\.articleCount) == [2, 2, 1, 1])
        #expect(pairs.allSatisfy { $0.first.key < $0.second.key && $0.totalArticles == 5 })

        // London–Paris: p(x,y) = 2/5, p(x) = p(y) = 3/5.
        // PMI = ln(0.4 / 0.36) = 0.1053605157; NPMI = PMI / -ln(0.4) = 0.1149859013.
        let londonParis = pairs[1]
        #expect(londonParis.firstArticleCount == 3 && londonParis.secondArticleCount == 3)
        #expect(abs(londonParis.pmi - 0.1053605157) < 1e-9)
        #expect(abs(londonParis.npmi - 0.1149859013) < 1e-9)
        // Paris–Merkel: p(x,y) = 1/5, p(Paris) = 3/5, p(Merkel) = 1/5.
        // PMI = ln(0.2 / 0.12) = 0.5108256238; NPMI = PMI / -ln(0.2) = 0.3173938055.
        #expect(pairs[3].firstArticleCount == 3 && pairs[3].secondArticleCount == 1)
        #expect(abs(pairs[3].npmi - 0.3173938055) < 1e-9)

        var frequent: [CooccurrencePair] = []
        try store.cooccurrences(types: [], minCount: 2) { frequent.append($0) }
        #expect(frequent.map(\.articleCount) == [2, 2])

        var places: [CooccurrencePair] = []
        try store.cooccurrences(types: [.place], minCount: 1) { places.append($0) }
        #expect(places.count == 3)
        #expect(places.allSatisfy { $0.first.type == .place && $0.second.type == .place })
    }

    @Test func npmiIsOneWhenAPairIsInEveryArticle() {
        let (_, npmi) = TagStore.pointwiseMutualInformation(together: 4, first: 4, second: 4, total: 4)
        #expect(npmi == 1)
        let (_, independent) = TagStore.pointwiseMutualInformation(together: 1, first: 2, second: 2, total: 4)
        #expect(abs(independent) < 1e-12)
    }

    @Test func lockedDatabaseFailsClearlyAfterTheTimeout() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("tags.sqlite")
        let store = try TagStore(path: path, busyTimeout: .milliseconds(200))
        let run = try store.beginRun(configHash: "c", pipelineVersion: "1")
        try store.save([document(key: "/a", text: "London", entities: [("London", london)])],
                       pipelineHash: "p", runID: run, keepText: false)

        let holder = try SQLiteConnection(path: path, readOnly: false, busyTimeoutMilliseconds: 0)
        try holder.execute("BEGIN IMMEDIATE", operation: "hold the write lock")
        try holder.execute(
            "INSERT INTO runs (started_at, config_hash, pipeline_version, status) VALUES ('t', 'c', 'v', 'running')",
            operation: "write under the lock")

        let started = ContinuousClock.now
        let error = #expect(throws: StoreError.self) {
            try store.save([document(key: "/b", text: "Paris", entities: [("Paris", paris)])],
                           pipelineHash: "p", runID: run, keepText: false)
        }
        let waited = ContinuousClock.now - started
        #expect(error?.kind == .busy)
        #expect(error?.description.contains(path) == true)
        #expect(error?.description.contains("200 ms") == true)
        // It waited for the lock instead of failing at once (not a speed assertion).
        #expect(waited >= .milliseconds(150))

        // Readers are not blocked by the writer (WAL); once the lock is released the store works
        // and holds exactly the committed data.
        #expect(try store.stats().articles == 1)
        try holder.execute("ROLLBACK", operation: "release the lock")
        try store.save([document(key: "/b", text: "Paris", entities: [("Paris", paris)])],
                       pipelineHash: "p", runID: run, keepText: false)
        #expect(try store.stats() == StoreStats(articles: 2, entities: 2, mentions: 2, topics: 0, runs: 1))
    }
}
