import Foundation
import Testing
import TestSupport

/// Crash safety through the binary: SIGINT commits and exits 130 with a summary; SIGKILL at random
/// moments followed by a re-run gives the same store as an uninterrupted run. The long version of
/// the kill test is `Scripts/crash_test.sh` (20 trials, 3000 articles).
@Suite("interruption and crash safety", .serialized, .enabled(if: SQLiteShell.available, "needs the sqlite3 shell"))
struct InterruptionTests {
    /// Articles written for this test (gazetteer names in filler sentences), deterministic.
    static func writeArticles(_ count: Int, into dir: FaultDirectory) throws {
        let names = ["Berlin", "Paris", "France", "Washington", "United States", "New York City", "United Nations"]
        let filler = "officials said the talks on trade would continue next week while markets waited".split(separator: " ")
        var generator = SplitMix(seed: 42)
        for index in 0..<count {
            var words: [String] = []
            for _ in 0..<(20 + Int(generator.next() % 40)) {
                words.append(generator.next() % 5 == 0 ? names[Int(generator.next() % UInt64(names.count))] : String(filler[Int(generator.next() % UInt64(filler.count))]))
            }
            try dir.write(String(format: "in/gen/%03d/a%05d.txt", index / 100, index), "Report \(index)\n\n\(words.joined(separator: " ")).\n")
        }
    }

    /// Everything an article's tags consist of, by stable keys, in a fixed order. The pipeline hash
    /// covers the config text, which names each test's own gazetteer folder, so only its
    /// uniformity is compared.
    static func dump(_ db: String) throws -> String {
        try SQLiteShell.run(db, """
            SELECT 'A', key, content_hash, title, size FROM articles ORDER BY key;
            SELECT 'P', count(DISTINCT pipeline_hash) FROM articles;
            SELECT 'M', a.key, e.key, m.start, m."end", m.surface FROM mentions m JOIN articles a ON a.id = m.article_id JOIN entities e ON e.id = m.entity_id ORDER BY 2, 4, 3;
            SELECT 'K', a.key, e.key, x.mentions FROM article_entities x JOIN articles a ON a.id = x.article_id JOIN entities e ON e.id = x.entity_id ORDER BY 2, 3;
            SELECT 'T', a.key, t.label, t.score FROM topics t JOIN articles a ON a.id = t.article_id ORDER BY 2, 3;
            SELECT 'X', a.key, length(x.text) FROM article_texts x JOIN articles a ON a.id = x.article_id ORDER BY 2;
            SELECT 'E', key, name, type FROM entities ORDER BY key;
            """)
    }

    static func count(_ db: String, _ sql: String) throws -> Int {
        Int(try SQLiteShell.run(db, sql).trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    @Test("SIGINT commits the batch being filled, prints the summary, exits 130; a re-run tags the rest once")
    func sigint() throws {
        let dir = try FaultDirectory()
        try Self.writeArticles(1500, into: dir)
        let total = 1500 + FaultDirectory.goodKeys.count
        let process = Process()
        process.executableURL = GazetteProcess.binary
        process.arguments = ["tag", dir.file("in"), "--config", dir.config, "--db", dir.db, "--jobs", "1"]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Interrupt once the first batch is committed (the handler is installed before any file is read).
        while process.isRunning, (try? Self.count(dir.db, "SELECT count(*) FROM articles;")) ?? 0 < 1 {
            usleep(20_000)
        }
        kill(process.processIdentifier, SIGINT)
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 130, "\(stderr)")
        #expect(stderr.contains("interrupted: the articles above are committed"), "\(stderr)")
        let tagged = try #require(stdout.split(separator: ",").first.flatMap { Int($0.dropFirst("tagged ".count)) }, "\(stdout)")
        #expect(tagged > 0 && tagged < total, "\(stdout)")
        #expect(try Self.count(dir.db, "SELECT count(*) FROM articles;") == tagged, "every counted article is committed")
        #expect(try SQLiteShell.run(dir.db, "SELECT status FROM runs;") == "interrupted\n")
        #expect(try SQLiteShell.run(dir.db, "PRAGMA integrity_check;") == "ok\n")

        let again = try dir.tag()
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.hasPrefix("tagged \(total - tagged), skipped \(tagged), failed 0 articles"), "\(again.stdout)")
        #expect(try Self.count(dir.db, "SELECT count(*) FROM articles;") == total)
    }

    @Test("SIGKILL at random moments, then a re-run: the store equals an uninterrupted run's")
    func sigkill() throws {
        let reference = try FaultDirectory()
        try Self.writeArticles(400, into: reference)
        let clock = ContinuousClock()
        let started = clock.now
        #expect(try reference.tag().status == 0)
        let runTime = clock.now - started
        let expected = try Self.dump(reference.db)
        #expect(expected.contains("\nM|"), "the reference has mentions")

        var generator = SplitMix(seed: 7)
        for trial in 0..<3 {
            let dir = try FaultDirectory()
            try Self.writeArticles(400, into: dir)
            for _ in 0...(trial % 2) {
                let process = Process()
                process.executableURL = GazetteProcess.binary
                process.arguments = ["tag", dir.file("in"), "--config", dir.config, "--db", dir.db, "--quiet"]
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                try process.run()
                let fraction = Double(generator.next() % 1000) / 1000
                Thread.sleep(forTimeInterval: max(0.05, fraction * Double(runTime.components.seconds) + fraction * Double(runTime.components.attoseconds) / 1e18))
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
            let rerun = try dir.tag()
            #expect(rerun.status == 0, "\(rerun.stderr)")
            #expect(try SQLiteShell.run(dir.db, "PRAGMA integrity_check;") == "ok\n")
            #expect(try SQLiteShell.run(dir.db, "PRAGMA foreign_key_check;") == "")
            // Keys are absolute paths: make both dumps relative to their directory.
            let got = try Self.dump(dir.db).replacingOccurrences(of: dir.temporary.path, with: "ROOT")
            #expect(got == expected.replacingOccurrences(of: reference.temporary.path, with: "ROOT"), "trial \(trial)")
        }
    }
}
