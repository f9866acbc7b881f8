import Foundation

/// Reads a JSON-lines file: one article per line, an object with `text` (required) and optionally
/// `id`, `title`, `date`. A bad line is reported by its number and the other lines are still read.
struct JSONLinesReader {
    let path: String

    func read(_ bytes: [UInt8]) -> ReadOutcome {
        var outcome = ReadOutcome()
        var seenIDs: [String: Int] = [:]
        var lineNumber = 0
        var lineStart = 0
        var sawContent = false
        bytes.withUnsafeBufferPointer { buffer in
            while lineStart < buffer.count {
                lineNumber += 1
                let newline = buffer[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? buffer.count
                var lineEnd = newline
                if lineEnd > lineStart && buffer[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
                let line = UnsafeBufferPointer(rebasing: buffer[lineStart..<lineEnd])
                lineStart = newline + 1
                if line.allSatisfy({ isSpace($0) }) { continue }
                sawContent = true
                switch parse(line, lineNumber: lineNumber) {
                case .success(let article):
                    if let id = article.sourceID {
                        if let first = seenIDs[id] {
                            outcome.issues.append(ArticleIssue(.error, path: path, line: lineNumber,
                                message: "duplicate id '\(id)' (first used on line \(first)); line skipped"))
                            continue
                        }
                        seenIDs[id] = lineNumber
                    }
                    for warning in article.warnings {
                        outcome.issues.append(ArticleIssue(.warning, path: path, line: lineNumber, message: warning))
                    }
                    outcome.articles.append(article)
                case .failure(let message):
                    outcome.issues.append(ArticleIssue(.error, path: path, line: lineNumber, message: message.description))
                }
            }
        }
        if !sawContent {
            outcome.issues.append(ArticleIssue(.error, path: path, message: "empty file: nothing to tag"))
        }
        return outcome
    }

    struct LineError: Error, CustomStringConvertible { var description: String }

    func parse(_ line: UnsafeBufferPointer<UInt8>, lineNumber: Int) -> Result<Article, LineError> {
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
        let title = (fields["title"] as? String).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        var date: String?
        if let value = fields["date"] as? String {
            date = ArticleDate.parse(value)
            if date == nil { warnings.append("unrecognised date '\(value.prefix(40))'; ignored") }
        }
        let key = "\(path)#" + (sourceID ?? "L\(lineNumber)")
        return .success(Article(
            key: key, path: path, line: lineNumber, sourceID: sourceID,
            title: clippedTitle(title?.isEmpty == false ? title! : firstLine(of: text)),
            date: date, text: text, contentHash: ContentHash.hex(line), byteSize: line.count,
            warnings: warnings
        ))
    }

    private static func describe(_ error: Error) -> String {
        let nsError = error as NSError
        if let detail = nsError.userInfo[NSDebugDescriptionErrorKey] as? String { return detail }
        return nsError.localizedDescription
    }
}
