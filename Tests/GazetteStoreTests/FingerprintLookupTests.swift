import CSQLite3
import Foundation
import GazetteCore
import Testing

@testable import GazetteStore

/// The lookup a tag run asks for each file's stored hashes while its writer commits.
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
        for index in 0..<50 {
            let key = "/news/\(index).txt"
            #expect(try lookup.fingerprints(ofFile: key) == [key: all[key]!])
        }
        let file = try lookup.fingerprints(ofFile: "/news/a.jsonl")
        #expect(file == Dictionary(uniqueKeysWithValues: lines.map { ($0.article.key, all[$0.article.key]!) }))
        #expect(try lookup.fingerprints(ofFile: "/news/50.txt").isEmpty)
        #expect(try lookup.fingerprints(ofFile: "/news").isEmpty)
    }

    @Test("lookups while the writer commits on another thread answer what was committed; no read is left open")
    func lookupsBesideTheWriter() async throws {
        let directory = try TemporaryDirectory()
        let store = try TagStore(path: directory.path("tags.sqlite"))
        let run = try store.beginRun(configHash: "c", pipelineVersion: "1")
        try store.save(documents(0..<200), pipelineHash: "pipe-1", runID: run, keepText: true)
        let before = try store.fingerprints()
        var lookup: (any FingerprintLookup)? = try store.storedFingerprints()

        // The writer saves new articles and changes others while the lookups ask for files it
        // never touches, more than one read transaction's worth.
        let writer = Task.detached {
            for round in 0..<5 {
                try store.save(self.documents(200 + 40 * round..<240 + 40 * round), pipelineHash: "pipe-2", runID: run, keepText: true)
                try store.save(self.documents(0..<100, version: "v\(round) "), pipelineHash: "pipe-2", runID: run, keepText: true)
            }
        }
        var mismatches = 0
        for round in 0..<10 {
            for index in 100..<200 {
                let key = "/news/\(index).txt"
                if try lookup!.fingerprints(ofFile: key) != [key: before[key]!] { mismatches += 1 }
            }
            if round == 5 { try await Task.sleep(for: .milliseconds(30)) }
        }
        try await writer.value
        #expect(mismatches == 0)
        // A transaction begun after the writer's commits sees them.
        try await Task.sleep(for: .milliseconds(30))
        #expect(try lookup!.fingerprints(ofFile: "/news/0.txt")["/news/0.txt"]?.pipelineHash == "pipe-2")
        #expect(try lookup!.fingerprints(ofFile: "/news/399.txt")["/news/399.txt"]?.pipelineHash == "pipe-2")
        // Meanwhile its read transaction is open (those two lookups began one), so a checkpoint
        // cannot empty the WAL; released, the lookup ends it: a checkpoint can copy the whole WAL and
        // empty it (a reader left on an old snapshot would make it report busy).
        #expect(try walTruncation(directory.path("tags.sqlite")).first == 1)
        lookup = nil
        #expect(try walTruncation(directory.path("tags.sqlite")) == [0, 0, 0])
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
