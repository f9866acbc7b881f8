import CFileCache
import Foundation

/// Asks the kernel to start reading the files a tag run will read next, once the run finds its
/// files are not in memory: an archive larger than memory, or one not read since the machine
/// started.
///
/// Why: a tag run reads one file at a time per core, so with files on disk only as many reads as
/// there are cores wait on the disk at once, and each small file is a request of its own. The
/// 102 MB benchmark corpus (44,500 files) took 8.6 s instead of 3.9 s from a dropped page cache.
/// Told about the next files ahead of time, the kernel reads them while the cores tag, many
/// requests in flight, adjacent ones merged.
///
/// Why only then: the hint is an `open`, a `posix_fadvise` and a `close` per file (~3 µs), which
/// buys nothing when the files are in memory. Readers tell after each read whether it waited for
/// the disk (`noteRead`, from `ArticleReader.onFileRead`); hints begin once `activationReads` of the
/// last 64 reads did, and until then this does nothing. Not at the first such read: now and then a
/// read of a file in memory is told to wait all the same (about one in a few hundred, seen right
/// after the files were written and synced), while from a cold disk nearly every read waits.
///
/// Hints are given on a thread of its own, in the order the files will be read, while the run
/// hands out files a window ahead (`UpcomingFiles`). Each hint covers a file's first `hintBytes`:
/// the reads of a larger file, one after another, get the kernel's own read-ahead.
final class FileReadAhead: @unchecked Sendable {
    /// How many files ahead of the run the hints go (`UpcomingFiles` keeps this many taken from the
    /// walk): a few tens of milliseconds of tagging, a few megabytes of news text.
    static let window = 256
    /// The most of each file a hint asks for.
    static let hintBytes = 1 << 20
    /// How many of the last 64 reads must have waited for the disk for hints to begin.
    static let activationReads = 8

    private let condition = NSCondition()
    // All guarded by `condition`.
    private var active = false
    private var threadRunning = false
    private var stopping = false
    private var queue: [String] = []
    private var next = 0
    private var hinted = 0
    private var given = 0
    /// The last 64 reads, newest in bit 0: 1 for a read that waited for the disk.
    private var recentReads: UInt64 = 0

    private let hint: @Sendable (String) -> Void

    /// - Parameter hint: what a hint does with a path (tests record them); by default
    ///   `adviseWillNeed`.
    init(hint: @escaping @Sendable (String) -> Void = FileReadAhead.adviseWillNeed) {
        self.hint = hint
    }

    /// Whether hints are given: enough reads have waited for the disk since the run began.
    var isActive: Bool {
        condition.lock()
        defer { condition.unlock() }
        return active
    }

    /// How many paths have been hinted since the run began.
    var hintedCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return hinted
    }

    /// How many paths have been given to hint since the run began (hinted or waiting).
    var givenCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return given
    }

    /// A file was read; `waitedForDisk` when its bytes were not all in memory. Once enough recent
    /// reads waited, hints begin with the next files given.
    func noteRead(waitedForDisk: Bool) {
        condition.lock()
        defer { condition.unlock() }
        guard !active, !stopping else { return }
        recentReads = recentReads << 1 | (waitedForDisk ? 1 : 0)
        guard recentReads.nonzeroBitCount >= Self.activationReads else { return }
        active = true
        if !threadRunning {
            threadRunning = true
            Thread.detachNewThread { [self] in giveHints() }
        }
    }

    /// Files the run will read soon, in the order it will read them: hinted when active, else
    /// ignored.
    func willRead(_ paths: some Collection<String>) {
        guard !paths.isEmpty else { return }
        condition.lock()
        defer { condition.unlock() }
        guard active, !stopping else { return }
        queue.append(contentsOf: paths)
        given += paths.count
        condition.signal()
    }

    /// Ends the run's hints: the ones not given yet are dropped, and the thread has ended when
    /// this returns. The next run starts inactive.
    func stop() {
        condition.lock()
        defer { condition.unlock() }
        stopping = true
        condition.broadcast()
        while threadRunning { condition.wait() }
        stopping = false
        active = false
        queue.removeAll()
        next = 0
        hinted = 0
        given = 0
        recentReads = 0
    }

    private func giveHints() {
        condition.lock()
        while true {
            while next == queue.count && !stopping { condition.wait() }
            if stopping {
                threadRunning = false
                condition.broadcast()
                condition.unlock()
                return
            }
            let path = queue[next]
            next += 1
            // The hinted prefix is dropped once it is most of the queue: no copy per path.
            if next >= 1024 && next * 2 >= queue.count {
                queue.removeFirst(next)
                next = 0
            }
            condition.unlock()
            hint(path)
            condition.lock()
            hinted += 1
        }
    }

    /// Opens `path`, asks the kernel to read its first `hintBytes` into the page cache without
    /// waiting, and closes it. Failures are left to the read that follows, which reports them.
    static func adviseWillNeed(_ path: String) {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return }
        _ = cfilecache_advise_will_need(fd, off_t(hintBytes))
        close(fd)
    }
}
