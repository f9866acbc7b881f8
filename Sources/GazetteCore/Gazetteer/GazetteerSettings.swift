import Foundation

/// Where the gazetteer comes from and what it keeps.
public struct GazetteerSettings: Sendable, Equatable {
    /// Directory holding the `*.tsv` files.
    public var directory: URL
    /// File names inside `directory` to load, in this order; nil loads every `*.tsv` in sorted
    /// name order.
    public var files: [String]?
    /// Entity types to keep; rows of other types are validated but not matched.
    public var entityTypes: Set<EntityType>
    /// Whether the article-level pass runs after matching (`ArticleResolution`: surnames linked to
    /// full names, unknown people and organizations, ambiguous places, headlines, sports tables).
    /// Off, each mention is its alias's best entity alone: several times faster, less accurate
    /// (docs/ner.md gives both scores).
    public var articleResolution: Bool

    public init(directory: URL, files: [String]? = nil, entityTypes: Set<EntityType> = Set(EntityType.allCases),
                articleResolution: Bool = true) {
        self.directory = directory
        self.files = files
        self.entityTypes = entityTypes
        self.articleResolution = articleResolution
    }
}

/// A gazetteer that cannot be loaded, or a document the gazetteer stage cannot process.
extension GazetteerSettings {
    /// The TSV files to load: `files` in the given order, else every `*.tsv` of the directory sorted
    /// by name. Also what the pipeline fingerprint hashes, so a changed list re-tags.
    public func resolvedFiles() throws -> [URL] {
        let names: [String]
        if let files {
            names = files
        } else {
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
                    .filter { $0.hasSuffix(".tsv") }.sorted()
            } catch {
                throw GazetteerError(file: directory.path, reason: "cannot list directory: \(error.localizedDescription)")
            }
        }
        return names.map { directory.appendingPathComponent($0) }
    }
}

public struct GazetteerError: Error, CustomStringConvertible, Equatable {
    /// The file (or article key) concerned.
    public var file: String
    /// 1-based line, when the problem is on one line.
    public var line: Int?
    public var reason: String

    public init(file: String, line: Int? = nil, reason: String) {
        self.file = file
        self.line = line
        self.reason = reason
    }

    public var description: String {
        if let line { return "\(file):\(line): \(reason)" }
        return "\(file): \(reason)"
    }
}
