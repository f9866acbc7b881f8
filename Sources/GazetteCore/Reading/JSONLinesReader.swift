import Crypto
import Foundation

/// Reads a JSON-lines file: one article per line, an object with `text` (required) and optionally
/// `id`, `title`, `date`. A bad line is reported by its number and the other lines are still read.
struct JSONLinesReader {
    let path: String
    /// A longer line is refused (`input.maxFileBytes`: for a JSON-lines file it bounds each line).
    var maxLineBytes = Int.max

    /// What some whole lines of a file gave, in line order: articles, and the lines that gave none.
    /// Duplicate ids are not looked for here: a tag run reads a file in pieces, tagged concurrently,
    /// and looks for them as it takes the pieces back in order (`DuplicateIDs`).
    struct Lines {
        var articles: [Article] = []
        var errors: [ArticleIssue] = []
        /// Some line held more than whitespace.
        var sawContent = false
    }

    /// Reads a whole file's bytes: its lines, then duplicate ids, in line order.
    func read(_ bytes: [UInt8]) -> ReadOutcome {
        let lines = bytes.withUnsafeBufferPointer { readLines($0, firstLine: 1) }
        var outcome = ReadOutcome()
        var ids = DuplicateIDs()
        ids.inLineOrder(lines.articles, errors: lines.errors, path: path,
                        issue: { outcome.issues.append($0) }, keep: { outcome.articles.append(lines.articles[$0]) })
        if !lines.sawContent {
            outcome.issues.append(Self.emptyFile(path))
        }
        return outcome
    }

    static func emptyFile(_ path: String) -> ArticleIssue {
        ArticleIssue(.error, path: path, message: "empty file: nothing to tag")
    }

    /// Reads whole lines (`buffer`, whose first line is number `firstLine`).
    func readLines(_ buffer: UnsafeBufferPointer<UInt8>, firstLine: Int) -> Lines {
        var lines = Lines()
        var lineNumber = firstLine - 1
        var lineStart = 0
        while lineStart < buffer.count {
            lineNumber += 1
            let newline = buffer[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? buffer.count
            var lineEnd = newline
            if lineEnd > lineStart && buffer[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
            let line = UnsafeBufferPointer(rebasing: buffer[lineStart..<lineEnd])
            lineStart = newline + 1
            if line.allSatisfy({ isSpace($0) }) { continue }
            lines.sawContent = true
            guard line.count <= maxLineBytes else {
                lines.errors.append(ArticleIssue(.error, path: path, line: lineNumber, message:
                    "line is \(line.count) bytes, over the limit of \(maxLineBytes) bytes (input.maxFileBytes); skipped"))
                continue
            }
            switch parse(line, lineNumber: lineNumber) {
            case .success(let article):
                lines.articles.append(article)
            case .failure(let message):
                lines.errors.append(ArticleIssue(.error, path: path, line: lineNumber, message: message.description))
            }
        }
        return lines
    }

    struct LineError: Error, CustomStringConvertible { var description: String }

    /// Reads the fields from the bytes where `JSONLineFields` can (nearly every line of a real
    /// feed), else through Foundation: both give the same article or the same error.
    var readsFieldsFromBytes = true

    func parse(_ line: UnsafeBufferPointer<UInt8>, lineNumber: Int) -> Result<Article, LineError> {
        if readsFieldsFromBytes, let fields = JSONLineFields.parse(line), let result = article(fields, line: line, lineNumber: lineNumber) {
            return result
        }
        var warnings: [String] = []
        var data = Data(line)
        if String(validating: line, as: UTF8.self) == nil {
            warnings.append("not valid UTF-8; decoded as Windows-1252")
            data = Data(TextDecoding.decodeWindows1252(line).utf8)
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data, options: [])
        } catch {
            return .failure(LineError(description: "malformed JSON: \(Self.describe(error))"))
        }
        guard let fields = object as? [String: Any] else {
            return .failure(LineError(description: "expected a JSON object with a \"text\" field"))
        }
        guard let text = fields["text"] as? String else {
            return .failure(LineError(description: fields["text"] == nil ? "missing \"text\" field" : "\"text\" must be a string"))
        }
        if isBlank(text) {
            return .failure(LineError(description: "empty \"text\""))
        }
        var sourceID: String?
        switch fields["id"] {
        case let id as String: sourceID = id
        case let id as NSNumber: sourceID = id.stringValue
        case nil, is NSNull: sourceID = nil
        default: return .failure(LineError(description: "\"id\" must be a string or a number"))
        }
        return .success(article(text: text, sourceID: sourceID, title: fields["title"] as? String, date: fields["date"] as? String,
                                warnings: warnings, line: line, lineNumber: lineNumber))
    }

    /// The article of a line, from its fields (a blank `title` gives way to the text's first line;
    /// a `date` that cannot be read is dropped with a warning).
    private func article(
        text: String, sourceID: String?, title: String?, date: String?, warnings: [String],
        line: UnsafeBufferPointer<UInt8>, lineNumber: Int
    ) -> Article {
        var warnings = warnings
        let title = title.map(Self.trimmed)
        var parsedDate: String?
        if let date {
            parsedDate = ArticleDate.parse(date)
            if parsedDate == nil { warnings.append("unrecognised date '\(date.prefix(40))'; ignored") }
        }
        return Article(
            key: "\(path)#" + (sourceID ?? "L\(lineNumber)"), path: path, line: lineNumber, sourceID: sourceID,
            title: clippedTitle(title?.isEmpty == false ? title! : firstLine(of: text)),
            date: parsedDate, text: text, contentHash: ContentHash.hex(line), byteSize: line.count,
            warnings: warnings
        )
    }

    /// The article of a line read by `JSONLineFields`, or its error; nil for a line whose fields
    /// only Foundation's reading settles (a non-string `text`, an `id` that is not a string, an
    /// integer or null, a `title` or `date` that is not a string or null).
    private func article(_ fields: JSONLineFields, line: UnsafeBufferPointer<UInt8>, lineNumber: Int) -> Result<Article, LineError>? {
        let text: String
        switch fields.text {
        case .string(let value): text = value
        case .absent: return .failure(LineError(description: "missing \"text\" field"))
        default: return nil
        }
        if isBlank(text) {
            return .failure(LineError(description: "empty \"text\""))
        }
        let sourceID: String?
        switch fields.id {
        case .string(let value), .integer(let value): sourceID = value
        case .absent, .null: sourceID = nil
        case .other: return nil
        }
        func optionalString(_ value: JSONLineFields.Value) -> String?? {
            switch value {
            case .string(let string): return .some(string)
            case .absent, .null: return .some(nil)
            default: return nil
            }
        }
        guard let title = optionalString(fields.title), let date = optionalString(fields.date) else { return nil }
        return .success(article(text: text, sourceID: sourceID, title: title, date: date, warnings: [], line: line, lineNumber: lineNumber))
    }

    /// `title.trimmingCharacters(in: .whitespacesAndNewlines)`, without Foundation when the title
    /// starts and ends with a visible ASCII character (nearly every title; bridging each one to
    /// `NSString` was 1.2% of tagging a feed).
    static func trimmed(_ title: String) -> String {
        let utf8 = title.utf8
        if let first = utf8.first, let last = utf8.last, first > 0x20 && first < 0x7F && last > 0x20 && last < 0x7F {
            return title
        }
        return title.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func describe(_ error: Error) -> String {
        let nsError = error as NSError
        if let detail = nsError.userInfo[NSDebugDescriptionErrorKey] as? String { return detail }
        return nsError.localizedDescription
    }
}

/// The ids of a JSON-lines file's lines so far: a second line with an id already used is refused
/// (its key, `path#id`, is the first one's).
///
/// Ids are kept as 128-bit digests, not strings: a tag run keeps these for a whole feed, which may
/// hold millions of lines, at ~40 bytes an id. Two different ids share a digest with a probability
/// of about n² / 2¹²⁹ (10⁻²⁵ for ten million ids).
struct DuplicateIDs {
    private var firstLines: [UInt128: Int] = [:]

    /// An error for `article` when its id was used by an earlier line; else nil, and the id is kept.
    mutating func duplicate(_ article: Article, path: String) -> ArticleIssue? {
        guard let id = article.sourceID else { return nil }
        let line = article.line ?? 0
        var digest: UInt128 = 0
        for (position, byte) in SHA256.hash(data: Array(id.utf8)).prefix(16).enumerated() {
            digest |= UInt128(byte) << (8 * position)
        }
        if let first = firstLines[digest] {
            return ArticleIssue(.error, path: path, line: line,
                                message: "duplicate id '\(id)' (first used on line \(first)); line skipped")
        }
        firstLines[digest] = line
        return nil
    }
}

extension DuplicateIDs {
    /// Walks the articles of some lines and the errors of their other lines together, in line
    /// order: `issue` gets the errors before each article's line, then the article's own issues
    /// (its id used by an earlier line, and the article is dropped; else its warnings), and `keep`
    /// gets each article kept, by its position in `articles`. Errors are in line order, those
    /// without a line first. A whole file read at once and a tag run's pieces taken back in order
    /// (`FeedInProgress`) both go through here, so the two report the same issues in the same order.
    mutating func inLineOrder(
        _ articles: [Article], errors: [ArticleIssue], path: String,
        issue: (ArticleIssue) -> Void, keep: (Int) -> Void
    ) {
        var errors = errors[...]
        for (index, article) in articles.enumerated() {
            while let error = errors.first, error.line ?? 0 < article.line ?? 0 {
                issue(error)
                errors = errors.dropFirst()
            }
            if let duplicate = duplicate(article, path: path) {
                issue(duplicate)
                continue
            }
            for warning in article.warnings { issue(ArticleIssue(.warning, path: path, line: article.line, message: warning)) }
            keep(index)
        }
        errors.forEach(issue)
    }
}
