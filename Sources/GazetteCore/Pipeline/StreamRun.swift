import Foundation

/// `gazette stream`: JSON lines in, one JSON line of tags out per input line, in input order.
///
/// Lines are read on their own thread (a slow producer never holds back finished output), tagged
/// concurrently, and written through a reorder buffer as soon as every earlier line is written.
/// Reading, tagging and writing all report to one event stream, which the ordering loop consumes.
/// Memory stays bounded: the reader waits while `window` lines are read but not yet written.
public struct StreamRun: Sendable {
    public var pipeline: Pipeline
    /// Lines tagged at once, at most.
    public var jobs: Int
    /// Lines read but not yet written, at most.
    public var window: Int

    public init(pipeline: Pipeline, jobs: Int) {
        self.pipeline = pipeline
        self.jobs = max(1, jobs)
        self.window = self.jobs * 4
    }

    public struct Summary: Sendable, Equatable {
        public var lines = 0
        public var tagged = 0
        public var failed = 0
    }

    /// One input line as read: its 1-based number and bytes (without the newline).
    struct InputLine: Sendable {
        var number: Int
        var bytes: [UInt8]
    }

    /// What one line gave: the output record, and the message for stderr when it failed.
    public struct Record: Sendable {
        public var line: Int
        public var json: String
        public var error: String?
    }

    /// What the ordering loop waits for: a line from the reader thread, the end of input, or a
    /// finished line from a tagging task. One stream for all three, so a finished record is written
    /// at once even while the reader waits for a slow producer.
    enum Event: Sendable {
        case line(InputLine)
        case inputEnded
        case inputFailed(StreamError)
        case done(Int, Record)
    }

    /// Reads `input` to its end, tags every non-blank line, and hands each record to `emit` in input
    /// order. Throws only when reading fails or `emit` throws (e.g. stdout closed).
    public func run(
        input fileDescriptor: Int32, emit: @escaping @Sendable (Record) throws -> Void
    ) async throws -> Summary {
        // The reader waits while `window` lines are read but not yet written: bounded memory.
        let gate = DispatchSemaphore(value: window)
        let (events, continuation) = AsyncStream<Event>.makeStream()
        let reader = Thread {
            do {
                try Self.readLines(from: fileDescriptor) { line in
                    gate.wait()
                    continuation.yield(.line(line))
                }
                continuation.yield(.inputEnded)
            } catch let error as StreamError {
                continuation.yield(.inputFailed(error))
            } catch {
                continuation.yield(.inputFailed(StreamError(message: "\(error)")))
            }
        }
        reader.start()
        defer { continuation.finish() }
        var summary = Summary()
        // Lines beyond `taggingLimit` being tagged wait here for their turn.
        let taggingLimit = InFlightWork.taggingLimit(jobs: jobs)
        try await withThrowingTaskGroup(of: Void.self) { group in
            var sequence = 0
            var nextToWrite = 0
            var finished: [Int: Record] = [:]
            var inputEnded = false
            var tagging = 0
            var waiting: [(index: Int, line: InputLine)] = []
            var firstWaiting = 0
            func tag(_ index: Int, _ line: InputLine) {
                tagging += 1
                group.addTask { continuation.yield(.done(index, self.process(line))) }
            }
            for await event in events {
                switch event {
                case .line(let line):
                    let index = sequence
                    sequence += 1
                    summary.lines += 1
                    if tagging < taggingLimit { tag(index, line) } else { waiting.append((index, line)) }
                case .inputEnded:
                    inputEnded = true
                case .inputFailed(let error):
                    throw error
                case .done(let index, let record):
                    tagging -= 1
                    if firstWaiting < waiting.count {
                        tag(waiting[firstWaiting].index, waiting[firstWaiting].line)
                        firstWaiting += 1
                        if firstWaiting == waiting.count {
                            waiting.removeAll(keepingCapacity: true)
                            firstWaiting = 0
                        }
                    }
                    finished[index] = record
                    while let record = finished.removeValue(forKey: nextToWrite) {
                        try emit(record)
                        if record.error == nil { summary.tagged += 1 } else { summary.failed += 1 }
                        nextToWrite += 1
                        gate.signal()
                    }
                }
                if inputEnded && nextToWrite == sequence { break }
            }
            try await group.waitForAll()
        }
        return summary
    }

    /// Tags one line. Never throws: a bad line becomes an error record.
    func process(_ line: InputLine) -> Record {
        let reader = JSONLinesReader(path: "stream")
        let parsed = line.bytes.withUnsafeBufferPointer { reader.parse($0, lineNumber: line.number) }
        let fields = (try? JSONSerialization.jsonObject(with: Data(line.bytes))) as? [String: Any]
        switch parsed {
        case .failure(let error):
            return errorRecord(line: line.number, id: fields?["id"], message: error.description)
        case .success(let article):
            do {
                let document = try pipeline.process(article)
                return Record(line: line.number, json: Self.json(document, extra: fields ?? [:]))
            } catch {
                return errorRecord(line: line.number, id: fields?["id"], message: "\(error)")
            }
        }
    }

    private func errorRecord(line: Int, id: Any?, message: String) -> Record {
        var json = "{\"id\":" + Self.idJSON(id)
        json += ",\"line\":\(line),\"error\":" + JSONText.string(message) + "}"
        return Record(line: line, json: json, error: "line \(line): \(message)")
    }

    static let knownFields: Set<String> = ["id", "title", "date", "text"]

    /// Keys in a fixed order (id, content_hash, title, date, topics, mentions, extra) so output
    /// diffs and `cut`-style tools behave.
    static func json(_ document: ArticleDocument, extra fields: [String: Any]) -> String {
        let article = document.article
        // Written as UTF-8 bytes and made a `String` once: built from interpolated strings, a
        // record was a few dozen allocations (two a mention field).
        var json: [UInt8] = []
        json.reserveCapacity(256 + 160 * document.mentions.count)
        func raw(_ text: StaticString) {
            json.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        }
        func string(_ text: String?) {
            if let text { JSONText.append(text, to: &json) } else { raw("null") }
        }
        func number(_ value: Int) { json.append(contentsOf: String(value).utf8) }
        raw("{\"id\":")
        string(article.sourceID)
        raw(",\"content_hash\":")
        string(article.contentHash)
        raw(",\"title\":")
        string(article.title)
        raw(",\"date\":")
        string(article.date)
        raw(",\"topics\":[")
        for (position, topic) in document.topics.enumerated() {
            if position > 0 { raw(",") }
            raw("{\"label\":")
            string(topic.label)
            raw(",\"score\":")
            json.append(contentsOf: "\(topic.score)".utf8)
            raw("}")
        }
        raw("],\"mentions\":[")
        for position in document.mentions.indices {
            if position > 0 { raw(",") }
            raw("{\"key\":")
            string(document.mentions[position].entity.key)
            raw(",\"name\":")
            string(document.mentions[position].entity.name)
            raw(",\"type\":")
            string(document.mentions[position].entity.type.rawValue)
            raw(",\"start\":")
            number(document.mentions[position].start)
            raw(",\"end\":")
            number(document.mentions[position].end)
            raw(",\"surface\":")
            string(document.mentions[position].surface)
            raw("}")
        }
        raw("]")
        let extra = fields.filter { !knownFields.contains($0.key) }
        if !extra.isEmpty,
           let data = try? JSONSerialization.data(withJSONObject: extra, options: [.sortedKeys, .withoutEscapingSlashes]) {
            raw(",\"extra\":")
            json.append(contentsOf: data)
        }
        raw("}")
        return String(decoding: json, as: UTF8.self)
    }

    static func idJSON(_ id: Any?) -> String {
        switch id {
        case let id as String: return JSONText.string(id)
        case let id as NSNumber: return JSONText.string(id.stringValue)
        default: return "null"
        }
    }

    /// Splits the descriptor's bytes into lines (dropping a trailing `\r` and blank lines).
    static func readLines(from fileDescriptor: Int32, _ yield: (InputLine) -> Void) throws {
        var pending: [UInt8] = []
        var number = 0
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        func emitLine(_ bytes: ArraySlice<UInt8>) {
            number += 1
            var line = bytes
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }
            yield(InputLine(number: number, bytes: Array(line)))
        }
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fileDescriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw StreamError(message: "reading the input failed: \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            var start = pending.count
            pending.append(contentsOf: buffer[0..<count])
            var lineStart = 0
            while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
                emitLine(pending[lineStart..<newline])
                lineStart = newline + 1
                start = lineStart
            }
            pending.removeFirst(lineStart)
        }
        if !pending.isEmpty { emitLine(pending[...]) }
    }

    public struct StreamError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
        public init(message: String) { self.message = message }
    }
}

extension StreamRun {
    /// What one line of `gazette stream` output holds, for `gazette load`.
    public enum LoadedRecord {
        case document(ArticleDocument)
        /// An error record of the stream (the article was not tagged).
        case failed(id: String?, message: String)
    }

    /// One output line of `gazette stream` as `gazette load` reads it. Decoded with JSONDecoder,
    /// not JSONSerialization: on Linux JSONSerialization rounds some doubles to a neighbouring value
    /// (0.9999999140950393 is read as …392), so loaded topic scores differed from `gazette tag`'s.
    struct OutputRecord: Decodable {
        struct Topic: Decodable {
            var label: String
            var score: Double
        }

        struct MentionRecord: Decodable {
            var key: String, name: String, type: String
            var start: Int, end: Int
            var surface: String
        }

        var id: String?
        var error: String?
        var contentHash: String?
        var title: String?
        var date: String?
        var topics: [Topic]?
        var mentions: [MentionRecord]?

        enum CodingKeys: String, CodingKey {
            case id, error, title, date, topics, mentions
            case contentHash = "content_hash"
        }
    }

    /// Reads one output line of `gazette stream` back into a tagged document keyed `stream:<id>`
    /// (`stream:<content hash>` when the input had no id). Text is not in the output, so none is kept.
    public static func loadRecord(_ line: [UInt8], path: String, lineNumber: Int) throws -> LoadedRecord {
        func fail(_ message: String) -> StreamError { StreamError(message: "\(path):\(lineNumber): \(message)") }
        let record: OutputRecord
        do {
            record = try JSONDecoder().decode(OutputRecord.self, from: Data(line))
        } catch DecodingError.typeMismatch(_, let context) where !context.codingPath.isEmpty {
            throw fail(message(for: context.codingPath))
        } catch DecodingError.keyNotFound(_, let context) where !context.codingPath.isEmpty {
            throw fail(message(for: context.codingPath))
        } catch DecodingError.valueNotFound(_, let context) where !context.codingPath.isEmpty {
            throw fail(message(for: context.codingPath))
        } catch {
            throw fail("not a JSON object")
        }
        if let error = record.error { return .failed(id: record.id, message: error) }
        guard let hash = record.contentHash, hash.count == 64 else {
            throw fail("missing \"content_hash\" (is this `gazette stream` output?)")
        }
        var document = ArticleDocument(article: Article(
            key: "stream:" + (record.id ?? hash), path: path, line: lineNumber, sourceID: record.id,
            title: record.title ?? "", date: record.date, text: "",
            contentHash: hash, byteSize: line.count))
        document.topics = (record.topics ?? []).map { TopicScore(label: $0.label, score: $0.score) }
        for mention in record.mentions ?? [] {
            guard let type = EntityType(rawValue: mention.type) else {
                throw fail("unknown entity type \"\(mention.type)\" in a mention")
            }
            document.mentions.append(Mention(entity: EntityRef(key: mention.key, name: mention.name, type: type),
                                             start: mention.start, end: mention.end, surface: mention.surface))
        }
        return .document(document)
    }

    /// The reason a field of a stream record could not be read, named by where it is.
    private static func message(for codingPath: [any CodingKey]) -> String {
        switch codingPath.first?.stringValue {
        case "topics": return "a topic needs \"label\" and \"score\""
        case "mentions": return "a mention needs key, name, type, start, end and surface"
        case let field?: return "\"\(field)\" has the wrong type"
        case nil: return "not a JSON object"
        }
    }
}
