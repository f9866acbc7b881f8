import Foundation

/// One `gazette tag` run: find the files, read and tag them concurrently, and hand batches to the
/// sink. Lives in the library so tests drive it without starting a process.
///
/// Memory stays bounded whatever the corpus size: at most `window` files are in flight, one batch is
/// being filled and one is being written. When the database is slow, `group.next()` is simply not
/// called until the previous write finishes, so no parsed article piles up. Nothing is held per file
/// or per stored article for the whole run: files are found as the run goes, and what is stored
/// for a file is asked just before it is read.
public struct TagRun: Sendable {
    public var pipeline: Pipeline
    public var reader: ArticleReader
    public var walker: DirectoryWalker
    public var jobs: Int
    public var batchSize: Int
    /// A batch is also written once its articles' texts reach this many bytes, so that long
    /// articles do not make a batch of `batchSize` hold hundreds of megabytes.
    public var batchTextBytes: Int
    public var keepText: Bool
    public var configHash: String
    /// A JSON-lines file is read and tagged in pieces of about this many bytes of whole lines
    /// (`JSONLinesFeed`).
    public var feedPieceBytes = TagRun.defaultFeedPieceBytes

    /// The default `feedPieceBytes`: 1 MiB, ~400 news articles (BBC: 2.3 KB each), a few tens of
    /// milliseconds of one core's work: enough to share a feed among the cores, and `jobs × 4`
    /// pieces in flight hold a few tens of MB.
    public static let defaultFeedPieceBytes = 1 << 20

    /// The default `batchTextBytes`: 32 MiB, ~14,000 news articles of average length (BBC:
    /// 2.3 KB), far above the default `batchSize`, so it only cuts batches of long articles.
    public static let defaultBatchTextBytes = 32 << 20

    public init(pipeline: Pipeline, reader: ArticleReader, walker: DirectoryWalker, jobs: Int,
                batchSize: Int, batchTextBytes: Int = TagRun.defaultBatchTextBytes, keepText: Bool, configHash: String) {
        self.pipeline = pipeline
        self.reader = reader
        self.walker = walker
        self.jobs = max(1, jobs)
        self.batchSize = max(1, batchSize)
        self.batchTextBytes = max(1, batchTextBytes)
        self.keepText = keepText
        self.configHash = configHash
    }

    public init(settings: PipelineSettings, pipeline: Pipeline, jobs: Int? = nil) {
        self.init(
            pipeline: pipeline,
            reader: ArticleReader(maxFileBytes: settings.input.maxFileBytes),
            walker: DirectoryWalker(extensions: Set(settings.input.extensions)),
            jobs: jobs ?? settings.effectiveJobs,
            batchSize: settings.store.batchSize,
            keepText: settings.store.keepText,
            configHash: ContentHash.hex(Array(settings.configText.utf8)))
    }

    /// Reported after each file, and after each piece of a JSON-lines file (one large feed is
    /// one file: its progress shows in `counts` and `bytes`).
    public struct Progress: Sendable {
        public var filesDone: Int
        public var filesTotal: Int
        public var counts: RunCounts
        /// Bytes of the articles read so far (decompressed, for a compressed feed).
        public var bytes: Int
    }

    public struct Summary: Sendable {
        public var runID: Int64
        public var files: Int
        public var bytes: Int
        public var counts: RunCounts
        public var seconds: Double
        /// Every problem met, warnings included, in file order.
        public var issues: [ArticleIssue]
        /// The run was cancelled (SIGINT): every article read so far was committed, the rest of the
        /// files were not read, and the run is recorded as `interrupted`.
        public var interrupted = false
        /// Tagged articles whose topics, or whose mentions, were kept from their previous tagging
        /// (`ArticleDocument.kept`).
        public var keptTopics = 0
        public var keptMentions = 0
        /// Files the run asked the kernel to read ahead of time, having found its files on disk
        /// rather than in memory (`FileReadAhead`); 0 when they were in memory.
        public var filesReadAhead = 0

        public var failures: [ArticleIssue] { issues.filter { $0.severity == .error } }
        public var articlesPerSecond: Double { seconds > 0 ? Double(counts.tagged + counts.skipped) / seconds : 0 }
        public var megabytesPerSecond: Double { seconds > 0 ? Double(bytes) / 1_000_000 / seconds : 0 }
    }

    /// What a task of the run gave: a whole file, or a piece of a JSON-lines file.
    enum Finished: Sendable {
        /// The files a task tagged, and those it left for another task (`taskBytes`).
        case files([FileResult], left: [TaskFile])
        case piece(FeedInProgress.PieceResult)
    }

    /// A file given to a task: its path, its position in the run, what the store holds for it.
    struct TaskFile: Sendable {
        var path: String
        var index: Int
        var stored: UpcomingFiles.Stored
    }

    /// Files (not JSON-lines files, which go in pieces) tagged one after another by one task. A
    /// task's start and end each cost the run a turn of its coordinating loop and, with fewer jobs
    /// than cores, the wake-up of an idle thread; a news article takes ~0.1 ms to tag, and one
    /// task for each made `--jobs 1` spend ~15% of its CPU time waking threads (`perf`: futex).
    static let filesPerTask = 8
    /// A task that has read this many bytes leaves its other files to another task, so that the
    /// window bounds memory as it did with a file to a task: a task holds the articles it tagged
    /// until it ends, and a file may be as large as `input.maxFileBytes`.
    static let taskBytes = 1 << 20

    /// What one file (or the pieces of one, in order) gave: documents to store, how many articles
    /// were unchanged, its issues.
    struct FileResult: Sendable {
        var index: Int
        var documents: [ArticleDocument] = []
        var skipped = 0
        var failed = 0
        var bytes = 0
        var issues: [ArticleIssue] = []
        /// The stamp of a file found unchanged by its bytes, to record (`FileStamp`).
        var stamp: FileStampUpdate?
    }

    public func run(
        _ root: String, into sink: some TagSink, progress: (@Sendable (Progress) -> Void)? = nil
    ) async throws -> Summary {
        let clock = ContinuousClock()
        let started = clock.now
        // Files are found as the run goes (`DirectoryWalker.FileWalk`), not listed first: the
        // paths of millions of files would be held for the whole run. A progress line needs the
        // total, so then they are counted first (a walk that keeps only the count).
        let walk = walker.files(under: root)
        var filesTotal = 0
        if progress != nil {
            var counting = walker.files(under: root)
            while counting.next() != nil { filesTotal += 1 }
        }
        // Reads ahead of the files once they are found on disk (`FileReadAhead`): the tasks tag
        // with a copy of this run whose reader reports its reads.
        let readAhead = FileReadAhead()
        defer { readAhead.stop() }
        let worker = { [reader] in
            var worker = self
            worker.reader.onFileRead = { waitedForDisk in
                readAhead.noteRead(waitedForDisk: waitedForDisk)
                reader.onFileRead?(waitedForDisk)
            }
            return worker
        }()
        var upcoming = UpcomingFiles(walk: walk, lookup: try sink.storedFingerprints(), readAhead: readAhead)
        // The articles of JSON-lines files are asked for piece by piece, by the pieces' tasks, on
        // a lookup of their own: asked here, before the writer starts (the sink is never called
        // concurrently).
        let feedLookup = SharedLookup(try sink.storedFingerprints())
        let runID = try sink.beginRun(configHash: configHash, pipelineVersion: Pipeline.version)

        var counts = RunCounts()
        var keptTopics = 0, keptMentions = 0
        var bytes = 0
        var fileIssues: [(Int, [ArticleIssue])] = []
        var filesDone = 0
        var filesFound = 0
        var batch: [ArticleDocument] = []
        batch.reserveCapacity(batchSize)
        var batchBytes = 0
        // Stamps of files found unchanged by their bytes, recorded by the writer after the batch
        // (and as often as a batch's worth gather: an unchanged re-run makes no batch).
        var stamps: [FileStampUpdate] = []
        var pendingWrite: Task<Void, Error>?
        let pipelineHash = pipeline.pipelineHash
        let keepText = keepText

        func flush() async throws {
            try await pendingWrite?.value
            pendingWrite = nil
            guard !batch.isEmpty || !stamps.isEmpty else { return }
            let documents = batch, updates = stamps
            batch.removeAll(keepingCapacity: true)
            batchBytes = 0
            stamps.removeAll()
            pendingWrite = Task.detached {
                if !documents.isEmpty {
                    try sink.save(documents, pipelineHash: pipelineHash, runID: runID, keepText: keepText)
                }
                if !updates.isEmpty { try sink.recordFileStamps(updates) }
            }
        }

        var interrupted = false
        do {
            try await withThrowingTaskGroup(of: Finished.self) { group in
                var inFlight = InFlightWork(limit: jobs * 4)
                // Tasks being tagged, at most `taggingLimit` of the window's.
                var tagging = 0
                let taggingLimit = InFlightWork.taggingLimit(jobs: jobs)
                // JSON-lines files being tagged piece by piece, by their position in the run; the
                // one being read is `reading` (pieces are read one after another, in file order).
                var feeds: [Int: FeedInProgress] = [:]
                var reading: Int?
                // A run that stops early (interrupted, or a write failed) closes the file it reads.
                defer { if let file = reading { feeds[file]?.stopReading() } }

                /// Counts and stores what a file, or the pieces of one in order, gave.
                func take(_ result: FileResult) {
                    bytes += result.bytes
                    if let stamp = result.stamp { stamps.append(stamp) }
                    counts.skipped += result.skipped
                    counts.failed += result.failed
                    if !result.issues.isEmpty { fileIssues.append((result.index, result.issues)) }
                    for document in result.documents {
                        counts.tagged += 1
                        counts.mentions += document.mentions.count
                        counts.topics += document.topics.count
                        if document.kept.contains(.topics) { keptTopics += 1 }
                        if document.kept.contains(.mentions) { keptMentions += 1 }
                        batchBytes += document.article.byteSize
                        batch.append(document)
                    }
                }
                /// A feed read to its end with every piece taken back is a file done.
                func finishIfDone(_ file: Int) {
                    guard let feed = feeds[file], feed.isDone else { return }
                    feeds[file] = nil
                    take(feed.finalResult())
                    filesDone += 1
                }
                // Starts the next work, in order, while the window has room (and, with `jobs` below
                // the core count, fewer than `jobs` tasks are being tagged): the next piece of the
                // feed being read, else the next files.
                func fill() {
                    while inFlight.hasRoom && tagging < taggingLimit {
                        if let file = reading {
                            guard let piece = feeds[file]?.nextPiece() else {
                                reading = nil
                                finishIfDone(file)
                                continue
                            }
                            inFlight.start()
                            tagging += 1
                            let path = feeds[file]!.path
                            group.addTask { .piece(worker.process(piece, of: path, file: file, lookup: feedLookup)) }
                            continue
                        }
                        // What is stored for a file is asked here, on this one task, shortly
                        // before the file is read: the store's lookup is one connection that
                        // needs no lock.
                        guard let path = upcoming.peek() else { return }
                        if ArticleFormat(path: path) == .jsonLines {
                            _ = upcoming.next()
                            let index = countFound()
                            do {
                                let reader = try JSONLinesFeed(path: path, pieceBytes: feedPieceBytes, maxLineBytes: self.reader.maxFileBytes)
                                feeds[index] = FeedInProgress(path: path, file: index, reader: reader)
                                reading = index
                            } catch {
                                var failed = FileResult(index: index)
                                failed.failed = 1
                                failed.issues = [ArticleIssue(.error, path: path, message: "\(error)")]
                                take(failed)
                                filesDone += 1
                            }
                            continue
                        }
                        // The next files up to a JSON-lines file, a few to a task.
                        var files: [TaskFile] = []
                        while files.count < Self.filesPerTask, let next = upcoming.peek(), ArticleFormat(path: next) != .jsonLines,
                              let (path, stored) = upcoming.next() {
                            files.append(TaskFile(path: path, index: countFound(), stored: stored))
                        }
                        start(files)
                    }
                }
                /// Starts a task that tags `files` in turn, up to `taskBytes` read.
                func start(_ files: [TaskFile]) {
                    inFlight.start()
                    tagging += 1
                    group.addTask {
                        var results: [FileResult] = []
                        var bytes = 0
                        for (position, file) in files.enumerated() {
                            if bytes >= Self.taskBytes { return .files(results, left: Array(files[position...])) }
                            let result = worker.process(file.path, index: file.index, stored: file.stored)
                            bytes += result.bytes
                            results.append(result)
                        }
                        return .files(results, left: [])
                    }
                }
                /// The index of a file just taken from the walk.
                func countFound() -> Int {
                    let index = filesFound
                    filesFound += 1
                    // Files added since the count are counted as they come.
                    filesTotal = max(filesTotal, filesFound)
                    return index
                }
                fill()
                /// After each file or piece taken: the batch written when full, progress reported,
                /// and true when the run is cancelled.
                func afterTaking() async throws -> Bool {
                    if batch.count >= batchSize || batchBytes >= batchTextBytes || stamps.count >= batchSize { try await flush() }
                    progress?(Progress(filesDone: filesDone, filesTotal: filesTotal, counts: counts, bytes: bytes))
                    guard Task.isCancelled else { return false }
                    // Stop reading new files; the files already in flight (and the rest of a
                    // task's files) are tagged but not counted or stored, so the next run reads
                    // them again.
                    interrupted = true
                    group.cancelAll()
                    return true
                }
                while let finished = try await group.next() {
                    tagging -= 1
                    switch finished {
                    case .files(let results, let left):
                        inFlight.finish()
                        // File by file, as when each file was a task of its own.
                        for result in results {
                            take(result)
                            filesDone += 1
                            if try await afterTaking() { return }
                        }
                        // Started again at once (the window has the room this task had).
                        if !left.isEmpty { start(left) }
                    case .piece(let piece):
                        // A piece stays in flight until it is taken back in order.
                        for result in feeds[piece.file]!.take(piece) {
                            inFlight.finish()
                            take(result)
                        }
                        finishIfDone(piece.file)
                        if try await afterTaking() { return }
                    }
                    fill()
                }
            }
            // Also on cancellation: the batch being filled holds fully tagged articles, so it is
            // committed rather than dropped (an interrupted archive run keeps all its work).
            try await flush()
            try await pendingWrite?.value
        } catch {
            // Whatever was committed stays committed (each batch is one transaction); record the run.
            try? await pendingWrite?.value
            try? sink.finishRun(id: runID, status: .failed, counts: counts)
            throw error
        }
        counts.failed += upcoming.issues.filter { $0.severity == .error }.count
        try sink.finishRun(id: runID, status: interrupted ? .interrupted : .completed, counts: counts)
        let issues = upcoming.issues + fileIssues.sorted { $0.0 < $1.0 }.flatMap(\.1)
        let elapsed = clock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Summary(runID: runID, files: filesFound, bytes: bytes, counts: counts, seconds: seconds,
                       issues: issues, interrupted: interrupted, keptTopics: keptTopics, keptMentions: keptMentions,
                       filesReadAhead: readAhead.hintedCount)
    }

    /// Why the stored fingerprints of a file could not be read.
    struct StoreLookupFailure: Error {
        var message: String
    }

    /// Reads and tags one file. Never throws: every problem becomes an issue of that file.
    ///
    /// - Parameter stored: the fingerprints stored for the file's articles. A file whose stored
    ///   fingerprints could not be read is not tagged: tagging it blind could not tell an unchanged
    ///   article, and the next run reads it again.
    func process(
        _ path: String, index: Int, stored: Result<[String: ArticleFingerprint], StoreLookupFailure>
    ) -> FileResult {
        var result = FileResult(index: index)
        let known: [String: ArticleFingerprint]
        switch stored {
        case .success(let fingerprints):
            known = fingerprints
        case .failure(let failure):
            result.failed = 1
            result.issues.append(ArticleIssue(
                .error, path: path, message: "not tagged: cannot read what the store holds for it: \(failure.message)"))
            return result
        }
        let outcome: ReadOutcome
        switch readIfChanged(path, known: known) {
        case .unchanged(let size, let stamp):
            result.bytes = size
            result.skipped = 1
            result.stamp = stamp
            return result
        case .changed(let bytes, let format, let stamp):
            outcome = reader.read(bytes: bytes, path: path, format: format, fileStamp: stamp)
        case .unknown:
            outcome = reader.read(fileAt: path)
        }
        result.issues = outcome.issues
        result.failed = outcome.issues.filter { $0.severity == .error }.count
        for article in outcome.articles {
            result.bytes += article.byteSize
            switch tag(article, stored: known) {
            case .tagged(let document): result.documents.append(document)
            case .unchanged:
                result.skipped += 1
                // A whole file read the full way (not UTF-8, say) and found unchanged is stamped
                // too: from then on it is skipped unread like any other.
                if let stamp = article.fileStamp, known[article.key]?.fileStamp != stamp {
                    result.stamp = FileStampUpdate(key: article.key, contentHash: article.contentHash, stamp: stamp)
                }
            case .failed(let issue):
                result.failed += 1
                result.issues.append(issue)
            }
        }
        return result
    }

    /// Parses and tags one piece of a JSON-lines file, after asking what the store holds for its
    /// articles. Never throws: a bad line becomes an issue.
    func process(_ piece: JSONLinesFeed.Piece, of path: String, file: Int, lookup: SharedLookup) -> FeedInProgress.PieceResult {
        var lineReader = JSONLinesReader(path: path)
        lineReader.maxLineBytes = reader.maxFileBytes
        let lines = piece.bytes.withUnsafeBufferPointer { lineReader.readLines($0, firstLine: piece.firstLine) }
        var result = FeedInProgress.PieceResult(file: file, piece: piece.index)
        result.sawContent = lines.sawContent
        // What the reader met comes before the piece's lines (a skipped long line) or after them
        // (the end of a file cut short): one list in line order, those without a line first (a
        // stable sort).
        result.errors = (piece.issues + lines.errors).sorted { ($0.line ?? 0) < ($1.line ?? 0) }
        let stored: [String: ArticleFingerprint]
        do {
            stored = try lookup.fingerprints(ofKeys: lines.articles.map(\.key))
        } catch {
            // Tagging blind could not tell an unchanged article: the next run reads them again.
            let lastLine = lines.articles.last?.line ?? piece.firstLine
            let failure = ArticleIssue(.error, path: path, line: lines.articles.first?.line, message:
                "lines \(lines.articles.first?.line ?? piece.firstLine)–\(lastLine) not tagged: cannot read what the store holds for them: \(error)")
            result.lookupFailure = failure
            result.errors = (result.errors + [failure]).sorted { ($0.line ?? 0) < ($1.line ?? 0) }
            result.entries = lines.articles.map { .init(article: $0, outcome: .failed(failure)) }
            return result
        }
        result.entries = lines.articles.map { article in .init(article: article, outcome: tag(article, stored: stored)) }
        return result
    }

    /// The lookup the pieces of JSON-lines files share: one connection, asked by one task at a
    /// time (a piece asks once, ~1 ms for a few hundred keys, against tens of ms to tag them).
    final class SharedLookup: @unchecked Sendable {
        private let lock = NSLock()
        private let lookup: any FingerprintLookup

        init(_ lookup: any FingerprintLookup) { self.lookup = lookup }

        func fingerprints(ofKeys keys: [String]) throws -> [String: ArticleFingerprint] {
            guard !keys.isEmpty else { return [:] }
            return try lock.withLock { try lookup.fingerprints(ofKeys: keys) }
        }
    }

    /// What became of one article read.
    enum ArticleOutcome: Sendable {
        case tagged(ArticleDocument)
        /// Stored with the same content and pipeline: nothing to do.
        case unchanged
        case failed(ArticleIssue)
    }

    /// Tags one article: skipped when unchanged, else only the kinds of tags whose part of the
    /// pipeline changed are made again (a gazetteer edit keeps the topics), and mentions only where
    /// the article's mentions view changed (`GazetteerStage`).
    private func tag(_ article: Article, stored known: [String: ArticleFingerprint]) -> ArticleOutcome {
        var kept: Set<TagKind> = []
        var keptFrom: String?
        var storedView: String?
        if let stored = known[article.key], stored.contentHash == article.contentHash {
            if pipeline.isCurrent(stored.pipelineHash) { return .unchanged }
            kept = pipeline.unchangedKinds(since: stored.pipelineHash)
            keptFrom = stored.pipelineHash
            storedView = Pipeline.mentionsView(in: stored.pipelineHash)
        }
        do {
            var document = try pipeline.process(
                article, keeping: kept, storedMentionsView: kept.contains(.mentions) ? nil : storedView)
            document.keptFrom = keptFrom
            // Mentions kept because their part of the pipeline is unchanged keep their view too.
            if kept.contains(.mentions) { document.mentionsView = storedView }
            // The matching view (5 bytes per byte of text) is not stored: freed here, on the
            // worker, rather than held in the batch until it is written.
            document.normalized = nil
            return .tagged(document)
        } catch {
            return .failed(ArticleIssue(.error, path: article.path, line: article.line, message: "\(error)"))
        }
    }

    enum FileState {
        /// The file holds the bytes stored for it; `stamp` is its stamp to record, if it has a
        /// settled one that the store does not have yet.
        case unchanged(size: Int, stamp: FileStampUpdate?)
        /// Its bytes, read once, and the stamp they were read under.
        case changed([UInt8], ArticleFormat, stamp: FileStamp?)
        case unknown
    }

    /// The re-run fast path, for a whole-file article stored with the current pipeline. A file
    /// that still has the stamp stored with the article is skipped unread (`FileStamp`). Any other
    /// is skipped after reading and hashing its bytes, without decoding it or finding its title
    /// and date, and its stamp is recorded for the next run. Only for valid UTF-8: a file decoded
    /// with a fallback goes the full way, and its warning is repeated, until it is stamped (then
    /// it is skipped unread, and, like any unchanged file, not reported); JSON lines and anything
    /// unusual take the full path too.
    func readIfChanged(_ path: String, known: [String: ArticleFingerprint]) -> FileState {
        guard let stored = known[path], pipeline.isCurrent(stored.pipelineHash),
              let format = ArticleFormat(path: path), format != .jsonLines
        else { return .unknown }
        guard let current = FileStamp.of(path: path), current.size <= Int64(reader.maxFileBytes) else { return .unknown }
        if current == stored.fileStamp { return .unchanged(size: Int(current.size), stamp: nil) }
        guard let (bytes, readStamp) = try? reader.readFile(path) else { return .unknown }
        let unchanged = bytes.withUnsafeBufferPointer { buffer in
            !TextDecoding.hasUTF16BOM(buffer) && String(validating: buffer, as: UTF8.self) != nil
                && ContentHash.hex(buffer) == stored.contentHash
        }
        guard unchanged else { return .changed(bytes, format, stamp: readStamp) }
        return .unchanged(size: bytes.count, stamp: readStamp.map {
            FileStampUpdate(key: path, contentHash: stored.contentHash, stamp: $0)
        })
    }
}
