import Foundation
import GazetteCore
import GazetteStore
import Testing

/// Concurrency must not change results: the same articles tagged with one job and with four give
/// the same stored tags (mentions and topics of every article, and the same row counts).
@Suite("gazette tag --jobs", .serialized)
struct JobsDeterminismTests {
    @Test("--jobs 1 and --jobs 4 store the same tags for every article")
    func sameTagsWhateverTheJobs() throws {
        let dir = try TemporaryDirectory()
        // Several copies of the samples, so four jobs really interleave.
        for copy in 0..<4 {
            try FileManager.default.copyItem(
                at: GazetteProcess.samples, to: dir.url.appendingPathComponent("articles/copy\(copy)"))
        }
        let articles = dir.url.appendingPathComponent("articles").path
        var stores: [TagStore] = []
        for jobs in [1, 4] {
            let db = dir.file("jobs\(jobs).sqlite")
            let tag = try GazetteProcess.run(["tag", articles, "--db", db, "--jobs", "\(jobs)", "--quiet"])
            #expect(tag.status == 0, "\(tag.stderr)")
            #expect(tag.stdout.hasPrefix("tagged 32, skipped 0, failed 0 articles"), "\(tag.stdout)")
            stores.append(try TagStore(path: db, readOnly: true))
        }

        // Every article key, from the files themselves.
        let reader = ArticleReader()
        let files = DirectoryWalker(extensions: ["txt", "html", "htm", "jsonl"]).list(articles).files
        let keys = files.flatMap { reader.read(fileAt: $0).articles.map(\.key) }
        #expect(keys.count == 32)

        let one = try stores[0].stats(), four = try stores[1].stats()
        #expect(one.articles == four.articles && one.mentions == four.mentions && one.topics == four.topics)
        #expect(one.mentions > 0)
        for key in keys { try expectSameTags(of: key, in: stores[0], stores[1]) }
    }

    @Test("one JSON-lines file in pieces shared among jobs: the same tags, and its bad lines named in line order")
    func oneLargeJSONLinesFileWhateverTheJobs() throws {
        let dir = try TemporaryDirectory()
        let sentences = [
            "President George W. Bush met Tony Blair in London on Monday.",
            "Shares of Sumitomo Bank fell in Tokyo; the Bank of England held rates.",
            "Mr Brown said the talks in Geneva would go on. Brown left for Paris.",
            "Georgia and Russia signed the agreement in Tbilisi.",
        ]
        // Over a piece's worth (`TagRun.defaultFeedPieceBytes`), with bad lines among them.
        var lines: [String] = []
        for number in 0..<4_000 {
            switch number {
            case 11: lines.append("{\"id\": \"broken\", \"text\": ")
            case 150: lines.append("not json at all")
            case 3500: lines.append("{\"id\": \"no-text\"}")
            default:
                let text = (0..<sentences.count).map { sentences[(number + $0) % sentences.count] }.joined(separator: " ") + " Line \(number)."
                lines.append("{\"id\": \"a\(number)\", \"title\": \"Story \(number)\", \"text\": \"\(text)\"}")
            }
        }
        try FileManager.default.createDirectory(at: dir.url.appendingPathComponent("feed"), withIntermediateDirectories: true)
        let feed = lines.joined(separator: "\n")
        #expect(feed.utf8.count > TagRun.defaultFeedPieceBytes, "the bad line 3501 is in the second piece")
        try feed.write(to: dir.url.appendingPathComponent("feed/feed.jsonl"), atomically: true, encoding: .utf8)
        var outputs: [(stdout: String, stderr: String)] = []
        var stores: [TagStore] = []
        for jobs in [1, 3] {
            let db = dir.file("feed\(jobs).sqlite")
            let tag = try GazetteProcess.run(["tag", dir.url.appendingPathComponent("feed").path, "--db", db, "--jobs", "\(jobs)", "--quiet"])
            #expect(tag.status == 1, "three lines fail: \(tag.stderr)")
            outputs.append((tag.stdout, tag.stderr))
            stores.append(try TagStore(path: db, readOnly: true))
        }
        let summary = { (stdout: String) in stdout.components(separatedBy: ";").first ?? "" }
        #expect(summary(outputs[0].stdout) == "tagged \(lines.count - 3), skipped 0, failed 3 articles")
        #expect(summary(outputs[0].stdout) == summary(outputs[1].stdout))
        // The bad lines are named in line order, whichever piece they are in.
        #expect(outputs[0].stderr == outputs[1].stderr)
        let failingLines = outputs[0].stderr.components(separatedBy: "\n").filter { $0.contains("feed.jsonl") }
        #expect(failingLines.count == 3 && failingLines[0].contains(":12") && failingLines[2].contains(":3501"), "\(failingLines)")
        let one = try stores[0].stats(), three = try stores[1].stats()
        #expect(one.articles == three.articles && one.mentions == three.mentions && one.topics == three.topics)
        #expect(one.mentions > 0)
        for number in stride(from: 0, to: lines.count, by: 97) where ![11, 150, 3500].contains(number) {
            try expectSameTags(of: dir.url.appendingPathComponent("feed/feed.jsonl").path + "#a\(number)", in: stores[0], stores[1])
        }
    }

    /// The article `key` is in both stores, with the same mentions (entity, offsets, surface) and topics.
    private func expectSameTags(of key: String, in first: TagStore, _ second: TagStore) throws {
        let one = try #require(try first.article(matching: key))
        let other = try #require(try second.article(matching: key))
        let mentions = { (store: TagStore, id: Int64) in
            try store.mentions(articleID: id).map { [$0.entity.key, "\($0.start)", "\($0.end)", $0.surface] }
        }
        #expect(try mentions(first, one.id) == mentions(second, other.id), "mentions of \(key)")
        #expect(try first.topics(articleID: one.id) == second.topics(articleID: other.id), "topics of \(key)")
    }
}
