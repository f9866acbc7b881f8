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

        // Merging a shard again adds nothing.
        #expect(try target.merge(a, runID: run) == TagStore.MergeSummary(merged: 0, skipped: 2, mentions: 0, topics: 0))
        #expect(try target.stats().mentions == 6)
    }
}
