import CSQLite3
import Foundation
import GazetteCore
import Testing

@testable import GazetteStore

/// The lookup a tag run asks for each article's stored hashes, from many tasks while it writes.
@Suite struct FingerprintLookupTests {
    func documents(_ range: Range<Int>, version: String = "") -> [ArticleDocument] {
        range.map { index in
            document(key: "/news/\(index).txt", text: "London \(version)\(index)", entities: [("London", london)])
        }
    }

    @Test("an empty store gives a lookup that asks nothing; a stored one answers as fingerprints() does")
    func answersAsStored() throws {
        let directory = try TemporaryDirectory()
        let store = try TagStore(path: directory.path("tags.sqlite"))
        #expect(try store.storedFingerprints() is NoStoredFingerprints)

        let run = try store.beginRun(configHash: "c", pipelineVersion: "1")
        try store.save(documents(0..<50), pipelineHash: "pipe-1", runID: run, keepText: false)
        let lookup = try store.storedFingerprints()
        #expect(lookup is StoredFingerprintLookup)
        let all = try store.fingerprints()
        #expect(all.count == 50)
        for (key, fingerprint) in all {
            #expect(try lookup.fingerprint(of: key) == fingerprint)
        }
        #expect(try lookup.fingerprint(of: "/news/50.txt") == nil)
        #expect(try lookup.fingerprint(of: "") == nil)
    }

    @Test("lookups from many tasks while the writer commits: each answers the last committed hashes")
    func concurrentWithWriter() async throws {
        let directory = try TemporaryDirectory()
        let store = try TagStore(path: directory.path("tags.sqlite"))
        let run = try store.beginRun(configHash: "c", pipelineVersion: "1")
        try store.save(documents(0..<200), pipelineHash: "pipe-1", runID: run, keepText: true)
        let before = try store.fingerprints()
        let lookup = try store.storedFingerprints()

        // The writer re-saves other articles (200..<400 new, then 0..<100 changed) while 8 tasks
        // ask for 100..<200, which it never touches: their answers never change.
        let writer = Task.detached {
            try store.save(self.documents(200..<400), pipelineHash: "pipe-2", runID: run, keepText: true)
            try store.save(self.documents(0..<100, version: "v2 "), pipelineHash: "pipe-2", runID: run, keepText: true)
        }
        let mismatches = try await withThrowingTaskGroup(of: Int.self) { group in
            for task in 0..<8 {
                group.addTask {
                    var mismatches = 0
                    for round in 0..<20 {
                        for index in 100..<200 where (index + round + task) % 3 == 0 {
                            let key = "/news/\(index).txt"
                            if try lookup.fingerprint(of: key) != before[key] { mismatches += 1 }
                        }
                    }
                    return mismatches
                }
            }
            return try await group.reduce(0, +)
        }
        try await writer.value
        #expect(mismatches == 0)
        // Committed writes are seen by later lookups.
        #expect(try lookup.fingerprint(of: "/news/0.txt")?.pipelineHash == "pipe-2")
        #expect(try lookup.fingerprint(of: "/news/0.txt")?.contentHash != before["/news/0.txt"]?.contentHash)
        #expect(try lookup.fingerprint(of: "/news/399.txt")?.pipelineHash == "pipe-2")
        // Each lookup ended its read transaction: a checkpoint can still copy the whole WAL and
        // empty it (a reader left on an old snapshot would make it report busy).
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
