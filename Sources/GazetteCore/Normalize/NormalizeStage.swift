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

    public init(settings: NormalizeSettings = NormalizeSettings()) {
        normalizer = TextNormalizer(foldAccents: settings.foldAccents)
    }

    public func process(_ document: inout ArticleDocument) throws {
        document.normalized = normalizer.normalize(document.article.text)
    }
}
