import Foundation
import Testing

/// The BBC politics folder of the shared data, beside the repo.
let bbcPolitics = GazetteProcess.packageRoot
    .appendingPathComponent("../shared/data/topics/bbc/politics").standardizedFileURL

/// Runs on the real BBC corpus when `../shared/data` is present (it is not shipped with the repo).
@Suite("gazette on the BBC corpus", .serialized,
       .enabled(if: FileManager.default.fileExists(atPath: bbcPolitics.path),
                "needs ../shared/data/topics/bbc"))
struct SharedCorpusTests {
    @Test("BBC politics: every file is tagged and Blair and Brown co-occur, linked to canonical leaders")
    func politicsCorpus() throws {
        let dir = try TemporaryDirectory()
        let db = dir.file("bbc.sqlite")
        let tag = try GazetteProcess.run(["tag", bbcPolitics.path, "--db", db])
        #expect(tag.status == 0, "\(tag.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: bbcPolitics.path).filter { $0.hasSuffix(".txt") }
        #expect(tag.stdout.hasPrefix("tagged \(files.count), skipped 0, failed 0 articles"))

        let csv = try GazetteProcess.run(["cooccur", "--db", db, "--types", "person", "--min-count", "20"])
        let pair = csv.stdout.split(separator: "\r\n").first { $0.contains("Tony Blair") && $0.contains("Gordon Brown") }
        // Source,Target,Type,Weight,Articles,PMI,NPMI,…
        let cells = try #require(pair).split(separator: ",")
        #expect(Int(cells[4]).map { $0 >= 20 } == true)
        #expect(Double(cells[6]).map { $0 > 0 } == true, "Blair and Brown appear together more than chance")

        let show = try GazetteProcess.run(["show", bbcPolitics.appendingPathComponent("001.txt").path, "--db", db, "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        let entities = try #require(object["entities"] as? [[String: Any]])
        #expect(entities.contains { $0["type"] as? String == "person" })
        #expect(entities.allSatisfy { ($0["key"] as? String)?.contains(":") == true })

        // Across the folder, the places are canonical GeoNames entities.
        let places = try GazetteProcess.run(["entities", "--db", db, "--type", "place", "--top", "5", "--json"])
        let keys = places.stdout.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["key"] as? String
        }
        #expect(keys.count == 5)
        #expect(keys.allSatisfy { $0.hasPrefix("geonames:") || $0.hasPrefix("iso3166") })
    }
}
