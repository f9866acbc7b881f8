/// A JSON-lines file being tagged by a run, piece by piece (`JSONLinesFeed`).
///
/// The run reads the pieces one after another and tags them concurrently, so they come back in
/// any order. They are taken back here in file order: a duplicate id is then told by the line that
/// used it first, the file's issues come in line order, and its articles reach the store in line
/// order whatever `--jobs` is.
struct FeedInProgress {
    /// What tagging one piece gave, in line order.
    struct PieceResult: Sendable {
        /// An article of the piece and what became of it.
        struct Entry: Sendable {
            var article: Article
            var outcome: TagRun.ArticleOutcome
        }

        var file: Int
        var piece: Int
        var entries: [Entry] = []
        /// Lines that gave no article, and what reading the piece met (`JSONLinesFeed.Piece.issues`),
        /// in line order (`DuplicateIDs.inLineOrder`).
        var errors: [ArticleIssue] = []
        var sawContent = false
        /// What the store holds for the piece's articles could not be read: none of them was
        /// tagged (`entries` hold them, as `.failed` with this issue, which `errors` holds once,
        /// at the line of the first).
        var lookupFailure: ArticleIssue?
    }

    let path: String
    /// The file's position in the run (its issues are sorted by it).
    let file: Int
    /// The file being read; nil once it is read to its end.
    var reader: JSONLinesFeed?
    private(set) var piecesStarted = 0
    private var piecesTaken = 0
    /// Pieces tagged before an earlier one of the file: held until it comes back (at most the
    /// run's window of work in flight, since a piece counts as in flight until it is taken).
    private var waiting: [Int: PieceResult] = [:]
    private var ids = DuplicateIDs()
    private var sawContent = false

    init(path: String, file: Int, reader: JSONLinesFeed) {
        self.path = path
        self.file = file
        self.reader = reader
    }

    /// Read to the end, and every piece taken back.
    var isDone: Bool { reader == nil && piecesTaken == piecesStarted }

    /// The next piece to tag, or nil when the file is read to its end.
    mutating func nextPiece() -> JSONLinesFeed.Piece? {
        guard let piece = reader?.next() else {
            reader = nil
            return nil
        }
        piecesStarted += 1
        return piece
    }

    /// Stops reading the file (a cancelled run); pieces already started are still taken back.
    mutating func stopReading() {
        reader?.finish()
        reader = nil
    }

    /// Takes back a tagged piece. Returns what the pieces now in order gave, in file order, one
    /// `TagRun.FileResult` a piece, for the run to count and store.
    mutating func take(_ piece: PieceResult) -> [TagRun.FileResult] {
        waiting[piece.piece] = piece
        var results: [TagRun.FileResult] = []
        while let next = waiting.removeValue(forKey: piecesTaken) {
            piecesTaken += 1
            results.append(merge(next))
        }
        return results
    }

    /// Once `isDone`: what the file as a whole gave (an empty file is an error).
    func finalResult() -> TagRun.FileResult {
        var result = TagRun.FileResult(index: file)
        if !sawContent {
            result.issues = [JSONLinesReader.emptyFile(path)]
            result.failed = 1
        }
        return result
    }

    /// One piece's articles and issues in line order, without the lines whose id an earlier line
    /// used.
    private mutating func merge(_ piece: PieceResult) -> TagRun.FileResult {
        sawContent = sawContent || piece.sawContent
        var result = TagRun.FileResult(index: file)
        // A failed lookup is told once and counted with each of its articles.
        ids.inLineOrder(piece.entries.map(\.article), errors: piece.errors, path: path, issue: { issue in
            result.issues.append(issue)
            if issue.severity == .error && issue != piece.lookupFailure { result.failed += 1 }
        }, keep: { index in
            let entry = piece.entries[index]
            result.bytes += entry.article.byteSize
            switch entry.outcome {
            case .tagged(let document):
                result.documents.append(document)
            case .unchanged:
                result.skipped += 1
            case .failed(let issue):
                if issue != piece.lookupFailure { result.issues.append(issue) }
                result.failed += 1
            }
        })
        return result
    }
}
