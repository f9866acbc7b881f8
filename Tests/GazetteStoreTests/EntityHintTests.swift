import Foundation
import GazetteCore
import Testing

@testable import GazetteStore

/// Mentions of gazetteer entities carry a `GazetteerEntityHint`, and the store keeps the entity id
/// of each hint it has committed (`TagStore.committedHints`).
@Suite struct EntityHintTests {
    /// `document(...)` with every mention of `entity` given `hint`.
    func hinted(_ document: ArticleDocument, _ entity: EntityRef, _ hint: GazetteerEntityHint) -> ArticleDocument {
        var document = document
        for index in document.mentions.indices where document.mentions[index].entity == entity {
            document.mentions[index].gazetteerEntity = hint
        }
        return document
    }

    @Test("the hint is not part of a mention's value")
    func hintIsNotPartOfEquality() {
        let plain = Mention(entity: london, start: 0, end: 6, surface: "London")
        var hinted = plain
        hinted.gazetteerEntity = GazetteerEntityHint(gazetteer: 7, index: 3)
        #expect(plain == hinted)
        #expect(Set([plain, hinted]).count == 1)
    }

    @Test("hinted and unhinted saves store the same rows; a committed hint gives its entity's id to later saves")
    func hintedSavesStoreTheSameRows() throws {
        let directory = try TemporaryDirectory()
        let plainStore = try TagStore(path: directory.path("plain.sqlite"))
        let hintedStore = try TagStore(path: directory.path("hinted.sqlite"))
        let londonHint = GazetteerEntityHint(gazetteer: 1, index: 0), parisHint = GazetteerEntityHint(gazetteer: 1, index: 1)
        let batches = [
            [document(key: "/a.txt", text: "London and Paris, then London.", entities: [("London", london), ("Paris", paris)])],
            [document(key: "/b.txt", text: "Paris. Merkel in London.", entities: [("Paris", paris), ("Merkel", merkel), ("London", london)]),
             document(key: "/c.txt", text: "London again", entities: [("London", london)])],
        ]
        for (plainRun, hintedRun) in [(try plainStore.beginRun(configHash: "c", pipelineVersion: "1"), try hintedStore.beginRun(configHash: "c", pipelineVersion: "1"))] {
            for batch in batches {
                try plainStore.save(batch, pipelineHash: "p", runID: plainRun, keepText: false)
                try hintedStore.save(batch.map { hinted(hinted($0, london, londonHint), paris, parisHint) }, pipelineHash: "p", runID: hintedRun, keepText: false)
            }
        }
        #expect(hintedStore.committedHints.count == 2)
        let londonID = try hintedStore.entities(matching: london.key)[0].id
        #expect(hintedStore.committedHints[londonHint] == londonID)
        for key in ["/a.txt", "/b.txt", "/c.txt"] {
            let plain = try #require(try plainStore.article(matching: key)), hinted = try #require(try hintedStore.article(matching: key))
            #expect(try hintedStore.mentions(articleID: hinted.id) == plainStore.mentions(articleID: plain.id))
        }
        #expect(try hintedStore.stats().entities == 3)
        try expectArticleEntitiesMatchMentions(hintedStore)
    }

    @Test("a hint met in a save that rolls back is not kept: the next save inserts its entity again")
    func rolledBackHintIsForgotten() throws {
        let directory = try TemporaryDirectory()
        let store = try TagStore(path: directory.path("tags.sqlite"))
        let run = try store.beginRun(configHash: "c", pipelineVersion: "1")
        let hint = GazetteerEntityHint(gazetteer: 9, index: 4)
        // The second article's mention breaks the mentions table's CHECK (start ≥ 0): the batch,
        // and the entity row its first article inserted, roll back.
        var broken = document(key: "/bad.txt", text: "Paris", entities: [("Paris", paris)])
        broken.mentions[0].start = -1
        let first = hinted(document(key: "/a.txt", text: "London", entities: [("London", london)]), london, hint)
        #expect(throws: StoreError.self) { try store.save([first, broken], pipelineHash: "p", runID: run, keepText: false) }
        #expect(store.committedHints.isEmpty)
        #expect(try store.stats().entities == 0)
        let again = hinted(document(key: "/b.txt", text: "London", entities: [("London", london)]), london, hint)
        try store.save([again], pipelineHash: "p", runID: run, keepText: false)
        let stored = try #require(try store.article(matching: "/b.txt"))
        #expect(try store.mentions(articleID: stored.id).map(\.entity) == [london])
        #expect(store.committedHints[hint] == (try store.entities(matching: london.key)[0].id))
    }
}
