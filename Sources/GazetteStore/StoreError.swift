/// Why a store operation failed. The message names the database file, the operation and SQLite's own
/// message; it never contains article text (only keys, paths and SQLite's constraint descriptions).
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        /// A read-only open of a file that does not exist.
        case fileNotFound
        /// The file is not an SQLite database, or is one that Gazette did not create.
        case notAGazetteStore
        /// The store was written by a newer Gazette (its schema version is higher than ours).
        case newerSchema(found: Int, supported: Int)
        /// The store is older than this Gazette and was opened read-only, so it cannot be upgraded.
        case needsUpgrade(found: Int, supported: Int)
        /// Another connection held the lock for longer than the busy timeout.
        case busy
        /// A lookup matched more than one article.
        case ambiguousArticle(matches: Int)
        /// Any other SQLite failure; `code` is SQLite's (extended) result code.
        case sqlite(code: Int32)
    }

    public let kind: Kind
    /// The database file.
    public let path: String
    /// What the store was doing, e.g. `save article '/news/a.txt'`.
    public let operation: String
    /// SQLite's message, or our own explanation.
    public let message: String

    public init(kind: Kind, path: String, operation: String, message: String) {
        self.kind = kind
        self.path = path
        self.operation = operation
        self.message = message
    }

    public var description: String {
        "\(path): \(operation) failed: \(message)"
    }
}
