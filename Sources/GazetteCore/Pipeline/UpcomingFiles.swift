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

    /// Files taken from the walk and asked about together.
    static let chunk = 64

    init(walk: DirectoryWalker.FileWalk, lookup: any FingerprintLookup) {
        self.walk = walk
        self.lookup = lookup
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
            while paths.count < Self.chunk, let path = walk.next() { paths.append(path) }
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
    private mutating func ask() {
        let unanswered = Array(paths[answers.count...])
        guard let lookup else {
            answers += unanswered.map { _ in .success([:]) }
            return
        }
        do {
            let found = try lookup.fingerprints(ofFiles: unanswered)
            guard !found.isEmpty else { throw TagRun.StoreLookupFailure(message: "the store answered nothing") }
            answers += found.prefix(unanswered.count).map { .success($0) }
        } catch {
            answers.append(.failure(TagRun.StoreLookupFailure(message: "\(error)")))
        }
    }
}
