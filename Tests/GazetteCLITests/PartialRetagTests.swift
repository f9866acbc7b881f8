import Foundation
import GazetteCore
import GazetteStore
import Testing

/// A re-run after a change to one side of the pipeline makes only that side's tags again, and
/// leaves the store exactly as a fresh run with the new pipeline would.
@Suite struct PartialRetagTests {
    static let model = GazetteProcess.packageRoot.appendingPathComponent("Models/topics-v1.model").path
    static let fixtureTSV = GazetteProcess.packageRoot.appendingPathComponent("Tests/Fixtures/gazetteer/small.tsv")

    /// A folder with the fixture gazetteer in `g/` and three articles in `in/`.
    func workspace() throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory()
        try dir.write("g/small.tsv", try String(contentsOf: Self.fixtureTSV, encoding: .utf8))
        try dir.write("in/a.txt", "Talks in Moscow\n\nDiplomats met in Moscow and flew to Athens on Monday.\n")
        try dir.write("in/b.txt", "Springfield vote\n\nVoters in Springfield and New York backed the measure.\n")
        try dir.write("in/c.txt", "Markets\n\nShares rose in Tokyo while Athens traders waited.\n")
        return dir
    }

    func tag(_ dir: TemporaryDirectory, store path: String, topK: Int = 3) async throws -> TagRun.Summary {
        let settings = try PipelineSettings.parse(
            "version: 1\nstages:\n  - normalize:\n  - gazetteer: {directory: g}\n  - topics: {model: \(Self.model), topK: \(topK)}\n",
            file: dir.file("Pipeline.yaml"), baseDirectory: dir.url)
        let pipeline = try StageRegistry.makePipeline(settings)
        let store = try TagStore(path: path)
        return try await TagRun(settings: settings, pipeline: pipeline).run(dir.file("in"), into: store)
    }

    /// Every article's pipeline hash, mentions (entity key, offsets, surface) and topics, by file name.
    func contents(_ path: String, _ dir: TemporaryDirectory) throws -> [String: String] {
        let store = try TagStore(path: path, readOnly: true)
        var result: [String: String] = [:]
        for name in ["a.txt", "b.txt", "c.txt"] {
            guard let article = try store.article(matching: dir.file("in/" + name)) else { continue }
            let mentions = try store.mentions(articleID: article.id).map { "\($0.entity.key)@\($0.start)-\($0.end):\($0.surface)" }
            let topics = try store.topics(articleID: article.id).map { "\($0.label)=\($0.score)" }
            result[name] = "\(article.pipelineHash) | \(mentions.joined(separator: " ")) | \(topics.joined(separator: " "))"
        }
        return result
    }

    @Test("a gazetteer edit keeps the topics, a topic setting change keeps the mentions; the store equals a fresh run")
    func retagOneSide() async throws {
        let dir = try workspace()
        let db = dir.file("tags.sqlite")
        #expect(try await tag(dir, store: db).counts.tagged == 3)
        let first = try contents(db, dir)
        #expect(first.count == 3)

        // A place added to the gazetteer: mentions change, topics are kept.
        try dir.write("g/small.tsv", try String(contentsOf: Self.fixtureTSV, encoding: .utf8)
            + "test:springfield\tplace\tSpringfield\t\t5\t\t\tUS\tcurated\n")
        let edit = try await tag(dir, store: db)
        #expect(edit.counts.tagged == 3 && edit.keptTopics == 3 && edit.keptMentions == 0)
        #expect(edit.counts.topics == 0)
        let edited = try contents(db, dir)
        #expect(edited["b.txt"]?.contains("test:springfield@") == true)
        for name in first.keys {
            #expect(edited[name]?.split(separator: "|").last == first[name]?.split(separator: "|").last, "topics of \(name)")
        }
        let fresh = dir.file("fresh.sqlite")
        _ = try await tag(dir, store: fresh)
        #expect(try contents(fresh, dir) == edited)

        // A topic setting changed: topics change, mentions are kept.
        let topK = try await tag(dir, store: db, topK: 1)
        #expect(topK.counts.tagged == 3 && topK.keptMentions == 3 && topK.keptTopics == 0)
        #expect(topK.counts.mentions == 0)
        let freshTopK = dir.file("fresh-topk.sqlite")
        _ = try await tag(dir, store: freshTopK, topK: 1)
        #expect(try contents(freshTopK, dir) == contents(db, dir))

        // Nothing changed: skipped.
        #expect(try await tag(dir, store: db, topK: 1).counts.skipped == 3)
    }
}
