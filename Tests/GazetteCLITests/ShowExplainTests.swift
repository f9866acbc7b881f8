import Foundation
import Testing

@Suite("gazette show --explain", .serialized)
struct ShowExplainTests {
    @Test("each stored topic is explained by n-grams of the article itself")
    func explainsTopics() throws {
        let dir = try TemporaryDirectory()
        let db = dir.file("tags.sqlite")
        try GazetteProcess.run(["tag", GazetteProcess.samples.path, "--db", db])
        let path = GazetteProcess.samples.appendingPathComponent("business/tech-results.txt")
        let json = try GazetteProcess.run(["show", path.path, "--db", db, "--json", "--explain"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let topics = try #require(object["topics"] as? [[String: Any]])
        let explanations = try #require(object["explanations"] as? [String: [[String: Any]]])
        #expect(Set(explanations.keys) == Set(topics.compactMap { $0["label"] as? String }))
        let article = try String(contentsOf: path, encoding: .utf8).lowercased()
        for (_, features) in explanations {
            #expect(!features.isEmpty)
            for feature in features {
                let words = try #require(feature["feature"] as? String).split(separator: " ")
                #expect(words.allSatisfy { article.contains($0) }, "an explanation names words of the article")
            }
            let weights = features.compactMap { $0["weight"] as? Double }
            #expect(weights == weights.sorted(by: >))
        }

        let text = try GazetteProcess.run(["show", path.path, "--db", db, "--explain"])
        #expect(text.stdout.contains(" because of: "))
        let plain = try GazetteProcess.run(["show", path.path, "--db", db, "--json"])
        #expect(!plain.stdout.contains("explanations"))
    }
}
