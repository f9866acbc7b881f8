/// The two kinds of tags the stages make. Each has its own part of the pipeline fingerprint, so a
/// change to one side of the pipeline re-tags only that side: a gazetteer edit keeps the topics, a
/// new topic model keeps the mentions.
public enum TagKind: String, Sendable, CaseIterable {
    /// Made by `normalize` and `gazetteer` (normalize only prepares the gazetteer's text).
    case mentions
    /// Made by `topics`.
    case topics
}

/// The stages of `Pipeline.yaml`, built and loaded once, run in order on each article.
public struct Pipeline: Sendable {
    public let stages: [any Stage]
    /// Fingerprint of everything that decides the tags: Gazette's pipeline version, the stages'
    /// settings, and the contents of the gazetteers, given names and model (`StageRegistry`). Stored
    /// with each article; a change re-tags. Made of one part per `TagKind` (`fingerprint(mentions:topics:)`).
    public let pipelineHash: String

    /// Bumped whenever a change to Gazette's code changes the tags it produces for the same inputs.
    public static let version = "1"

    /// The mentions and topics parts of `pipelineHash`; nil for a hash of another form.
    private let kindHashes: (mentions: Substring.UTF8View, topics: Substring.UTF8View)?

    public init(stages: [any Stage], pipelineHash: String) {
        self.stages = stages
        self.pipelineHash = pipelineHash
        kindHashes = Self.kindHashes(of: pipelineHash)
    }

    /// A pipeline whose fingerprint has a part for each kind of tag, from the hashes of what decides it.
    public init(stages: [any Stage], mentionsHash: String, topicsHash: String) {
        self.init(stages: stages, pipelineHash: Self.fingerprint(mentions: mentionsHash, topics: topicsHash))
    }

    public var stageNames: [String] { stages.map { type(of: $0).name } }

    /// `mentions/topics`, each the first 32 hex digits (128 bits) of its SHA-256.
    public static func fingerprint(mentions: String, topics: String) -> String {
        String(mentions.prefix(32)) + "/" + String(topics.prefix(32))
    }

    /// The kinds of tags whose part of `stored` (an article's stored pipeline hash) equals this
    /// pipeline's: for the same text, tagging again would make the same tags of those kinds. Empty
    /// for a hash of another form (an older Gazette's, or `gazette load`'s).
    public func unchangedKinds(since stored: String) -> Set<TagKind> {
        guard let current = kindHashes, let old = Self.kindHashes(of: stored) else { return [] }
        var unchanged: Set<TagKind> = []
        if old.mentions.elementsEqual(current.mentions) { unchanged.insert(.mentions) }
        if old.topics.elementsEqual(current.topics) { unchanged.insert(.topics) }
        return unchanged
    }

    /// Whether an article stored with `stored` (its stored pipeline hash) was tagged by this
    /// pipeline: tagging its text again would make the same tags of every kind.
    public func isCurrent(_ stored: String) -> Bool {
        if stored == pipelineHash { return true }
        // Part by part, without the set `unchangedKinds` makes: this runs for every stored article
        // of a re-run (the set was 8% of an unchanged re-run's samples once files went unread).
        guard let current = kindHashes, let old = Self.kindHashes(of: stored) else { return false }
        return old.mentions.elementsEqual(current.mentions) && old.topics.elementsEqual(current.topics)
    }

    /// The pipeline hash stored with an article: `pipelineHash`, then, when the gazetteer stage
    /// made or kept its mentions, `/` and the article's mentions view (`GazetteerStage.mentionsView`).
    public static func storedHash(_ pipelineHash: String, mentionsView: String?) -> String {
        guard let mentionsView, kindHashes(of: pipelineHash) != nil else { return pipelineHash }
        return pipelineHash + "/" + mentionsView
    }

    /// The mentions view in a stored pipeline hash, if it has one.
    public static func mentionsView(in stored: String) -> String? {
        guard let view = parts(of: stored)?.view, !view.isEmpty else { return nil }
        return String(Substring(view))
    }

    /// The two kind parts of a `mentions/topics` fingerprint, or of a stored
    /// `mentions/topics/view` one; nil for any other form.
    private static func kindHashes(of hash: String) -> (mentions: Substring.UTF8View, topics: Substring.UTF8View)? {
        parts(of: hash).map { ($0.mentions, $0.topics) }
    }

    /// A hash cut at its slashes into two or three parts, as bytes; nil for another form. This
    /// runs for every stored article of a re-run: cutting and comparing by `Character` took a fifth
    /// of a re-run after a gazetteer edit.
    private static func parts(
        of hash: String
    ) -> (mentions: Substring.UTF8View, topics: Substring.UTF8View, view: Substring.UTF8View?)? {
        let bytes = Substring(hash).utf8
        let slash = UInt8(ascii: "/")
        guard let first = bytes.firstIndex(of: slash) else { return nil }
        let rest = bytes[bytes.index(after: first)...]
        guard let second = rest.firstIndex(of: slash) else { return (bytes[..<first], rest, nil) }
        let view = rest[rest.index(after: second)...]
        guard !view.contains(slash) else { return nil }
        return (bytes[..<first], rest[..<second], view)
    }

    /// The kind of tags a stage's work ends in; nil for a stage that makes neither (it always runs).
    static func kind(ofStageNamed name: String) -> TagKind? {
        switch name {
        case NormalizeStage.name, GazetteerStage.name: return .mentions
        case TopicStage.name: return .topics
        default: return nil
        }
    }

    static func kind(of stage: any Stage) -> TagKind? { kind(ofStageNamed: type(of: stage).name) }

    /// Runs the stages on `article`, except those that make a kind of tags in `kept` (tags the
    /// store keeps from an earlier tagging of the same text; `ArticleDocument.kept`).
    /// `storedMentionsView` is the mentions view stored with the article's earlier tagging, if any:
    /// the gazetteer stage keeps the stored mentions when the article's view is still the same.
    public func process(
        _ article: Article, keeping kept: Set<TagKind> = [], storedMentionsView: String? = nil
    ) throws -> ArticleDocument {
        var document = ArticleDocument(article: article)
        document.kept = kept
        document.storedMentionsView = storedMentionsView
        for stage in stages where Self.kind(of: stage).map({ !kept.contains($0) }) ?? true {
            try stage.process(&document)
        }
        return document
    }
}
