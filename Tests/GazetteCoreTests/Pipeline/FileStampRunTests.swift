import Foundation
import Testing
@testable import GazetteCore

/// A re-run skips a whole file unread when it still has the stamp stored with its article
/// (`FileStamp`), and records the stamp of a file it had to read to find it unchanged.
@Suite("Tag runs and file stamps")
struct FileStampRunTests {
    typealias RecordingSink = RunFaultTests.RecordingSink
    typealias Fingerprints = RunFaultTests.Fingerprints

    func makeRun(settle: Duration = .zero) -> TagRun {
        var reader = ArticleReader()
        reader.stampSettle = settle
        return TagRun(
            pipeline: Pipeline(stages: [], pipelineHash: "test"), reader: reader,
            walker: DirectoryWalker(extensions: ["txt", "jsonl"]), jobs: 2, batchSize: 4, keepText: false,
            configHash: "test")
    }


    @Test("a file that still has its stored stamp is skipped unread: a stored hash it does not match is never looked at")
    func stampedFileIsSkippedUnread() async throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("a.txt", "Title\nBody.\n")
        let stamp = try #require(FileStamp.of(path: path))
        // The stored hash is not the file's: only a run that reads the file can notice.
        let known = [path: ArticleFingerprint(contentHash: "not the file's hash", pipelineHash: "test", fileStamp: stamp)]
        let sink = RecordingSink(known: known)
        let summary = try await makeRun().run(dir.path, into: sink)
        #expect(summary.counts.skipped == 1)
        #expect(summary.counts.tagged == 0)
        #expect(summary.bytes == 12)
        #expect(sink.saved.isEmpty)
        #expect(sink.stampUpdates.isEmpty)
    }

    @Test("a file whose stamp differs from the stored one is read: tagged when its bytes changed, else skipped and stamped")
    func changedStampIsRead() async throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("a.txt", "Title\nBody.\n")
        let current = try #require(FileStamp.of(path: path))
        var other = current
        other.inode &+= 1
        let hash = ContentHash.hex(Array("Title\nBody.\n".utf8))

        let changed = RecordingSink(known: [path: ArticleFingerprint(contentHash: "old bytes", pipelineHash: "test", fileStamp: other)])
        let tagged = try await makeRun().run(dir.path, into: changed)
        #expect(tagged.counts.tagged == 1)
        #expect(changed.saved.map(\.article.fileStamp) == [current])
        #expect(changed.stampUpdates.isEmpty)

        for stored in [other, nil] as [FileStamp?] {
            let same = RecordingSink(known: [path: ArticleFingerprint(contentHash: hash, pipelineHash: "test", fileStamp: stored)])
            let skipped = try await makeRun().run(dir.path, into: same)
            #expect(skipped.counts.skipped == 1)
            #expect(same.saved.isEmpty)
            #expect(same.stampUpdates == [FileStampUpdate(key: path, contentHash: hash, stamp: current)])
        }
    }

    @Test("a file read the full way (not UTF-8) and found unchanged is stamped too, then skipped unread")
    func fallbackDecodedFileIsStamped() async throws {
        let dir = try TemporaryDirectory()
        // "Café talks" in Windows-1252: read the full way, with a warning.
        let bytes: [UInt8] = Array("Caf".utf8) + [0xE9] + Array(" talks\nBody.\n".utf8)
        let path = try dir.write("latin.txt", bytes: bytes)
        let stamp = try #require(FileStamp.of(path: path))
        let unstamped = RecordingSink(known: [path: ArticleFingerprint(contentHash: ContentHash.hex(bytes), pipelineHash: "test")])
        let first = try await makeRun().run(dir.path, into: unstamped)
        #expect(first.counts.skipped == 1)
        #expect(first.issues.map(\.severity) == [.warning])
        #expect(unstamped.stampUpdates == [FileStampUpdate(key: path, contentHash: ContentHash.hex(bytes), stamp: stamp)])

        let stamped = RecordingSink(known: [path: ArticleFingerprint(contentHash: "not read", pipelineHash: "test", fileStamp: stamp)])
        let second = try await makeRun().run(dir.path, into: stamped)
        #expect(second.counts.skipped == 1)
        #expect(second.issues.isEmpty)
        #expect(stamped.stampUpdates.isEmpty)
    }

    @Test("a stored stamp is trusted only with the current pipeline: after a pipeline change the file is read and tagged")
    func stampNeedsTheCurrentPipeline() async throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("a.txt", "Title\nBody.\n")
        let stamp = try #require(FileStamp.of(path: path))
        let sink = RecordingSink(known: [path: ArticleFingerprint(contentHash: "old", pipelineHash: "older pipeline", fileStamp: stamp)])
        let summary = try await makeRun().run(dir.path, into: sink)
        #expect(summary.counts.tagged == 1)
        #expect(sink.saved.first?.article.contentHash == ContentHash.hex(Array("Title\nBody.\n".utf8)))
    }

    @Test("files changed within the settle time get no stamp, tagged or found unchanged")
    func unsettledFilesAreNotStamped() async throws {
        let dir = try TemporaryDirectory()
        let a = try dir.write("a.txt", "First\nBody.\n")
        try dir.write("b.txt", "Second\nBody.\n")
        let sink = RecordingSink(known: [a: ArticleFingerprint(contentHash: ContentHash.hex(Array("First\nBody.\n".utf8)), pipelineHash: "test")])
        let summary = try await makeRun(settle: .seconds(3600)).run(dir.path, into: sink)
        #expect(summary.counts.skipped == 1)
        #expect(summary.counts.tagged == 1)
        #expect(sink.saved.map(\.article.fileStamp) == [nil])
        #expect(sink.stampUpdates.isEmpty)
    }

    @Test("stamps found on an unchanged re-run go to the sink a batch's worth at a time")
    func stampUpdatesAreBatched() async throws {
        let dir = try TemporaryDirectory()
        var known: [String: ArticleFingerprint] = [:]
        for index in 0..<10 {
            let text = "Article \(index)\nBody.\n"
            let path = try dir.write(String(format: "%02d.txt", index), text)
            known[path] = ArticleFingerprint(contentHash: ContentHash.hex(Array(text.utf8)), pipelineHash: "test")
        }
        let sink = RecordingSink(known: known)
        let summary = try await makeRun().run(dir.path, into: sink)
        #expect(summary.counts.skipped == 10)
        #expect(Set(sink.stampUpdates.map(\.key)) == Set(known.keys))
        #expect(sink.stampUpdates.allSatisfy { FileStamp.of(path: $0.key) == $0.stamp && known[$0.key]?.contentHash == $0.contentHash })
        #expect(sink.stampBatchSizes.reduce(0, +) == 10)
        #expect(sink.stampBatchSizes.allSatisfy { $0 <= 4 }, "\(sink.stampBatchSizes)")
        #expect(sink.batchSizes.isEmpty)
    }
}
