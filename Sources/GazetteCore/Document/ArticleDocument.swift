/// The unit that flows through the stages: the immutable article plus what each stage adds.
public struct ArticleDocument: Sendable {
    public let article: Article
    /// Set by the normalize stage.
    public var normalized: NormalizedText?
    /// Set by the gazetteer stage, sorted by `start`, never overlapping.
    public var mentions: [Mention] = []
    /// Set by the topics stage, highest score first.
    public var topics: [TopicScore] = []

    public init(article: Article) {
        self.article = article
    }
}
