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
        for name in ["a.txt", "b.txt", "c.txt", "d.txt", "e.txt"] {
            guard let article = try store.article(matching: dir.file("in/" + name)) else { continue }
            let mentions = try store.mentions(articleID: article.id).map {
                "\($0.entity.key)(\($0.entity.name),\($0.entity.type))@\($0.start)-\($0.end):\($0.surface)"
            }
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
        // Only b.txt has "Springfield": the others keep their mentions (their mentions views).
        #expect(edit.counts.tagged == 3 && edit.keptTopics == 3 && edit.keptMentions == 2)
        #expect(edit.counts.topics == 0)
        let edited = try contents(db, dir)
        #expect(edited["b.txt"]?.contains("test:springfield(") == true)
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

    /// After a gazetteer edit, an article keeps its stored mentions exactly when its mentions view
    /// (its text and date, the aliases found in it with all their candidates, the office holders,
    /// the settings) is unchanged; whatever is kept or made again, the store equals a fresh run.
    @Test("after each kind of gazetteer edit, articles whose mentions view is unchanged keep their mentions; the store equals a fresh run")
    func mentionsViewsDecideWhatIsMadeAgain() async throws {
        let dir = try workspace()
        try dir.write("in/d.txt", "Summit\n\nWASHINGTON, March 3, 2005 - President Bush met NATO leaders. Bush said the alliance held.\n")
        try dir.write("in/e.txt", "Rates\n\nMr Okafor met Bundesbank officials in Zürich on Tuesday.\n")
        let base = try String(contentsOf: Self.fixtureTSV, encoding: .utf8)
        let db = dir.file("tags.sqlite")
        #expect(try await tag(dir, store: db).counts.tagged == 5)
        func line(_ id: String) -> String { base.split(separator: "\n").first { $0.hasPrefix(id + "\t") }.map(String.init)! }

        // (edit, the articles whose mentions are made again)
        let edits: [(String, String, Set<String>)] = [
            ("an alias no article has", base.replacingOccurrences(
                of: line("test:moscow"), with: "test:moscow\tplace\tMoscow\tМосква|Moskva\t7\t\t\tRU\tcurated"), []),
            ("a prior", base.replacingOccurrences(
                of: line("test:athens"), with: "test:athens\tplace\tAthens\tΑθήνα\t8\t\t\tGR\tcurated"), ["a.txt", "c.txt"]),
            ("a canonical name", base.replacingOccurrences(
                of: line("test:tokyo"), with: "test:tokyo\tplace\tTokyo Metropolis\tTokyo|東京\t7\t\t\tJP\tcurated"), ["c.txt"]),
            ("an entity removed", base.replacingOccurrences(of: line("test:nato") + "\n", with: ""), ["d.txt"]),
            // Office holders are asked about every capitalized word: any change to them makes every
            // article's mentions again.
            ("an office holder added", base + "test:smith\tperson\tJohn Smith\t\t2\t2000\t2010\tUS\tcurated\n",
             ["a.txt", "b.txt", "c.txt", "d.txt", "e.txt"]),
            ("an alias an article has", base + "test:okafor-bank\torganization\tOkafor Holdings\tOkafor\t3\t\t\tNG\tcurated\n",
             ["e.txt"]),
        ]
        var previous = base
        for (index, (change, tsv, remade)) in edits.enumerated() {
            // Each edit is made to the base gazetteer, on a store tagged with the previous one: the
            // articles made again are those whose views differ between the two.
            try dir.write("g/small.tsv", previous)
            let prepared = dir.file("step\(index).sqlite")
            _ = try await tag(dir, store: prepared)
            try dir.write("g/small.tsv", tsv)
            let summary = try await tag(dir, store: prepared)
            let expectedRemade = previous == base ? remade : remade.union(edits[index - 1].2)
            #expect(summary.counts.tagged == 5 && summary.keptTopics == 5, "\(change)")
            #expect(summary.keptMentions == 5 - expectedRemade.count, "\(change): kept \(summary.keptMentions)")
            let fresh = dir.file("fresh\(index).sqlite")
            _ = try await tag(dir, store: fresh)
            #expect(try contents(prepared, dir) == contents(fresh, dir), "\(change)")
            previous = tsv
        }
        // The first store, re-tagged with the last gazetteer, equals a fresh run too.
        _ = try await tag(dir, store: db)
        #expect(try contents(db, dir) == contents(dir.file("fresh\(edits.count - 1).sqlite"), dir))
    }
}
