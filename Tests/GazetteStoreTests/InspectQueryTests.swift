import Foundation
import GazetteCore
import Testing

@testable import GazetteStore

/// A store with dated articles: London and Paris share a sentence in /1, only an article in /2.
private func inspectStore(_ directory: TemporaryDirectory, keepText: Bool = true) throws -> TagStore {
    let store = try TagStore(path: directory.path("tags.sqlite"))
    let run = try store.beginRun(configHash: "c", pipelineVersion: "1")
    try store.save([
        document(key: "/1", text: "Talks in London and Paris. Berlin was absent.",
                 entities: [("London", london), ("Paris", paris), ("Berlin", berlin)], date: "2005-03-14"),
        document(key: "/2", text: "London wakes up.\n\nLater, Paris and Berlin spoke. Mr. Merkel of Berlin agreed.",
                 entities: [("London", london), ("Paris", paris), ("Berlin", berlin), ("Merkel", merkel)], date: "2006-01-02"),
        document(key: "/3", text: "London and Berlin.", entities: [("London", london), ("Berlin", berlin)], date: nil),
        document(key: "/4", text: "Nothing here.", entities: [], date: "2004-05-05"),
    ], pipelineHash: "p", runID: run, keepText: keepText)
    return store
}

private func names(_ network: CooccurrenceNetwork) -> [String] {
    network.edges.map { "\(network.node($0.source)!.entity.name)–\(network.node($0.target)!.entity.name):\($0.count)" }
}

@Suite struct EntityLookupTests {
    @Test func resolvesKeysIdsAndNamesInAnyCase() throws {
        let directory = try TemporaryDirectory()
        let store = try inspectStore(directory)
        let byKey = try store.entities(matching: "geonames:2643743")
        #expect(byKey.map(\.entity) == [london])
        #expect(try store.entities(matching: String(byKey[0].id)).map(\.entity) == [london])
        #expect(try store.entities(matching: "angela MERKEL").map(\.entity) == [merkel])
        #expect(try store.entities(matching: "Atlantis").isEmpty)
        #expect(try store.entities(nameContaining: "erl", limit: 5).map(\.entity) == [berlin])
    }

    @Test func sharedNamesReturnEveryEntity() throws {
        let directory = try TemporaryDirectory()
        let store = try TagStore(path: directory.path("tags.sqlite"))
        let run = try store.beginRun(configHash: "c", pipelineVersion: "1")
        let georgiaCountry = EntityRef(key: "geonames:614540", name: "Georgia", type: .place)
        let georgiaState = EntityRef(key: "geonames:4197000", name: "Georgia", type: .place)
        try store.save([
            document(key: "/a", text: "Georgia", entities: [("Georgia", georgiaCountry)]),
            document(key: "/b", text: "Georgia", entities: [("Georgia", georgiaState)]),
        ], pipelineHash: "p", runID: run, keepText: false)
        #expect(try store.entities(matching: "georgia").map(\.entity.key) == ["geonames:4197000", "geonames:614540"])
    }
}

@Suite struct FindArticlesTests {
    @Test func newestFirstUndatedLastWithOffsets() throws {
        let directory = try TemporaryDirectory()
        let store = try inspectStore(directory)
        let londonID = try store.entities(matching: london.key)[0].id
        let found = try store.articles(mentioning: londonID, limit: 0)
        #expect(found.map(\.article.key) == ["/2", "/1", "/3"])
        #expect(found[1].mentions == [FoundArticle.Span(start: 9, end: 15, surface: "London")])
        #expect(try store.countArticles(mentioning: londonID) == 3)
        #expect(try store.articles(mentioning: londonID, limit: 1).map(\.article.key) == ["/2"])
    }

    @Test func withAndDateRangeNarrowTheList() throws {
        let directory = try TemporaryDirectory()
        let store = try inspectStore(directory)
        let londonID = try store.entities(matching: london.key)[0].id
        let merkelID = try store.entities(matching: merkel.key)[0].id
        let both = try store.articles(mentioning: londonID, with: merkelID, limit: 0)
        #expect(both.map(\.article.key) == ["/2"])
        #expect(both[0].withMentions.map(\.surface) == ["Merkel"])
        let range = DateRange(from: "2005-01-01", to: "2005-12-31")
        #expect(try store.articles(mentioning: londonID, dates: range, limit: 0).map(\.article.key) == ["/1"])
        #expect(try store.countArticles(mentioning: londonID, with: merkelID, dates: range) == 0)
    }
}

@Suite struct CooccurrenceNetworkTests {
    @Test func articleWindowAgreesWithTheSQLPairCount() throws {
        let directory = try TemporaryDirectory()
        let store = try inspectStore(directory)
        let network = try store.cooccurrenceNetwork(NetworkOptions())
        var pairs: [CooccurrencePair] = []
        try store.cooccurrences(types: [], minCount: 1) { pairs.append($0) }
        #expect(network.edges.count == pairs.count)
        for (edge, pair) in zip(network.edges, pairs) {
            #expect(network.node(edge.source)!.entity == pair.first)
            #expect(network.node(edge.target)!.entity == pair.second)
            #expect(edge.count == pair.articleCount && edge.articleCount == pair.articleCount)
            #expect(abs(edge.npmi - pair.npmi) < 1e-12 && abs(edge.pmi - pair.pmi) < 1e-12)
        }
        #expect(network.totalArticles == 4)
        #expect(network.mentionsRead == 10)
        // London–Berlin: /1, /2, /3 → dated 2005-03-14 … 2006-01-02 (the undated /3 adds no date).
        let londonBerlin = try #require(network.edges.first)
        #expect(network.node(londonBerlin.source)!.entity == london && network.node(londonBerlin.target)!.entity == berlin)
        #expect(londonBerlin.count == 3)
        #expect(londonBerlin.firstDate == "2005-03-14" && londonBerlin.lastDate == "2006-01-02")
        let berlinNode = try #require(network.nodes.first { $0.entity == berlin })
        #expect(berlinNode.mentionCount == 4 && berlinNode.articleCount == 3)
    }

    @Test func sentenceWindowCountsSentencesTogether() throws {
        let directory = try TemporaryDirectory()
        let store = try inspectStore(directory)
        let network = try store.cooccurrenceNetwork(NetworkOptions(window: .sentence))
        // /1: "Talks in London and Paris." | "Berlin was absent."
        // /2: "London wakes up." | "Later, Paris and Berlin spoke." | "Mr. Merkel of Berlin agreed."
        // /3: "London and Berlin."
        #expect(Set(names(network)) == ["London–Paris:1", "Berlin–Paris:1", "Berlin–Angela Merkel:1", "London–Berlin:1"])
        let londonParis = try #require(network.edges.first { network.node($0.source)!.entity == london && network.node($0.target)!.entity == paris })
        #expect(londonParis.articleCount == 1 && londonParis.firstDate == "2005-03-14")
    }

    @Test func sentenceWindowNeedsStoredText() throws {
        let directory = try TemporaryDirectory()
        let store = try inspectStore(directory, keepText: false)
        let error = #expect(throws: StoreError.self) { try store.cooccurrenceNetwork(NetworkOptions(window: .sentence)) }
        #expect(error?.message.contains("no stored text") == true)
        #expect(try store.cooccurrenceNetwork(NetworkOptions(window: .article)).edges.count == 6)
    }

    @Test func typesDatesMinCountAndTop() throws {
        let directory = try TemporaryDirectory()
        let store = try inspectStore(directory)
        let people = try store.cooccurrenceNetwork(NetworkOptions(types: [.person]))
        #expect(people.edges.isEmpty && people.nodes.isEmpty)
        let places = try store.cooccurrenceNetwork(NetworkOptions(types: [.place]))
        #expect(places.nodes.allSatisfy { $0.entity.type == .place } && places.edges.count == 3)
        let frequent = try store.cooccurrenceNetwork(NetworkOptions(minCount: 2))
        #expect(names(frequent) == ["London–Berlin:3", "London–Paris:2", "Berlin–Paris:2"])
        let top = try store.cooccurrenceNetwork(NetworkOptions(top: 1))
        #expect(names(top) == ["London–Berlin:3"] && top.nodes.count == 2 && top.pairsCounted == 6)
        let range = try store.cooccurrenceNetwork(NetworkOptions(dates: DateRange(from: "2006-01-01")))
        #expect(range.totalArticles == 1)
        #expect(range.edges.count == 6 && range.edges.allSatisfy { $0.count == 1 && $0.npmi == 1 })
    }
}

@Suite struct SentenceSplitterTests {
    func sentences(_ text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        let starts = SentenceSplitter.sentenceStarts(in: text)
        return starts.indices.map { i in
            let end = i + 1 < starts.count ? starts[i + 1] : scalars.count
            return String(String.UnicodeScalarView(scalars[starts[i]..<end])).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    @Test func splitsOnTerminatorsAndBlankLines() {
        #expect(sentences("A title\n\nFirst one. Second one! Third? \"Quoted.\" Done")
            == ["A title", "First one.", "Second one!", "Third?", "\"Quoted.\"", "Done"])
    }

    @Test func keepsInitialsAbbreviationsAndDecimalsTogether() {
        #expect(sentences("Vladimir V. Putin met Mr. Bush in the U.S. on Monday. Rates rose 4.75 per cent. Then lower case. e.g. this.")
            == ["Vladimir V. Putin met Mr. Bush in the U.S. on Monday.", "Rates rose 4.75 per cent.", "Then lower case. e.g. this."])
    }

    @Test func offsetsAreUnicodeScalarsAndLookupFindsTheSentence() {
        let text = "Zürich 🎉 wins. Merkel says so."
        let starts = SentenceSplitter.sentenceStarts(in: text)
        #expect(starts == [0, 15])
        #expect(SentenceSplitter.sentence(containing: 14, starts: starts) == 0)
        #expect(SentenceSplitter.sentence(containing: 15, starts: starts) == 1)
        #expect(SentenceSplitter.sentence(containing: 29, starts: starts) == 1)
    }
}
