import Foundation
import Testing
@testable import GazetteCore

@Suite("Files in flight")
struct InFlightFilesTests {
    @Test("up to the limit in all, and at most the JSON-lines limit of JSON-lines files")
    func limits() {
        var window = InFlightFiles(limit: 4, jsonLinesLimit: 2)
        window.start(jsonLines: true)
        window.start(jsonLines: true)
        #expect(!window.canStart(jsonLines: true))
        #expect(window.canStart(jsonLines: false))
        window.start(jsonLines: false)
        window.start(jsonLines: false)
        #expect(!window.canStart(jsonLines: false))
        window.finish(jsonLines: false)
        #expect(window.canStart(jsonLines: false))
        #expect(!window.canStart(jsonLines: true))
        window.finish(jsonLines: true)
        #expect(window.canStart(jsonLines: true))
        #expect(ArticleFormat(path: "/a/b.jsonl") == .jsonLines)
        #expect(ArticleFormat(path: "/a/B.JSONL") == .jsonLines)
        #expect(ArticleFormat(path: "/a/b.txt") == .text)
        #expect(ArticleFormat(path: "/a.jsonl/readme") == nil)
    }

    @Test("a run over JSON-lines and text files, one job: every article tagged once, issues in file order")
    func mixedRun() async throws {
        let dir = try TemporaryDirectory()
        var expected: [String] = []
        for file in 0..<6 {
            let lines = try dir.write(String(format: "%02d-lines.jsonl", file), (0..<5).map { line in
                line == 2 ? "not json" : "{\"id\": \"\(line)\", \"text\": \"Article \(file)-\(line)\"}"
            }.joined(separator: "\n"))
            expected += [0, 1, 3, 4].map { "\(lines)#\($0)" }
            expected.append(try dir.write(String(format: "%02d-text.txt", file), "Article \(file)\nbody\n"))
        }
        for jobs in [1, 2] {
            let sink = CollectingSink()
            let run = TagRun(
                pipeline: Pipeline(stages: [], pipelineHash: "test"), reader: ArticleReader(),
                walker: DirectoryWalker(extensions: ["txt", "jsonl"]), jobs: jobs, batchSize: 3, keepText: false,
                configHash: "test")
            let summary = try await run.run(dir.path, into: sink)
            #expect(sink.documents.map(\.article.key).sorted() == expected.sorted())
            #expect(summary.counts.tagged == 30)
            #expect(summary.counts.failed == 6)
            #expect(summary.failures.map(\.path) == (0..<6).map { dir.path + String(format: "/%02d-lines.jsonl", $0) })
        }
    }
}
