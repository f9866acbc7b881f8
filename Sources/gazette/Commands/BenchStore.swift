import ArgumentParser
import Foundation
import GazetteCore
import GazetteStore

extension Gazette {
    /// Times the store's write path alone: the articles are read and tagged once (untimed), then
    /// saved with `TagStore.save` into a fresh store, in batches of `store.batchSize` with
    /// `store.keepText`, as `gazette tag` writes them. Tagging costs far more CPU than saving and
    /// varies run to run on a shared machine; taking it out lets a store change be measured.
    struct BenchStore: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bench-store",
            abstract: "Time TagStore.save alone over the tagged articles of a directory.",
            shouldDisplay: false
        )

        @Argument(help: ArgumentHelp("Directory of articles, tagged once into memory.", valueName: "dir"))
        var directory: String

        @Option(name: .long, help: ArgumentHelp("The pipeline configuration.", valueName: "path"))
        var config: String?

        @Option(name: .customLong("repeat"), help: ArgumentHelp("Fresh stores to write (each timed).", valueName: "n"))
        var repeats: Int = 3

        @Option(name: .long, help: ArgumentHelp("Where the stores are written (removed afterwards unless --keep).", valueName: "path"))
        var db: String = "/tmp/gazette-bench-store.sqlite"

        @Flag(name: .long, help: "Keep the last store written.")
        var keep = false

        @Flag(name: .long, help: "Also time saving every article again into the last store (the re-save path).")
        var resave = false

        func run() async throws {
            let settings = try PipelineSettings.load(from: ConfigLocator.locate(explicit: config))
            let pipeline = try StageRegistry.makePipeline(settings)

            // Tag once, untimed, through `gazette tag`'s own path (`TagRun`) into memory: the store
            // then gets exactly the documents a tag run hands it.
            let sink = CollectingSink()
            _ = try await TagRun(settings: settings, pipeline: pipeline).run(DirectoryWalker.absolute(directory), into: sink)
            // A fixed order (by key) so every repeat and every build writes the same sequence.
            let documents = sink.documents.sorted { $0.article.key < $1.article.key }

            var figures: [String: Any] = [
                "articles": documents.count,
                "mentions": documents.reduce(0) { $0 + $1.mentions.count },
                "topics": documents.reduce(0) { $0 + $1.topics.count },
                "text_megabytes": Double(documents.reduce(0) { $0 + $1.article.text.utf8.count }) / 1e6,
                "batch_size": settings.store.batchSize,
                "keep_text": settings.store.keepText,
            ]
            var cpu: [Double] = []
            var wall: [Double] = []
            var written: [Double] = []
            var resaveTimes: (cpu: Double, wall: Double, writtenMB: Double)?
            for round in 0..<max(1, repeats) {
                Self.remove(db)
                let store = try TagStore(path: db)
                let runID = try store.beginRun(configHash: "bench-store", pipelineVersion: Pipeline.version)
                let writtenBefore = Self.bytesWritten()
                let (_, time) = try measure { try save(documents, into: store, runID: runID, pipelineHash: pipeline.pipelineHash, settings: settings) }
                written.append(Double(Self.bytesWritten() - writtenBefore) / 1e6)
                cpu.append(time.cpu)
                wall.append(time.wall)
                if resave && round == max(1, repeats) - 1 {
                    let writtenBefore = Self.bytesWritten()
                    let (_, again) = try measure { try save(documents, into: store, runID: runID, pipelineHash: pipeline.pipelineHash, settings: settings) }
                    resaveTimes = (again.cpu, again.wall, Double(Self.bytesWritten() - writtenBefore) / 1e6)
                }
                try store.finishRun(id: runID, status: .completed, counts: RunCounts(tagged: documents.count))
            }
            if !keep { Self.remove(db) }
            figures["save_cpu_s"] = cpu
            figures["save_wall_s"] = wall
            figures["save_written_mb"] = written
            if let resaveTimes {
                figures["resave_cpu_s"] = resaveTimes.cpu
                figures["resave_wall_s"] = resaveTimes.wall
                figures["resave_written_mb"] = resaveTimes.writtenMB
            }
            let data = try JSONSerialization.data(withJSONObject: figures, options: [.sortedKeys, .prettyPrinted])
            print(String(decoding: data, as: UTF8.self))
        }

        private func save(
            _ documents: [ArticleDocument], into store: TagStore, runID: Int64, pipelineHash: String,
            settings: PipelineSettings
        ) throws {
            let batchSize = max(1, settings.store.batchSize)
            for start in stride(from: 0, to: documents.count, by: batchSize) {
                let batch = Array(documents[start..<min(start + batchSize, documents.count)])
                try store.save(batch, pipelineHash: pipelineHash, runID: runID, keepText: settings.store.keepText)
            }
        }

        /// Bytes this process has passed to write calls (`wchar` of /proc/self/io; 0 where absent).
        private static func bytesWritten() -> Int {
            guard let text = try? String(contentsOfFile: "/proc/self/io", encoding: .utf8) else { return 0 }
            for line in text.split(separator: "\n") where line.hasPrefix("wchar:") {
                return Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces)) ?? 0
            }
            return 0
        }

        private static func remove(_ path: String) {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
    }
}
