import CSQLite3
import Foundation
import GazetteCore
import Testing

@testable import GazetteStore

/// The lookup a tag run asks for the stored hashes of its files while its writer commits.
@Suite struct FingerprintLookupTests {
    func documents(_ range: Range<Int>, version: String = "") -> [ArticleDocument] {
        range.map { index in
            document(key: "/news/\(index).txt", text: "London \(version)\(index)", entities: [("London", london)])
        }
    }

    @Test("an empty store gives a lookup that asks nothing; a stored one gives each file's articles")
    func answersAsStored() throws {
        let directory = try TemporaryDirectory()
        let store = try TagStore(path: directory.path("tags.sqlite"))
        #expect(try store.storedFingerprints() is NoStoredFingerprints)

        let run = try store.beginRun(configHash: "c", pipelineVersion: "1")
        let lines = ["1", "2", "10"].map { id in
            document(key: "/news/a.jsonl#\(id)", text: "Paris \(id)", entities: [("Paris", paris)], path: "/news/a.jsonl")
        }
        // Keys that sort next to the file's range but are not its articles.
        let neighbours = ["/news/a.jsonl2#1", "/news/a.jsonl.txt", "/news/a.json"].map { key in
            document(key: key, text: "Berlin \(key)", entities: [("Berlin", berlin)])
        }
        try store.save(documents(0..<50) + lines + neighbours, pipelineHash: "pipe-1", runID: run, keepText: false)
        let lookup = try store.storedFingerprints()
        #expect(lookup is StoredFingerprintLookup)
        let all = try store.fingerprints()
        #expect(all.count == 56)
        let paths = (0..<50).map { "/news/\($0).txt" } + ["/news/a.jsonl", "/news/50.txt", "/news"]
        let answers = try lookup.fingerprints(ofFiles: paths)
        #expect(answers.count == paths.count)
        for index in 0..<50 { #expect(answers[index] == [paths[index]: all[paths[index]]!]) }
        #expect(answers[50] == Dictionary(uniqueKeysWithValues: lines.map { ($0.article.key, all[$0.article.key]!) }))
        #expect(answers[51].isEmpty)
        #expect(answers[52].isEmpty)
        #expect(try lookup.fingerprints(ofFiles: []).isEmpty)
        // By key: the articles asked for that are stored, exactly those.
        let keys = [lines[0].article.key, "/news/a.jsonl#missing", "/news/3.txt", lines[2].article.key, "/news/a.jsonl"]
        let byKey = try lookup.fingerprints(ofKeys: keys)
        #expect(byKey == [lines[0].article.key: all[lines[0].article.key]!, "/news/3.txt": all["/news/3.txt"]!,
                          lines[2].article.key: all[lines[2].article.key]!])
        #expect(try lookup.fingerprints(ofKeys: []).isEmpty)
    }

    @Test("one call holds a bounded number of fingerprints: it answers the first files, at least one")
    func boundedAnswers() throws {
        let directory = try TemporaryDirectory()
        let store = try TagStore(path: directory.path("tags.sqlite"))
        let run = try store.beginRun(configHash: "c", pipelineVersion: "1")
        let lines = (0..<30).map { id in
            document(key: "/news/big.jsonl#\(id)", text: "Paris \(id)", entities: [("Paris", paris)], path: "/news/big.jsonl")
        }
        try store.save(documents(0..<10) + lines, pipelineHash: "p", runID: run, keepText: false)
        let lookup = try StoredFingerprintLookup(path: directory.path("tags.sqlite"), busyTimeoutMilliseconds: 1000, fingerprintsPerCall: 4)
        let paths = (0..<10).map { "/news/\($0).txt" }
        #expect(try lookup.fingerprints(ofFiles: paths).count == 4)
        // A file of 30 articles is answered alone, whole.
        let big = try lookup.fingerprints(ofFiles: ["/news/big.jsonl"] + paths)
        #expect(big.count == 1)
        #expect(big[0].count == 30)
        #expect(try lookup.fingerprints(ofFiles: Array(paths[8...])).count == 2)
    }

    @Test("lookups while the writer commits on another thread answer what was committed, and hold no read between calls")
    func lookupsBesideTheWriter() async throws {
        let directory = try TemporaryDirectory()
        let store = try TagStore(path: directory.path("tags.sqlite"))
        let run = try store.beginRun(configHash: "c", pipelineVersion: "1")
        try store.save(documents(0..<200), pipelineHash: "pipe-1", runID: run, keepText: true)
        let before = try store.fingerprints()
        let lookup = try store.storedFingerprints()

        // The writer saves new articles and changes others while the lookups ask for files it
        // never touches.
        let writer = Task.detached {
            for round in 0..<5 {
                try store.save(self.documents(200 + 40 * round..<240 + 40 * round), pipelineHash: "pipe-2", runID: run, keepText: true)
                try store.save(self.documents(0..<100, version: "v\(round) "), pipelineHash: "pipe-2", runID: run, keepText: true)
            }
        }
        var mismatches = 0
        for _ in 0..<20 {
            for start in stride(from: 100, to: 200, by: 10) {
                let paths = (start..<start + 10).map { "/news/\($0).txt" }
                let answers = try lookup.fingerprints(ofFiles: paths)
                for (path, answer) in zip(paths, answers) where answer != [path: before[path]!] { mismatches += 1 }
            }
        }
        try await writer.value
        #expect(mismatches == 0)
        let after = try lookup.fingerprints(ofFiles: ["/news/0.txt", "/news/399.txt"])
        #expect(after[0]["/news/0.txt"]?.pipelineHash == "pipe-2")
        #expect(after[1]["/news/399.txt"]?.pipelineHash == "pipe-2")
        // Between calls the lookup holds no read transaction, though it is still open: a checkpoint
        // can copy the whole WAL and start it over (a reader on an old snapshot makes it busy).
        #expect(try walTruncation(directory.path("tags.sqlite")) == [0, 0, 0])
        // A reader that does hold one is seen by the same check.
        var db: OpaquePointer?
        #expect(sqlite3_open_v2(directory.path("tags.sqlite"), &db, SQLITE_OPEN_READONLY, nil) == SQLITE_OK)
        defer { sqlite3_close_v2(db) }
        #expect(sqlite3_exec(db, "BEGIN; SELECT count(*) FROM articles;", nil, nil, nil) == SQLITE_OK)
        try store.save(documents(0..<10, version: "again "), pipelineHash: "pipe-3", runID: run, keepText: true)
        #expect(try walTruncation(directory.path("tags.sqlite")).first == 1)
        _ = withExtendedLifetime(lookup) {}
    }
}

/// `PRAGMA wal_checkpoint(TRUNCATE)` through a connection of its own: [busy, WAL frames, frames
/// checkpointed].
func walTruncation(_ path: String) throws -> [Int64] {
    var db: OpaquePointer?
    guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK, let db else {
        throw CocoaError(.fileReadUnknown)
    }
    defer { sqlite3_close_v2(db) }
    var statement: OpaquePointer?
    guard sqlite3_prepare_v2(db, "PRAGMA wal_checkpoint(TRUNCATE)", -1, &statement, nil) == SQLITE_OK else {
        throw CocoaError(.fileReadUnknown)
    }
    defer { sqlite3_finalize(statement) }
    guard sqlite3_step(statement) == SQLITE_ROW else { throw CocoaError(.fileReadUnknown) }
    return (0..<3).map { sqlite3_column_int64(statement, $0) }
}
