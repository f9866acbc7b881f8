/// The unit that flows through the stages: the immutable article plus what each stage adds.
public struct ArticleDocument: Sendable {
    public let article: Article
    /// Set by the normalize stage.
    public var normalized: NormalizedText?
    /// Set by the gazetteer stage, sorted by `start`, never overlapping.
    public var mentions: [Mention] = []
    /// Set by the topics stage, highest score first.
    public var topics: [TopicScore] = []
    /// Kinds of tags not made again for this article: the store keeps the ones it has, because the
    /// text is the same and so is the part of the pipeline that makes them (`Pipeline.unchangedKinds`).
    /// Their arrays above stay empty.
    public var kept: Set<TagKind> = []
    /// With `kept`: the pipeline hash stored for the article when the run began, which made the kept
    /// tags. A sink keeps them only if the article still has it (else another writer changed the
    /// article meanwhile, and the sink must not vouch for tags it did not see made).
    public var keptFrom: String?

    public init(article: Article) {
        self.article = article
    }
}
