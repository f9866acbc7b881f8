/// A problem with one input file or line. It never stops the run: the file (or line) is reported,
/// counted, and the batch goes on.
public struct ArticleIssue: Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable {
        /// The article was still tagged (e.g. decoded as Windows-1252).
        case warning
        /// The file or line was not tagged.
        case error
    }

    public var severity: Severity
    public var path: String
    /// 1-based line for JSON lines, nil for whole files.
    public var line: Int?
    public var message: String

    public init(_ severity: Severity, path: String, line: Int? = nil, message: String) {
        self.severity = severity
        self.path = path
        self.line = line
        self.message = message
    }

    public var description: String {
        let location = line.map { "\(path):\($0)" } ?? path
        return "\(location): \(severity.rawValue): \(message)"
    }
}
