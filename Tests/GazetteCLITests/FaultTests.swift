import Foundation
import GazetteCore
import Testing

@testable import GazetteStore

/// Issue 6, "bad input gets a clear error, and the batch goes on": one test per fault. Each puts the
/// fault next to the same good articles, runs the built binary, and checks the message (file named,
/// reason given), the exit status, and that every good article is stored exactly once with the same
/// mentions and topics as when it is tagged alone.
@Suite("faults: bad input, bad stores", .serialized)
struct FaultTests {
    // MARK: - Bad input files

    @Test("empty file: named as empty, exit 1, the rest stored")
    func emptyFile() throws {
        let run = try FaultRun { dir in try dir.write("in/empty.txt", "  \n\n") }
        try run.expect(status: 1, stderr: "in/empty.txt: error: empty file: nothing to tag")
    }

    @Test("binary file (an image renamed .txt): named as binary, exit 1, the rest stored")
    func binaryFile() throws {
        let run = try FaultRun { dir in
            try dir.writeBytes("in/photo.txt", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48])
        }
        try run.expect(status: 1, stderr: "in/photo.txt: error: binary file (NUL byte at offset 8), not text")
    }

    @Test("Windows-1252 text: decoded with a warning, exit 0, stored")
    func windows1252() throws {
        // "Café talks in Berlin – “soon”" in Windows-1252 (0xE9 é, 0x96 en dash, 0x93/0x94 quotes).
        let bytes: [UInt8] = Array("Caf".utf8) + [0xE9] + Array(" talks in Berlin ".utf8) + [0x96, 0x20, 0x93] + Array("soon".utf8) + [0x94, 0x0A]
        let run = try FaultRun(extraStored: ["in/latin.txt"]) { dir in try dir.writeBytes("in/latin.txt", bytes) }
        try run.expect(status: 0, stderr: "in/latin.txt: warning: not valid UTF-8; decoded as Windows-1252")
        let article = try #require(try run.storedArticle("in/latin.txt"))
        #expect(article.title == "Café talks in Berlin \u{2013} \u{201C}soon\u{201D}")
        let mentions = try run.store().mentions(articleID: article.id)
        #expect(mentions.map(\.surface) == ["Berlin"])
        #expect(mentions.first?.start == 14)  // scalar offset: "Café talks in " is 14 scalars
    }

    @Test("UTF-16 with a byte-order mark: decoded, exit 0, stored")
    func utf16() throws {
        let text = "Summit in Berlin\nLeaders met in Berlin on Monday.\n"
        let bytes: [UInt8] = [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let run = try FaultRun(extraStored: ["in/wide.txt"]) { dir in try dir.writeBytes("in/wide.txt", bytes) }
        try run.expect(status: 0, stderrLacks: "wide.txt")
        let article = try #require(try run.storedArticle("in/wide.txt"))
        #expect(article.title == "Summit in Berlin")
        #expect(try run.store().mentions(articleID: article.id).map(\.surface) == ["Berlin", "Berlin"])
    }

    @Test("a 200 MB file is refused with the limit named, never read into memory")
    func hugeFile() throws {
        let run = try FaultRun { dir in
            let path = try dir.write("in/huge.txt", "Talks in Berlin.\n")
            // Sparse: 200 MB of size without 200 MB of disk. The limit is checked on the size, before
            // any byte is read, so the content past the first line does not matter.
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try handle.truncate(atOffset: 200_000_000)
            try handle.close()
        }
        try run.expect(status: 1, stderr: "in/huge.txt: error: file is 200000000 bytes, over the limit of 67108864 bytes (input.maxFileBytes)")
    }

    @Test("a 10 MB JSON line and a 1 MB text with no line break are tagged, with a short title")
    func tenMegabyteLine() throws {
        let sentence = "Officials met again without any agreement and the talks went on late. "
        func body(_ bytes: Int) -> String {
            String(repeating: sentence, count: bytes / sentence.utf8.count + 1) + "Then Berlin spoke."
        }
        let run = try FaultRun(extraStored: ["in/long.txt", "in/long.jsonl#L1"]) { dir in
            try dir.write("in/long.txt", body(1_000_000))
            try dir.write("in/long.jsonl", "{\"text\": \"\(body(10_000_000))\"}\n")
        }
        try run.expect(status: 0, stderrLacks: "long.")
        for (key, size) in [("in/long.txt", 1_000_000), ("in/long.jsonl#L1", 10_000_000)] {
            let article = try #require(try run.storedArticle(key))
            #expect(article.size >= size)
            #expect((article.title ?? "").count == 300, "title of \(key) is cut, not the whole line")
            #expect(try run.store().mentions(articleID: article.id).map(\.surface) == ["Berlin"])
        }
    }

    @Test("malformed HTML is still read: unclosed tags, stray brackets, broken entities")
    func malformedHTML() throws {
        let html = "<html><head><title>Talks in Berlin</title><body><p>Leaders met in <b>Berlin &amp bad &#xZZ; <div <<p>on Monday <script>var x = '<p>Paris</p>'"
        let run = try FaultRun(extraStored: ["in/broken.html"]) { dir in try dir.write("in/broken.html", html) }
        try run.expect(status: 0, stderrLacks: "broken.html")
        let article = try #require(try run.storedArticle("in/broken.html"))
        #expect(article.title == "Talks in Berlin")
        let surfaces = try run.store().mentions(articleID: article.id).map(\.surface)
        #expect(surfaces.contains("Berlin"))
        #expect(!surfaces.contains("Paris"), "script content is not article text")
    }

    @Test("malformed JSON lines are reported by number and the other lines are tagged")
    func malformedJSONLines() throws {
        let lines = [
            "{\"id\": \"j1\", \"text\": \"Ministers met in Berlin.\"}",
            "{\"id\": \"j2\", \"text\": \"unterminated",
            "[1, 2, 3]",
            "{\"id\": \"j4\", \"title\": \"no text\"}",
            "{\"id\": \"j5\", \"text\": \"Talks resumed in Paris.\"}",
        ]
        let run = try FaultRun(extraStored: ["in/mixed.jsonl#j1", "in/mixed.jsonl#j5"]) { dir in
            try dir.write("in/mixed.jsonl", lines.joined(separator: "\n") + "\n")
        }
        try run.expect(status: 1, stderr: "in/mixed.jsonl:2: error: malformed JSON")
        try run.expect(status: 1, stderr: "in/mixed.jsonl:3: error: expected a JSON object with a \"text\" field")
        try run.expect(status: 1, stderr: "in/mixed.jsonl:4: error: missing \"text\" field")
        #expect(run.tag.stdout.contains("failed 3 articles"))
    }

    @Test("a symbolic link loop (directory and file) is reported and skipped, nothing doubled")
    func symlinkLoop() throws {
        let run = try FaultRun { dir in
            try FileManager.default.createSymbolicLink(atPath: dir.file("in/sub/back"), withDestinationPath: dir.file("in"))
            try FileManager.default.createSymbolicLink(atPath: dir.file("in/a-loop.txt"), withDestinationPath: dir.file("in/b-loop.txt"))
            try FileManager.default.createSymbolicLink(atPath: dir.file("in/b-loop.txt"), withDestinationPath: dir.file("in/a-loop.txt"))
        }
        try run.expect(status: 0, stderr: "in/a-loop.txt: warning: broken or looping symbolic link; skipped")
        try run.expect(status: 0, stderr: "in/sub/back: warning: directory already visited (symbolic link loop?); skipped")
    }

    @Test("an unreadable file (no read permission) is named with the reason, the rest stored",
          .enabled(if: UnprivilegedRunner.available, "needs to run as non-root, or setpriv to drop root"))
    func unreadableFile() throws {
        let run = try FaultRun(unprivileged: true) { dir in
            let path = try dir.write("in/secret.txt", "Talks in Berlin.\n")
            try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: path)
        }
        try run.expect(status: 1, stderr: "in/secret.txt: error: cannot open: Permission denied")
    }

    // MARK: - Bad configuration, gazetteer, model

    @Test("a gazetteer row with missing columns names the file and line; nothing is tagged")
    func gazetteerMissingColumns() throws {
        let dir = try FaultDirectory()
        try dir.write("gazbad/bad.tsv", "# test\nid\ttype\tname\taliases\ntest:ok\tplace\tOkville\t\ntest:short\tplace\n")
        try dir.writeConfig(gazetteer: dir.file("gazbad"))
        let tag = try dir.tag()
        #expect(tag.status != 0)
        #expect(tag.stderr.contains("gazbad/bad.tsv:4: row has 2 columns"), "\(tag.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.db), "no store is created when the pipeline cannot load")
    }

    @Test("an oversized gazetteer file is refused with the limit named, before it is read")
    func gazetteerTooLarge() throws {
        let dir = try FaultDirectory()
        let path = try dir.write("gazbig/big.tsv", "id\ttype\tname\taliases\n")
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: 300_000_000)  // sparse: no disk used
        try handle.close()
        try dir.writeConfig(gazetteer: dir.file("gazbig"))
        let tag = try dir.tag()
        #expect(tag.status != 0)
        #expect(tag.stderr.contains("gazbig/big.tsv: file is 300000000 bytes, over the limit of 268435456 bytes per gazetteer file"), "\(tag.stderr)")
    }

    @Test("a truncated or corrupt model file is named with the reason; nothing is tagged")
    func corruptModel() throws {
        let model = try [UInt8](Data(contentsOf: GazetteProcess.packageRoot.appendingPathComponent("Models/topics-v1.model")))
        for (name, bytes, reason) in [
            ("truncated.model", Array(model.prefix(model.count / 2)), "truncated model file"),
            ("flipped.model", { var b = model; b[b.count / 2] ^= 0x40; return b }(), "corrupt model file (SHA-256 checksum mismatch)"),
            ("text.model", Array("not a model\n".utf8), "not a Gazette topic model (wrong magic bytes)"),
        ] {
            let dir = try FaultDirectory()
            let path = try dir.writeBytes(name, bytes)
            try dir.writeConfig(model: path)
            let tag = try dir.tag()
            #expect(tag.status != 0)
            #expect(tag.stderr.contains("\(name): \(reason)"), "\(tag.stderr)")
            #expect(!FileManager.default.fileExists(atPath: dir.db))
        }
    }

    @Test("Pipeline.yaml: an alias bomb and an oversized file are refused with a clear error")
    func hostileConfig() throws {
        let dir = try FaultDirectory()
        // A ten-billion-element alias bomb inside a key that takes a list: YAML aliases are shared
        // by the parser, not copied, and reading stops at the first element that is not a string.
        var levels = ["&l0 [x, x, x, x, x, x, x, x, x, x]"]
        for level in 1...10 {
            levels.append("&l\(level) [" + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ") + "]")
        }
        try dir.write("bomb.yaml", "version: 1\ninput:\n  extensions: [\(levels.joined(separator: ", "))]\n")
        let tag = try GazetteProcess.run(["tag", dir.file("in"), "--config", dir.file("bomb.yaml"), "--db", dir.db])
        #expect(tag.status != 0)
        #expect(tag.stderr.contains("bomb.yaml:3: 'input.extensions[0]'"), "\(tag.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.db))

        try dir.write("big.yaml", "version: 1\n" + String(repeating: "# padding\n", count: 120_000))
        let big = try GazetteProcess.run(["tag", dir.file("in"), "--config", dir.file("big.yaml"), "--db", dir.db])
        #expect(big.status != 0)
        #expect(big.stderr.contains("big.yaml: config is 1200011 bytes, over the limit of 1048576"), "\(big.stderr)")
    }

    // MARK: - Bad stores

    @Test("a database that is not a Gazette store is refused and left untouched",
          .enabled(if: SQLiteShell.available, "needs the sqlite3 shell"))
    func notAGazetteStore() throws {
        let dir = try FaultDirectory()
        try SQLiteShell.run(dir.db, "CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices VALUES (1, 9.5);")
        let before = try Data(contentsOf: URL(fileURLWithPath: dir.db))
        let tag = try dir.tag()
        #expect(tag.status != 0)
        #expect(tag.stderr.contains("\(dir.db): read schema version failed: an SQLite database that Gazette did not create"), "\(tag.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir.db)) == before)

        let text = try dir.write("notes.sqlite", "these are my notes, not a database\n")
        let onText = try GazetteProcess.run(["tag", dir.file("in"), "--config", dir.config, "--db", text])
        #expect(onText.status != 0)
        #expect(onText.stderr.contains("notes.sqlite"), "\(onText.stderr)")
        #expect(onText.stderr.contains("not a Gazette store"), "\(onText.stderr)")
        #expect(try String(contentsOfFile: text, encoding: .utf8) == "these are my notes, not a database\n")
    }

    @Test("a store from a newer schema version is refused and left untouched",
          .enabled(if: SQLiteShell.available, "needs the sqlite3 shell"))
    func newerSchema() throws {
        let dir = try FaultDirectory()
        #expect(try dir.tag().status == 0)
        try SQLiteShell.run(dir.db, "PRAGMA user_version = 7;")
        let before = try SQLiteShell.run(dir.db, "SELECT count(*) FROM articles; SELECT count(*) FROM mentions; SELECT count(*) FROM runs;")
        let tag = try dir.tag()
        #expect(tag.status != 0)
        #expect(tag.stderr.contains("\(dir.db): read schema version failed: store has schema version 7, newer than this Gazette's \(Schema.currentVersion); use a newer Gazette"), "\(tag.stderr)")
        #expect(try SQLiteShell.run(dir.db, "SELECT count(*) FROM articles; SELECT count(*) FROM mentions; SELECT count(*) FROM runs;") == before)
    }

    @Test("a read-only store is refused before any work, with the reason",
          .enabled(if: UnprivilegedRunner.available, "needs to run as non-root, or setpriv to drop root"))
    func readOnlyStore() throws {
        let dir = try FaultDirectory()
        #expect(try dir.tag().status == 0)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: dir.db)
        let before = try Data(contentsOf: URL(fileURLWithPath: dir.db))
        try dir.touchGoodArticle()
        let tag = try dir.tag(unprivileged: true)
        #expect(tag.status != 0)
        #expect(tag.stderr.contains("\(dir.db): open for writing failed: the store file is read-only"), "\(tag.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir.db)) == before)
    }

    @Test("a version 1 store: a read-only command upgrades it; one that cannot be written is named with the reason and left as it was",
          .enabled(if: UnprivilegedRunner.available, "needs to run as non-root, or setpriv to drop root"))
    func olderStoreOpenedByAReadOnlyCommand() throws {
        func makeVersion1(_ db: String) throws {
            // What schema versions 2 and 3 changed, undone: the store as Gazette's first release wrote it.
            let connection = try SQLiteConnection(path: db, readOnly: false, busyTimeoutMilliseconds: 1000)
            try connection.execute("""
                ALTER TABLE articles DROP COLUMN file_stamp;
                DROP TABLE article_entities;
                CREATE INDEX mentions_entity ON mentions(entity_id, article_id);
                PRAGMA user_version = 1;
                """, operation: "test")
        }
        let dir = try FaultDirectory()
        #expect(try dir.tag().status == 0)
        let current = try GazetteProcess.run(["entities", "--db", dir.db, "--top", "5"])
        #expect(current.status == 0, "\(current.stderr)")

        try makeVersion1(dir.db)
        let upgraded = try GazetteProcess.run(["entities", "--db", dir.db, "--top", "5"])
        #expect(upgraded.status == 0, "\(upgraded.stderr)")
        #expect(upgraded.stdout == current.stdout)

        try makeVersion1(dir.db)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: dir.db)
        let before = try Data(contentsOf: URL(fileURLWithPath: dir.db))
        let refused = try UnprivilegedRunner.run(["entities", "--db", dir.db, "--top", "5"], sharing: dir.temporary.url)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("\(dir.db): open read-only failed: store has schema version 1, this Gazette reads \(Schema.currentVersion) (upgrading it failed: "), "\(refused.stderr)")
        #expect(refused.stderr.contains("the store file is read-only"), "\(refused.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir.db)) == before)
    }

    @Test("a store locked by another writer: gazette waits the busy timeout, then fails clearly; the store stays whole",
          .enabled(if: SQLiteShell.available, "needs the sqlite3 shell"))
    func lockedStore() throws {
        let dir = try FaultDirectory()
        try dir.writeConfig(busyTimeoutSeconds: 1)
        #expect(try dir.tag().status == 0)
        try dir.touchGoodArticle()

        let holder = try SQLiteShell.holdWriteLock(dir.db)
        let clock = ContinuousClock()
        let started = clock.now
        let tag = try dir.tag()
        let waited = clock.now - started
        holder.release()
        #expect(tag.status != 0)
        #expect(tag.stderr.contains(dir.db), "\(tag.stderr)")
        #expect(tag.stderr.contains("database is locked (another process held the lock for more than 1000 ms)"), "\(tag.stderr)")
        #expect(waited >= .milliseconds(900), "it waited for the lock before failing")
        #expect(try SQLiteShell.run(dir.db, "PRAGMA integrity_check;") == "ok\n")

        let again = try dir.tag()
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.hasPrefix("tagged 1, skipped 3, failed 0 articles"), "\(again.stdout)")
    }
}

// MARK: - Helpers

/// A temporary directory with the good articles in `in/`, a config using the small test gazetteer
/// and the shipped topic model, and a store path.
final class FaultDirectory {
    let temporary: TemporaryDirectory
    var db: String { temporary.file("tags.sqlite") }
    var config: String { temporary.file("Pipeline.yaml") }

    /// The good articles of every fault test: key (relative) → content.
    static let goodArticles: [(String, String)] = [
        ("in/good/budget.txt", "Budget talks in Washington\n\nThe United States and France met in Washington on Monday.\n"),
        ("in/good/page.html", "<html><head><title>Paris summit</title></head><body><p>Leaders met in Paris, France, with the United Nations.</p></body></html>"),
        ("in/good/wire.jsonl", "{\"id\": \"w1\", \"title\": \"Berlin\", \"text\": \"Talks in Berlin went on.\"}\n{\"id\": \"w2\", \"text\": \"NYC officials met in New York City.\"}\n"),
    ]
    static let goodKeys = ["in/good/budget.txt", "in/good/page.html", "in/good/wire.jsonl#w1", "in/good/wire.jsonl#w2"]

    init() throws {
        temporary = try TemporaryDirectory()
        for (path, text) in Self.goodArticles { try write(path, text) }
        try FileManager.default.createDirectory(atPath: file("in/sub"), withIntermediateDirectories: true)
        try write("gaz/test.tsv", """
            # Written for the fault tests (ids illustrative).
            id\ttype\tname\taliases\tprior\tfrom\tto\tcountry\tsource
            test:berlin\tplace\tBerlin\t\t7\t\t\tDE\tcurated
            test:paris\tplace\tParis\t\t7\t\t\tFR\tcurated
            test:france\tplace\tFrance\t\t8\t\t\tFR\tcurated
            test:washington\tplace\tWashington\t\t6\t\t\tUS\tcurated
            test:united-states\tplace\tUnited States\tUS|U.S.\t9\t\t\tUS\tcurated
            test:new-york-city\tplace\tNew York City\tNYC\t7\t\t\tUS\tcurated
            test:un\torganization\tUnited Nations\tUN\t7\t\t\t\tcurated

            """)
        try writeConfig()
    }

    func file(_ relative: String) -> String { temporary.file(relative) }

    @discardableResult
    func write(_ relative: String, _ text: String) throws -> String { try temporary.write(relative, text) }

    @discardableResult
    func writeBytes(_ relative: String, _ bytes: [UInt8]) throws -> String {
        let path = file(relative)
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func writeConfig(gazetteer: String? = nil, model: String? = nil, busyTimeoutSeconds: Double = 5) throws {
        let root = GazetteProcess.packageRoot
        try write("Pipeline.yaml", """
            version: 1
            store: { batchSize: 2, busyTimeoutSeconds: \(busyTimeoutSeconds) }
            jobs: 2
            stages:
              - normalize: { foldAccents: true }
              - gazetteer: { directory: "\(gazetteer ?? file("gaz"))" }
              - topics: { model: "\(model ?? root.appendingPathComponent("Models/topics-v1.model").path)", topK: 2, minScore: 0.01 }

            """)
    }

    func tag(unprivileged: Bool = false) throws -> GazetteProcess.Result {
        let arguments = ["tag", file("in"), "--config", config, "--db", db]
        if unprivileged { return try UnprivilegedRunner.run(arguments, sharing: temporary.url) }
        return try GazetteProcess.run(arguments)
    }

    /// Changes one good article so the next run has something to write.
    func touchGoodArticle() throws {
        try write("in/good/budget.txt", Self.goodArticles[0].1 + "Later the talks moved to Paris.\n")
    }
}

/// One fault run: the fault next to the good articles, and the same good articles tagged alone.
struct FaultRun {
    let dir: FaultDirectory
    let tag: GazetteProcess.Result

    init(extraStored: [String] = [], unprivileged: Bool = false, fault: (FaultDirectory) throws -> Void) throws {
        dir = try FaultDirectory()
        try fault(dir)
        tag = try dir.tag(unprivileged: unprivileged)
        // Exactly the good articles (and the fault's own, when it is tagged with a warning) are
        // stored, once each, with the same tags as when the good articles are tagged alone.
        let stored = try Set(store().fingerprints().keys.map(relative))
        #expect(stored == Set(FaultDirectory.goodKeys + extraStored), "\(tag.stderr)")
        let baseline = try FaultBaseline.shared.get()
        for key in FaultDirectory.goodKeys {
            #expect(try tags(of: key) == baseline[key], "tags of \(key) differ from a clean run")
        }
        #expect(try SQLiteShell.available ? SQLiteShell.run(dir.db, "PRAGMA integrity_check;") == "ok\n" : true)
    }

    func store() throws -> TagStore { try TagStore(path: dir.db, readOnly: true) }

    func relative(_ key: String) -> String {
        key.hasPrefix(dir.temporary.path + "/") ? String(key.dropFirst(dir.temporary.path.count + 1)) : key
    }

    func storedArticle(_ relativeKey: String) throws -> StoredArticle? {
        try store().article(matching: dir.temporary.path + "/" + relativeKey)
    }

    /// Mentions (with entity keys) and topic labels of one article, in a comparable form; mentions
    /// are kept as a list so a doubled one shows.
    func tags(of relativeKey: String) throws -> ArticleTags? {
        let store = try store()
        guard let article = try store.article(matching: dir.temporary.path + "/" + relativeKey) else { return nil }
        return ArticleTags(
            mentions: try store.mentions(articleID: article.id).map { "\($0.start)-\($0.end) \($0.surface) \($0.entity.key)" },
            topics: try store.topics(articleID: article.id).map(\.label))
    }

    func expect(status: Int32, stderr expected: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(tag.status == status, "\(tag.stderr)", sourceLocation: sourceLocation)
        let named = expected.hasPrefix("in/") ? dir.temporary.path + "/" + expected : expected
        #expect(tag.stderr.contains(named), "stderr: \(tag.stderr)", sourceLocation: sourceLocation)
    }

    func expect(status: Int32, stderrLacks name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(tag.status == status, "\(tag.stderr)", sourceLocation: sourceLocation)
        #expect(!tag.stderr.contains(name), "stderr: \(tag.stderr)", sourceLocation: sourceLocation)
    }
}

struct ArticleTags: Equatable {
    var mentions: [String]
    var topics: [String]
}

/// The good articles tagged alone, once per test process.
final class FaultBaseline: @unchecked Sendable {
    static let shared = FaultBaseline()
    private let lock = NSLock()
    private var tags: [String: ArticleTags]?

    func get() throws -> [String: ArticleTags] {
        lock.lock()
        defer { lock.unlock() }
        if let tags { return tags }
        let dir = try FaultDirectory()
        let tag = try dir.tag()
        guard tag.status == 0 else { throw BaselineFailure(stderr: tag.stderr) }
        let run = FaultRunReader(dir: dir)
        var result: [String: ArticleTags] = [:]
        for key in FaultDirectory.goodKeys { result[key] = try run.tags(of: key) }
        // The fixture must exercise both tables, or "nothing doubled" would be vacuous.
        guard result.values.contains(where: { !$0.mentions.isEmpty }), result.values.contains(where: { !$0.topics.isEmpty }) else {
            throw BaselineFailure(stderr: "baseline has no mentions or no topics: \(result)")
        }
        tags = result
        return result
    }

    struct BaselineFailure: Error { var stderr: String }
}

/// Reads tags from a store without the checks of `FaultRun.init`.
struct FaultRunReader {
    let dir: FaultDirectory
    func tags(of relativeKey: String) throws -> ArticleTags? {
        let store = try TagStore(path: dir.db, readOnly: true)
        guard let article = try store.article(matching: dir.temporary.path + "/" + relativeKey) else { return nil }
        return ArticleTags(
            mentions: try store.mentions(articleID: article.id).map { "\($0.start)-\($0.end) \($0.surface) \($0.entity.key)" },
            topics: try store.topics(articleID: article.id).map(\.label))
    }
}

/// The `sqlite3` shell, to build foreign or newer databases and hold a lock from another process.
enum SQLiteShell {
    static let path = ["/usr/bin/sqlite3", "/usr/local/bin/sqlite3"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static var available: Bool { path != nil }

    @discardableResult
    static func run(_ db: String, _ sql: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path!)
        process.arguments = [db, sql]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// Another process holding the store's write lock until `release()`.
    final class LockHolder {
        let process: Process
        let input: Pipe
        init(process: Process, input: Pipe) { self.process = process; self.input = input }
        func release() {
            input.fileHandleForWriting.write(Data("COMMIT;\n.quit\n".utf8))
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
        }
    }

    static func holdWriteLock(_ db: String) throws -> LockHolder {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path!)
        process.arguments = [db]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        // The shell answers only once BEGIN IMMEDIATE holds the lock.
        input.fileHandleForWriting.write(Data("BEGIN IMMEDIATE;\nSELECT 'locked';\n".utf8))
        var received = Data()
        while !String(decoding: received, as: UTF8.self).contains("locked") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            received.append(chunk)
        }
        return LockHolder(process: process, input: input)
    }
}

/// Runs the binary as an unprivileged user, so file permissions apply (root reads any file). As
/// non-root the binary runs directly; as root it goes through `setpriv` to user and group nobody.
enum UnprivilegedRunner {
    static let isRoot = getuid() == 0
    static let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static var available: Bool { !isRoot || setpriv != nil }

    static func run(_ arguments: [String], sharing directory: URL) throws -> GazetteProcess.Result {
        guard isRoot, let setpriv else { return try GazetteProcess.run(arguments) }
        // nobody must be able to create the store (and its WAL files) in the test's folder.
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: directory.path)
        return try GazetteProcess.run(
            ["--reuid=65534", "--regid=65534", "--clear-groups", GazetteProcess.binary.path] + arguments,
            executable: URL(fileURLWithPath: setpriv))
    }
}
