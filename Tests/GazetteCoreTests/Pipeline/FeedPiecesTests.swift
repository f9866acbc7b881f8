import CZlib
import Foundation
import Testing
@testable import GazetteCore

/// A stage that takes longer on some lines, so that pieces tagged concurrently finish out of order.
private struct UnevenLines: Stage {
    static let name = "uneven"
    func process(_ document: inout ArticleDocument) throws {
        usleep(UInt32(((document.article.line ?? 0) * 7919 % 5) * 400))
    }
}

/// JSON-lines files read and tagged in pieces (`JSONLinesFeed`, `FeedInProgress`): whatever the
/// piece size and `--jobs`, a run gives what reading the whole file gives.
@Suite("JSON-lines files in pieces")
struct FeedPiecesTests {
    @Test("work in flight: up to the limit")
    func window() {
        var window = InFlightWork(limit: 2)
        window.start()
        #expect(window.hasRoom)
        window.start()
        #expect(!window.hasRoom)
        window.finish()
        #expect(window.hasRoom)
        #expect(ArticleFormat(path: "/a/b.jsonl") == .jsonLines)
        #expect(ArticleFormat(path: "/a/B.JSONL") == .jsonLines)
        #expect(ArticleFormat(path: "/a/b.txt") == .text)
        #expect(ArticleFormat(path: "/a.jsonl/readme") == nil)
    }

    /// Random file content: lines of random lengths, blank lines, "\r\n" ends, a last line with or
    /// without its line feed.
    static func randomLines(_ generator: inout some RandomNumberGenerator) -> [UInt8] {
        var bytes: [UInt8] = []
        for _ in 0..<Int.random(in: 0...12, using: &generator) {
            switch Int.random(in: 0..<6, using: &generator) {
            case 0: bytes += Array("\n".utf8)
            case 1: bytes += Array("  \r\n".utf8)
            default:
                let length = Int.random(in: 1...40, using: &generator)
                bytes += (0..<length).map { _ in UInt8.random(in: 0x61...0x7A, using: &generator) }
                bytes += Bool.random(using: &generator) ? [0x0A] : [0x0D, 0x0A]
            }
        }
        if Bool.random(using: &generator) { bytes += Array("last".utf8) }
        return bytes
    }

    @Test("pieces are the file's whole lines, in order, with their first line numbers, at every piece size")
    func piecesCoverTheFile() throws {
        let dir = try TemporaryDirectory()
        var generator = SystemRandomNumberGenerator()
        for round in 0..<200 {
            let bytes = Self.randomLines(&generator)
            let path = try dir.write("feed-\(round).jsonl", bytes: bytes)
            for pieceBytes in [1, 2, 5, 17, 1 << 20] {
                var feed = try JSONLinesFeed(path: path, pieceBytes: pieceBytes, maxLineBytes: 1 << 20)
                var joined: [UInt8] = []
                var expectedLine = 1
                var expectedIndex = 0
                while let piece = feed.next() {
                    #expect(piece.index == expectedIndex)
                    #expect(piece.firstLine == expectedLine)
                    #expect(piece.issues.isEmpty)
                    #expect(!piece.bytes.isEmpty)
                    // Every piece but the file's last ends a line.
                    if joined.count + piece.bytes.count < bytes.count { #expect(piece.bytes.last == 0x0A) }
                    joined += piece.bytes
                    expectedLine += piece.bytes.filter { $0 == 0x0A }.count
                    expectedIndex += 1
                }
                #expect(joined == bytes, "piece size \(pieceBytes)")
                #expect(feed.next() == nil)
            }
        }
    }

    @Test("a line over the limit is skipped and named, whatever its length and place; the others are tagged")
    func longLines() async throws {
        let dir = try TemporaryDirectory()
        let long = "{\"text\": \"" + String(repeating: "x", count: 299_988) + "\"}"
        #expect(long.utf8.count == 300_000)
        func line(_ id: String) -> String { "{\"id\": \"\(id)\", \"text\": \"Story \(id) from Oslo.\"}" }
        let cases: [(text: String, skipped: [Int], kept: [String])] = [
            ("\(line("a"))\n\(long)\n\(line("b"))\n", [2], ["a", "b"]),
            ("\(long)\n\(line("b"))", [1], ["b"]),
            ("\(line("a"))\r\n\(long)", [2], ["a"]),
            ("\(line("a"))\n\(long)\n\(long)\n\(line("c"))\n", [2, 3], ["a", "c"]),
        ]
        for (text, skipped, kept) in cases {
            let path = try dir.write("in/long.jsonl", text)
            for pieceBytes in [3, 1000, 1 << 20] {
                let sink = CollectingSink()
                var run = TagRun(
                    pipeline: Pipeline(stages: [], pipelineHash: "test"), reader: ArticleReader(maxFileBytes: 100_000),
                    walker: DirectoryWalker(extensions: ["jsonl"]), jobs: 2, batchSize: 5, keepText: false, configHash: "test")
                run.feedPieceBytes = pieceBytes
                let summary = try await run.run(dir.path + "/in", into: sink)
                #expect(sink.documents.map(\.article.key) == kept.map { path + "#" + $0 }, "pieces of \(pieceBytes)")
                #expect(summary.issues.map(\.line) == skipped)
                #expect(summary.issues.allSatisfy {
                    $0.severity == .error && $0.message == "line is 300000 bytes, over the limit of 100000 bytes (input.maxFileBytes); skipped"
                }, "\(summary.issues)")
            }
        }
    }

    @Test("a file appended to while it is read: its unfinished last line is not tagged, and said so")
    func fileChangedWhileRead() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("growing.jsonl", "one\ntwo\nthr")
        var feed = try JSONLinesFeed(path: path, pieceBytes: 4, maxLineBytes: 1 << 20)
        let first = feed.next()
        #expect(first.map { String(decoding: $0.bytes, as: UTF8.self) } == "one\n")
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data("ee\nfo".utf8))
        try handle.close()
        var rest: [UInt8] = []
        var issues: [ArticleIssue] = []
        while let piece = feed.next() {
            rest += piece.bytes
            issues += piece.issues
        }
        #expect(String(decoding: rest, as: UTF8.self) == "two\nthree\n")
        #expect(issues.count == 1 && issues[0].severity == .error && issues[0].line == 4, "\(issues)")
        #expect(issues.first?.message.contains("file changed while it was being read") == true)

        // A change after the last line feed was read: every line read was whole, a warning only.
        let complete = try dir.write("complete.jsonl", "one\ntwo\n")
        var second = try JSONLinesFeed(path: complete, pieceBytes: 4, maxLineBytes: 1 << 20)
        #expect(second.next() != nil)
        try Data("one\ntwo\nthree\n".utf8).write(to: URL(fileURLWithPath: complete))
        var warnings: [ArticleIssue] = []
        while let piece = second.next() { warnings += piece.issues }
        #expect(warnings.map(\.severity).contains(.warning), "\(warnings)")
    }

    @Test("a file that cannot be opened or is not a regular file is refused by name")
    func unreadable() throws {
        let dir = try TemporaryDirectory()
        #expect(throws: JSONLinesFeed.OpenFailure.self) {
            try JSONLinesFeed(path: dir.path + "/missing.jsonl", pieceBytes: 10, maxLineBytes: 10)
        }
        #expect(throws: JSONLinesFeed.OpenFailure.self) {
            try JSONLinesFeed(path: dir.path, pieceBytes: 10, maxLineBytes: 10)
        }
    }

    /// A feed with what a reader must handle: bad JSON, missing text, duplicate ids (some in other
    /// pieces than their first use), a Windows-1252 line, blank lines and "\r\n".
    static func awkwardFeed(lines count: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        for number in 0..<count {
            switch number % 23 {
            case 3: bytes += Array("{\"id\": \"broken\", \"text\": \n".utf8)
            case 7: bytes += Array("\n".utf8)
            case 9: bytes += Array("{\"id\": \"no-text\"}\r\n".utf8)
            case 13: bytes += Array("{\"id\": \"a\(number - 11)\", \"text\": \"a duplicate of an earlier line\"}\n".utf8)
            case 17: bytes += Array("{\"id\": \"w\(number)\", \"text\": \"Caf".utf8) + [0xE9] + Array(" in Paris\"}\n".utf8)
            case 19: bytes += Array("{\"text\": \"no id, line \(number)\", \"date\": \"someday\"}\n".utf8)
            default: bytes += Array("{\"id\": \"a\(number)\", \"title\": \"T\(number)\", \"text\": \"Article \(number) about London.\"}\n".utf8)
            }
        }
        return bytes
    }

    @Test("a run reads a feed in pieces as it reads the whole file: same articles, same issues in line order, any piece size and jobs")
    func runMatchesWholeFileRead() async throws {
        let dir = try TemporaryDirectory()
        let feedPath = try dir.write("in/feed.jsonl", bytes: Self.awkwardFeed(lines: 300))
        try dir.write("in/empty.jsonl", "")
        try dir.write("in/blank.jsonl", "\n  \n")
        try dir.write("in/story.txt", "A story\nabout Berlin.\n")
        let whole = ArticleReader().read(fileAt: feedPath)
        #expect(whole.articles.count > 200 && whole.issues.count > 40)

        for pieceBytes in [1, 100, 4096, TagRun.defaultFeedPieceBytes] {
            for jobs in [1, 3] {
                let sink = CollectingSink()
                var run = TagRun(
                    pipeline: Pipeline(stages: [UnevenLines()], pipelineHash: "test"), reader: ArticleReader(),
                    walker: DirectoryWalker(extensions: ["txt", "jsonl"]), jobs: jobs, batchSize: 7, keepText: false,
                    configHash: "test")
                run.feedPieceBytes = pieceBytes
                let summary = try await run.run(dir.path + "/in", into: sink)
                let fromFeed = sink.documents.filter { $0.article.path == feedPath }
                #expect(fromFeed.map(\.article.key) == whole.articles.map(\.key), "pieces of \(pieceBytes), \(jobs) jobs")
                #expect(fromFeed.map(\.article.text) == whole.articles.map(\.text))
                #expect(fromFeed.map(\.article.contentHash) == whole.articles.map(\.contentHash))
                #expect(summary.issues.filter { $0.path == feedPath } == whole.issues)
                #expect(summary.issues.filter { $0.path.hasSuffix("empty.jsonl") }.map(\.message) == ["empty file: nothing to tag"])
                #expect(summary.issues.filter { $0.path.hasSuffix("blank.jsonl") }.map(\.message) == ["empty file: nothing to tag"])
                #expect(summary.counts.tagged == whole.articles.count + 1)
                #expect(summary.counts.failed == whole.issues.filter { $0.severity == .error }.count + 2)
                #expect(summary.files == 4)
                #expect(summary.bytes == whole.articles.map(\.byteSize).reduce(0, +) + 22)
            }
        }
    }

    @Test("one feed reports its progress piece by piece: articles and bytes grow, the file is done at the end")
    func progressOfOneFeed() async throws {
        let dir = try TemporaryDirectory()
        try dir.write("in/feed.jsonl", bytes: Self.awkwardFeed(lines: 300))
        final class Reports: @unchecked Sendable {
            let lock = NSLock()
            var seen: [TagRun.Progress] = []
        }
        let reports = Reports()
        var run = TagRun(
            pipeline: Pipeline(stages: [], pipelineHash: "test"), reader: ArticleReader(),
            walker: DirectoryWalker(extensions: ["jsonl"]), jobs: 2, batchSize: 50, keepText: false, configHash: "test")
        run.feedPieceBytes = 2_000
        let summary = try await run.run(dir.path + "/in", into: CollectingSink()) { progress in
            reports.lock.withLock { reports.seen.append(progress) }
        }
        let seen = reports.seen
        #expect(seen.count > 5)
        #expect(seen.allSatisfy { $0.filesTotal == 1 })
        #expect(seen.dropLast().allSatisfy { $0.filesDone == 0 } && seen.last?.filesDone == 1)
        #expect(zip(seen, seen.dropFirst()).allSatisfy { $0.bytes <= $1.bytes && $0.counts.tagged <= $1.counts.tagged })
        #expect(seen.last?.bytes == summary.bytes && seen.last?.counts.tagged == summary.counts.tagged)
    }

    @Test("a feed larger than input.maxFileBytes is tagged; only a line over it is refused")
    func feedOverTheFileLimit() async throws {
        let dir = try TemporaryDirectory()
        var text = ""
        for number in 0..<200 { text += "{\"id\": \"\(number)\", \"text\": \"Article \(number) about Rome.\"}\n" }
        text += "{\"id\": \"long\", \"text\": \"" + String(repeating: "word ", count: 400) + "\"}\n"
        text += "{\"id\": \"after\", \"text\": \"The line after the long one.\"}\n"
        try dir.write("in/feed.jsonl", text)
        let sink = CollectingSink()
        let run = TagRun(
            pipeline: Pipeline(stages: [], pipelineHash: "test"), reader: ArticleReader(maxFileBytes: 1000),
            walker: DirectoryWalker(extensions: ["jsonl"]), jobs: 2, batchSize: 50, keepText: false, configHash: "test")
        let summary = try await run.run(dir.path + "/in", into: sink)
        #expect(text.utf8.count > 10_000)
        #expect(summary.counts.tagged == 201)
        #expect(summary.failures.map(\.line) == [201])
        #expect(summary.failures.first?.message.contains("over the limit of 1000 bytes (input.maxFileBytes)") == true)
        #expect(sink.documents.last?.article.key.hasSuffix("#after") == true)
    }

    /// `bytes` gzip-compressed, as `members` gzip streams one after another (as `cat a.gz b.gz`).
    static func gzip(_ bytes: [UInt8], to path: String, members: Int = 1) throws {
        for member in 0..<members {
            let file = try #require(gzopen(path, member == 0 ? "wb" : "ab"))
            let part = bytes[bytes.count * member / members..<bytes.count * (member + 1) / members]
            if !part.isEmpty {
                let written = Array(part).withUnsafeBytes { gzwrite(file, $0.baseAddress, UInt32($0.count)) }
                #expect(written == Int32(part.count))
            }
            #expect(gzclose(file) == Z_OK)
        }
    }

    @Test("a gzip-compressed feed gives what the same feed uncompressed gives, in one or several gzip streams")
    func compressedFeed() async throws {
        let dir = try TemporaryDirectory()
        let bytes = Self.awkwardFeed(lines: 300)
        let plain = try dir.write("plain/feed.jsonl", bytes: bytes)
        try FileManager.default.createDirectory(atPath: dir.path + "/gz", withIntermediateDirectories: true)
        let compressed = dir.path + "/gz/feed.jsonl.gz"
        #expect(ArticleFormat(path: compressed) == .jsonLines)
        #expect(articleExtension(of: "/a/B.NDJSON.GZ") == "ndjson.gz" && articleExtension(of: "/a/.gz") == "" && articleExtension(of: "/a/b.gz") == "gz")
        let whole = ArticleReader().read(fileAt: plain)
        for members in [1, 3] {
            try Self.gzip(bytes, to: compressed, members: members)
            #expect(try Data(contentsOf: URL(fileURLWithPath: compressed)).count < bytes.count / 2)
            for pieceBytes in [100, TagRun.defaultFeedPieceBytes] {
                let sink = CollectingSink()
                var run = TagRun(
                    pipeline: Pipeline(stages: [], pipelineHash: "test"), reader: ArticleReader(),
                    walker: DirectoryWalker(extensions: Set(PipelineSettings.InputSettings().extensions)), jobs: 2, batchSize: 7,
                    keepText: false, configHash: "test")
                run.feedPieceBytes = pieceBytes
                let summary = try await run.run(dir.path + "/gz", into: sink)
                #expect(sink.documents.map(\.article.key) == whole.articles.map { $0.key.replacingOccurrences(of: plain, with: compressed) })
                #expect(sink.documents.map(\.article.text) == whole.articles.map(\.text))
                #expect(sink.documents.map(\.article.contentHash) == whole.articles.map(\.contentHash))
                #expect(summary.issues.map(\.message) == whole.issues.map(\.message))
                #expect(summary.issues.map(\.line) == whole.issues.map(\.line))
            }
            // Whole-file reading (evaluation, bench-stages) decompresses too.
            #expect(ArticleReader().read(fileAt: compressed).articles.map(\.text) == whole.articles.map(\.text))
        }
    }

    @Test("a gzip feed cut short gives its whole lines and an error where it stops; damaged data is an error")
    func damagedCompressedFeed() async throws {
        let dir = try TemporaryDirectory()
        let lines = (0..<2_000).map { "{\"id\": \"\($0)\", \"text\": \"Article \($0) about Lisbon and \(($0 * 7919) % 1000).\"}" }
        let full = dir.path + "/full.jsonl.gz"
        try Self.gzip(Array((lines.joined(separator: "\n") + "\n").utf8), to: full)
        let compressedBytes = try Data(contentsOf: URL(fileURLWithPath: full))
        try FileManager.default.createDirectory(atPath: dir.path + "/in", withIntermediateDirectories: true)
        let cut = dir.path + "/in/cut.jsonl.gz"
        try compressedBytes.prefix(compressedBytes.count / 2).write(to: URL(fileURLWithPath: cut))
        var damaged = [UInt8](compressedBytes)
        for offset in stride(from: damaged.count / 3, to: damaged.count / 3 + 64, by: 1) { damaged[offset] ^= 0x5A }
        let broken = dir.path + "/in/damaged.jsonl.gz"
        try Data(damaged).write(to: URL(fileURLWithPath: broken))

        let sink = CollectingSink()
        let run = TagRun(
            pipeline: Pipeline(stages: [], pipelineHash: "test"), reader: ArticleReader(),
            walker: DirectoryWalker(extensions: ["jsonl.gz"]), jobs: 2, batchSize: 50, keepText: false, configHash: "test")
        let summary = try await run.run(dir.path + "/in", into: sink)
        let fromCut = sink.documents.filter { $0.article.path == cut }
        #expect(fromCut.count > 100 && fromCut.count < 2_000)
        // Every article read is whole and in order: the first lines of the file.
        #expect(fromCut.map(\.article.sourceID) == (0..<fromCut.count).map { "\($0)" })
        let cutIssues = summary.issues.filter { $0.path == cut }
        #expect(cutIssues.count == 1 && cutIssues[0].severity == .error && cutIssues[0].line == fromCut.count + 1, "\(cutIssues)")
        #expect(cutIssues.first?.message.contains("compressed file ends in the middle of its data") == true)
        let brokenIssues = summary.issues.filter { $0.path == broken }
        #expect(brokenIssues.contains { $0.severity == .error && $0.message.hasPrefix("read error: ") }, "\(brokenIssues)")
        #expect(sink.documents.filter { $0.article.path == broken }.count < 2_000)
    }

    @Test("what the reader meets at a file's end comes after the errors of the lines before it")
    func readerIssuesInLineOrder() async throws {
        let dir = try TemporaryDirectory()
        let lines = (0..<2_000).map { $0 == 2 ? "not json" : "{\"id\": \"\($0)\", \"text\": \"Article \($0) about Porto, \(($0 * 7919) % 1000).\"}" }
        let full = dir.path + "/full.jsonl.gz"
        try Self.gzip(Array((lines.joined(separator: "\n") + "\n").utf8), to: full)
        let compressed = try Data(contentsOf: URL(fileURLWithPath: full))
        try FileManager.default.createDirectory(atPath: dir.path + "/in", withIntermediateDirectories: true)
        try compressed.prefix(compressed.count / 2).write(to: URL(fileURLWithPath: dir.path + "/in/cut.jsonl.gz"))
        let run = TagRun(
            pipeline: Pipeline(stages: [], pipelineHash: "test"), reader: ArticleReader(),
            walker: DirectoryWalker(extensions: ["jsonl.gz"]), jobs: 2, batchSize: 50, keepText: false, configHash: "test")
        let summary = try await run.run(dir.path + "/in", into: CollectingSink())
        #expect(summary.issues.count == 2, "\(summary.issues)")
        #expect(summary.issues.first?.line == 3 && summary.issues.first?.message.hasPrefix("malformed JSON") == true)
        #expect(summary.issues.last?.message.contains("compressed file ends in the middle of its data") == true)
        #expect(summary.counts.failed == 2)
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
