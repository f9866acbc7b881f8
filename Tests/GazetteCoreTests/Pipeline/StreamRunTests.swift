import Foundation
import Testing
@testable import GazetteCore

/// A stage whose work takes a varying time, so concurrent lines finish out of order, and whose one
/// mention names the article's text, so each output can be traced to its input.
private struct UnevenStage: Stage {
    static let name = "uneven"
    func process(_ document: inout ArticleDocument) throws {
        let text = document.article.text
        usleep(UInt32((text.hashValue & 0x7) * 300))
        if text.contains("FAIL") { throw StreamRun.StreamError(message: "stage refused '\(text)'") }
        let count = text.unicodeScalars.count
        document.mentions = [Mention(entity: EntityRef(key: "k:" + text, name: text, type: .place),
                                     start: 0, end: count, surface: text)]
        document.topics = [TopicScore(label: "t", score: 0.5)]
    }
}

private final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [StreamRun.Record] = []
    func append(_ record: StreamRun.Record) { lock.lock(); items.append(record); lock.unlock() }
    var records: [StreamRun.Record] { lock.lock(); defer { lock.unlock() }; return items }
}

@Suite("Streaming JSON lines through the pipeline")
struct StreamRunTests {
    let run = StreamRun(pipeline: Pipeline(stages: [UnevenStage()], pipelineHash: "test"), jobs: 4)

    /// Runs `input` through the stream from a real file descriptor.
    func stream(_ input: String) async throws -> (StreamRun.Summary, [StreamRun.Record]) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("stream-\(UUID().uuidString).jsonl").path
        try Data(input.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let descriptor = open(path, O_RDONLY)
        #expect(descriptor >= 0)
        defer { close(descriptor) }
        let collected = Collected()
        let summary = try await run.run(input: descriptor) { collected.append($0) }
        return (summary, collected.records)
    }

    func object(_ json: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }

    @Test("200 lines with 4 jobs come out in input order, one record each")
    func orderIsKept() async throws {
        let input = (1...200).map { "{\"id\": \"a\($0)\", \"text\": \"article \($0)\", \"feed\": \"f\($0 % 3)\"}" }
            .joined(separator: "\n") + "\n"
        let (summary, records) = try await stream(input)
        #expect(summary == StreamRun.Summary(lines: 200, tagged: 200, failed: 0))
        #expect(records.map(\.line) == Array(1...200))
        for (index, record) in records.enumerated() {
            let fields = try object(record.json)
            #expect(fields["id"] as? String == "a\(index + 1)")
            let mentions = try #require(fields["mentions"] as? [[String: Any]])
            #expect(mentions.first?["surface"] as? String == "article \(index + 1)")
            #expect((fields["extra"] as? [String: Any])?["feed"] as? String == "f\((index + 1) % 3)")
        }
    }

    @Test("a bad line gives an error record in its place and the rest still come")
    func badLineGoesOn() async throws {
        let input = """
            {"id": "one", "text": "first"}
            {"id": "two", "text": 
            {"id": 3, "text": "FAIL here"}

            {"id": "four", "text": "fourth"}
            """
        let (summary, records) = try await stream(input)
        #expect(summary == StreamRun.Summary(lines: 4, tagged: 2, failed: 2))
        #expect(records.map(\.line) == [1, 2, 3, 5])
        let bad = try object(records[1].json)
        #expect(bad["id"] is NSNull)
        #expect(bad["line"] as? Int == 2)
        #expect((bad["error"] as? String)?.hasPrefix("malformed JSON") == true)
        #expect(records[1].error?.hasPrefix("line 2: malformed JSON") == true)
        let failed = try object(records[2].json)
        #expect(failed["id"] as? String == "3")
        #expect((failed["error"] as? String)?.contains("stage refused") == true)
        #expect(try object(records[3].json)["id"] as? String == "four")
        #expect(records[0].error == nil && records[3].error == nil)
    }

    @Test("the content hash is the SHA-256 of the line's bytes, as `gazette tag` stores it")
    func contentHash() async throws {
        let line = "{\"id\": \"x\", \"text\": \"Zürich \\\"quoted\\\"\"}"
        let (_, records) = try await stream(line + "\r\n")
        let fields = try object(records[0].json)
        #expect(fields["content_hash"] as? String == ContentHash.hex(Array(line.utf8)))
        let outcome = ArticleReader(maxFileBytes: 1 << 20).read(bytes: Array((line + "\n").utf8), path: "/t.jsonl", format: .jsonLines)
        #expect(outcome.articles.first?.contentHash == fields["content_hash"] as? String)
    }

    @Test("a record is emitted while the producer has not yet sent the next line")
    func flushesAsItGoes() async throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let (readEnd, writeEnd) = (fds[0], fds[1])
        defer { close(readEnd) }
        let firstSeen = DispatchSemaphore(value: 0)
        let collected = Collected()
        let writer = Task.detached {
            let first = Array("{\"id\": \"early\", \"text\": \"first\"}\n".utf8)
            _ = first.withUnsafeBytes { write(writeEnd, $0.baseAddress, $0.count) }
            // The second line is only sent once the first record is out.
            let seen = firstSeen.wait(timeout: .now() + 30) == .success
            let second = Array("{\"id\": \"late\", \"text\": \"second\"}\n".utf8)
            _ = second.withUnsafeBytes { write(writeEnd, $0.baseAddress, $0.count) }
            close(writeEnd)
            return seen
        }
        let summary = try await run.run(input: readEnd) { record in
            collected.append(record)
            if record.line == 1 { firstSeen.signal() }
        }
        #expect(await writer.value)
        #expect(summary.tagged == 2)
        #expect(collected.records.map(\.line) == [1, 2])
    }

    @Test("loading a record keeps every score bit for bit (JSONSerialization rounded 0.9999999140950393)")
    func loadKeepsScoresExactly() throws {
        let scores = [0.9999999140950393, 0.1 + 0.2, 1e-300, 0.9999999999946232]
        for score in scores {
            let document = ArticleDocument(article: Article(
                key: "k", path: "/p", line: 1, sourceID: "a\"b", title: "T", date: "2005-03-14", text: "Zürich x",
                contentHash: String(repeating: "ab", count: 32), byteSize: 1))
            var tagged = document
            tagged.topics = [TopicScore(label: "world", score: score)]
            tagged.mentions = [Mention(entity: EntityRef(key: "geonames:1", name: "Zürich", type: .place),
                                       start: 0, end: 6, surface: "Zürich")]
            let line = StreamRun.json(tagged, extra: ["source": "test"])
            guard case .document(let loaded) = try StreamRun.loadRecord(Array(line.utf8), path: "/t", lineNumber: 3) else {
                Issue.record("not loaded as a document: \(line)")
                continue
            }
            #expect(loaded.topics.map(\.score) == [score], "\(line)")
            #expect(loaded.mentions == tagged.mentions)
            #expect(loaded.article.key == "stream:a\"b" && loaded.article.date == "2005-03-14")
        }
    }

    @Test("loading names what is wrong: an error record, a bad topic, a bad mention, not an object")
    func loadRecordErrors() throws {
        func load(_ line: String) throws -> StreamRun.LoadedRecord {
            try StreamRun.loadRecord(Array(line.utf8), path: "/t.jsonl", lineNumber: 7)
        }
        guard case .failed(let id, let message) = try load("{\"id\":\"x\",\"line\":2,\"error\":\"bad\"}") else {
            Issue.record("an error record was not read as one")
            return
        }
        #expect(id == "x" && message == "bad")
        let hash = String(repeating: "0", count: 64)
        let cases = [
            ("{\"content_hash\":\"\(hash)\",\"topics\":[{\"label\":\"a\"}]}", "/t.jsonl:7: a topic needs \"label\" and \"score\""),
            ("{\"content_hash\":\"\(hash)\",\"mentions\":[{\"key\":\"k\"}]}", "/t.jsonl:7: a mention needs key, name, type, start, end and surface"),
            ("[1, 2]", "/t.jsonl:7: not a JSON object"),
            ("{\"title\":\"no hash\"}", "/t.jsonl:7: missing \"content_hash\" (is this `gazette stream` output?)"),
        ]
        for (line, expected) in cases {
            #expect(throws: StreamRun.StreamError.self) { try load(line) }
            do { _ = try load(line) } catch { #expect("\(error)" == expected) }
        }
    }
}
