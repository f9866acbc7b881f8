import Foundation
import Testing
@testable import GazetteCore

/// The most articles a stage was given at once.
private final class Overlap: @unchecked Sendable {
    private let lock = NSLock()
    private var current = 0
    private var most = 0
    func enter() { lock.withLock { current += 1; most = max(most, current) } }
    func leave() { lock.withLock { current -= 1 } }
    var highest: Int { lock.withLock { most } }
}

/// A stage that takes a while on each article and counts how many it works on at once.
private struct OverlapStage: Stage {
    static let name = "overlap"
    let overlap: Overlap
    func process(_ document: inout ArticleDocument) throws {
        overlap.enter()
        defer { overlap.leave() }
        usleep(1_500)
    }
}

private final class Lines: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.withLock { count += 1 } }
    var total: Int { lock.withLock { count } }
}

/// `jobs` bounds how many articles are tagged at once, whatever the number of cores, and a run
/// tags every file once however its files are shared among tasks.
@Suite("jobs: articles tagged at once")
struct TagRunJobsTests {
    @Test("gazette tag tags at most `jobs` articles at once", arguments: [1, 2])
    func tagRunHonoursJobs(jobs: Int) async throws {
        let dir = try TemporaryDirectory()
        for index in 0..<48 { try dir.write("in/\(index).txt", "Article \(index)\n\nSome text about Paris.") }
        let overlap = Overlap()
        let run = TagRun(
            pipeline: Pipeline(stages: [OverlapStage(overlap: overlap)], pipelineHash: "test"), reader: ArticleReader(),
            walker: DirectoryWalker(extensions: ["txt"]), jobs: jobs, batchSize: 10, keepText: false, configHash: "test")
        let sink = CollectingSink()
        let summary = try await run.run(dir.path + "/in", into: sink)
        #expect(summary.counts.tagged == 48)
        #expect(overlap.highest >= 1)
        // On a machine with more cores than `jobs` (CI has 2), the cooperative pool alone would
        // run more at once: `--jobs 1` used to tag two articles at a time there.
        #expect(overlap.highest <= jobs)
    }

    @Test("gazette stream tags at most `jobs` lines at once", arguments: [1, 2])
    func streamRunHonoursJobs(jobs: Int) async throws {
        let overlap = Overlap()
        let run = StreamRun(pipeline: Pipeline(stages: [OverlapStage(overlap: overlap)], pipelineHash: "test"), jobs: jobs)
        let input = (1...40).map { "{\"id\": \"a\($0)\", \"text\": \"article \($0)\"}" }.joined(separator: "\n") + "\n"
        let dir = try TemporaryDirectory()
        let path = try dir.write("in.jsonl", input)
        let descriptor = open(path, O_RDONLY)
        #expect(descriptor >= 0)
        defer { close(descriptor) }
        let lines = Lines()
        let summary = try await run.run(input: descriptor) { _ in lines.add() }
        #expect(summary.tagged == 40 && lines.total == 40)
        #expect(overlap.highest >= 1)
        #expect(overlap.highest <= jobs)
    }

    @Test("files past a task's byte budget go to another task; every file is tagged once")
    func largeFilesAreShared() async throws {
        let dir = try TemporaryDirectory()
        // 300 KB articles: a task reads four (past `TagRun.taskBytes`) and leaves the rest of its
        // eight; small ones between them.
        var expected: Set<String> = []
        let paragraph = String(repeating: "Officials in Paris met reporters on Monday. ", count: 7_000)
        for index in 0..<20 {
            let text = index % 3 == 0 ? "Short article \(index)." : "Long article \(index)\n\n" + paragraph
            expected.insert(try dir.write("in/\(String(format: "%02d", index)).txt", text))
        }
        #expect(paragraph.utf8.count > 300_000 && 4 * paragraph.utf8.count > TagRun.taskBytes)
        for jobs in [1, 2] {
            let sink = CollectingSink()
            let run = TagRun(
                pipeline: Pipeline(stages: [], pipelineHash: "test"), reader: ArticleReader(),
                walker: DirectoryWalker(extensions: ["txt"]), jobs: jobs, batchSize: 7, keepText: false, configHash: "test")
            let summary = try await run.run(dir.path + "/in", into: sink)
            #expect(summary.counts.tagged == 20 && summary.files == 20, "jobs \(jobs)")
            let keys = sink.documents.map(\.article.key)
            #expect(keys.count == 20 && Set(keys) == expected, "jobs \(jobs)")
        }
    }
}
