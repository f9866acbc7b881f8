import CZlib
import Foundation

/// Reads a JSON-lines file as pieces of whole lines, one after another, so that a feed of any size
/// is tagged with bounded memory: a tag run hands each piece to a worker as soon as it is read
/// (`FeedInProgress`), instead of holding the whole file, its articles and their tags until the
/// file is done. `gazette load` reads the output of `gazette stream` the same way.
///
/// `input.maxFileBytes` bounds a line here, not the file: a line over it is reported by its number
/// and skipped without being held, and the lines after it are read as usual.
///
/// A gzip-compressed file (`.jsonl.gz`) is read through zlib's `gzread`, its lines as they are
/// decompressed; one that ends in the middle of its compressed data (a download cut short) gives
/// its whole lines and an error for the rest.
public struct JSONLinesFeed {
    /// Whole lines of the file, in order.
    public struct Piece: Sendable {
        /// 0, 1, 2… in file order.
        public var index: Int
        /// The 1-based number of the first line in `bytes`.
        public var firstLine: Int
        /// Whole lines with their line feeds (the file's last line may lack one). May be empty when
        /// the piece only carries `issues`.
        public var bytes: [UInt8]
        /// Lines skipped while reading (over the limit), and a file that changed while being read.
        public var issues: [ArticleIssue] = []
    }

    public struct OpenFailure: Error, CustomStringConvertible {
        public var description: String
    }

    public let path: String
    /// A piece ends at the last line feed once this many bytes are read.
    public let pieceBytes: Int
    public let maxLineBytes: Int
    private let descriptor: Int32
    /// The decompressing reader of a `.gz` file (over a duplicate of `descriptor`).
    private let compressed: gzFile?
    private let opened: stat
    /// A compressed file ended in the middle of its data.
    private var truncated = false
    /// Bytes read that are not handed out yet: whole lines, then the start of an unfinished one.
    private var buffer: [UInt8] = []
    /// Where the unfinished line starts in `buffer`: just after its last line feed, or 0.
    private var lineStart = 0
    /// What `read` writes into, kept for the next read.
    private var scratch: [UInt8] = []
    private var nextLine = 1
    private var nextPiece = 0
    private var atEnd = false
    private var closed = false

    /// Opens the file. Throws, naming the reason, when it cannot be opened or is not a regular file.
    public init(path: String, pieceBytes: Int, maxLineBytes: Int) throws {
        self.path = path
        self.pieceBytes = max(1, pieceBytes)
        self.maxLineBytes = max(1, maxLineBytes)
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw OpenFailure(description: "cannot open: \(String(cString: strerror(errno)))") }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw OpenFailure(description: "cannot stat: \(reason)")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw OpenFailure(description: "not a regular file")
        }
        if ArticleFormat.isCompressed(path) {
            let copy = dup(fd)
            guard copy >= 0, let reader = gzdopen(copy, "rb") else {
                if copy >= 0 { close(copy) }
                close(fd)
                throw OpenFailure(description: "cannot read as gzip: \(String(cString: strerror(errno)))")
            }
            gzbuffer(reader, 256 << 10)
            compressed = reader
        } else {
            compressed = nil
        }
        descriptor = fd
        opened = info
    }

    /// Closes the file; `next()` does when it reaches the end, a run that stops early calls this.
    public mutating func finish() {
        guard !closed else { return }
        closed = true
        if let compressed { gzclose(compressed) }
        close(descriptor)
    }

    /// The next piece, or nil once the file is read to its end (the file is closed then).
    ///
    /// A file written to while it is read (a feed still downloading) is read to the end it has
    /// then; its last line, when it has no line feed, may be half written and is not tagged (an
    /// error names it, and the next run tags it).
    public mutating func next() -> Piece? {
        guard !closed else { return nil }
        var issues: [ArticleIssue] = []
        while true {
            if atEnd {
                // The rest is the last piece, with the last line when it has no line feed.
                defer { finish() }
                var lines = lineFeeds(in: buffer[..<lineStart])
                let changed = changedSinceOpened()
                if truncated {
                    // Its last line, if any, may be cut: dropped, and the damage named.
                    issues.append(ArticleIssue(.error, path: path, line: nextLine + lines, message:
                        "compressed file ends in the middle of its data (cut short?); lines from here on not tagged"))
                    buffer.removeSubrange(lineStart...)
                } else if lineStart < buffer.count {
                    if changed {
                        // It may be half written: dropped. The lines before it were whole when
                        // read; the next run sees their new content hashes.
                        issues.append(ArticleIssue(.error, path: path, line: nextLine + lines, message:
                            "file changed while it was being read; this unfinished last line was not tagged (run again to tag it)"))
                        buffer.removeSubrange(lineStart...)
                    } else {
                        lines += 1
                    }
                } else if changed {
                    issues.append(ArticleIssue(.warning, path: path, message:
                        "file changed while it was being read; the lines read were tagged (run again to tag any later change)"))
                }
                if buffer.isEmpty { return issues.isEmpty ? nil : piece(bytes: [], lines: 0, issues: issues) }
                defer {
                    buffer = []
                    lineStart = 0
                }
                return piece(bytes: buffer, lines: lines, issues: issues)
            }
            // Lines are cut once a piece's worth is read.
            if buffer.count >= pieceBytes && lineStart > 0 {
                return cut(issues: issues)
            }
            // The unfinished line is over the limit: the lines before it go first, then it is
            // skipped without being held.
            if buffer.count - lineStart > maxLineBytes {
                if lineStart > 0 { return cut(issues: issues) }
                issues.append(skipLongLine())
                continue
            }
            if let failure = fill() {
                // A read error ends the file here; what was read before is tagged.
                issues.append(ArticleIssue(.error, path: path, line: nextLine + lineFeeds(in: buffer[..<lineStart]), message:
                    "read error: \(failure); lines from here on not tagged"))
                buffer.removeSubrange(lineStart...)
                atEnd = true
            }
        }
    }

    /// Hands out the whole lines of `buffer` (up to `lineStart`); the unfinished one stays.
    ///
    /// The buffer itself becomes the piece and only the unfinished line is copied into a new one
    /// (copying the piece's megabyte out, then moving the rest down, was 1.3% of tagging a feed,
    /// on the task that reads for all the workers).
    private mutating func cut(issues: [ArticleIssue]) -> Piece {
        var bytes = buffer
        buffer = Array(bytes[lineStart...])
        bytes.removeSubrange(lineStart...)
        lineStart = 0
        return piece(bytes: bytes, lines: lineFeeds(in: bytes[...]), issues: issues)
    }

    private func lineFeeds(in bytes: ArraySlice<UInt8>) -> Int {
        bytes.withUnsafeBufferPointer { buffer in
            var count = 0
            for byte in buffer where byte == 0x0A { count &+= 1 }
            return count
        }
    }

    private mutating func piece(bytes: [UInt8], lines: Int, issues: [ArticleIssue]) -> Piece {
        defer {
            nextPiece += 1
            nextLine += lines
        }
        return Piece(index: nextPiece, firstLine: nextLine, bytes: bytes, issues: issues)
    }

    /// The line being read (all of `buffer`) is over `maxLineBytes`: reads on to its line feed
    /// without keeping it.
    private mutating func skipLongLine() -> ArticleIssue {
        var size = buffer.count
        buffer.removeAll(keepingCapacity: true)
        lineStart = 0
        while !atEnd, fill() == nil {
            if let feed = buffer.firstIndex(of: 0x0A) {
                size += feed
                buffer.removeSubrange(...feed)
                lineStart = buffer.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
                break
            }
            size += buffer.count
            buffer.removeAll(keepingCapacity: true)
        }
        let issue = ArticleIssue(.error, path: path, line: nextLine, message:
            "line is \(size) bytes, over the limit of \(maxLineBytes) bytes (input.maxFileBytes); skipped")
        nextLine += 1
        return issue
    }

    /// Reads on into `buffer`: up to a piece's worth, then (a line longer than that) a piece's
    /// worth or 64 KiB at a time. Returns why reading failed, or nil.
    private mutating func fill() -> String? {
        let want = buffer.count < pieceBytes ? pieceBytes - buffer.count : max(pieceBytes, 64 << 10)
        if scratch.count < want { scratch = [UInt8](repeating: 0, count: want) }
        while true {
            let got: Int
            if let compressed {
                got = Int(scratch.withUnsafeMutableBytes { gzread(compressed, $0.baseAddress!, UInt32(min(want, Int(Int32.max)))) })
                if got < 0 {
                    var code: Int32 = 0
                    return String(cString: gzerror(compressed, &code))
                }
                if got == 0 {
                    var code: Int32 = 0
                    _ = gzerror(compressed, &code)
                    truncated = code == Z_BUF_ERROR
                }
            } else {
                got = scratch.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress!, want) }
                if got < 0 && errno == EINTR { continue }
                if got < 0 { return String(cString: strerror(errno)) }
            }
            if got == 0 {
                atEnd = true
                return nil
            }
            let start = buffer.count
            buffer.append(contentsOf: scratch[..<got])
            // Only the new bytes are searched: a long line is not scanned again at every read.
            if let feed = buffer[start...].lastIndex(of: 0x0A) { lineStart = feed + 1 }
            return nil
        }
    }

    /// The file's size or modification time differ from when it was opened.
    private func changedSinceOpened() -> Bool {
        var now = stat()
        return fstat(descriptor, &now) != 0 || FileStamp(now).sizeOrWriteTimeDiffer(from: FileStamp(opened))
    }
}
