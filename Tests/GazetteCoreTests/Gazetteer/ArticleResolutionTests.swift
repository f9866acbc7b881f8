import Foundation
import Testing
import TestSupport
@testable import GazetteCore

/// A small gazetteer written for these tests: people with terms in office, ambiguous places, an
/// acronym and common-word aliases.
private let resolutionRows = """
id\ttype\tname\taliases\tprior\tfrom\tto\tcountry\tfeature
p:putin\tperson\tVladimir Putin\tVladimir V. Putin\t6\t2000\t2015\tRU\t
p:gordon-brown\tperson\tGordon Brown\t\t6\t2007-06-27\t2010-05-11\tGB\t
p:bush-41\tperson\tGeorge H. W. Bush\tGeorge Bush\t6\t1989-01-20\t1993-01-20\tUS\t
p:bush-43\tperson\tGeorge W. Bush\tGeorge Bush\t6\t2001-01-20\t2009-01-20\tUS\t
p:lleyton-hewitt\tperson\tLleyton Hewitt\tHewitt\t6\t\t\tAU\t
p:theresa-may\tperson\tTheresa May\t!May\t6\t2016-07-13\t2019-07-24\tGB\t
c:georgia\tplace\tGeorgia\t\t8.5\t\t\tGE\tcountry
a:georgia-us\tplace\tGeorgia\t\t6\t\t\tUS\tadmin1
c:jordan\tplace\tJordan\t\t8.5\t\t\tJO\tcountry
c:chad\tplace\tChad\t!Chad\t8.5\t\t\tTD\tcountry
c:germany\tplace\tGermany\t\t8.9\t\t\tDE\tcountry
c:italy\tplace\tItaly\t\t8.9\t\t\tIT\tcountry
t:atlanta\tplace\tAtlanta\t\t6.6\t\t\tUS\tcity
t:tbilisi\tplace\tTbilisi\t\t7\t\t\tGE\tcapital
t:leeds\tplace\tLeeds\t\t5.8\t\t\tGB\tcity
t:chelsea\tplace\tChelsea\t\t4.5\t\t\tGB\tcity
t:sale\tplace\tSale\t!Sale\t5.1\t\t\tMA\tcity
o:eta\torganization\tETA\t=ETA\t6\t\t\t\t
"""

private let resolutionGazetteer: Result<Gazetteer, Error> = Result {
    try Gazetteer(sources: [(path: "resolution.tsv", text: resolutionRows)])
}

private let testGivenNames = GivenNames(names: [
    "Michael": (5, false), "John": (1, false), "Mark": (5, true), "Zorblat": (900, false),
])

/// Tags `text` through normalize + gazetteer with the test gazetteer; checks the offset contract.
private func resolve(_ text: String, date: String? = nil, articleResolution: Bool = true,
                     sourceLocation: SourceLocation = #_sourceLocation) throws -> [String] {
    let stage = GazetteerStage(gazetteer: try resolutionGazetteer.get(), givenNames: testGivenNames,
                               articleResolution: articleResolution)
    return summary(try tag(text, date: date, stage: stage, sourceLocation: sourceLocation))
}

@Suite struct ArticleResolutionTests {
    @Test("token arrays are handed to the next article, but not those of a large one")
    func tokenStorageIsReusedUpToASize() throws {
        let resolution = ArticleResolution(
            gazetteer: try resolutionGazetteer.get(), givenNames: testGivenNames, officeHoldersBySurname: [:])
        let small = "Michael Zorblat met Gordon Brown in Leeds."
        let large = String(repeating: "Michael Zorblat met Gordon Brown in Leeds. ", count: ArticleResolution.largestReusedText / 40)
        #expect(large.utf8.count > ArticleResolution.largestReusedText)
        let first = resolution.resolve(text: small, hits: [], articleDay: nil)
        #expect(resolution.tokenStorage.count == 1)
        _ = resolution.resolve(text: large, hits: [], articleDay: nil)
        #expect(resolution.tokenStorage.count == 0, "the large article's arrays are let go")
        let again = resolution.resolve(text: small, hits: [], articleDay: nil)
        #expect(resolution.tokenStorage.count == 1)
        #expect(again.map(\.surface) == first.map(\.surface) && first.map(\.surface) == ["Michael Zorblat"])
    }

    @Test("with the article-level pass off, each alias is its best entity alone and nothing is added")
    func resolutionOff() throws {
        let text = "Vladimir V. Putin met Michael Zorblat in Georgia. Putin left."
        #expect(try resolve(text, date: "2005-03-01") ==
                ["Vladimir V. Putin=p:putin", "Michael Zorblat=local:person:michael zorblat", "Georgia=c:georgia", "Putin=p:putin"])
        #expect(try resolve(text, date: "2005-03-01", articleResolution: false) ==
                ["Vladimir V. Putin=p:putin", "Georgia=c:georgia"])
    }

    @Test("a surname alone links to the person named in full in the same article")
    func surnameAfterFullName() throws {
        #expect(try resolve("Vladimir V. Putin arrived. Later, Putin's aides said Putin would stay.") ==
                ["Vladimir V. Putin=p:putin", "Putin=p:putin", "Putin=p:putin"])
        #expect(try resolve("Gordon Brown spoke first. Then Mr Brown left.") ==
                ["Gordon Brown=p:gordon-brown", "Brown=p:gordon-brown"])
        // A gazetteer person found on the surname alone gives way to the person named in full here.
        #expect(try resolve("Trade Secretary Patricia Hewitt spoke. Ms Hewitt said Hewitt would stay.") ==
                ["Patricia Hewitt=local:person:patricia hewitt", "Hewitt=local:person:patricia hewitt",
                 "Hewitt=local:person:patricia hewitt"])
        #expect(try resolve("Hewitt won in straight sets.") == ["Hewitt=p:lleyton-hewitt"])
        // Without the full name, "Brown" is just a word.
        #expect(try resolve("Then Mr Brown left.", date: "1995-01-01") == ["Brown=local:person:brown"])
    }

    @Test("a lone surname goes to the only person of that name in office at the article's date")
    func dateAwareSurname() throws {
        #expect(try resolve("The talks went well, Bush said.", date: "2001-05-01") == ["Bush=p:bush-43"])
        #expect(try resolve("The talks went well, Bush said.", date: "1990-05-01") == ["Bush=p:bush-41"])
        #expect(try resolve("The talks went well, Bush said.", date: "1997-05-01").isEmpty)
        #expect(try resolve("The talks went well, Bush said.").isEmpty)
    }

    @Test("an ambiguous place follows the countries of the article's other places")
    func ambiguousPlaceByContext() throws {
        #expect(try resolve("He flew from Atlanta to Georgia.") == ["Atlanta=t:atlanta", "Georgia=a:georgia-us"])
        #expect(try resolve("He flew from Tbilisi to Georgia.") == ["Tbilisi=t:tbilisi", "Georgia=c:georgia"])
        #expect(try resolve("He flew to Georgia.") == ["Georgia=c:georgia"])
    }

    @Test("a given name before a place makes a person, and the surname then links to the person")
    func givenNameBeatsPlace() throws {
        #expect(try resolve("Michael Jordan scored 30. Jordan is back.") ==
                ["Michael Jordan=local:person:michael jordan", "Jordan=local:person:michael jordan"])
        #expect(try resolve("Amman is the capital of Jordan.") == ["Jordan=c:jordan"])
    }

    @Test("common words that are names: capitalized, not alone at a sentence start, not a date")
    func commonWordNames() throws {
        #expect(try resolve("Chad said no. Troops left Chad. They chad.") == ["Chad=c:chad"])
        #expect(try resolve("The vote is in May. It closes May 12.").isEmpty)
        #expect(try resolve("The party chose May as leader.", date: "2017-01-01") == ["May=p:theresa-may"])
    }

    @Test("titles and given names make article-local people; their surnames link back")
    func unknownPeople() throws {
        #expect(try resolve("President Zorblat Quixby arrived. Quixby said hello.") ==
                ["Zorblat Quixby=local:person:zorblat quixby", "Quixby=local:person:zorblat quixby"])
        #expect(try resolve("Talks ended, said John Smithers, a spokesman.") == ["John Smithers=local:person:john smithers"])
        #expect(try resolve("Foreign Minister Yevgeny Qwertyuk met them.") == ["Yevgeny Qwertyuk=local:person:yevgeny qwertyuk"])
        #expect(try resolve("G. Thorpe made 50.") == ["G. Thorpe=local:person:g. thorpe"])
        // A common-word given name opening a sentence is not enough on its own.
        #expect(try resolve("Mark Twain wrote it.").isEmpty)
        #expect(try resolve("They read Mark Twain.") == ["Mark Twain=local:person:mark twain"])
        // After a determiner a title word is a noun: nobody is announced.
        #expect(try resolve("Plans were made before the General Election in May.").isEmpty)
        // The person follows the last title word of a run ("Chief Executive").
        #expect(try resolve("Chief Executive Zorblat Quixby resigned.") == ["Zorblat Quixby=local:person:zorblat quixby"])
    }

    @Test("all-caps lines: acronyms and common words need the entity in a normal line")
    func allCapsLines() throws {
        #expect(try resolve("SALE ETA DATA FOR CHAD\nPrices rose.").isEmpty)
        #expect(try resolve("ETA CLAIMS ATTACK\nThe group ETA said it was behind it.") == ["ETA=o:eta", "ETA=o:eta"])
        // Ordinary cased names still count in headlines.
        #expect(try resolve("GEORGIA VOTES\nPolls opened.") == ["GEORGIA=c:georgia"])
    }

    @Test("sports: cities followed by scores are teams, countries stay places")
    func sportsTeams() throws {
        #expect(try resolve("Leeds 2 Chelsea 1\nGermany 2 Italy 1\n") ==
                ["Leeds=local:organization:leeds", "Chelsea=local:organization:chelsea",
                 "Germany=c:germany", "Italy=c:italy"])
        #expect(try resolve("He lives in Leeds, not Chelsea.") == ["Leeds=t:leeds", "Chelsea=t:chelsea"])
    }

    @Test("organization names from their head words")
    func organizationPatterns() throws {
        #expect(try resolve("Shares of Sumitomo Bank fell, the Ministry of Finance said.") ==
                ["Sumitomo Bank=local:organization:sumitomo bank", "Ministry of Finance=local:organization:ministry of finance"])
        // A search that fails skips the words it scanned (`organizationSpan`): a first word that is
        // never a name is skipped alone, and a run's last head word is reached from its first word.
        #expect(try resolve("When Sumitomo Bank said so.") == ["Sumitomo Bank=local:organization:sumitomo bank"])
        #expect(try resolve("Staff At Big Ministry Of Truth Bank of Tokyo left.") ==
                ["Staff At Big Ministry Of Truth Bank=local:organization:staff at big ministry of truth bank"])
    }

    @Test("acronyms, institutions and rows of figures as organizations, never overlapping")
    func acronymsAndTables() throws {
        #expect(try resolve("The Islamic Salvation Front ( FIS ) and the SPLA met at 10 GMT. SPLA troops left.") ==
                ["Islamic Salvation Front=local:organization:islamic salvation front",
                 "FIS=local:organization:islamic salvation front", "SPLA=local:organization:spla",
                 "SPLA=local:organization:spla"])
        // An acronym the article never writes after "the" is more likely a product or a term.
        #expect(try resolve("Sales of HDTV sets rose.").isEmpty)
        #expect(try resolve("Bills passed the Senate on Friday.") == ["Senate=local:organization:senate"])
        #expect(try resolve("Zorbix 93.12 92.0 73.8\nprofits rose 3 percent") == ["Zorbix=local:organization:zorbix"])
    }
}

@Suite struct GivenNamesTests {
    @Test("the given-names file parses and rejects a bad line with its number")
    func parse() throws {
        let names = try GivenNames(text: "# comment\nAnna\t1\nMark\t5\tcommon\n", path: "g.txt")
        #expect(names.count == 2 && names.lookup("Anna") == false && names.lookup("Mark") == true)
        #expect(names.lookup("ANNA") == false && names.rank("Mark") == 5 && names.lookup("Zed") == nil)
        #expect(throws: GazetteerError.self) { try GivenNames(text: "Anna\tone\n", path: "g.txt") }
    }

    /// The one-pass parser against the split-based one it replaced (kept here as the oracle):
    /// same names, ranks and flags, and the same failing line, on random files of names, tabs,
    /// numbers, "common", comments, carriage returns and blank lines.
    @Test("the given-names parser reads any file as the split-based parser did")
    func parserMatchesSplitting() throws {
        func reference(_ text: String) -> Result<[String: String], GazetteerError> {
            var names: [String: String] = [:]
            var lineNumber = 0
            for rawLine in Array(text.utf8).split(separator: 0x0A, omittingEmptySubsequences: false) {
                lineNumber += 1
                let line = rawLine.last == 0x0D ? rawLine.dropLast() : rawLine
                if line.isEmpty || line.first == 0x23 { continue }
                let fields = line.split(separator: 0x09, omittingEmptySubsequences: false)
                guard fields.count >= 2, !fields[0].isEmpty, let rank = Int(String(decoding: fields[1], as: UTF8.self)) else {
                    return .failure(GazetteerError(file: "g.txt", line: lineNumber, reason: "expected name<TAB>rank[<TAB>common]"))
                }
                names[String(decoding: fields[0], as: UTF8.self)] = "\(rank) \(fields.count > 2 && fields[2].elementsEqual("common".utf8))"
            }
            return .success(names)
        }
        let pieces = ["Anna", "Émile", "Mark", "\t", "\t", "\t", "1", "42", "-3", "x", "common", "commons", "#", "\r", "\n", "\n", " ", ""]
        var generator = SplitMix(seed: 91)
        var failures = 0
        for _ in 0..<3000 {
            let text = (0..<Int(generator.next() % 24)).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
            switch reference(text) {
            case .success(let expected):
                let names = try GivenNames(text: text, path: "g.txt")
                #expect(names.names.mapValues { "\($0.rank) \($0.common)" } == expected, "\(text.debugDescription)")
            case .failure(let expected):
                failures += 1
                #expect(throws: expected, "\(text.debugDescription)") { try GivenNames(text: text, path: "g.txt") }
            }
        }
        #expect(failures > 100 && failures < 2900)
    }

    @Test("an all-caps word is looked up in title case; other case forms are not")
    func caseForms() throws {
        let names = try GivenNames(text: "Anna\t1\nÉmile\t7\nA\t9\n", path: "g.txt")
        #expect(names.rank("ANNA") == 1 && names.rank("ÉMILE") == 7 && names.rank("A") == 9)
        #expect(names.rank("aNNA") == nil && names.rank("anna") == nil && names.rank("AnNA") == nil)
        #expect(names.rank("éMILE") == nil && names.rank("ANNA2") == nil && names.rank("") == nil)
    }

    @Test("the shipped list loads and holds common given names", .enabled(if: FileManager.default.fileExists(atPath: shippedGazetteers.appendingPathComponent(GivenNames.fileName).path)))
    func shipped() throws {
        let names = try GivenNames.load(directory: shippedGazetteers)
        #expect(names.count > 10_000)
        #expect(names.lookup("Michael") == false && names.lookup("Will") == true)
    }
}

private let shippedGazetteers = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Gazetteers")

/// The key of an article-local entity, made byte by byte for ASCII names, is the one the general
/// rule gives: lower case, runs of spaces and line breaks made one space, trimmed.
@Suite struct LocalEntityKeyTests {
    @Test func asciiKeysMatchTheGeneralRule() {
        let pieces = ["Theo", "VAN", "gogh", " ", "  ", "\n", "\r\n", "\t", "O'Neill", "Müller", "É", "&", "Co."]
        var generator = SplitMix(seed: 5)
        for _ in 0..<5000 {
            let count = Int(generator.next() % 7)
            let name = (0..<count).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
            for type in [EntityType.person, .organization] {
                let expected = "local:\(type.rawValue):"
                    + name.lowercased().split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
                let ref = ArticleResolution.localRef(type, name)
                #expect(ref.key == expected, "\(name.debugDescription)")
                #expect(ref.name == name && ref.type == type)
            }
        }
        #expect(ArticleResolution.localRef(.person, "  Theo  VAN\nGogh ").key == "local:person:theo van gogh")
    }
}
