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
        for key in keys {
            let first = try #require(try stores[0].article(matching: key))
            let second = try #require(try stores[1].article(matching: key))
            let firstMentions = try stores[0].mentions(articleID: first.id).map { [$0.entity.key, "\($0.start)", "\($0.end)", $0.surface] }
            let secondMentions = try stores[1].mentions(articleID: second.id).map { [$0.entity.key, "\($0.start)", "\($0.end)", $0.surface] }
            #expect(firstMentions == secondMentions, "mentions of \(key)")
            #expect(try stores[0].topics(articleID: first.id) == stores[1].topics(articleID: second.id), "topics of \(key)")
        }
    }
}
