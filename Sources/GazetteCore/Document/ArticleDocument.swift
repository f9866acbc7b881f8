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
    /// text is the same and so is the part of the pipeline that makes them (`Pipeline.unchangedKinds`),
    /// or, for mentions, because the article's mentions view is the stored one (`mentionsView`).
    /// Their arrays above stay empty.
    public var kept: Set<TagKind> = []
    /// With `kept`: the pipeline hash stored for the article when the run began, which made the kept
    /// tags. A sink keeps them only if the article still has it (else another writer changed the
    /// article meanwhile, and the sink must not vouch for tags it did not see made).
    public var keptFrom: String?
    /// A hash of everything the gazetteer stage made this article's mentions from (its settings,
    /// the text and date, each gazetteer alias found in it with all its candidates, the office
    /// holders; `GazetteerStage.mentionsView`). Set by that stage; stored with the pipeline hash.
    public var mentionsView: String?
    /// The mentions view stored with the article's earlier tagging of the same text, when the
    /// gazetteer or its settings changed since: if the new view is the same, the gazetteer stage
    /// keeps the stored mentions (adds `.mentions` to `kept`) instead of resolving them again.
    public var storedMentionsView: String?

    public init(article: Article) {
        self.article = article
    }
}
