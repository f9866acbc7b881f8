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
                Ctrl-C (SIGINT) stops reading new files, commits every article already tagged, prints \
                the summary and exits with status 130; a second Ctrl-C exits at once (committed \
                batches are kept). Run the same command again to finish: nothing is tagged twice.
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
            // No progress line, no callback: the run then does not count the files first.
            var report: (@Sendable (TagRun.Progress) -> Void)?
            if let progress {
                report = { update in
                    let megabytes = String(format: "%.1f", Double(update.bytes) / 1_000_000)
                    progress.show("\(update.filesDone)/\(update.filesTotal) files · \(megabytes) MB · \(update.counts.tagged) tagged · \(update.counts.skipped) skipped · \(update.counts.failed) failed")
                }
            }
            let runTask = Task { [report] in
                try await tagRun.run(directory, into: tagStore, progress: report)
            }
            let interruption = InterruptHandler { runTask.cancel() }
            let summary = try await runTask.value
            interruption.stop()
            progress?.clear()
            for issue in summary.issues {
                Terminal.standardError.write("\(issue)\n")
            }
            let counts = summary.counts
            print(String(
                format: "tagged %d, skipped %d, failed %d articles; %d mentions, %d topics; %.2f s, %.0f articles/s, %.1f MB/s → %@",
                counts.tagged, counts.skipped, counts.failed, counts.mentions, counts.topics,
                summary.seconds, summary.articlesPerSecond, summary.megabytesPerSecond, storePath))
            if summary.keptTopics > 0 || summary.keptMentions > 0 {
                // Same text, and what made these tags unchanged: that side of the pipeline, or, for
                // mentions, the article's mentions view (the aliases found in it, office holders).
                print("kept from the previous tagging: the topics of \(summary.keptTopics), the mentions of "
                      + "\(summary.keptMentions) of the tagged articles (same text; what made those tags is unchanged)")
            }
            if summary.interrupted {
                Terminal.standardError.write("interrupted: the articles above are committed; run the same command again to tag the rest\n")
                throw ExitCode(130)
            }
            if counts.failed > 0 {
                throw ExitCode(1)
            }
        }
    }
}

/// Turns the first SIGINT into a cancellation of the tag run (which then commits what it has and
/// stops); a second SIGINT exits at once, as users expect from a stuck program. Committed batches
/// survive either way, since each is one transaction.
final class InterruptHandler: @unchecked Sendable {
    private let source: DispatchSourceSignal
    private let lock = NSLock()
    private var count = 0

    init(onFirstInterrupt: @escaping @Sendable () -> Void) {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [unowned self] in
            lock.lock()
            count += 1
            let first = count == 1
            lock.unlock()
            if first {
                Terminal.standardError.write("\ninterrupt: committing the current batch (Ctrl-C again to quit at once)\n")
                onFirstInterrupt()
            } else {
                _exit(130)
            }
        }
        source.resume()
    }

    func stop() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
