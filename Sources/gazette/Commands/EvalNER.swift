import ArgumentParser
import Foundation
import GazetteCore

/// `gazette eval ner FILE`: strict span-level scores of the gazetteer against CoNLL gold data.
struct EvalNER: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ner",
        abstract: "Score entity mentions against CoNLL-format gold spans (IOB1 or IOB2).",
        discussion: """
            Each document is tagged as its tokens joined by single spaces, one sentence per line, \
            through the same reading and tagging path as `gazette tag`, with the stages of the config. \
            Scores are strict: a mention counts only if its token span and type both equal a gold \
            span's. Types map as person→PER, place→LOC, organization→ORG, treaty→MISC; the micro \
            average covers PER, LOC and ORG.
            """
    )

    @Argument(help: ArgumentHelp("CoNLL file with gold tags.", valueName: "file"))
    var file: String

    @Option(name: .long, help: ArgumentHelp("The pipeline configuration (default: ./Pipeline.yaml, else the installed one).", valueName: "path"))
    var config: String?

    @Option(name: .long, help: "Articles processed at once (default: one per core).")
    var jobs: Int?

    func run() async throws {
        let settings = try PipelineSettings.load(from: ConfigLocator.locate(explicit: config))
        let pipeline = try StageRegistry.makePipeline(settings)
        let corpus = try CoNLLCorpus.load(URL(fileURLWithPath: file))
        let result = try await NEREvaluation.run(corpus, pipeline: pipeline, jobs: jobs ?? settings.effectiveJobs)
        print("\(file): \(result.documents) documents, tagged in \(String(format: "%.2f", result.seconds)) s")
        print(result.table(), terminator: "")
    }
}
