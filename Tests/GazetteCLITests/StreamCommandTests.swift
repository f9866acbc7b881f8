import Foundation
import GazetteCore
import GazetteStore
import Testing

/// Runs the binary with `stdinPath` as its standard input.
private func runGazette(_ arguments: [String], stdinPath: String) throws -> GazetteProcess.Result {
    let process = Process()
    process.executableURL = GazetteProcess.binary
    process.arguments = arguments
    process.currentDirectoryURL = GazetteProcess.packageRoot
    process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: stdinPath))
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return .init(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                 stderr: String(decoding: errData, as: UTF8.self))
}

private func objects(_ stdout: String) throws -> [[String: Any]] {
    try stdout.split(separator: "\n").map {
        try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
}

/// A mention as a comparable value.
private struct MentionRow: Hashable {
    var key: String, start: Int, end: Int, surface: String
}

@Suite("gazette stream, load and merge", .serialized)
struct StreamCommandTests {
    static let feed = GazetteProcess.samples.appendingPathComponent("world/feed.jsonl").path

    @Test("stream output mentions and hashes equal what `gazette tag` stores for the same file")
    func streamMatchesTag() throws {
        let temp = try TemporaryDirectory()
        let db = temp.file("tag.sqlite")
        let tagged = try GazetteProcess.run(["tag", Self.feed, "--db", db, "--quiet"])
        #expect(tagged.status == 0, "\(tagged.stderr)")
        let streamed = try runGazette(["stream", "--jobs", "2"], stdinPath: Self.feed)
        #expect(streamed.status == 0, "\(streamed.stderr)")
        let records = try objects(streamed.stdout)
        #expect(records.count == 4)
        let store = try TagStore(path: db, readOnly: true)
        var compared = 0
        for record in records {
            let id = try #require(record["id"] as? String)
            let article = try #require(try store.article(matching: Self.feed + "#" + id))
            #expect(record["content_hash"] as? String == article.contentHash)
            let stored = try store.mentions(articleID: article.id).map {
                MentionRow(key: $0.entity.key, start: $0.start, end: $0.end, surface: $0.surface)
            }
            let streamedMentions = try #require(record["mentions"] as? [[String: Any]]).map {
                MentionRow(key: $0["key"] as! String, start: $0["start"] as! Int, end: $0["end"] as! Int,
                           surface: $0["surface"] as! String)
            }
            #expect(streamedMentions == stored, "article \(id)")
            #expect(Set(try #require(record["topics"] as? [[String: Any]]).map { $0["label"] as! String })
                    == Set(try store.topics(articleID: article.id).map(\.label)))
            compared += stored.count
        }
        #expect(compared > 0)
    }

    @Test("a bad line yields an error record on stdout and a message on stderr; the stream goes on")
    func badLine() throws {
        let temp = try TemporaryDirectory()
        let lines = try String(contentsOfFile: Self.feed, encoding: .utf8).split(separator: "\n")
        let input = temp.file("in.jsonl")
        try temp.write("in.jsonl", [String(lines[0]), "{\"id\": \"broken\", \"text\": 5}", "not json", String(lines[1])]
            .joined(separator: "\n") + "\n")
        let result = try runGazette(["stream"], stdinPath: input)
        #expect(result.status == 0)
        let records = try objects(result.stdout)
        #expect(records.count == 4)
        #expect(records[1]["id"] as? String == "broken")
        #expect(records[1]["error"] as? String == "\"text\" must be a string")
        #expect(records[2]["line"] as? Int == 3 && records[2]["error"] != nil)
        #expect(records[3]["mentions"] != nil && records[3]["error"] == nil)
        #expect(result.stderr.contains("line 2: \"text\" must be a string"))
    }

    @Test("load stores stream output; loading it again changes nothing; a changed hash replaces tags")
    func loadIsIdempotent() throws {
        let temp = try TemporaryDirectory()
        let streamed = try runGazette(["stream"], stdinPath: Self.feed)
        let tags = try temp.write("tags.jsonl", streamed.stdout)
        let db = temp.file("load.sqlite")
        let first = try GazetteProcess.run(["load", tags, "--db", db])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.hasPrefix("loaded 4, unchanged 0"))
        let store = try TagStore(path: db, readOnly: true)
        let stats = try store.stats()
        #expect(stats.articles == 4)
        let again = try GazetteProcess.run(["load", tags, "--db", db])
        #expect(again.stdout.hasPrefix("loaded 0, unchanged 4"))
        let afterAgain = try TagStore(path: db, readOnly: true).stats()
        #expect(afterAgain.articles == stats.articles && afterAgain.mentions == stats.mentions)

        // Change one article's hash and drop its mentions: only that article is replaced.
        var records = try objects(streamed.stdout)
        let id = try #require(records[0]["id"] as? String)
        records[0]["content_hash"] = String(repeating: "0", count: 64)
        let droppedMentions = (records[0]["mentions"] as? [Any])?.count ?? 0
        records[0]["mentions"] = [Any]()
        let changed = try temp.write("changed.jsonl", records.map {
            String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self)
        }.joined(separator: "\n") + "\n")
        let third = try GazetteProcess.run(["load", changed, "--db", db])
        #expect(third.stdout.hasPrefix("loaded 1, unchanged 3"), "\(third.stdout)")
        let final = try TagStore(path: db, readOnly: true)
        #expect(try final.stats().articles == 4)
        #expect(try final.stats().mentions == stats.mentions - droppedMentions)
        #expect(try final.article(matching: "stream:" + id)?.contentHash == String(repeating: "0", count: 64))
    }

    @Test("load reads a file of several pieces: every record stored once, a bad line named by its number")
    func loadInPieces() throws {
        let temp = try TemporaryDirectory()
        let streamed = try runGazette(["stream"], stdinPath: Self.feed)
        let good = try objects(streamed.stdout).filter { $0["error"] == nil }
        #expect(!good.isEmpty)
        // Copies under new ids and hashes, past one piece's worth (`TagRun.defaultFeedPieceBytes`).
        var lines: [String] = []
        var copy = 0
        while lines.joined().utf8.count <= TagRun.defaultFeedPieceBytes * 2 {
            var record = good[copy % good.count]
            record["id"] = "copy-\(copy)"
            record["content_hash"] = String(format: "%064x", copy)
            lines.append(String(decoding: try JSONSerialization.data(withJSONObject: record), as: UTF8.self))
            copy += 1
        }
        let badLine = lines.count - 5
        lines.insert("not json", at: badLine - 1)
        let tags = try temp.write("tags.jsonl", lines.joined(separator: "\n"))
        let db = temp.file("load.sqlite")
        let load = try GazetteProcess.run(["load", tags, "--db", db])
        #expect(load.status == 1)
        #expect(load.stdout.hasPrefix("loaded \(copy), unchanged 0, error records 0, unreadable lines 1"), "\(load.stdout)")
        #expect(load.stderr.contains("tags.jsonl:\(badLine)"), "\(load.stderr)")
        #expect(try TagStore(path: db, readOnly: true).stats().articles == copy)
        let again = try GazetteProcess.run(["load", tags, "--db", db])
        #expect(again.stdout.hasPrefix("loaded 0, unchanged \(copy)"), "\(again.stdout)")
    }

    @Test("merging two shard stores gives the entities and co-occurrences of one run over all samples")
    func mergeEqualsSingleRun() throws {
        let temp = try TemporaryDirectory()
        let samples = try temp.copySamples()
        let shardA = temp.url.appendingPathComponent("shardA"), shardB = temp.url.appendingPathComponent("shardB")
        let fm = FileManager.default
        try fm.createDirectory(at: shardA, withIntermediateDirectories: true)
        try fm.createDirectory(at: shardB, withIntermediateDirectories: true)
        for directory in ["business", "politics"] {
            try fm.moveItem(at: samples.appendingPathComponent(directory), to: shardA.appendingPathComponent(directory))
        }
        try fm.moveItem(at: samples.appendingPathComponent("world"), to: shardB.appendingPathComponent("world"))

        let single = temp.file("single.sqlite")
        #expect(try GazetteProcess.run(["tag", GazetteProcess.samples.path, "--db", single, "--quiet"]).status == 0)
        for (directory, db) in [(shardA, "a.sqlite"), (shardB, "b.sqlite")] {
            let result = try GazetteProcess.run(["tag", directory.path, "--db", temp.file(db), "--quiet"])
            #expect(result.status == 0, "\(result.stderr)")
        }
        let merged = temp.file("merged.sqlite")
        let merge = try GazetteProcess.run(["merge", temp.file("a.sqlite"), temp.file("b.sqlite"), "--into", merged])
        #expect(merge.status == 0, "\(merge.stderr)")
        // Merging the same shard again finds every article already there.
        let again = try GazetteProcess.run(["merge", temp.file("a.sqlite"), "--into", merged])
        #expect(again.stdout.contains("merged 0 articles"), "\(again.stdout)")

        for command in [["entities", "--json", "--top", "1000"], ["cooccur"]] {
            let expected = try GazetteProcess.run(command + ["--db", single])
            let actual = try GazetteProcess.run(command + ["--db", merged])
            #expect(expected.status == 0 && actual.status == 0, "\(actual.stderr)")
            let expectedLines = Set(expected.stdout.split(whereSeparator: \.isNewline).map(String.init))
            #expect(expectedLines.count > 1, "\(command): \(expected.stdout) \(expected.stderr)")
            #expect(Set(actual.stdout.split(whereSeparator: \.isNewline).map(String.init)) == expectedLines, "\(command)")
        }
        let singleStats = try TagStore(path: single, readOnly: true).stats()
        let mergedStats = try TagStore(path: merged, readOnly: true).stats()
        #expect(mergedStats.articles == singleStats.articles && mergedStats.mentions == singleStats.mentions
                && mergedStats.entities == singleStats.entities && mergedStats.topics == singleStats.topics)
    }
}
