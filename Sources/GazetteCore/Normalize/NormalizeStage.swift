/// Settings of the normalize stage, as read from the pipeline configuration.
public struct NormalizeSettings: Sendable, Equatable, Codable {
    /// Remove accents so that "São Paulo" matches "sao paulo".
    public var foldAccents: Bool

    public init(foldAccents: Bool = true) {
        self.foldAccents = foldAccents
    }
}

/// Builds the matching view of each article (`document.normalized`) for the gazetteer stage.
public struct NormalizeStage: Stage {
    public static let name = "normalize"
    public let normalizer: TextNormalizer

    /// Longer articles are refused (an error for that article; the run goes on). A parameter so
    /// tests can check the refusal without a 2 GiB text.
    let maxTextBytes: Int

    public init(settings: NormalizeSettings = NormalizeSettings(), maxTextBytes: Int = TextNormalizer.maxTextBytes) {
        normalizer = TextNormalizer(foldAccents: settings.foldAccents)
        self.maxTextBytes = min(maxTextBytes, TextNormalizer.maxTextBytes)
    }

    public func process(_ document: inout ArticleDocument) throws {
        let size = document.article.text.utf8.count
        guard size <= maxTextBytes else {
            throw NormalizeError(
                reason: "article text is \(size) bytes, over the \(maxTextBytes) the normalize stage takes "
                    + "(its offsets are 32-bit); split the file into smaller articles")
        }
        document.normalized = normalizer.normalize(document.article.text)
    }
}

/// An article the normalize stage cannot take. The run reports it with the article's file (and line)
/// and goes on with the others.
public struct NormalizeError: Error, CustomStringConvertible, Equatable {
    public var reason: String

    public init(reason: String) { self.reason = reason }

    public var description: String { reason }
}
