import CFileCache
import Foundation
import Testing
@testable import GazetteCore

/// The paths a read-ahead hinted, in order.
private final class Hints: @unchecked Sendable {
    private let lock = NSLock()
    private var paths: [String] = []
    func add(_ path: String) { lock.withLock { paths.append(path) } }
    var all: [String] { lock.withLock { paths } }
    /// A hint that records its path and finds the file on disk.
    func onDisk(_ path: String) -> Bool? {
        add(path)
        return true
    }
}

/// Waits up to 5 s for `condition`; true when it came.
private func eventually(_ condition: () -> Bool) -> Bool {
    for _ in 0..<500 {
        if condition() { return true }
        usleep(10_000)
    }
    return condition()
}

/// Whether the first page of `fd`'s file is in the page cache, asked with `mincore` on a mapping
/// of it: a read that finds it missing (even one with `RWF_NOWAIT`) starts reading it in.
private func firstPageIsInMemory(_ fd: Int32) -> Bool? {
    let length = Int(getpagesize())
    guard let mapping = mmap(nil, length, PROT_READ, MAP_SHARED, fd, 0), mapping != MAP_FAILED else { return nil }
    defer { munmap(mapping, length) }
    var resident: UInt8 = 0
    guard mincore(mapping, length, &resident) == 0 else { return nil }
    return resident & 1 != 0
}

/// Drops the file at `path` from the page cache (written out first). True when its first page is
/// then on disk only; false where files stay in memory (tmpfs) or the system cannot tell.
private func evictFromPageCache(_ path: String) -> Bool {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    fsync(fd)
    // A page still in another core's batch of recently used pages is not dropped at once.
    for _ in 0..<5 {
        guard posix_fadvise(fd, 0, 0, Int32(POSIX_FADV_DONTNEED)) == 0 else { return false }
        if firstPageIsInMemory(fd) == false { return true }
        usleep(2_000)
    }
    return false
}

/// Whether a test can put a file of the temporary directory on disk only: the tests that need a
/// read to wait for the disk run only then (Linux with a disk-backed temporary directory, as CI).
private let filesCanBeDroppedFromMemory: Bool = {
    guard let dir = try? TemporaryDirectory(), let path = try? dir.write("probe.txt", "probe\n") else { return false }
    return evictFromPageCache(path)
}()

extension FileReadAhead {
    /// As many reads from disk as it takes to begin hints.
    func activateForTest() {
        for _ in 0..<FileReadAhead.activationReads { noteRead(waitedForDisk: true) }
    }
}

@Suite("Reading ahead of files on disk")
struct FileReadAheadTests {
    @Test("hints begin once 8 of the last 64 reads waited for the disk")
    func activationRule() {
        let readAhead = FileReadAhead(hint: { _ in true })
        // Seven reads from disk among reads from memory: a stray report or two is not a disk.
        for index in 0..<200 { readAhead.noteRead(waitedForDisk: index % 30 == 0) }
        #expect(!readAhead.isActive)
        // Seven within the last 64, then the eighth.
        for _ in 0..<64 { readAhead.noteRead(waitedForDisk: false) }
        for _ in 0..<7 { readAhead.noteRead(waitedForDisk: true) }
        for _ in 0..<56 { readAhead.noteRead(waitedForDisk: false) }
        #expect(!readAhead.isActive)
        readAhead.noteRead(waitedForDisk: true)
        #expect(readAhead.isActive)
        readAhead.stop()
        // A new run starts counting afresh.
        #expect(!readAhead.isActive)
        for _ in 0..<7 { readAhead.noteRead(waitedForDisk: true) }
        #expect(!readAhead.isActive)
        readAhead.stop()
    }

    @Test("hints go in the order given once active, and stop ends them")
    func activation() {
        let hints = Hints()
        let readAhead = FileReadAhead(hint: hints.onDisk)
        readAhead.willRead(["a", "b"])
        #expect(!readAhead.isActive)
        readAhead.activateForTest()
        #expect(readAhead.isActive)
        readAhead.willRead(["c", "d", "e"])
        #expect(eventually { readAhead.hintedCount == 3 })
        #expect(hints.all == ["c", "d", "e"])
        readAhead.stop()
        #expect(!readAhead.isActive)
        #expect(readAhead.hintedCount == 0)
        // Stopped: the next run starts inactive, and can start again.
        readAhead.willRead(["f"])
        readAhead.activateForTest()
        readAhead.willRead(["g"])
        #expect(eventually { readAhead.hintedCount == 1 })
        readAhead.stop()
        #expect(hints.all == ["c", "d", "e", "g"])
    }

    @Test("hints stop when the files hinted are in memory, and begin again when reads wait for the disk")
    func deactivation() {
        // Files 0..<100 on disk, the rest in memory.
        let hints = Hints()
        let readAhead = FileReadAhead(hint: { path in
            hints.add(path)
            return Int(path)! < 100
        })
        readAhead.activateForTest()
        readAhead.willRead((0..<400).map(String.init))
        // The last 64 hinted held fewer than 4 on disk after file 160: hints stopped there, and the
        // rest of the queue was dropped.
        #expect(eventually { !readAhead.isActive })
        #expect(hints.all == (0..<161).map(String.init))
        readAhead.willRead(["400"])
        // Reads that wait again: hints begin again.
        readAhead.activateForTest()
        readAhead.willRead(["401"])
        #expect(eventually { hints.all.count == 162 })
        #expect(hints.all.last == "401")
        #expect(readAhead.isActive)
        readAhead.stop()
    }

    @Test("a hint that cannot tell where its file is does not stop the hints")
    func unknownHints() {
        let readAhead = FileReadAhead(hint: { _ in nil })
        readAhead.activateForTest()
        readAhead.willRead((0..<200).map(String.init))
        #expect(eventually { readAhead.hintedCount == 200 })
        #expect(readAhead.isActive)
        readAhead.stop()
    }

    @Test("many paths are hinted once each, in order")
    func manyPaths() {
        let hints = Hints()
        let readAhead = FileReadAhead(hint: hints.onDisk)
        readAhead.activateForTest()
        let paths = (0..<5000).map { "file \($0)" }
        for start in stride(from: 0, to: paths.count, by: 64) {
            readAhead.willRead(paths[start..<min(start + 64, paths.count)])
        }
        #expect(eventually { readAhead.hintedCount == paths.count })
        readAhead.stop()
        #expect(hints.all == paths)
    }

    @Test("a hint brings a file on disk into memory", .enabled(if: filesCanBeDroppedFromMemory))
    func hintReadsTheFile() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("article.txt", String(repeating: "Some news. ", count: 2000))
        #expect(evictFromPageCache(path))
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        // Asked without reading (a read that misses starts reading the file in by itself).
        usleep(50_000)
        #expect(firstPageIsInMemory(fd) == false)
        #expect(FileReadAhead.hintIfOnDisk(path) == true)
        #expect(eventually { firstPageIsInMemory(fd) == true })
        // Now in memory, and told so.
        #expect(FileReadAhead.hintIfOnDisk(path) == false)
    }

    @Test("the reader tells a read that waited for the disk from one served from memory", .enabled(if: filesCanBeDroppedFromMemory))
    func readerReportsUncachedReads() throws {
        let dir = try TemporaryDirectory()
        let text = String(repeating: "Some news about Paris. ", count: 500)
        let path = try dir.write("article.txt", text)
        let reports = Hints()
        var reader = ArticleReader()
        reader.onFileRead = { reports.add($0 ? "disk" : "memory") }
        // Written out first: a read right after a write is now and then told to wait.
        sync()
        #expect(try reader.readFile(path).bytes == Array(text.utf8))
        #expect(evictFromPageCache(path))
        #expect(try reader.readFile(path).bytes == Array(text.utf8))
        #expect(reports.all.count == 2)
        #expect(reports.all.last == "disk")
    }

    @Test("a file only partly in memory is read whole and in order", .enabled(if: filesCanBeDroppedFromMemory))
    func partlyCachedFile() throws {
        let dir = try TemporaryDirectory()
        // 220 KB, each line numbered: a piece read twice or out of place shows.
        let text = (0..<20_000).map { String(format: "line %05d\n", $0) }.joined()
        let path = try dir.write("article.txt", text)
        let pageSize = Int(getpagesize())
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        fsync(fd)
        // The start stays in memory, the rest goes to disk only. (From 64 KiB on: the page cache
        // may hold the file in folios of several pages, and drops only whole ones.)
        var evicted = false
        for _ in 0..<5 where !evicted {
            _ = posix_fadvise(fd, off_t(64 << 10), 0, Int32(POSIX_FADV_DONTNEED))
            var first: UInt8 = 0
            _ = pread(fd, &first, 1, 0)
            let length = text.utf8.count
            if let mapping = mmap(nil, length, PROT_READ, MAP_SHARED, fd, 0), mapping != MAP_FAILED {
                var resident = [UInt8](repeating: 0, count: (length + pageSize - 1) / pageSize)
                if mincore(mapping, length, &resident) == 0 { evicted = resident[0] & 1 == 1 && resident.last! & 1 == 0 }
                munmap(mapping, length)
            }
            if !evicted { usleep(2_000) }
        }
        try #require(evicted)
        let reports = Hints()
        var reader = ArticleReader()
        reader.onFileRead = { reports.add($0 ? "disk" : "memory") }
        #expect(try reader.readFile(path).bytes == Array(text.utf8))
        #expect(reports.all == ["disk"])
    }

    @Test("an empty file is read and reported as nothing")
    func emptyFile() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("empty.txt", "")
        let reports = Hints()
        var reader = ArticleReader()
        reader.onFileRead = { reports.add($0 ? "disk" : "memory") }
        #expect(try reader.readFile(path).bytes.isEmpty)
        #expect(reports.all.isEmpty)
    }
}

@Suite("Files handed out a window ahead of the read-ahead")
struct UpcomingFilesReadAheadTests {
    func folder(files: Int) throws -> (TemporaryDirectory, [String]) {
        let dir = try TemporaryDirectory()
        let paths = try (0..<files).map { try dir.write(String(format: "%04d.txt", $0), "Article \($0)\n") }
        return (dir, paths)
    }

    /// The `.txt` files of `dir` as a tag run hands them out, with nothing stored for them.
    func upcomingFiles(in dir: TemporaryDirectory, readAhead: FileReadAhead) -> UpcomingFiles {
        UpcomingFiles(walk: DirectoryWalker(extensions: ["txt"]).files(under: dir.path), lookup: NoStoredFingerprints(), readAhead: readAhead)
    }

    @Test("active from the start: every file after the first chunk is hinted once, in walk order, before it is handed out")
    func activeFromTheStart() throws {
        let (dir, paths) = try folder(files: 700)
        let hints = Hints()
        let readAhead = FileReadAhead(hint: hints.onDisk)
        readAhead.activateForTest()
        var upcoming = upcomingFiles(in: dir, readAhead: readAhead)
        var out: [String] = []
        while let (path, _) = upcoming.next() { out.append(path) }
        #expect(out == paths)
        #expect(eventually { readAhead.hintedCount == paths.count - UpcomingFiles.chunk })
        readAhead.stop()
        #expect(hints.all == Array(paths[UpcomingFiles.chunk...]))
    }

    @Test("the files a window ahead of the ones handed out have been given to the read-ahead")
    func windowRunsAhead() throws {
        let (dir, paths) = try folder(files: 700)
        let readAhead = FileReadAhead(hint: { _ in true })
        readAhead.activateForTest()
        var upcoming = upcomingFiles(in: dir, readAhead: readAhead)
        var handedOut = 0
        while upcoming.next() != nil {
            // When a chunk is taken, the walk is taken a window further: the files after the
            // first chunk up to the window's end have been given.
            let chunkStart = handedOut / UpcomingFiles.chunk * UpcomingFiles.chunk
            #expect(readAhead.givenCount == min(paths.count - UpcomingFiles.chunk, chunkStart + FileReadAhead.window))
            handedOut += 1
        }
        readAhead.stop()
        #expect(handedOut == paths.count)
    }

    @Test("inactive: nothing is hinted and files are handed out as before")
    func inactive() throws {
        let (dir, paths) = try folder(files: 200)
        let hints = Hints()
        let readAhead = FileReadAhead(hint: hints.onDisk)
        var upcoming = upcomingFiles(in: dir, readAhead: readAhead)
        var out: [String] = []
        while let (path, _) = upcoming.next() { out.append(path) }
        #expect(out == paths)
        readAhead.stop()
        #expect(hints.all.isEmpty)
    }

    @Test("activated during the walk: hints start with the window after the next chunk")
    func activatedLater() throws {
        let (dir, paths) = try folder(files: 700)
        let hints = Hints()
        let readAhead = FileReadAhead(hint: hints.onDisk)
        var upcoming = upcomingFiles(in: dir, readAhead: readAhead)
        var out: [String] = []
        while let (path, _) = upcoming.next() {
            out.append(path)
            if out.count == 100 { readAhead.activateForTest() }
        }
        #expect(out == paths)
        // The chunk taken at file 128 is not hinted (it is being read); the ones after it are.
        #expect(eventually { readAhead.hintedCount == paths.count - 192 })
        readAhead.stop()
        #expect(hints.all == Array(paths[192...]))
    }
}

@Suite("A tag run over files on disk")
struct TagRunReadAheadTests {
    @Test("reads ahead of them, and tags them as a run over files in memory does", .enabled(if: filesCanBeDroppedFromMemory))
    func tagsFilesOnDisk() async throws {
        let dir = try TemporaryDirectory()
        var paths: [String] = []
        for index in 0..<600 {
            paths.append(try dir.write("in/\(index / 100)/\(index).txt", "Article \(index)\n\nSome text about Paris, number \(index)."))
        }
        let reports = Hints()
        var reader = ArticleReader()
        reader.onFileRead = { if $0 { reports.add("disk") } }
        let run = TagRun(
            pipeline: Pipeline(stages: [], pipelineHash: "test"), reader: reader,
            walker: DirectoryWalker(extensions: ["txt"]), jobs: 2, batchSize: 50, keepText: true, configHash: "test")
        // Written out first: a page being written to disk can make a read that asks only the
        // page cache wait too.
        sync()
        let inMemory = CollectingSink()
        let warm = try await run.run(dir.path + "/in", into: inMemory)
        let warmReports = reports.all.count
        // No hints unless reads went to disk as the activation rule asks. Not simply none: this
        // machine drops clean pages on its own (2,008 of 44,500 files read 30 s before were gone
        // from the page cache, 22 GB free), and in the full suite 3 runs in 17 found enough of
        // these files on disk, most likely so, to begin hints.
        #expect(warm.filesReadAhead == 0 || warmReports >= FileReadAhead.activationReads)
        for path in paths { #expect(evictFromPageCache(path)) }
        let onDisk = CollectingSink()
        let cold = try await run.run(dir.path + "/in", into: onDisk)
        #expect(cold.counts.tagged == 600)
        // The reader's own reports are still made, beside the run's.
        #expect(reports.all.count - warmReports >= FileReadAhead.activationReads)
        #expect(cold.filesReadAhead > 0)
        #expect(cold.filesReadAhead <= 600 - UpcomingFiles.chunk)
        let texts = { (sink: CollectingSink) in sink.documents.map { "\($0.article.key)\t\($0.article.text)" }.sorted() }
        #expect(texts(onDisk) == texts(inMemory))
    }
}
