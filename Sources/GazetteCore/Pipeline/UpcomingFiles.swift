/// The files a tag run hands out next, each with what the store holds for it.
///
/// Paths are taken from the walk `chunk` at a time and what is stored for them is asked together
/// (`FingerprintLookup`): for a store, one short read transaction for the chunk. Short matters:
/// while a reader holds a transaction, the writer cannot start the WAL over after a checkpoint, so
/// the WAL grows. Asked one file at a time in back-to-back transactions spanning 20 ms, a store
/// almost always had one open, and the WAL of a 202 MB corpus tagged into a non-empty store grew
/// to 618 MB; asked one transaction per file, each cost ~4 µs of file locking.
struct UpcomingFiles {
    typealias Stored = Result<[String: ArticleFingerprint], TagRun.StoreLookupFailure>

    private var walk: DirectoryWalker.FileWalk
    /// Released once the walk is done: a lookup holds a connection.
    private var lookup: (any FingerprintLookup)?
    private var paths: [String] = []
    private var answers: [Stored] = []
    private var position = 0
    /// Told about the files a window ahead of the ones handed out, once it is active.
    private let readAhead: FileReadAhead?
    /// Paths taken from the walk (and given to `readAhead`) but not yet in `paths`: the window.
    private var ahead: [String] = []
    private var aheadStart = 0

    /// Files taken from the walk and asked about together.
    static let chunk = 64

    init(walk: DirectoryWalker.FileWalk, lookup: any FingerprintLookup, readAhead: FileReadAhead? = nil) {
        self.walk = walk
        self.lookup = lookup
        self.readAhead = readAhead
    }

    /// The next path of the walk, through the window.
    private mutating func nextFromWalk() -> String? {
        guard aheadStart < ahead.count else { return walk.next() }
        defer {
            aheadStart += 1
            if aheadStart == ahead.count {
                ahead.removeAll(keepingCapacity: true)
                aheadStart = 0
            }
        }
        return ahead[aheadStart]
    }

    /// Once reading ahead is active, fills the window from the walk and hands the new paths to it.
    private mutating func fillWindow() {
        guard let readAhead, readAhead.isActive else { return }
        let first = ahead.count
        while ahead.count - aheadStart < FileReadAhead.window, let path = walk.next() { ahead.append(path) }
        readAhead.willRead(ahead[first...])
    }

    /// Problems the walk met so far.
    var issues: [ArticleIssue] { walk.issues }

    /// The path `next()` gives next, without asking what is stored for it; nil when the walk is
    /// done.
    mutating func peek() -> String? {
        if position == paths.count {
            paths.removeAll(keepingCapacity: true)
            answers.removeAll(keepingCapacity: true)
            position = 0
            while paths.count < Self.chunk, let path = nextFromWalk() { paths.append(path) }
            fillWindow()
            if paths.isEmpty {
                lookup = nil
                return nil
            }
        }
        return paths[position]
    }

    /// The next file and what is stored for it; nil when the walk is done.
    mutating func next() -> (path: String, stored: Stored)? {
        guard peek() != nil else { return nil }
        if position == answers.count { ask() }
        defer { position += 1 }
        return (paths[position], answers[position])
    }

    /// Asks for the files not answered yet; a lookup that fails fails the first of them only (the
    /// next call asks again for the rest).
    ///
    /// JSON-lines files are not asked about here: a run asks for their articles piece by piece
    /// (`FeedInProgress`), as one such file may hold millions. They are answered with nothing.
    private mutating func ask() {
        let unanswered = paths[answers.count...]
        let asked = unanswered.filter { ArticleFormat(path: $0) != .jsonLines }
        guard let lookup, !asked.isEmpty else {
            answers += unanswered.map { _ in .success([:]) }
            return
        }
        var found: [[String: ArticleFingerprint]] = []
        var failure: Stored?
        do {
            found = try lookup.fingerprints(ofFiles: asked)
            if found.isEmpty { throw TagRun.StoreLookupFailure(message: "the store answered nothing") }
        } catch {
            failure = .failure(TagRun.StoreLookupFailure(message: "\(error)"))
        }
        // In order: JSON-lines files answered with nothing, other files with what was found, up to
        // the first that was not answered (or the one that failed).
        var next = found.makeIterator()
        for path in unanswered {
            if ArticleFormat(path: path) == .jsonLines {
                answers.append(.success([:]))
            } else if let answer = next.next() {
                answers.append(.success(answer))
            } else {
                if let failure { answers.append(failure) }
                return
            }
        }
    }
}
