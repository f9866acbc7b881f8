import CFileCache
import Crypto
import Foundation

/// The input formats Gazette reads, chosen by file extension.
public enum ArticleFormat: String, Sendable, CaseIterable {
    /// Plain text; the first non-empty line is the title.
    case text
    /// An HTML page; text from the body, title from `<title>` or `<h1>`.
    case html
    /// JSON lines, one article per line: `id`, `title`, `date`, `text`; also gzip-compressed
    /// (`.jsonl.gz`, `.ndjson.gz`), as news dumps often come.
    case jsonLines

    /// The format of the file at `path`, by its extension (`articleExtension(of:)`).
    public init?(path: String) {
        self.init(extension: articleExtension(of: path))
    }

    public init?(extension ext: String) {
        switch ext.lowercased() {
        case "txt", "text": self = .text
        case "html", "htm", "xhtml": self = .html
        case "jsonl", "ndjson", "jsonl.gz", "ndjson.gz": self = .jsonLines
        default: return nil
        }
    }

    /// Whether the file at `path` is gzip-compressed (its name ends in `.gz`).
    static func isCompressed(_ path: String) -> Bool {
        articleExtension(of: path).hasSuffix(".gz")
    }
}

/// What reading one file produced: its articles and the problems met on the way.
public struct ReadOutcome: Sendable {
    public var articles: [Article] = []
    public var issues: [ArticleIssue] = []
    /// Whole-file failure: the file produced no article at all because of an error.
    public var failed: Bool { articles.isEmpty && issues.contains { $0.severity == .error } }
}

/// Reads one input file into articles. A value with no state: safe to share between tasks.
public struct ArticleReader: Sendable {
    /// Files larger than this are refused with a clear error rather than read into memory. A file is
    /// read whole, and tagging holds a few copies of it (bytes, text, normalized text), so this bounds
    /// a run's memory at several times this value per job. A tag run reads a JSON-lines file in
    /// pieces instead (`JSONLinesFeed`), and there this bounds each line.
    public var maxFileBytes: Int
    /// How long before it is read a file's last change must lie for its stamp to be kept
    /// (`FileStamp`; tests set 0 to stamp the files they have just written).
    public var stampSettle = FileStamp.settle

    /// Called after each file read, with whether its bytes were not all in memory, so that the
    /// read waited for the disk: a tag run that sees many such reads reads ahead of its next files
    /// (`FileReadAhead`). Not called for an empty file, nor where the system cannot tell.
    public var onFileRead: (@Sendable (_ waitedForDisk: Bool) -> Void)?

    /// The default of `input.maxFileBytes`: 64 MiB, far above any article yet well inside memory.
    public static let defaultMaxFileBytes = 64 << 20

    public init(maxFileBytes: Int = ArticleReader.defaultMaxFileBytes) {
        self.maxFileBytes = maxFileBytes
    }

    public func read(fileAt path: String) -> ReadOutcome {
        let ext = articleExtension(of: path)
        guard let format = ArticleFormat(extension: ext) else {
            return ReadOutcome(issues: [ArticleIssue(.error, path: path, message: "unsupported file type '.\(ext)'")])
        }
        let bytes: [UInt8]
        var stamp: FileStamp?
        do {
            if ArticleFormat.isCompressed(path) {
                bytes = try readDecompressed(path)
            } else {
                (bytes, stamp) = try readFile(path)
            }
        } catch {
            return ReadOutcome(issues: [ArticleIssue(.error, path: path, message: "\(error)")])
        }
        return read(bytes: bytes, path: path, format: format, fileStamp: stamp)
    }

    /// Reads articles from bytes already in memory (the path names them in keys and messages).
    /// `fileStamp`, the stamp the file had when `bytes` were read from it, goes to a whole-file
    /// article.
    public func read(bytes: [UInt8], path: String, format: ArticleFormat, fileStamp: FileStamp? = nil) -> ReadOutcome {
        switch format {
        case .text, .html:
            return bytes.withUnsafeBufferPointer { readWholeFile($0, path: path, format: format, fileStamp: fileStamp) }
        case .jsonLines:
            return JSONLinesReader(path: path).read(bytes)
        }
    }

    struct ReadFailure: Error, CustomStringConvertible {
        var description: String
    }

    /// The bytes of the file at `path`, and its stamp when it had settled before the read and did
    /// not change during it (`FileStamp`). Throws when the file cannot be read whole, or changed
    /// while it was read.
    func readFile(_ path: String) throws -> (bytes: [UInt8], stamp: FileStamp?) {
        // Before the file's times are looked at: a change after this moment gets a later time.
        let now = FileStamp.now()
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ReadFailure(description: "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ReadFailure(description: "cannot stat: \(String(cString: strerror(errno)))") }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw ReadFailure(description: "not a regular file") }
        let size = Int(info.st_size)
        guard size <= maxFileBytes else {
            throw ReadFailure(description: "file is \(size) bytes, over the limit of \(maxFileBytes) bytes (input.maxFileBytes)")
        }
        var bytes = [UInt8](repeating: 0, count: size)
        var filled = 0
        if let onFileRead, size > 0 {
            // First only what the page cache holds, so that a file on disk is noticed before a
            // read waits; the loop below reads the rest. Such a read can stop short with the
            // bytes in memory all the same (at the edge of what the kernel read ahead): it is
            // asked on until it has them all or is refused.
            var onDisk: Bool?
            while onDisk == nil {
                let got = bytes.withUnsafeMutableBytes {
                    cfilecache_read_if_cached(fd, $0.baseAddress! + filled, size - filled, off_t(filled))
                }
                if got > 0 {
                    filled += got
                    if filled == size { onDisk = false }
                } else if got < 0 && errno == EAGAIN {
                    onDisk = true
                } else if got == 0 || errno != EINTR {
                    break  // the file shrank (the loop below tells), or the system cannot tell
                }
            }
            if let onDisk { onFileRead(onDisk) }
        }
        while filled < size {
            // At an explicit offset: the read of the cached bytes above did not move the file's.
            let got = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + filled, size - filled, off_t(filled)) }
            if got < 0 {
                if errno == EINTR { continue }
                throw ReadFailure(description: "read error: \(String(cString: strerror(errno)))")
            }
            if got == 0 { break }  // the file shrank while we read it
            filled += got
        }
        // A file being written (a feed still downloading, an editor saving) must not be stored half
        // written: refuse it now, and the next run reads the finished file (its hash differs).
        var after = stat()
        let stamp = FileStamp(info)
        guard filled == size, fstat(fd, &after) == 0, !stamp.sizeOrWriteTimeDiffer(from: FileStamp(after)) else {
            throw ReadFailure(description: "file changed while it was being read; not tagged (run again to tag it)")
        }
        return (bytes, stamp == FileStamp(after) && stamp.settled(now: now, settle: stampSettle) ? stamp : nil)
    }

    /// A compressed file's bytes, decompressed (up to `maxFileBytes` of them). A tag run reads
    /// such a file in pieces instead (`JSONLinesFeed`); this serves whole-file reading.
    private func readDecompressed(_ path: String) throws -> [UInt8] {
        var feed = try JSONLinesFeed(path: path, pieceBytes: 1 << 20, maxLineBytes: maxFileBytes)
        defer { feed.finish() }
        var bytes: [UInt8] = []
        while let piece = feed.next() {
            if let problem = piece.issues.first(where: { $0.severity == .error }) {
                throw ReadFailure(description: problem.message)
            }
            bytes += piece.bytes
            guard bytes.count <= maxFileBytes else {
                throw ReadFailure(description: "file is over the limit of \(maxFileBytes) bytes (input.maxFileBytes) once decompressed")
            }
        }
        return bytes
    }

    private func readWholeFile(
        _ bytes: UnsafeBufferPointer<UInt8>, path: String, format: ArticleFormat, fileStamp: FileStamp?
    ) -> ReadOutcome {
        var outcome = ReadOutcome()
        if bytes.allSatisfy({ isSpace($0) }) {
            outcome.issues.append(ArticleIssue(.error, path: path, message: "empty file: nothing to tag"))
            return outcome
        }
        if !TextDecoding.hasUTF16BOM(bytes), let nul = TextDecoding.firstNUL(in: bytes) {
            outcome.issues.append(ArticleIssue(.error, path: path, message: "binary file (NUL byte at offset \(nul)), not text"))
            return outcome
        }
        let decoded = TextDecoding.decode(bytes)
        var warnings: [String] = []
        if decoded.encoding == .windows1252 {
            warnings.append("not valid UTF-8; decoded as Windows-1252")
        }
        let title: String
        let text: String
        var date: String?
        switch format {
        case .html:
            let page = HTMLText(parsing: decoded.text)
            text = page.text
            title = clippedTitle(page.title ?? firstLine(of: page.text))
            date = page.dateValue.flatMap(ArticleDate.parse) ?? ArticleDate.findInText(page.text)
        default:
            text = decoded.text
            title = clippedTitle(firstLine(of: text))
            date = ArticleDate.findInText(text)
        }
        if isBlank(text) {
            outcome.issues.append(ArticleIssue(.error, path: path, message: "no text found in the document"))
            return outcome
        }
        for warning in warnings {
            outcome.issues.append(ArticleIssue(.warning, path: path, message: warning))
        }
        outcome.articles.append(Article(
            key: path, path: path, title: title, date: date, text: text,
            contentHash: ContentHash.hex(bytes), byteSize: bytes.count, warnings: warnings, fileStamp: fileStamp
        ))
        return outcome
    }
}

/// The first line with something other than whitespace on it, trimmed. Scans UTF-8 bytes up to
/// that line only, rather than splitting the whole text into lines of `Character`s.
func firstLine(of text: String) -> String {
    let utf8 = text.utf8
    var lineStart = utf8.startIndex
    while lineStart < utf8.endIndex {
        var lineEnd = lineStart
        while lineEnd < utf8.endIndex && utf8[lineEnd] != UInt8(ascii: "\n") && utf8[lineEnd] != UInt8(ascii: "\r") {
            lineEnd = utf8.index(after: lineEnd)
        }
        let line = trimmedWhitespace(Substring(utf8[lineStart..<lineEnd]))
        if !line.isEmpty { return line }
        lineStart = lineEnd < utf8.endIndex ? utf8.index(after: lineEnd) : lineEnd
    }
    return ""
}

/// `line.trimmingCharacters(in: .whitespaces)` without Foundation when the line's ends are ASCII:
/// there `.whitespaces` is space and tab. A non-ASCII byte at either end (a no-break space, or a
/// combining mark after a space) is left to Foundation, so the result is always the same.
func trimmedWhitespace(_ line: Substring) -> String {
    let utf8 = line.utf8
    var start = utf8.startIndex
    while start < utf8.endIndex && (utf8[start] == 0x20 || utf8[start] == 0x09) { start = utf8.index(after: start) }
    var end = utf8.endIndex
    while end > start {
        let before = utf8.index(before: end)
        guard utf8[before] == 0x20 || utf8[before] == 0x09 else { break }
        end = before
    }
    if start < end && (utf8[start] >= 0x80 || utf8[utf8.index(before: end)] >= 0x80) {
        return line.trimmingCharacters(in: .whitespaces)
    }
    return String(Substring(utf8[start..<end]))
}

/// The extension that names a file's format, lower-cased: `pathExtension(of:)`, with the one
/// before it for a compressed file ("feed.jsonl.gz" → "jsonl.gz").
func articleExtension(of path: String) -> String {
    let ext = pathExtension(of: path).lowercased()
    guard ext == "gz" else { return ext }
    let inner = pathExtension(of: String(path.dropLast(3))).lowercased()
    return inner.isEmpty ? ext : inner + ".gz"
}

/// `(path as NSString).pathExtension` without bridging to `NSString`: the text after the last `.`
/// of the last path component, or "" when it has none or starts with its only dot (`.profile`).
func pathExtension(of path: String) -> String {
    let utf8 = path.utf8
    var end = utf8.endIndex
    // A trailing slash does not end the component (`NSString` drops it).
    while end > utf8.startIndex && utf8[utf8.index(before: end)] == UInt8(ascii: "/") { end = utf8.index(before: end) }
    var position = end
    while position > utf8.startIndex {
        let before = utf8.index(before: position)
        let byte = utf8[before]
        if byte == UInt8(ascii: "/") { return "" }
        if byte == UInt8(ascii: ".") {
            let componentStart = before == utf8.startIndex || utf8[utf8.index(before: before)] == UInt8(ascii: "/")
            return componentStart ? "" : String(Substring(utf8[position..<end]))
        }
        position = before
    }
    return ""
}

/// Titles longer than this many characters are cut (with `…`): a file with no line breaks would
/// otherwise make its whole text the title, stored twice and printed by `show`.
let maxTitleCharacters = 300

func clippedTitle(_ title: String) -> String {
    // Counting UTF-8 bytes first keeps the common short title free of a Character walk.
    guard title.utf8.count > maxTitleCharacters else { return title }
    let characters = title.prefix(maxTitleCharacters + 1)
    guard characters.count > maxTitleCharacters else { return title }
    return String(characters.prefix(maxTitleCharacters - 1)) + "…"
}

/// SHA-256 of an article's source bytes, as lowercase hex: the identity used to skip unchanged
/// articles and, across machines, to deduplicate them.
public enum ContentHash {
    public static func hex(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        hex(digest: SHA256.hash(data: UnsafeRawBufferPointer(bytes)))
    }

    public static func hex(_ bytes: some DataProtocol) -> String {
        hex(digest: SHA256.hash(data: bytes))
    }

    /// The hex SHA-256 of the file at `path`, read a mebibyte at a time into one buffer (nil when
    /// it cannot be opened or read). Why not read it whole: the gazetteer's sources (11 MB) are
    /// hashed at every start to key its cache, and reading them into fresh memory, a page fault
    /// every 4 KiB, was a third of that (hashing them: ~24 → ~16 ms a start).
    public static func hexOfFile(atPath path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var hasher = SHA256()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let got = systemRead(fd, buffer.baseAddress!, buffer.count)
            if got < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if got == 0 { break }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[..<got]))
        }
        return hex(digest: hasher.finalize())
    }

    static func hex(digest: SHA256.Digest) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

#if canImport(Glibc)
import Glibc
let systemRead = Glibc.read
#elseif canImport(Darwin)
import Darwin
let systemRead = Darwin.read
#endif

/// Whether a text has nothing but whitespace. Stops at the first visible ASCII byte, which for real
/// articles is within the first few bytes.
func isBlank(_ text: String) -> Bool {
    for byte in text.utf8 where !isSpace(byte) {
        if byte < 0x80 { return false }
        return text.unicodeScalars.allSatisfy { $0.properties.isWhitespace }
    }
    return true
}
