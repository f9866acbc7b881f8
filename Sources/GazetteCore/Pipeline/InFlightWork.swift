import Foundation

/// How much work a tag run has in flight: up to `limit` (`jobs × 4`) tasks, each a few files
/// (`TagRun.filesPerTask`, up to `TagRun.taskBytes` read) or a piece of a JSON-lines file, so that
/// reading overlaps tagging while memory stays bounded.
///
/// A task of files counts until its results are taken; a piece of a JSON-lines file until it is
/// taken back in order (`FeedInProgress`), so the pieces that wait for an earlier one count too. Before
/// JSON-lines files were read in pieces, a file's articles were all held until it was done: eight
/// 53 MB files in flight on 2 cores peaked at 1,104–1,154 MB of RSS.
struct InFlightWork {
    let limit: Int
    private(set) var count = 0

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    var hasRoom: Bool { count < limit }

    mutating func start() { count += 1 }

    mutating func finish() { count -= 1 }

    /// How many tasks of the window may be tagging at once for `jobs`. The cooperative pool runs
    /// as many tasks at once as there are cores, so with `jobs` at or above the core count the
    /// pool is the bound; below it, at most `jobs` (before, the window alone ran on every core, and
    /// `--jobs 1` tagged on all of them). A tag run and a stream run both start their tasks by it.
    static func taggingLimit(jobs: Int) -> Int {
        jobs < ProcessInfo.processInfo.activeProcessorCount ? jobs : Int.max
    }
}
