import Foundation
import Testing
@testable import GazetteCore

let fixtureDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/gazetteer")

/// The fixture gazetteer, loaded once for all tests.
let fixtureGazetteer: Result<Gazetteer, Error> = Result {
    try Gazetteer(settings: GazetteerSettings(directory: fixtureDirectory, files: ["small.tsv"]))
}

/// Runs normalize + gazetteer (`stage`, else one over the fixture gazetteer) on `text` and returns
/// the mentions, checking the offset contract.
func tag(_ text: String, date: String? = nil, stage: GazetteerStage? = nil,
         sourceLocation: SourceLocation = #_sourceLocation) throws -> [Mention] {
    let stage = try stage ?? GazetteerStage(gazetteer: fixtureGazetteer.get())
    let article = Article(key: "test", path: "/test", title: "", date: date, text: text, contentHash: "", byteSize: text.utf8.count)
    var document = ArticleDocument(article: article)
    try NormalizeStage().process(&document)
    try stage.process(&document)
    let scalars = Array(text.unicodeScalars)
    var previousEnd = 0
    for mention in document.mentions {
        #expect(mention.start >= previousEnd && mention.start < mention.end && mention.end <= scalars.count,
                sourceLocation: sourceLocation)
        var surface = String.UnicodeScalarView()
        surface.append(contentsOf: scalars[mention.start..<mention.end])
        #expect(String(surface) == mention.surface, sourceLocation: sourceLocation)
        previousEnd = mention.end
        // A gazetteer entity's mention names it by its index in this stage's gazetteer (the
        // store's id cache relies on it); an article-local entity's has no hint.
        if let hint = mention.gazetteerEntity {
            #expect(hint.gazetteer == stage.gazetteer.instance, sourceLocation: sourceLocation)
            #expect(stage.gazetteer.entities[Int(hint.index)].ref == mention.entity, sourceLocation: sourceLocation)
        } else {
            #expect(mention.entity.key.hasPrefix("local:"), "\(mention.entity.key) has no hint", sourceLocation: sourceLocation)
        }
    }
    return document.mentions
}

func summary(_ mentions: [Mention]) -> [String] {
    mentions.map { "\($0.surface)=\($0.entity.key)" }
}

@Suite struct GazetteerStageTests {
    @Test func longestAliasWins() throws {
        #expect(summary(try tag("Flights to New York City and New York.")) ==
                ["New York City=test:new-york-city", "New York=test:new-york"])
    }

    @Test func organizationIsNotATreaty() throws {
        #expect(summary(try tag("The North Atlantic Treaty Organization met; the North Atlantic Treaty was signed.")) ==
                ["North Atlantic Treaty Organization=test:nato", "North Atlantic Treaty=test:north-atlantic-treaty"])
        #expect(try tag("The North Atlantic Treaty Organization met.").first?.entity.type == .organization)
    }

    @Test func acronymsNeedExactCase() throws {
        #expect(summary(try tag("The US and the U.S. told us. Us too, and the WHO, who else?")) ==
                ["US=test:united-states", "U.S.=test:united-states", "WHO=test:who"])
    }

    @Test func casedAliasesNeedCapitals() throws {
        #expect(summary(try tag("BANK OF ENGLAND, Bank of England, bank of england, Bank Of England")) ==
                ["BANK OF ENGLAND=test:bank-of-england", "Bank of England=test:bank-of-england",
                 "Bank Of England=test:bank-of-england"])
        #expect(try tag("a new york minute").isEmpty)
    }

    @Test func anyCaseAlias() throws {
        #expect(summary(try tag("the bundesbank said")) == ["bundesbank=test:bundesbank"])
    }

    @Test func failedLongMatchFallsBackToShorter() throws {
        // "New York City" is cased: "city" in lower case rejects it, "New York" remains.
        #expect(summary(try tag("Back in New York city today.")) == ["New York=test:new-york"])
    }

    @Test func commonWordRejectedAtSentenceStart() throws {
        #expect(summary(try tag("Chad is hanging. Aid reached Chad. “Chad wins,” he said. no chad here")) ==
                ["Chad=test:chad"])
    }

    @Test func wordBoundariesAreRequired() throws {
        #expect(try tag("Moscowite NYCs USA US2 AthensX").isEmpty)
        #expect(summary(try tag("(Moscow), 'NYC'-based US-led")) ==
                ["Moscow=test:moscow", "NYC=test:new-york-city", "US=test:united-states"])
    }

    @Test func accentsAndScriptsMapBack() throws {
        #expect(summary(try tag("From São Paulo to Sao Paulo, ZÜRICH and Zurich.")) ==
                ["São Paulo=test:sao-paulo", "Sao Paulo=test:sao-paulo", "ZÜRICH=test:zurich", "Zurich=test:zurich"])
        let mentions = try tag("Ünïcödé 😀 — Москва и Αθήνα; 東京都に行く")
        #expect(summary(mentions) == ["Москва=test:moscow", "Αθήνα=test:athens", "東京=test:tokyo"])
        #expect(mentions.map(\.start) == [12, 21, 28])
        // Decomposed input (combining diaeresis) maps back to the whole decomposed surface.
        #expect(summary(try tag("Zu\u{308}rich!")) == ["Zu\u{308}rich=test:zurich"])
    }

    @Test func invisibleCharactersStayOutOfTheSurface() throws {
        let mentions = try tag("in Mos\u{AD}cow\u{200B} now")
        #expect(summary(mentions) == ["Mos\u{AD}cow=test:moscow"])
    }

    @Test(arguments: [
        ("1990-06-01", "test:bush-41"), ("2005-03-02", "test:bush-43"), ("1995", "test:bush-43"),
    ])
    func peopleResolvedByArticleDate(date: String, expected: String) throws {
        #expect(try tag("President Bush spoke.", date: date).map(\.entity.key) == [expected])
    }

    @Test func peopleWithoutDateGetHighestPrior() throws {
        #expect(try tag("Mr Bush spoke.").map(\.entity.key) == ["test:bush-43"])
    }

    @Test func missingNormalizationIsAClearError() throws {
        let stage = GazetteerStage(gazetteer: try fixtureGazetteer.get())
        var document = ArticleDocument(article: Article(key: "a1", path: "/a1", title: "", text: "US", contentHash: "", byteSize: 2))
        #expect(throws: GazetteerError.self) { try stage.process(&document) }
        #expect(GazetteerStage.name == "gazetteer")
    }

    @Test func entityTypesCanBeFiltered() throws {
        let places = try Gazetteer(settings: GazetteerSettings(directory: fixtureDirectory, files: ["small.tsv"], entityTypes: [.place]))
        #expect(places.entities.allSatisfy { $0.ref.type == .place })
        #expect(places.entities.contains { $0.ref.key == "test:moscow" })
    }
}

@Suite struct GazetteerLoadingTests {
    func loadError(_ body: String, sourceLocation: SourceLocation = #_sourceLocation) -> GazetteerError? {
        do {
            _ = try Gazetteer(sources: [("mem.tsv", body)])
            return nil
        } catch let error as GazetteerError {
            return error
        } catch {
            return nil
        }
    }

    @Test func loadsTheFixtureWithItsAliases() throws {
        let gazetteer = try fixtureGazetteer.get()
        #expect(gazetteer.entities.count == 16)
        #expect(gazetteer.entities.first { $0.ref.key == "test:bush-41" }?.from == 19890120)
        #expect(gazetteer.entities.first { $0.ref.key == "test:bush-41" }?.to == 19930120)
        #expect(gazetteer.patternCount > 16)
    }

    @Test(arguments: [
        ("id\ttype\tname\taliases\n\na\tplace\tA\t\nb\tplanet\tB\t\n", 4, "unknown type"),
        ("# c\nid\ttype\tname\taliases\na\tplace\tA\t\na\tplace\tA2\t\n", 4, "duplicate id"),
        ("id\ttype\tname\taliases\na\tplace\n", 2, "columns"),
        ("id\ttype\tname\taliases\na\tplace\t\tx\n", 2, "empty name"),
        ("id\ttype\tname\taliases\n\tplace\tA\tx\n", 2, "empty id"),
        ("id\ttype\tname\taliases\tprior\na\tplace\tA\tx\t-1\n", 2, "prior"),
        ("id\ttype\tname\taliases\tfrom\na\tperson\tA\tx\t1990-13\n", 2, "from"),
        ("id\tname\taliases\na\tA\tx\n", 1, "type"),
    ])
    func malformedRowsNameFileAndLine(body: String, line: Int, reason: String) {
        let error = loadError(body)
        #expect(error?.file == "mem.tsv")
        #expect(error?.line == line)
        #expect(error?.description.contains(reason) == true, "\(String(describing: error))")
        #expect(error?.description.hasPrefix("mem.tsv:\(line): ") == true)
    }

    @Test func fileErrorsNameTheFile() {
        #expect {
            try Gazetteer(settings: GazetteerSettings(directory: fixtureDirectory, files: ["bad-type.tsv"]))
        } throws: { error in
            (error as? GazetteerError)?.description.hasSuffix("bad-type.tsv:4: unknown type 'planet' for test:bad (expected person, place, treaty or organization)") == true
        }
    }

    @Test func directoryLoadsEveryTSVInNameOrder() {
        // Without a file list, bad-type.tsv (sorted before small.tsv) is loaded and fails first.
        #expect {
            try Gazetteer(settings: GazetteerSettings(directory: fixtureDirectory))
        } throws: { error in
            (error as? GazetteerError)?.description.contains("bad-type.tsv:4: unknown type") == true
        }
    }

    @Test func datesParseToDayBounds() {
        #expect(Gazetteer.parseDate("2001") == 20010101...20011231)
        #expect(Gazetteer.parseDate("2001-02") == 20010201...20010231)
        #expect(Gazetteer.parseDate("2001-02-03") == 20010203...20010203)
        #expect(Gazetteer.parseDate("01-02") == nil)
        #expect(Gazetteer.parseDate("2001-2") == nil)
    }
}
