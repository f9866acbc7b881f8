/// One article as read from disk, before any stage has run.
///
/// `text` is the article's full decoded text; every offset Gazette stores (mention `start`/`end`)
/// counts Unicode scalars from the beginning of this string, so that
/// `text.unicodeScalars[start..<end]` is the mention's surface form.
public struct Article: Sendable, Equatable {
    /// Stable key of the article in the store: the file's absolute path, or `path#id` for a JSON line
    /// (`path#L<line>` when the line has no `id`).
    public var key: String
    /// Absolute path of the file the article came from.
    public var path: String
    /// 1-based line number for JSON-lines articles, nil for whole-file articles.
    public var line: Int?
    /// The id given by the source (JSON `id` field), if any.
    public var sourceID: String?
    public var title: String
    /// ISO 8601 date (`yyyy-MM-dd`) when the source gives one.
    public var date: String?
    public var text: String
    /// Hex SHA-256 of the source bytes (the whole file, or the JSON line).
    public var contentHash: String
    /// Size of the source in bytes.
    public var byteSize: Int
    /// Non-fatal problems met while reading (e.g. a Windows-1252 fallback).
    public var warnings: [String]
    /// The stamp of the file the article is, as it was read, when it had settled (`FileStamp`):
    /// stored with the article, so that the next run can skip the file unread. Nil for JSON
    /// lines and for a file changed too recently to trust its stamp.
    public var fileStamp: FileStamp?

    public init(
        key: String, path: String, line: Int? = nil, sourceID: String? = nil, title: String,
        date: String? = nil, text: String, contentHash: String, byteSize: Int, warnings: [String] = [],
        fileStamp: FileStamp? = nil
    ) {
        self.key = key
        self.path = path
        self.line = line
        self.sourceID = sourceID
        self.title = title
        self.date = date
        self.text = text
        self.contentHash = contentHash
        self.byteSize = byteSize
        self.warnings = warnings
        self.fileStamp = fileStamp
    }
}
