import Foundation
import GazetteCore
import Testing

@testable import GazetteStore

/// `gazette tag` run again over files that have not changed since they were read skips them by
/// their stamps, unread (`FileStamp`); a rewrite that keeps the size and the write time is still
/// seen, by the change time.
@Suite("re-runs skip settled files by their stamps")
struct FileStampCommandTests {
    static func stamps(_ db: String) throws -> [String: String?] {
        let connection = try SQLiteConnection(path: db, readOnly: true, busyTimeoutMilliseconds: 1000)
        let select = try connection.prepare("SELECT key, file_stamp FROM articles", operation: "test")
        var result: [String: String?] = [:]
        while try select.step(operation: "test") { result[select.string(0)] = select.optionalString(1) }
        return result
    }

    @Test("fresh files get no stamp; once settled, a re-run stamps them, then trusts the stamps; a same-size rewrite with its write time put back is tagged again")
    func rerunsUseStamps() throws {
        let dir = try FaultDirectory()
        let budget = dir.file("in/good/budget.txt")
        let first = try dir.tag()
        #expect(first.status == 0, "\(first.stderr)")
        // Written a moment ago: within the settle time, so not stamped.
        #expect(try Self.stamps(dir.db).values.allSatisfy { $0 == nil })

        Thread.sleep(forTimeInterval: 2.1)
        let second = try dir.tag()
        #expect(second.stdout.hasPrefix("tagged 0, skipped 4, failed 0 articles"), "\(second.stdout)")
        let stamps = try Self.stamps(dir.db)
        #expect(stamps[budget] == .some(FileStamp.of(path: budget)?.text))
        #expect(stamps[dir.file("in/good/page.html")] == .some(FileStamp.of(path: dir.file("in/good/page.html"))?.text))
        #expect(stamps[dir.file("in/good/wire.jsonl") + "#w1"] == .some(nil), "JSON lines carry no stamp")

        // A stored hash the file does not match: only a run that reads the file would notice.
        do {
            let connection = try SQLiteConnection(path: dir.db, readOnly: false, busyTimeoutMilliseconds: 1000)
            let update = try connection.prepare("UPDATE articles SET content_hash = 'x' WHERE key = ?1", operation: "test")
            update.bind(1, budget)
            try update.run(operation: "test")
        }
        let third = try dir.tag()
        #expect(third.stdout.hasPrefix("tagged 0, skipped 4, failed 0 articles"), "\(third.stdout)")

        // Same size, write time put back: the change time tells.
        let before = try #require(FileStamp.of(path: budget))
        let original = try String(contentsOfFile: budget, encoding: .utf8)
        try Data(original.uppercased().utf8).write(to: URL(fileURLWithPath: budget))
        var times = [timespec(tv_sec: Int(before.modified / 1_000_000_000), tv_nsec: Int(before.modified % 1_000_000_000)), timespec()]
        times[1] = times[0]
        #expect(utimensat(AT_FDCWD, budget, &times, 0) == 0)
        let fourth = try dir.tag()
        #expect(fourth.stdout.hasPrefix("tagged 1, skipped 3, failed 0 articles"), "\(fourth.stdout)")
        let store = try TagStore(path: dir.db, readOnly: true)
        let stored = try store.fingerprints()[budget]
        #expect(stored?.contentHash == ContentHash.hex(Array(original.uppercased().utf8)))
        #expect(stored?.fileStamp == nil, "changed a moment ago: not stamped yet")
    }
}
