/// The stages of `Pipeline.yaml`, built and loaded once, run in order on each article.
public struct Pipeline: Sendable {
    public let stages: [any Stage]
    /// Fingerprint of everything that decides the tags: Gazette's pipeline version, the stages'
    /// settings, and the contents of the gazetteers, given names and model (`StageRegistry`). Stored
    /// with each article; a change re-tags.
    public let pipelineHash: String

    /// Bumped whenever a change to Gazette's code changes the tags it produces for the same inputs.
    public static let version = "1"

    public init(stages: [any Stage], pipelineHash: String) {
        self.stages = stages
        self.pipelineHash = pipelineHash
    }

    public var stageNames: [String] { stages.map { type(of: $0).name } }

    public func process(_ article: Article) throws -> ArticleDocument {
        var document = ArticleDocument(article: article)
        for stage in stages {
            try stage.process(&document)
        }
        return document
    }
}
