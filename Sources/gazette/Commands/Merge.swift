import ArgumentParser
import Foundation
import GazetteCore
import GazetteStore

extension Gazette {
    struct Merge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Merge shard stores (e.g. tagged on different machines) into one store.",
            discussion: """
                Entities are reconciled by canonical key; articles are deduplicated by content hash \
                (an article whose content is already in the target is skipped); stored texts are \
                kept. The merge is recorded as a run of the target store.
                """
        )

        @Argument(help: ArgumentHelp("Shard stores to merge.", valueName: "shard.sqlite"))
        var shards: [String]

        @Option(name: .long, help: ArgumentHelp("The store to merge into (created when missing).", valueName: "path"))
        var into: String

        func run() async throws {
            let target = try TagStore(path: DirectoryWalker.absolute(into))
            let shardPaths = shards.map(DirectoryWalker.absolute)
            if shardPaths.contains(target.path) { throw ValidationError("a shard cannot be the target store (\(target.path)).") }
            let runID = try target.beginRun(
                configHash: ContentHash.hex(Array(shardPaths.joined(separator: "\n").utf8)), pipelineVersion: Pipeline.version)
            var counts = RunCounts()
            do {
                for path in shardPaths {
                    let shard = try TagStore(path: path, readOnly: true)
                    let summary = try target.merge(shard, runID: runID)
                    counts.tagged += summary.merged
                    counts.skipped += summary.skipped
                    counts.mentions += summary.mentions
                    counts.topics += summary.topics
                    print("\(path): merged \(summary.merged), already present \(summary.skipped)")
                }
            } catch {
                try? target.finishRun(id: runID, status: .failed, counts: counts)
                throw error
            }
            try target.finishRun(id: runID, status: .completed, counts: counts)
            print("merged \(counts.tagged) articles, skipped \(counts.skipped); \(counts.mentions) mentions, \(counts.topics) topics → \(target.path)")
        }
    }
}
