import Foundation
import GazetteCore
import Testing

@testable import GazetteStore

@Suite struct EntityIDCacheTests {
    func entry(_ id: Int64) -> EntityIDCache.Entry { EntityIDCache.Entry(id: id, name: "E\(id)", type: .person) }

    @Test("two generations: a full recent one becomes the older one, and the older one is dropped")
    func generations() {
        var cache = EntityIDCache(generationLimit: 3)
        for id in 0..<3 { cache.insert(entry(Int64(id)), for: "k\(id)") }
        #expect(cache.recent.isEmpty)
        #expect(cache.older.count == 3)
        #expect(cache.older["k1"] != nil && cache.recent["k1"] == nil)
        cache.insert(entry(3), for: "k3")
        #expect(cache.recent["k3"] != nil)
        #expect(cache.older["k0"]?.id == 0)
        for id in 4..<6 { cache.insert(entry(Int64(id)), for: "k\(id)") }
        // k3…k5 filled the recent generation: it is now the older one, and k0…k2 are gone.
        #expect(cache.recent["k0"] == nil && cache.older["k0"] == nil)
        #expect(cache.older["k5"]?.id == 5)
        #expect(cache.count == 3)
    }

    @Test("a store with a small entity cache: ids stay one per key across many batches, the cache stays bounded")
    func boundedInStore() throws {
        let directory = try TemporaryDirectory()
        let store = try TagStore(path: directory.path("tags.sqlite"))
        store.committedEntities = EntityIDCache(generationLimit: 8)
        let run = try store.beginRun(configHash: "c", pipelineVersion: "1")
        var maxCached = 0
        for batch in 0..<20 {
            // London in every batch (stays cached), then 10 entities no batch repeats, and 5 that
            // come back from two batches before (evicted by then, or found in the older generation).
            let documents = (0..<3).map { index -> ArticleDocument in
                let id = batch * 3 + index
                let fresh = (0..<10).map { k in ("P\(id)x\(k)", EntityRef(key: "local:person:p\(id)x\(k)", name: "P\(id)x\(k)", type: .person)) }
                let back = (0..<5).map { k in ("Q\(id % 6)y\(k)", EntityRef(key: "local:person:q\(id % 6)y\(k)", name: "Q\(id % 6)y\(k)", type: .person)) }
                let text = (["London"] + fresh.map(\.0) + back.map(\.0)).joined(separator: " ")
                return document(key: "/a/\(id).txt", text: text, entities: [("London", london)] + fresh + back)
            }
            try store.save(documents, pipelineHash: "p", runID: run, keepText: false)
            maxCached = max(maxCached, store.committedEntities.count)
        }
        #expect(maxCached <= 16)
        // 600 fresh + 30 returning + London: one row each, and every mention points at its own.
        #expect(try store.stats().entities == 631)
        for id in [0, 29, 59] {
            let stored = try #require(try store.article(matching: "/a/\(id).txt"))
            let mentions = try store.mentions(articleID: stored.id)
            #expect(mentions.count == 16)
            #expect(mentions.allSatisfy { $0.surface == $0.entity.name || $0.entity == london })
        }
    }
}
