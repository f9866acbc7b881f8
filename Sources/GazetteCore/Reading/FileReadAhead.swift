import CFileCache
import Foundation

/// Asks the kernel to start reading the files a tag run will read next, while the run finds its
/// files are not in memory: an archive larger than memory, or one not read since the machine
/// started.
///
/// Why: a tag run reads one file at a time per core, so with files on disk only as many reads as
/// there are cores wait on the disk at once, and each small file is a request of its own. The
/// 102 MB benchmark corpus (44,500 files) took 7.6–9.0 s instead of 3.9 s from a dropped page
/// cache. Told about the next files ahead of time, the kernel reads them while the cores tag, many
/// requests in flight.
///
/// Why only then: a hint is an `open`, a read that asks the page cache only and a `close` per file
/// (~5–10 µs), which buys nothing when the files are in memory. So:
/// - Readers tell after each read whether it waited for the disk (`noteRead`, from
///   `ArticleReader.onFileRead`). Hints begin once `activationReads` of the last 64 reads did, not
///   at the first one: now and then a read of a file in memory is told to wait all the same (about
///   one in a few hundred, seen right after the files were written and synced), while from a cold
///   disk nearly every read waits.
/// - Each hint finds whether its file was already in memory (`hintIfOnDisk`). When fewer than
///   `deactivationHints` of the last 64 hinted files were on disk (a few files of an archive in
///   memory had been dropped, say), hints stop, and begin again only as above.
///
/// Hints are given on a thread of its own, in the order the files will be read, while the run
/// hands out files a window ahead (`UpcomingFiles`).
final class FileReadAhead: @unchecked Sendable {
    /// How many files ahead of the run the hints go (`UpcomingFiles` keeps this many taken from the
    /// walk): a few tens of milliseconds of tagging, a few megabytes of news text.
    static let window = 256
    /// The most of each file a hint asks for.
    static let hintBytes = 1 << 20
    /// How many of the last 64 reads must have waited for the disk for hints to begin.
    static let activationReads = 8
    /// Below how many files found on disk among the last 64 hinted hints stop.
    static let deactivationHints = 4

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
    /// The last 64 hints since hints began, newest in bit 0: 1 for a file that was on disk.
    private var recentHints: UInt64 = 0
    private var hintsSinceActivation = 0

    private let hint: @Sendable (String) -> Bool?

    /// - Parameter hint: what a hint does with a path, and whether the file was on disk (nil when
    ///   it cannot tell); by default `hintIfOnDisk`. Tests record the paths.
    init(hint: @escaping @Sendable (String) -> Bool? = FileReadAhead.hintIfOnDisk) {
        self.hint = hint
    }

    /// Whether hints are given.
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

    /// How many paths have been given to hint since the run began (hinted, waiting or dropped).
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
        recentHints = 0
        hintsSinceActivation = 0
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
        deactivate()
        hinted = 0
        given = 0
    }

    /// No more hints until reads wait for the disk again (with `condition` held).
    private func deactivate() {
        active = false
        queue.removeAll()
        next = 0
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
            let wasOnDisk = hint(path)
            condition.lock()
            hinted += 1
            guard let wasOnDisk, active else { continue }
            recentHints = recentHints << 1 | (wasOnDisk ? 1 : 0)
            hintsSinceActivation += 1
            if hintsSinceActivation >= 64 && recentHints.nonzeroBitCount < Self.deactivationHints { deactivate() }
        }
    }

    /// Opens `path` and, when its start is not in memory, asks the kernel to read its first
    /// `hintBytes` without waiting; then closes it. Whether it was on disk; nil when that cannot be
    /// told (the file cannot be opened, or the system cannot tell). Failures are left to the read
    /// that follows, which reports them.
    static func hintIfOnDisk(_ path: String) -> Bool? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var byte: UInt8 = 0
        // Asks the page cache only (on a miss the kernel starts reading the file's start itself).
        if cfilecache_read_if_cached(fd, &byte, 1, 0) >= 0 { return false }
        let onDisk = errno == EAGAIN
        _ = cfilecache_advise_will_need(fd, off_t(hintBytes))
        return onDisk ? true : nil
    }
}
