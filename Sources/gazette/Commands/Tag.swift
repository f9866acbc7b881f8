import ArgumentParser
import Foundation
import GazetteCore
import GazetteStore

extension Gazette {
    struct Tag: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Tag every article in a directory and store the tags in SQLite.",
            discussion: """
                Reads .txt, .html/.htm and .jsonl files below DIR (recursively), runs the stages of \
                Pipeline.yaml on each article concurrently, and commits the tags in batched \
                transactions. Running it again skips articles whose content and pipeline are unchanged \
                and re-tags changed ones, so the store always holds each article's tags exactly once.
                Exits with status 1 and lists the failures when a file or line could not be tagged.
                """
        )

        @Argument(help: ArgumentHelp("Directory (or single file) to tag.", valueName: "dir"))
        var directory: String

        @OptionGroup var store: StoreOptions

        @Option(name: .long, help: ArgumentHelp("Articles processed at once (default: the config's jobs, else one per core).", valueName: "n"))
        var jobs: Int?

        @Flag(name: .long, help: "Print no progress line, only the summary.")
        var quiet = false

        func validate() throws {
            if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1 (got \(jobs)).") }
            guard FileManager.default.fileExists(atPath: directory) else {
                throw ValidationError("'\(directory)' does not exist.")
            }
        }

        func run() async throws {
            let settings = try store.loadSettings()
            let pipeline = try StageRegistry.makePipeline(settings)
            let storePath = store.storePath(settings: settings)
            let tagStore = try TagStore(path: storePath, busyTimeout: .milliseconds(Int(settings.store.busyTimeoutSeconds * 1000)))
            let tagRun = TagRun(settings: settings, pipeline: pipeline, jobs: jobs)
            let progress = ProgressLine.makeIfTerminal(enabled: !quiet)
            let summary = try await tagRun.run(directory, into: tagStore) { update in
                progress?.show("\(update.filesDone)/\(update.filesTotal) files · \(update.counts.tagged) tagged · \(update.counts.skipped) skipped · \(update.counts.failed) failed")
            }
            progress?.clear()
            for issue in summary.issues {
                Terminal.standardError.write("\(issue)\n")
            }
            let counts = summary.counts
            print(String(
                format: "tagged %d, skipped %d, failed %d articles; %d mentions, %d topics; %.2f s, %.0f articles/s, %.1f MB/s → %@",
                counts.tagged, counts.skipped, counts.failed, counts.mentions, counts.topics,
                summary.seconds, summary.articlesPerSecond, summary.megabytesPerSecond, storePath))
            if counts.failed > 0 {
                throw ExitCode(1)
            }
        }
    }
}
