import Foundation
import GazetteCore
import Testing

@testable import GazetteStore

@Suite("Merging shard stores")
struct MergeTests {
    /// A store at `name` holding `documents`.
    func shard(_ directory: TemporaryDirectory, _ name: String, _ documents: [ArticleDocument], keepText: Bool = true) throws -> TagStore {
        let store = try TagStore(path: directory.path(name))
        let run = try store.beginRun(configHash: "c", pipelineVersion: "1")
        try store.save(documents, pipelineHash: "p", runID: run, keepText: keepText)
        return store
    }

    @Test("entities are reconciled by key, articles deduplicated by content hash, texts kept")
    func mergesTwoShards() throws {
        let directory = try TemporaryDirectory()
        let shared = document(key: "/a/shared.txt", text: "London and Berlin met.", entities: [("London", london), ("Berlin", berlin)])
        let a = try shard(directory, "a.sqlite", [
            shared,
            document(key: "/a/one.txt", text: "Paris, then London.", entities: [("Paris", paris), ("London", london)]),
        ])
        // The same article under another key (another machine's path): merged once.
        let sameContent = ArticleDocument(article: Article(
            key: "/b/shared.txt", path: "/b/shared.txt", title: "t", text: shared.article.text,
            contentHash: shared.article.contentHash, byteSize: 1))
        let b = try shard(directory, "b.sqlite", [
            sameContent,
            document(key: "/b/two.txt", text: "Angela Merkel in Berlin.", entities: [("Angela Merkel", merkel), ("Berlin", berlin)],
                     topics: [TopicScore(label: "politics", score: 0.9)]),
        ], keepText: false)

        let target = try TagStore(path: directory.path("merged.sqlite"))
        let run = try target.beginRun(configHash: "merge", pipelineVersion: "1")
        let first = try target.merge(a, runID: run)
        let second = try target.merge(b, runID: run)
        #expect(first == TagStore.MergeSummary(merged: 2, skipped: 0, mentions: 4, topics: 0))
        #expect(second == TagStore.MergeSummary(merged: 1, skipped: 1, mentions: 2, topics: 1))

        let stats = try target.stats()
        #expect(stats.articles == 3 && stats.mentions == 6 && stats.entities == 4 && stats.topics == 1)
        let berlinRow = try #require(try target.entities(top: 0).first { $0.entity.key == berlin.key })
        #expect(berlinRow.articleCount == 2)
        let merged = try #require(try target.article(matching: "/a/one.txt"))
        #expect(try target.text(articleID: merged.id) == "Paris, then London.")
        #expect(try target.mentions(articleID: merged.id).map(\.surface) == ["Paris", "London"])
        let two = try #require(try target.article(matching: "/b/two.txt"))
        #expect(try target.text(articleID: two.id) == nil)
        #expect(try target.topics(articleID: two.id) == [TopicScore(label: "politics", score: 0.9)])

        try expectArticleEntitiesMatchMentions(target)

        // Merging a shard again adds nothing.
        #expect(try target.merge(a, runID: run) == TagStore.MergeSummary(merged: 0, skipped: 2, mentions: 0, topics: 0))
        #expect(try target.stats().mentions == 6)
    }

    @Test("a stored key with another hash is re-tagged in place; a hash twice in one shard is merged once")
    func replacesChangedKeys() throws {
        let directory = try TemporaryDirectory()
        let target = try shard(directory, "target.sqlite", [
            document(key: "/k.txt", text: "Paris and Berlin.", entities: [("Paris", paris), ("Berlin", berlin)],
                     topics: [TopicScore(label: "world", score: 0.5)]),
        ])
        let oldID = try #require(try target.article(matching: "/k.txt")).id
        let changed = document(key: "/k.txt", text: "Angela Merkel went to London.", entities: [("Angela Merkel", merkel), ("London", london)])
        let twin = ArticleDocument(article: Article(
            key: "/twin.txt", path: "/twin.txt", title: "t", text: changed.article.text,
            contentHash: changed.article.contentHash, byteSize: 1))
        let source = try shard(directory, "shard.sqlite", [changed, twin], keepText: false)

        let run = try target.beginRun(configHash: "merge", pipelineVersion: "1")
        #expect(try target.merge(source, runID: run) == TagStore.MergeSummary(merged: 1, skipped: 1, mentions: 2, topics: 0))
        let article = try #require(try target.article(matching: "/k.txt"))
        #expect(article.id == oldID && article.contentHash == changed.article.contentHash && article.runID == run)
        #expect(try target.mentions(articleID: oldID).map(\.entity.key) == [merkel.key, london.key])
        #expect(try target.topics(articleID: oldID).isEmpty)
        #expect(try target.text(articleID: oldID) == nil, "the old text no longer matches the offsets")
        #expect(try target.article(matching: "/twin.txt") == nil)
        let stats = try target.stats()
        #expect(stats.articles == 1 && stats.mentions == 2 && stats.topics == 0)
        // The replaced article's old entities (Paris, Berlin) went with its old mentions.
        try expectArticleEntitiesMatchMentions(target)
    }

    @Test("an entity renamed in a shard is renamed here, and a later save with the old name renames it back")
    func entityNames() throws {
        let directory = try TemporaryDirectory()
        let target = try shard(directory, "target.sqlite", [
            document(key: "/a.txt", text: "London calling.", entities: [("London", london)]),
        ])
        let renamed = EntityRef(key: london.key, name: "London, England", type: .place)
        let source = try shard(directory, "shard.sqlite", [
            document(key: "/b.txt", text: "From London, with love.", entities: [("London", renamed)]),
        ])
        let run = try target.beginRun(configHash: "merge", pipelineVersion: "1")
        _ = try target.merge(source, runID: run)
        func londonName() throws -> String? {
            try target.entities(top: 0).first { $0.entity.key == london.key }?.entity.name
        }
        #expect(try londonName() == "London, England")
        try target.save([document(key: "/c.txt", text: "London again, and again.", entities: [("London", london)])],
                        pipelineHash: "p", runID: run, keepText: true)
        #expect(try londonName() == "London")
        #expect(try target.entities(top: 0).first { $0.entity.key == london.key }?.articleCount == 3)
    }
}

