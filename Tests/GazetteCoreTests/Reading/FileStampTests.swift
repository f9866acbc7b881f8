import Foundation
import Testing
@testable import GazetteCore

@Suite("File stamps")
struct FileStampTests {
    @Test("a stamp is stored as text and read back; any other text is no stamp")
    func text() {
        let stamp = FileStamp(size: 2301, modified: 1_764_512_345_123_456_789, changed: 1_764_512_346_000_000_001, inode: 5_333_794)
        #expect(stamp.text == "2301 1764512345123456789 1764512346000000001 5333794")
        #expect(FileStamp(text: stamp.text) == stamp)
        for bad in ["", "2301", "2301 1 2", "2301 1 2 3 4", "2301  1 2 3", "a 1 2 3", "1 2 3 -4", " 1 2 3 4", "1 2 3 4 ",
                    "1 - 3 4", "1 --2 3 4", "1 2- 3 4", "1 2 3 +4", "1 9223372036854775808 3 4", "1 2 3 18446744073709551616"] {
            #expect(FileStamp(text: bad) == nil, "\(bad)")
        }
        // Times before 1970, and the largest values each field holds.
        let extreme = FileStamp(size: Int64.max, modified: -1_000_000_001, changed: Int64.min + 1, inode: UInt64.max)
        #expect(FileStamp(text: extreme.text) == extreme)
        #expect(FileStamp(text: "0 -5 -0 0") == FileStamp(size: 0, modified: -5, changed: 0, inode: 0))
    }

    @Test("settled: the last write and change both lie the settle time or more before now; a future time never does")
    func settled() {
        let second: Int64 = 1_000_000_000
        let now = 1_000 * second
        func stamp(modified: Int64, changed: Int64) -> FileStamp { FileStamp(size: 1, modified: modified, changed: changed, inode: 1) }
        #expect(stamp(modified: now - 2 * second, changed: now - 2 * second).settled(now: now))
        #expect(stamp(modified: now - 5 * second, changed: now - 2 * second + 1).settled(now: now) == false)
        #expect(stamp(modified: now - 2 * second + 1, changed: now - 5 * second).settled(now: now) == false)
        #expect(stamp(modified: now + second, changed: now - 5 * second).settled(now: now) == false)
        #expect(stamp(modified: now, changed: now).settled(now: now, settle: .zero))
        #expect(stamp(modified: now, changed: now + 1).settled(now: now, settle: .zero) == false)
        #expect(stamp(modified: now - second, changed: now - second).settled(now: now, settle: .milliseconds(999)))
        #expect(FileStamp.settle == .seconds(2))
    }

    @Test("a regular file's stamp names its size and inode and moves with every change; a directory or a missing file has none")
    func ofPath() throws {
        let folder = try TemporaryDirectory()
        let path = try folder.write("a.txt", "four")
        let first = try #require(FileStamp.of(path: path))
        var info = stat()
        #expect(stat(path, &info) == 0)
        #expect(first.size == 4)
        #expect(first.inode == UInt64(info.st_ino))
        #expect(FileStamp.of(path: path) == first)
        // Same size, write time put back: the change time still moves.
        usleep(20_000)
        try Data("FOUR".utf8).write(to: URL(fileURLWithPath: path))
        var times = [timespec(tv_sec: Int(first.modified / 1_000_000_000), tv_nsec: Int(first.modified % 1_000_000_000)), timespec()]
        times[1] = times[0]
        #expect(utimensat(AT_FDCWD, path, &times, 0) == 0)
        let rewritten = try #require(FileStamp.of(path: path))
        #expect(rewritten.size == first.size)
        #expect(rewritten.modified == first.modified)
        #expect(rewritten != first)
        #expect(FileStamp.of(path: folder.path) == nil)
        #expect(FileStamp.of(path: folder.url.appendingPathComponent("missing.txt").path) == nil)
    }

    @Test("a whole file read gets its stamp once settled; a file changed within the settle time gets none")
    func readerStamps() throws {
        let folder = try TemporaryDirectory()
        let path = try folder.write("a.txt", "Title\nBody text.\n")
        var reader = ArticleReader()
        // Just written: within the default settle time.
        #expect(reader.read(fileAt: path).articles.first?.fileStamp == nil)
        reader.stampSettle = .zero
        let article = try #require(reader.read(fileAt: path).articles.first)
        #expect(article.fileStamp == FileStamp.of(path: path))
        // JSON lines are not stamped: a stamp is a whole file's.
        let lines = try folder.write("b.jsonl", "{\"id\": \"1\", \"text\": \"Body.\"}\n")
        #expect(reader.read(fileAt: lines).articles.first?.fileStamp == nil)
    }
}
