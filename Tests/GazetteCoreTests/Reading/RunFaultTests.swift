import Foundation
import Testing
@testable import GazetteCore

/// Faults met while a run is going on: files that vanish or change after listing, and interruption.
@Suite("Tag run faults")
struct RunFaultTests {
    /// Records what a run writes, and runs a hook after the files are found and before any is read:
    /// when the first file's stored fingerprints are asked for (its directory has been read, and no
    /// file is read before its fingerprints are asked for).
    final class RecordingSink: TagSink, @unchecked Sendable {
        private let lock = NSLock()
        private var savedDocuments: [ArticleDocument] = []
        private var batches: [Int] = []
        private var finished: [RunStatus] = []
        let known: [String: ArticleFingerprint]
        let unreadable: Set<String>
        let afterListing: @Sendable () throws -> Void
        /// The hook has run (the lookup is asked from one task, and the hook runs once).
        private var hooked = false

        init(
            known: [String: ArticleFingerprint] = [:], unreadable: Set<String> = [],
            afterListing: @escaping @Sendable () throws -> Void = {}
        ) {
            self.known = known
            self.unreadable = unreadable
            self.afterListing = afterListing
        }

        private var recordedStamps: [FileStampUpdate] = []
        private var stampCalls: [Int] = []

        var saved: [ArticleDocument] { lock.withLock { savedDocuments } }
        var stampUpdates: [FileStampUpdate] { lock.withLock { recordedStamps } }
        var stampBatchSizes: [Int] { lock.withLock { stampCalls } }
        var batchSizes: [Int] { lock.withLock { batches } }
        var statuses: [RunStatus] { lock.withLock { finished } }

        func storedFingerprints() throws -> any FingerprintLookup {
            Fingerprints(known: known, unreadable: unreadable) { [self] in
                if lock.withLock({ hooked }) { return }
                lock.withLock { hooked = true }
                try afterListing()
            }
        }
        func beginRun(configHash: String, pipelineVersion: String) throws -> Int64 { 1 }
        func save(_ documents: [ArticleDocument], pipelineHash: String, runID: Int64, keepText: Bool) throws {
            lock.withLock {
                savedDocuments.append(contentsOf: documents)
                batches.append(documents.count)
            }
        }
        func finishRun(id: Int64, status: RunStatus, counts: RunCounts) throws {
            lock.withLock { finished.append(status) }
        }
        func recordFileStamps(_ updates: [FileStampUpdate]) throws {
            lock.withLock {
                recordedStamps.append(contentsOf: updates)
                stampCalls.append(updates.count)
            }
        }
    }

    /// Stored fingerprints from a dictionary; a file in `unreadable` fails as a broken store would
    /// (the files before it in a call are answered, as a store may answer only the first files).
    struct Fingerprints: FingerprintLookup {
        var known: [String: ArticleFingerprint]
        var unreadable: Set<String> = []
        /// Runs before each answer.
        var beforeAnswer: () throws -> Void = {}

        func fingerprints(ofFiles paths: [String]) throws -> [[String: ArticleFingerprint]] {
            try beforeAnswer()
            var answers: [[String: ArticleFingerprint]] = []
            for path in paths {
                if unreadable.contains(path) {
                    if answers.isEmpty { throw CocoaError(.fileReadCorruptFile) }
                    break
                }
                answers.append(known.filter { $0.key == path || $0.key.hasPrefix(path + "#") })
            }
            return answers
        }

        /// Fails for the articles of a file in `unreadable`.
        func fingerprints(ofKeys keys: [String]) throws -> [String: ArticleFingerprint] {
            try beforeAnswer()
            if keys.contains(where: { key in unreadable.contains { key.hasPrefix($0 + "#") } }) { throw CocoaError(.fileReadCorruptFile) }
            return known.filter { keys.contains($0.key) }
        }
    }

    func makeRun(batchSize: Int, jobs: Int = 2, extensions: Set<String> = ["txt"]) -> TagRun {
        TagRun(
            pipeline: Pipeline(stages: [], pipelineHash: "test"), reader: ArticleReader(),
            walker: DirectoryWalker(extensions: extensions), jobs: jobs, batchSize: batchSize, keepText: false,
            configHash: "test")
    }

    @Test("a file deleted after listing is an error naming it; a file changed after listing is read as it is now")
    func deletedAndChangedDuringRun() async throws {
        let dir = try TemporaryDirectory()
        let a = try dir.write("a.txt", "First article\nbody\n")
        let b = try dir.write("b.txt", "Second article\nbody\n")
        let c = try dir.write("c.txt", "Third article\nold body\n")
        let sink = RecordingSink {
            try FileManager.default.removeItem(atPath: b)
            try Data("Third article, revised\nnew body\n".utf8).write(to: URL(fileURLWithPath: c))
        }
        let summary = try await makeRun(batchSize: 2).run(dir.path, into: sink)
        #expect(summary.files == 3)
        #expect(summary.counts.tagged == 2)
        #expect(summary.counts.failed == 1)
        #expect(summary.failures.map(\.description) == ["\(b): error: cannot open: No such file or directory"])
        #expect(sink.saved.map(\.article.key) == [a, c])
        #expect(sink.saved.last?.article.title == "Third article, revised")
        #expect(sink.saved.last?.article.contentHash == ContentHash.hex(Array("Third article, revised\nnew body\n".utf8)))
        #expect(sink.statuses == [.completed])
    }

    @Test("with a progress callback the files are counted first: every report has the total; without one the run needs no count")
    func progressTotals() async throws {
        let dir = try TemporaryDirectory()
        for index in 0..<7 { try dir.write("d\(index % 3)/\(index).txt", "Article \(index)\nbody\n") }
        final class Reports: @unchecked Sendable {
            let lock = NSLock()
            var seen: [TagRun.Progress] = []
        }
        let reports = Reports()
        let summary = try await makeRun(batchSize: 2).run(dir.path, into: RecordingSink()) { progress in
            reports.lock.withLock { reports.seen.append(progress) }
        }
        #expect(summary.files == 7)
        #expect(reports.seen.count == 7)
        #expect(reports.seen.allSatisfy { $0.filesTotal == 7 })
        #expect(reports.seen.map(\.filesDone) == Array(1...7))
        let quiet = try await makeRun(batchSize: 2).run(dir.path, into: RecordingSink())
        #expect(quiet.files == 7)
        #expect(quiet.counts.tagged == 7)
    }

    @Test("a batch is written when it reaches batchSize articles or batchTextBytes bytes of text, whichever comes first")
    func batchesAreCutByCountAndByBytes() async throws {
        let dir = try TemporaryDirectory()
        // Ten files of 100 bytes, then five of 1,000.
        for index in 0..<15 {
            let size = index < 10 ? 100 : 1_000
            let head = "Article \(index)\n"
            try dir.write(String(format: "%02d.txt", index), head + String(repeating: "x", count: size - head.utf8.count - 1) + "\n")
        }
        func batches(batchSize: Int, batchTextBytes: Int) async throws -> [Int] {
            let sink = RecordingSink()
            let run = TagRun(
                pipeline: Pipeline(stages: [], pipelineHash: "test"), reader: ArticleReader(),
                walker: DirectoryWalker(extensions: ["txt"]), jobs: 1, batchSize: batchSize,
                batchTextBytes: batchTextBytes, keepText: false, configHash: "test")
            let summary = try await run.run(dir.path, into: sink)
            #expect(summary.counts.tagged == 15)
            #expect(sink.saved.map(\.article.byteSize) == Array(repeating: 100, count: 10) + Array(repeating: 1_000, count: 5))
            return sink.batchSizes
        }
        // Bytes first: the eleventh article brings the batch to 2,000 bytes, then every second long one.
        #expect(try await batches(batchSize: 100, batchTextBytes: 2_000) == [11, 2, 2])
        // Count first.
        #expect(try await batches(batchSize: 4, batchTextBytes: 2_000) == [4, 4, 4, 2, 1])
        #expect(TagRun.defaultBatchTextBytes == 32 << 20)
        #expect(PipelineSettings.StoreSettings().batchSize == 4096)
    }

    @Test("documents reach the store with their tags but without the normalized matching view")
    func normalizedViewIsNotHandedToTheStore() async throws {
        let dir = try TemporaryDirectory()
        try dir.write("a.txt", "First article\nbody from São Paulo\n")
        let sink = RecordingSink()
        let run = TagRun(
            pipeline: Pipeline(stages: [NormalizeStage()], pipelineHash: "test"), reader: ArticleReader(),
            walker: DirectoryWalker(extensions: ["txt"]), jobs: 1, batchSize: 4, keepText: false, configHash: "test")
        let summary = try await run.run(dir.path, into: sink)
        #expect(summary.counts.tagged == 1)
        #expect(sink.saved.count == 1)
        #expect(sink.saved.first?.normalized == nil)
        #expect(sink.saved.first?.article.text == "First article\nbody from São Paulo\n")
    }

    @Test("cancelling a run commits the batch being filled, records it as interrupted, and a re-run does the rest once")
    func cancellationCommitsTheCurrentBatch() async throws {
        let dir = try TemporaryDirectory()
        var paths: [String] = []
        for index in 0..<40 {
            paths.append(try dir.write(String(format: "%02d.txt", index), "Article \(index)\nbody \(index)\n"))
        }
        let sink = RecordingSink()
        let run = makeRun(batchSize: 8, jobs: 1)
        let cancelAfter = 13  // not a multiple of the batch size: a partly filled batch is pending
        let task = TaskBox()
        let root = dir.path
        task.task = Task {
            try await run.run(root, into: sink) { progress in
                if progress.filesDone == cancelAfter { task.cancel() }
            }
        }
        let summary = try await task.task!.value
        #expect(summary.interrupted)
        #expect(sink.statuses == [.interrupted])
        #expect(summary.counts.tagged == cancelAfter)
        // Every article counted as tagged was handed to the sink: the partial batch was not dropped.
        let savedKeys = sink.saved.map(\.article.key)
        #expect(savedKeys.count == cancelAfter)
        #expect(Set(savedKeys).count == savedKeys.count)
        #expect(sink.batchSizes == [8, 5])

        // The next run skips what was committed and tags exactly the rest.
        let known = Dictionary(uniqueKeysWithValues: sink.saved.map {
            ($0.article.key, ArticleFingerprint(contentHash: $0.article.contentHash, pipelineHash: "test"))
        })
        let second = RecordingSink(known: known)
        let rest = try await makeRun(batchSize: 8).run(dir.path, into: second)
        #expect(!rest.interrupted)
        #expect(rest.counts.skipped == cancelAfter)
        #expect(Set(savedKeys + second.saved.map(\.article.key)) == Set(paths))
        #expect(savedKeys.count + second.saved.count == paths.count)
    }

    @Test("a file whose stored hashes cannot be read is an error naming it, not tagged; the rest go on")
    func unreadableFingerprints() async throws {
        let dir = try TemporaryDirectory()
        let a = try dir.write("a.txt", "First article\nbody\n")
        let b = try dir.write("b.txt", "Second article\nbody\n")
        let lines = try dir.write("c.jsonl", """
            {"id": "1", "text": "Third article"}
            {"id": "2", "text": "Fourth article"}
            """)
        let other = try dir.write("d.jsonl", """
            {"id": "1", "text": "Fifth article"}
            """)
        let sink = RecordingSink(unreadable: [b, lines])
        let summary = try await makeRun(batchSize: 2, extensions: ["txt", "jsonl"]).run(dir.path, into: sink)
        #expect(Set(sink.saved.map(\.article.key)) == [a, other + "#1"])
        #expect(summary.counts.tagged == 2)
        // The text file, and both lines of the JSON-lines file (its piece's articles are asked for
        // together), each reported once.
        #expect(summary.counts.failed == 3)
        #expect(summary.failures.map(\.path).sorted() == [b, lines])
        #expect(summary.failures.first { $0.path == b }.map { $0.line == nil && $0.message.hasPrefix("not tagged: cannot read what the store holds for it") } == true)
        #expect(summary.failures.first { $0.path == lines }.map { $0.line == 1 && $0.message.hasPrefix("lines 1–2 not tagged: cannot read what the store holds for them") } == true)
    }

    final class TaskBox: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: Task<TagRun.Summary, Error>?
        var task: Task<TagRun.Summary, Error>? {
            get { lock.withLock { stored } }
            set { lock.withLock { stored = newValue } }
        }
        func cancel() { task?.cancel() }
    }
}
