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
            let reader = ArticleReader(maxFileBytes: settings.input.maxFileBytes)
            let files = DirectoryWalker(extensions: Set(settings.input.extensions)).list(DirectoryWalker.absolute(directory)).files

            // Tag once, on every core (untimed).
            let chunks = ProcessInfo.processInfo.activeProcessorCount * 8
            let tagged = ChunkResults(count: chunks)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                var documents: [ArticleDocument] = []
                for index in stride(from: chunk, to: files.count, by: chunks) {
                    for article in reader.read(fileAt: files[index]).articles {
                        if let document = try? pipeline.process(article) { documents.append(document) }
                    }
                }
                tagged.set(chunk, documents)
            }
            // A fixed order (by key) so every repeat and every build writes the same sequence.
            let documents = tagged.all().sorted { $0.article.key < $1.article.key }

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
            var resaveTimes: (cpu: Double, wall: Double)?
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
                    let (_, again) = try measure { try save(documents, into: store, runID: runID, pipelineHash: pipeline.pipelineHash, settings: settings) }
                    resaveTimes = (again.cpu, again.wall)
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

/// Per-chunk results of a `concurrentPerform`, each slot written by one iteration only.
private final class ChunkResults: @unchecked Sendable {
    private var slots: [[ArticleDocument]]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: [], count: count) }

    func set(_ index: Int, _ documents: [ArticleDocument]) {
        lock.lock()
        slots[index] = documents
        lock.unlock()
    }

    func all() -> [ArticleDocument] { slots.flatMap { $0 } }
}
