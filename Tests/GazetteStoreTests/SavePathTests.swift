import CSQLite3
import Foundation
import GazetteCore
import Testing

@testable import GazetteStore

/// `save` inserts a new key without looking for old tags and runs the replace path (update the row,
/// delete its mentions, topics and text) only for a key already stored. These check that every way
/// a key can already be there takes the replace path.
@Suite struct SavePathTests {
    /// Everything stored for one article, for whole-value comparisons.
    struct ArticleContent: Equatable {
        var mentions: [StoredMention]
        var topics: [TopicScore]
        var text: String?
    }

    func content(_ store: TagStore, _ key: String) throws -> ArticleContent {
        let id = try #require(try store.article(matching: key)).id
        return ArticleContent(
            mentions: try store.mentions(articleID: id), topics: try store.topics(articleID: id),
            text: try store.text(articleID: id))
    }

    @Test("a key saved twice in one batch with different tags keeps only the second tags")
    func sameKeyTwiceInOneBatch() throws {
        let directory = try TemporaryDirectory()
        let store = try TagStore(path: directory.path("tags.sqlite"))
        let run = try store.beginRun(configHash: "c", pipelineVersion: "1")
        let first = document(
            key: "/a.txt", text: "London and Paris", entities: [("London", london), ("Paris", paris)],
            topics: [TopicScore(label: "travel", score: 0.7), TopicScore(label: "europe", score: 0.3)])
        let second = document(
            key: "/a.txt", text: "Merkel in Berlin", entities: [("Merkel", merkel), ("Berlin", berlin)],
            topics: [TopicScore(label: "politics", score: 0.6)])
        try store.save([first, second], pipelineHash: "p", runID: run, keepText: true)

        let stored = try content(store, "/a.txt")
        #expect(stored.mentions.map(\.entity) == [merkel, berlin])
        #expect(stored.mentions.map(\.start) == [0, 10])
        #expect(stored.topics == [TopicScore(label: "politics", score: 0.6)])
        #expect(stored.text == "Merkel in Berlin")
        #expect(try store.stats().articles == 1)
        #expect(try store.stats().mentions == 2)
        #expect(try store.stats().topics == 1)
        try expectArticleEntitiesMatchMentions(store)
    }

    @Test("a key stored by another connection is replaced, its id kept, nothing doubled")
    func keyStoredByAnotherConnection() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("tags.sqlite")
        let writer = try TagStore(path: path)
        let run = try writer.beginRun(configHash: "c", pipelineVersion: "1")
        try writer.save(
            [document(key: "/a.txt", text: "London and London", entities: [("London", london)],
                      topics: [TopicScore(label: "travel", score: 0.7)]),
             document(key: "/b.txt", text: "Paris", entities: [("Paris", paris)])],
            pipelineHash: "p1", runID: run, keepText: true)
        let id = try #require(try writer.article(matching: "/a.txt")).id

        // A second store on the same file has no cache of what the first wrote.
        let other = try TagStore(path: path)
        let run2 = try other.beginRun(configHash: "c", pipelineVersion: "1")
        try other.save(
            [document(key: "/c.txt", text: "Berlin", entities: [("Berlin", berlin)]),
             document(key: "/a.txt", text: "Berlin, Paris", entities: [("Berlin", berlin), ("Paris", paris)],
                      topics: [TopicScore(label: "europe", score: 0.4)])],
            pipelineHash: "p2", runID: run2, keepText: false)

        let stored = try #require(try other.article(matching: "/a.txt"))
        #expect(stored.id == id)
        #expect(stored.pipelineHash == "p2")
        #expect(stored.runID == run2)
        #expect(stored.contentHash == document(key: "/a.txt", text: "Berlin, Paris", entities: []).article.contentHash)
        let replaced = try content(other, "/a.txt")
        #expect(replaced.mentions.map(\.entity) == [berlin, paris])
        #expect(replaced.topics == [TopicScore(label: "europe", score: 0.4)])
        #expect(replaced.text == nil)  // saved without text: the old text, whose offsets no longer match, went
        // The untouched article and the new one are whole.
        #expect(try content(other, "/b.txt").mentions.map(\.entity) == [paris])
        #expect(try content(other, "/b.txt").text == "Paris")
        #expect(try content(other, "/c.txt").mentions.map(\.entity) == [berlin])
        #expect(try other.stats() == StoreStats(articles: 3, entities: 3, mentions: 4, topics: 1, runs: 2))
        try expectArticleEntitiesMatchMentions(other)
    }

    @Test("every article row column is rewritten on re-save, nullable ones set to NULL")
    func resaveRewritesEveryColumn() throws {
        let directory = try TemporaryDirectory()
        let store = try TagStore(path: directory.path("tags.sqlite"))
        let run = try store.beginRun(configHash: "c", pipelineVersion: "1")
        try store.save(
            [document(key: "/x.jsonl#1", text: "London", entities: [("London", london)], date: "2020-01-01",
                      sourceID: "1", path: "/x.jsonl", line: 3)],
            pipelineHash: "p1", runID: run, keepText: true)
        let before = try #require(try store.article(matching: "/x.jsonl#1"))

        let run2 = try store.beginRun(configHash: "c", pipelineVersion: "1")
        let tagged = document(key: "/x.jsonl#1", text: "Paris!", entities: [("Paris", paris)], path: "/y.jsonl")
        var article = tagged.article
        article.title = "A new title"
        var changed = ArticleDocument(article: article)
        changed.mentions = tagged.mentions
        try store.save([changed], pipelineHash: "p2", runID: run2, keepText: true)
        let after = try #require(try store.article(matching: "/x.jsonl#1"))

        #expect(after.id == before.id)
        #expect(after.path == "/y.jsonl")
        #expect(after.line == nil)
        #expect(after.sourceID == nil)
        #expect(after.date == nil)
        #expect(after.title == "A new title")
        #expect(after.size == "Paris!".utf8.count)
        #expect(after.contentHash == changed.article.contentHash)
        #expect(after.pipelineHash == "p2")
        #expect(after.runID == run2)
        #expect(try content(store, "/x.jsonl#1").mentions.map(\.entity) == [paris])
        #expect(try content(store, "/x.jsonl#1").text == "Paris!")
    }

    @Test("new articles after re-saved ones, in many batches: each article has exactly its own tags")
    func mixedBatches() throws {
        let directory = try TemporaryDirectory()
        let store = try TagStore(path: directory.path("tags.sqlite"))
        let run = try store.beginRun(configHash: "c", pipelineVersion: "1")
        let places = [london, berlin, paris]
        func doc(_ index: Int, version: Int) -> ArticleDocument {
            let place = places[(index + version) % places.count]
            let text = "v\(version): \(place.name) and \(place.name)"
            return document(key: "/\(index).txt", text: text, entities: [(place.name, place)],
                            topics: [TopicScore(label: "v\(version)", score: 0.5)])
        }
        // Batch 1: articles 0..<6; batch 2 re-saves 2..<6 and adds 6..<10; batch 3 re-saves 0 and 9.
        try store.save((0..<6).map { doc($0, version: 1) }, pipelineHash: "p", runID: run, keepText: true)
        try store.save((2..<10).map { doc($0, version: 2) }, pipelineHash: "p", runID: run, keepText: true)
        try store.save([doc(0, version: 3), doc(9, version: 3)], pipelineHash: "p", runID: run, keepText: true)

        let expectedVersion = [3, 1, 2, 2, 2, 2, 2, 2, 2, 3]
        for (index, version) in expectedVersion.enumerated() {
            let expected = doc(index, version: version)
            let stored = try content(store, "/\(index).txt")
            #expect(stored.text == expected.article.text, "article \(index)")
            #expect(stored.topics == expected.topics, "article \(index)")
            #expect(stored.mentions.map(\.entity) == expected.mentions.map(\.entity), "article \(index)")
            #expect(stored.mentions.map(\.start) == expected.mentions.map(\.start), "article \(index)")
        }
        #expect(try store.stats().articles == 10)
        #expect(try store.stats().mentions == 20)
        #expect(try store.stats().topics == 10)
        try expectArticleEntitiesMatchMentions(store)
    }

    /// `save` writes its batches without SQLite's foreign-key checks (its references hold by
    /// construction) and turns them back on afterwards, whether the batch committed or failed.
    @Test("saves leave every reference valid, and foreign keys on after a committed and a failed batch")
    func referencesHoldWithoutChecks() throws {
        let directory = try TemporaryDirectory()
        let store = try TagStore(path: directory.path("tags.sqlite"))
        let run = try store.beginRun(configHash: "c", pipelineVersion: "1")
        func foreignKeysOn() throws -> Bool {
            try store.connection.scalarInt("PRAGMA foreign_keys", operation: "read foreign_keys") == 1
        }
        func violations() throws -> Int64 {
            try store.connection.scalarInt(
                "SELECT count(*) FROM pragma_foreign_key_check", operation: "check foreign keys")
        }
        try store.save(
            [document(key: "/a.txt", text: "London and Paris", entities: [("London", london), ("Paris", paris)],
                      topics: [TopicScore(label: "travel", score: 0.7)]),
             document(key: "/b.txt", text: "Merkel in Berlin", entities: [("Merkel", merkel), ("Berlin", berlin)])],
            pipelineHash: "p", runID: run, keepText: true)
        // Re-saved and new articles, with an entity already committed and one new to the store.
        try store.save(
            [document(key: "/a.txt", text: "Berlin", entities: [("Berlin", berlin)]),
             document(key: "/c.txt", text: "the NPT and London", entities: [("NPT", npt), ("London", london)])],
            pipelineHash: "p", runID: run, keepText: true)
        #expect(try foreignKeysOn())
        #expect(try violations() == 0)

        // A mention the schema refuses (it ends before it starts): the batch rolls back.
        var broken = document(key: "/d.txt", text: "Paris", entities: [("Paris", paris)])
        broken.mentions[0] = Mention(entity: paris, start: 3, end: 1, surface: "Paris")
        #expect(throws: StoreError.self) {
            try store.save([broken], pipelineHash: "p", runID: run, keepText: true)
        }
        #expect(try foreignKeysOn())
        #expect(try violations() == 0)
        #expect(try store.stats().articles == 3)
        #expect(try store.stats().mentions == 5)
        try expectArticleEntitiesMatchMentions(store)
    }

    /// Mentions are written in multi-row inserts of 16, 8, 4, 2 and 1 rows; every count must come
    /// out whole, in order, with each row's own values.
    @Test("an article's mentions are all stored, whatever their count", arguments: [0, 1, 2, 3, 7, 15, 16, 17, 31, 32, 45])
    func mentionCounts(count: Int) throws {
        let directory = try TemporaryDirectory()
        let store = try TagStore(path: directory.path("tags.sqlite"))
        let run = try store.beginRun(configHash: "c", pipelineVersion: "1")
        let places = [london, berlin, paris, merkel, npt]
        var saved = document(key: "/a.txt", text: String(repeating: "x", count: 3 * count + 1), entities: [])
        saved.mentions = (0..<count).map { index in
            Mention(entity: places[index % places.count], start: 3 * index, end: 3 * index + 1 + index % 2,
                    surface: "s\(index)")
        }
        try store.save([saved, document(key: "/b.txt", text: "Paris", entities: [("Paris", paris)])],
                       pipelineHash: "p", runID: run, keepText: true)
        let stored = try content(store, "/a.txt").mentions
        #expect(stored.map(\.entity) == saved.mentions.map(\.entity))
        #expect(stored.map(\.start) == saved.mentions.map(\.start))
        #expect(stored.map(\.end) == saved.mentions.map(\.end))
        #expect(stored.map(\.surface) == saved.mentions.map(\.surface))
        #expect(try content(store, "/b.txt").mentions.map(\.entity) == [paris])
        #expect(try store.stats().mentions == count + 1)
        try expectArticleEntitiesMatchMentions(store)
    }

    /// A batch's article-entity rows are inserted at its end, in key order, by inserts of 64, 16, 4
    /// and 1 rows: every count must come out whole, each row with its own article and count.
    @Test("a batch's article-entity rows are all stored, whatever their count",
          arguments: [0, 1, 3, 4, 5, 15, 16, 17, 63, 64, 65, 86, 150])
    func articleEntityCounts(count: Int) throws {
        let directory = try TemporaryDirectory()
        let store = try TagStore(path: directory.path("tags.sqlite"))
        let run = try store.beginRun(configHash: "c", pipelineVersion: "1")
        // `count` (article, entity) pairs over articles of up to seven entities each; entity `e`
        // is mentioned `e % 3 + 1` times, and the articles name them in descending key order.
        let entities = (0..<count).map { EntityRef(key: "test:e\($0)", name: "E\($0)", type: .organization) }
        var documents: [ArticleDocument] = []
        for first in stride(from: 0, to: count, by: 7) {
            let last = min(count, first + 7)
            var saved = document(key: "/a\(first).txt", text: String(repeating: "x", count: 64), entities: [])
            var start = 0
            for index in (first..<last).reversed() {
                for _ in 0...(index % 3) {
                    saved.mentions.append(Mention(entity: entities[index], start: start, end: start + 1, surface: "x"))
                    start += 2
                }
            }
            documents.append(saved)
        }
        documents.append(document(key: "/none.txt", text: "nothing", entities: []))
        try store.save(documents, pipelineHash: "p", runID: run, keepText: true)

        #expect(try store.connection.scalarInt("SELECT count(*) FROM article_entities", operation: "test") == Int64(count))
        try expectArticleEntitiesMatchMentions(store)
        if count > 0 {
            let lastEntity = count - 1
            let row = try store.connection.scalarInt("""
                SELECT ae.mentions FROM article_entities ae JOIN entities e ON e.id = ae.entity_id
                JOIN articles a ON a.id = ae.article_id
                WHERE e.key = 'test:e\(lastEntity)' AND a.key = '/a\(lastEntity / 7 * 7).txt'
                """, operation: "test")
            #expect(row == Int64(lastEntity % 3 + 1))
        }
    }

    @Test("an article saved twice in one batch, the second time with its mentions kept, keeps the first save's article entities")
    func keptMentionsAfterSaveInSameBatch() throws {
        let directory = try TemporaryDirectory()
        let store = try TagStore(path: directory.path("tags.sqlite"))
        let run = try store.beginRun(configHash: "c", pipelineVersion: "1")
        let text = "London and Paris, London"
        try store.save([document(key: "/a.txt", text: text, entities: [("Paris", paris)])],
                       pipelineHash: "m1/t1", runID: run, keepText: true)
        let first = document(key: "/a.txt", text: text, entities: [("London", london)],
                             topics: [TopicScore(label: "travel", score: 0.7)])
        var second = document(key: "/a.txt", text: text, entities: [], topics: [TopicScore(label: "europe", score: 0.6)])
        second.kept = [.mentions]
        second.keptFrom = "m2/t1"
        try store.save([first, second], pipelineHash: "m2/t2", runID: run, keepText: true)

        let stored = try content(store, "/a.txt")
        #expect(stored.mentions.map(\.entity) == [london, london])
        #expect(stored.topics == [TopicScore(label: "europe", score: 0.6)])
        #expect(try store.connection.scalarInt("SELECT mentions FROM article_entities", operation: "test") == 2)
        try expectArticleEntitiesMatchMentions(store)
    }

    /// A re-saved article whose new mentions are the stored ones (most articles after a gazetteer
    /// edit) keeps its mention rows; any difference replaces them all.
    /// Ways a re-saved article's mentions can differ from the stored ones (`same` does not).
    enum MentionChange: String, CaseIterable, Sendable {
        case same, surface, end, start, entity, oneMore, oneFewer, none

        func apply(to mentions: inout [Mention]) {
            switch self {
            case .same: mentions.reverse()  // listed in another order
            case .surface: mentions[1].surface = "Londres"
            case .end: mentions[0].end += 1
            case .start: mentions[2].start += 1; mentions[2].end += 1
            case .entity: mentions[0].entity = berlin
            case .oneMore: mentions.append(Mention(entity: merkel, start: 40, end: 46, surface: "Merkel"))
            case .oneFewer: mentions.removeLast()
            case .none: mentions.removeAll()
            }
        }
    }

    @Test("a re-saved article's mentions: rows left as they are when the same, replaced on any difference",
          arguments: MentionChange.allCases)
    func resavedMentions(change: MentionChange) throws {
        let directory = try TemporaryDirectory()
        let store = try TagStore(path: directory.path("tags.sqlite"))
        let run = try store.beginRun(configHash: "c", pipelineVersion: "1")
        let text = "London, Paris and London again, with Merkel"
        let original = document(key: "/a.txt", text: text, entities: [("London", london), ("Paris", paris)])
        #expect(original.mentions.count == 3)
        try store.save([original, document(key: "/b.txt", text: "Paris", entities: [("Paris", paris)])],
                       pipelineHash: "p1", runID: run, keepText: true)

        var resaved = original
        change.apply(to: &resaved.mentions)
        let replaced = change != .same
        let before = sqlite3_total_changes(store.connection.handle)
        try store.save([resaved], pipelineHash: "p2", runID: run, keepText: true)
        // Rows changed: an entity row for each entity not stored yet, the article row (its new
        // pipeline hash), then, when replaced, the old mention and article-entity rows out and
        // the new ones in.
        let changed = Int(sqlite3_total_changes(store.connection.handle) - before)
        let entities = Set(resaved.mentions.map(\.entity.key))
        let newEntities = entities.subtracting([london.key, paris.key]).count
        let oldRows = 3 + 2, newRows = resaved.mentions.count + entities.count
        #expect(changed == newEntities + 1 + (replaced ? oldRows + newRows : 0), "\(change)")

        let stored = try content(store, "/a.txt").mentions
        let expected = resaved.mentions.sorted { $0.start < $1.start }
        #expect(stored.map(\.entity) == expected.map(\.entity), "\(change)")
        #expect(stored.map(\.start) == expected.map(\.start))
        #expect(stored.map(\.end) == expected.map(\.end))
        #expect(stored.map(\.surface) == expected.map(\.surface))
        #expect(try store.article(matching: "/a.txt")?.pipelineHash == "p2")
        #expect(try content(store, "/b.txt").mentions.map(\.entity) == [paris])
        try expectArticleEntitiesMatchMentions(store)
    }

    /// A re-saved article's stored text is kept when it is the same, replaced when it differs, and
    /// removed when the article is saved without text.
    @Test("a re-saved article's text: kept when the same, replaced when changed, removed without text storage")
    func resavedText() throws {
        let directory = try TemporaryDirectory()
        let store = try TagStore(path: directory.path("tags.sqlite"))
        let run = try store.beginRun(configHash: "c", pipelineVersion: "1")
        let original = document(key: "/a.txt", text: "London and Paris", entities: [("London", london)])
        try store.save([original, document(key: "/b.txt", text: "Paris", entities: [("Paris", paris)])],
                       pipelineHash: "p1", runID: run, keepText: true)
        // Re-tagged with another pipeline: same text, other tags.
        try store.save([document(key: "/a.txt", text: "London and Paris", entities: [("Paris", paris)])],
                       pipelineHash: "p2", runID: run, keepText: true)
        #expect(try content(store, "/a.txt").text == "London and Paris")
        #expect(try content(store, "/a.txt").mentions.map(\.entity) == [paris])
        try store.save([document(key: "/a.txt", text: "Berlin and Paris", entities: [("Berlin", berlin)])],
                       pipelineHash: "p2", runID: run, keepText: true)
        #expect(try content(store, "/a.txt").text == "Berlin and Paris")
        try store.save([document(key: "/a.txt", text: "Berlin and Paris", entities: [("Berlin", berlin)])],
                       pipelineHash: "p3", runID: run, keepText: false)
        #expect(try content(store, "/a.txt").text == nil)
        #expect(try content(store, "/b.txt").text == "Paris")
        #expect(try store.connection.scalarInt("SELECT count(*) FROM article_texts", operation: "test") == 1)
        try expectArticleEntitiesMatchMentions(store)
    }

    /// With its mentions kept, an article's stored text is the one their offsets point into: it
    /// stays, unread; without a stored text (saved earlier without text storage), the text is added.
    @Test("an article whose mentions are kept keeps its stored text, or gets one if it had none")
    func keptMentionsKeepTheText() throws {
        let directory = try TemporaryDirectory()
        let store = try TagStore(path: directory.path("tags.sqlite"))
        let run = try store.beginRun(configHash: "c", pipelineVersion: "1")
        let text = "London and Paris"
        try store.save([document(key: "/a.txt", text: text, entities: [("London", london)])],
                       pipelineHash: "m1/t1", runID: run, keepText: true)
        try store.save([document(key: "/b.txt", text: "Paris", entities: [("Paris", paris)])],
                       pipelineHash: "m1/t1", runID: run, keepText: false)
        func keptMentions(_ key: String, _ text: String) -> ArticleDocument {
            var resaved = document(key: key, text: text, entities: [], topics: [TopicScore(label: "europe", score: 0.6)])
            resaved.kept = [.mentions]
            resaved.keptFrom = "m1/t1"
            return resaved
        }
        // The same content hash with another text cannot come from a reader that did not change;
        // if one did, the stored text is still the one the kept mentions were found in.
        let before = sqlite3_total_changes(store.connection.handle)
        try store.save([keptMentions("/a.txt", "London and Pariz")], pipelineHash: "m1/t2", runID: run, keepText: true)
        // The article row and its one topic: no text row written.
        #expect(sqlite3_total_changes(store.connection.handle) - before == 2)
        #expect(try content(store, "/a.txt").text == text)
        #expect(try content(store, "/a.txt").mentions.map(\.entity) == [london])
        try store.save([keptMentions("/b.txt", "Paris")], pipelineHash: "m1/t2", runID: run, keepText: true)
        #expect(try content(store, "/b.txt").text == "Paris")
        #expect(try content(store, "/b.txt").mentions.map(\.entity) == [paris])
        #expect(try store.article(matching: "/a.txt")?.pipelineHash == "m1/t2")
        try expectArticleEntitiesMatchMentions(store)
    }

    /// A document whose kind of tags is `kept` carries none of them: the store keeps the ones it has,
    /// if the article is still as the run found it.
    @Test("kept topics or mentions stay as stored; the other kind is replaced; the new pipeline hash is recorded")
    func keptKinds() throws {
        let directory = try TemporaryDirectory()
        let store = try TagStore(path: directory.path("tags.sqlite"))
        let run = try store.beginRun(configHash: "c", pipelineVersion: "1")
        let text = "London and Paris"
        try store.save([document(key: "/a.txt", text: text, entities: [("London", london)],
                                 topics: [TopicScore(label: "travel", score: 0.7)])],
                       pipelineHash: "m1/t1", runID: run, keepText: true)
        // A gazetteer change: new mentions, topics kept.
        var mentionsOnly = document(key: "/a.txt", text: text, entities: [("Paris", paris)])
        mentionsOnly.kept = [.topics]
        mentionsOnly.keptFrom = "m1/t1"
        try store.save([mentionsOnly], pipelineHash: "m2/t1", runID: run, keepText: true)
        var stored = try content(store, "/a.txt")
        #expect(stored.mentions.map(\.entity) == [paris])
        #expect(stored.topics == [TopicScore(label: "travel", score: 0.7)])
        #expect(try store.article(matching: "/a.txt")?.pipelineHash == "m2/t1")
        try expectArticleEntitiesMatchMentions(store)

        // A topic model change: new topics, mentions kept.
        var topicsOnly = document(key: "/a.txt", text: text, entities: [], topics: [TopicScore(label: "europe", score: 0.6)])
        topicsOnly.kept = [.mentions]
        topicsOnly.keptFrom = "m2/t1"
        try store.save([topicsOnly], pipelineHash: "m2/t2", runID: run, keepText: true)
        stored = try content(store, "/a.txt")
        #expect(stored.mentions.map(\.entity) == [paris])
        #expect(stored.topics == [TopicScore(label: "europe", score: 0.6)])
        #expect(stored.text == text)
        #expect(try store.article(matching: "/a.txt")?.pipelineHash == "m2/t2")
        try expectArticleEntitiesMatchMentions(store)
    }

    @Test("tags kept from a state the article no longer has are not vouched for: an empty pipeline hash re-tags it next time")
    func keptFromAnotherState() throws {
        let directory = try TemporaryDirectory()
        let store = try TagStore(path: directory.path("tags.sqlite"))
        let run = try store.beginRun(configHash: "c", pipelineVersion: "1")
        try store.save([document(key: "/a.txt", text: "London", entities: [("London", london)],
                                 topics: [TopicScore(label: "travel", score: 0.7)])],
                       pipelineHash: "m9/t9", runID: run, keepText: true)
        // The run found "m1/t1" (another writer saved "m9/t9" since): its topics are not the ones kept.
        var late = document(key: "/a.txt", text: "London", entities: [("London", london)])
        late.kept = [.topics]
        late.keptFrom = "m1/t1"
        // A key the store does not have at all.
        var missing = document(key: "/new.txt", text: "Paris", entities: [("Paris", paris)])
        missing.kept = [.topics]
        missing.keptFrom = "m1/t1"
        try store.save([late, missing], pipelineHash: "m2/t1", runID: run, keepText: true)
        #expect(try store.article(matching: "/a.txt")?.pipelineHash == "")
        #expect(try store.article(matching: "/new.txt")?.pipelineHash == "")
        #expect(try content(store, "/a.txt").mentions.map(\.entity) == [london])
        #expect(try content(store, "/new.txt").mentions.map(\.entity) == [paris])
        #expect(try content(store, "/new.txt").topics.isEmpty)
        try expectArticleEntitiesMatchMentions(store)
    }
}
