import CZlib
import Foundation
import GazetteStore
import Testing

/// The whole product path, through the binary: tag → show → entities → cooccur.
@Suite("gazette end to end", .serialized)
struct TagCommandTests {
    @Test("tagging the samples stores every article and show lists linked people and places")
    func tagAndShow() throws {
        let dir = try TemporaryDirectory()
        let db = dir.file("tags.sqlite")
        let tag = try GazetteProcess.run(["tag", GazetteProcess.samples.path, "--db", db])
        #expect(tag.status == 0, "\(tag.stderr)")
        #expect(tag.stdout.hasPrefix("tagged 8, skipped 0, failed 0 articles"))

        let show = try GazetteProcess.run(["show", GazetteProcess.samples.appendingPathComponent("politics/budget-row.txt").path, "--db", db])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.hasPrefix("Blair and Brown close ranks before the spring budget\n"))
        #expect(show.stdout.contains("Tony Blair ["))
        #expect(show.stdout.contains("Gordon Brown ["))
        #expect(show.stdout.contains("\nPlaces ("))
        #expect(show.stdout.contains("Manchester ["))
        #expect(show.stdout.contains("Topics: politics"))

        let json = try GazetteProcess.run(["show", "wire-2001-0912", "--db", db, "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["date"] as? String == "2001-09-12")
        let entities = try #require(object["entities"] as? [[String: Any]])
        let names = entities.compactMap { $0["name"] as? String }
        #expect(names.contains("New York City") || names.contains("New York"))
        #expect(names.contains("Vladimir Putin"))
    }

    @Test("running again skips unchanged files and re-tags a changed one without doubling its tags")
    func rerun() throws {
        let dir = try TemporaryDirectory()
        let articles = try dir.copySamples()
        let db = dir.file("tags.sqlite")
        let first = try GazetteProcess.run(["tag", articles.path, "--db", db])
        #expect(first.status == 0, "\(first.stderr)")
        let before = try GazetteProcess.run(["entities", "--db", db, "--top", "500", "--json"])

        let second = try GazetteProcess.run(["tag", articles.path, "--db", db])
        #expect(second.stdout.hasPrefix("tagged 0, skipped 8, failed 0 articles"))

        let changed = articles.appendingPathComponent("world/moscow-gas.txt")
        var text = try String(contentsOf: changed, encoding: .utf8)
        text += "\nOfficials in Warsaw said Poland had enough gas in storage.\n"
        try Data(text.utf8).write(to: changed)
        let third = try GazetteProcess.run(["tag", articles.path, "--db", db])
        #expect(third.stdout.hasPrefix("tagged 1, skipped 7, failed 0 articles"))

        let after = try GazetteProcess.run(["entities", "--db", db, "--top", "500", "--json"])
        let counts = { (output: String) -> [String: Int] in
            var result: [String: Int] = [:]
            for line in output.split(separator: "\n") {
                let record = try! JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
                result[record["key"] as! String] = record["mentions"] as? Int
            }
            return result
        }
        let beforeCounts = counts(before.stdout), afterCounts = counts(after.stdout)
        // Nothing doubled: every entity keeps its count, and the added sentence adds its places.
        for (key, count) in beforeCounts { #expect(afterCounts[key] ?? 0 >= count) }
        #expect(afterCounts.values.reduce(0, +) > beforeCounts.values.reduce(0, +))
        #expect(afterCounts.values.reduce(0, +) <= beforeCounts.values.reduce(0, +) + 3)
    }

    @Test("a JSON-lines feed run again: its unchanged lines are skipped, a changed line is tagged again, nothing doubled")
    func feedRerun() throws {
        let dir = try TemporaryDirectory()
        func feed(changing changed: Int?) -> String {
            (0..<50).map { number in
                let text = number == changed ? "Officials in Warsaw met in Oslo." : "Talks in Berlin, line \(number)."
                return "{\"id\": \"n\(number)\", \"text\": \"\(text)\"}"
            }.joined(separator: "\n") + "\n"
        }
        try dir.write("articles/feed.jsonl", feed(changing: nil))
        let db = dir.file("tags.sqlite")
        let first = try GazetteProcess.run(["tag", dir.file("articles"), "--db", db])
        #expect(first.stdout.hasPrefix("tagged 50, skipped 0, failed 0 articles"), "\(first.stdout) \(first.stderr)")
        let second = try GazetteProcess.run(["tag", dir.file("articles"), "--db", db])
        #expect(second.stdout.hasPrefix("tagged 0, skipped 50, failed 0 articles"), "\(second.stdout)")
        try dir.write("articles/feed.jsonl", feed(changing: 30))
        let third = try GazetteProcess.run(["tag", dir.file("articles"), "--db", db])
        #expect(third.stdout.hasPrefix("tagged 1, skipped 49, failed 0 articles"), "\(third.stdout)")
        let store = try TagStore(path: db, readOnly: true)
        #expect(try store.stats().articles == 50)
        let changed = try #require(try store.article(matching: dir.file("articles/feed.jsonl") + "#n30"))
        #expect(try store.mentions(articleID: changed.id).map(\.surface) == ["Warsaw", "Oslo"])
    }

    @Test("a gzip-compressed feed is tagged with the default config, and gazette load reads compressed stream output")
    func compressedFeed() throws {
        let dir = try TemporaryDirectory()
        let lines = (0..<30).map { "{\"id\": \"g\($0)\", \"text\": \"Ministers met in Madrid, story \($0).\"}" }.joined(separator: "\n") + "\n"
        func gzip(_ text: String, to path: String) throws {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let file = try #require(gzopen(path, "wb"))
            let bytes = Array(text.utf8)
            #expect(bytes.withUnsafeBytes { gzwrite(file, $0.baseAddress, UInt32($0.count)) } == Int32(bytes.count))
            #expect(gzclose(file) == Z_OK)
        }
        try gzip(lines, to: dir.file("articles/feed.jsonl.gz"))
        let db = dir.file("tags.sqlite")
        let tag = try GazetteProcess.run(["tag", dir.file("articles"), "--db", db])
        #expect(tag.stdout.hasPrefix("tagged 30, skipped 0, failed 0 articles"), "\(tag.stdout) \(tag.stderr)")
        let story = try #require(try TagStore(path: db, readOnly: true).article(matching: dir.file("articles/feed.jsonl.gz") + "#g7"))
        #expect(try TagStore(path: db, readOnly: true).mentions(articleID: story.id).map(\.surface) == ["Madrid"])

        let plain = try dir.write("plain.jsonl", lines)
        let stream = Process()
        stream.executableURL = GazetteProcess.binary
        stream.arguments = ["stream"]
        stream.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: plain))
        let output = Pipe()
        stream.standardOutput = output
        try stream.run()
        let streamed = output.fileHandleForReading.readDataToEndOfFile()
        stream.waitUntilExit()
        try gzip(String(decoding: streamed, as: UTF8.self), to: dir.file("tags.jsonl.gz"))
        let load = try GazetteProcess.run(["load", dir.file("tags.jsonl.gz"), "--db", dir.file("loaded.sqlite")])
        #expect(load.stdout.hasPrefix("loaded 30, unchanged 0, error records 0, unreadable lines 0"), "\(load.stdout) \(load.stderr)")
    }

    @Test("a bad file is reported by name and the rest of the batch is tagged")
    func badFileDoesNotStopTheBatch() throws {
        let dir = try TemporaryDirectory()
        let articles = try dir.copySamples()
        try dir.write("articles/broken.txt", "")
        try Data([0x89, 0x50, 0x4E, 0x47, 0x00, 0x00, 0x01]).write(to: articles.appendingPathComponent("photo.txt"))
        try dir.write("articles/bad.jsonl", "{\"id\": \"ok\", \"text\": \"Talks in Berlin.\"}\n{broken\n")
        let db = dir.file("tags.sqlite")
        let tag = try GazetteProcess.run(["tag", articles.path, "--db", db])
        #expect(tag.status == 1)
        #expect(tag.stdout.hasPrefix("tagged 9, skipped 0, failed 3 articles"))
        #expect(tag.stderr.contains("broken.txt: error: empty file"))
        #expect(tag.stderr.contains("photo.txt: error: binary file"))
        #expect(tag.stderr.contains("bad.jsonl:2: error: malformed JSON"))
    }

    @Test("cooccur exports linked pairs as a Gephi CSV edge list with counts and NPMI")
    func cooccur() throws {
        let dir = try TemporaryDirectory()
        let db = dir.file("tags.sqlite")
        try GazetteProcess.run(["tag", GazetteProcess.samples.path, "--db", db])
        let csv = try GazetteProcess.run(["cooccur", "--db", db, "--types", "person", "--min-count", "1"])
        #expect(csv.status == 0, "\(csv.stderr)")
        let lines = csv.stdout.split(separator: "\r\n").map(String.init)
        #expect(lines.first == "Source,Target,Type,Weight,Articles,PMI,NPMI,FirstDate,LastDate,SourceName,SourceType,TargetName,TargetType")
        #expect(lines.contains { $0.contains("Gordon Brown") && $0.contains("Tony Blair") })
        for line in lines.dropFirst() { #expect(line.contains(",person,") && !line.contains(",place")) }

        let json = try GazetteProcess.run(["cooccur", "--db", db, "--format", "json", "-o", dir.file("pairs.json")])
        #expect(json.status == 0)
        let network = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.file("pairs.json")))) as? [String: Any]
        let pairs = network?["links"] as? [[String: Any]]
        #expect((pairs?.count ?? 0) > lines.count - 1)
    }

    @Test("from any directory and with no config, gazette uses the config installed beside it")
    func bundledConfig() throws {
        let dir = try TemporaryDirectory()
        let tag = try GazetteProcess.run(["tag", GazetteProcess.samples.appendingPathComponent("business").path], in: dir.url)
        #expect(tag.status == 0, "\(tag.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.file("gazette.sqlite")))
        let entities = try GazetteProcess.run(["entities", "--type", "organization"], in: dir.url)
        #expect(entities.stdout.contains("Microsoft"))
    }

    @Test("a broken config is named with its line, and nothing is tagged")
    func brokenConfig() throws {
        let dir = try TemporaryDirectory()
        let config = try dir.write("Pipeline.yaml", "version: 1\nstages:\n  - normalize:\n      foldAcents: true\n")
        let tag = try GazetteProcess.run(["tag", GazetteProcess.samples.path, "--config", config, "--db", dir.file("t.sqlite")])
        #expect(tag.status != 0)
        #expect(tag.stderr.contains("Pipeline.yaml:4: 'stages[0].normalize.foldAcents': unknown key"))
    }
}
