/// One step of the pipeline. A stage is configured and loaded once, then shared read-only by all
/// concurrent tasks; `process` sees only the article.
public protocol Stage: Sendable {
    /// The name `Pipeline.yaml` uses for this stage.
    static var name: String { get }
    func process(_ document: inout ArticleDocument) throws
}
