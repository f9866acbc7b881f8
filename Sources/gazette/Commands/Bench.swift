import ArgumentParser
import CAllocator
import Foundation
import GazetteCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Hidden commands used by `Benchmarks/run.sh`; they print machine-readable figures, not tags.
extension Gazette {
    struct BenchStages: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bench-stages",
            abstract: "Time gazetteer loading and each stage alone over a directory (for Benchmarks/run.sh).",
            shouldDisplay: false
        )

        @Argument(help: ArgumentHelp("Directory of articles, read fully into memory.", valueName: "dir"))
        var directory: String

        @Option(name: .long, help: ArgumentHelp("The pipeline configuration.", valueName: "path"))
        var config: String?

        @Option(name: .customLong("repeat"), help: ArgumentHelp("Times each stage this many times over the articles and keeps the fastest (repeats also make a profile of one stage long enough to read).", valueName: "n"))
        var repeats: Int = 1

        @Option(name: .long, help: ArgumentHelp("Time only this stage (the stages before it still run, untimed), and skip the gazetteer build and load timings: for profiles and instruction counts of one stage.", valueName: "stage"))
        var only: String?

        func run() async throws {
            let settings = try PipelineSettings.load(from: ConfigLocator.locate(explicit: config))
            var figures: [String: Double] = [:]

            // Gazetteer: built from the TSVs, then through the cache (written if missing, then read).
            if only == nil, let (gazetteerSettings, normalizer) = try GazetteerCache.gazetteerSettings(of: settings) {
                // On all cores (rows are parsed in parallel): the CPU time of every thread.
                let (built, buildTime) = try measure(allThreads: true) {
                    try Gazetteer(settings: gazetteerSettings, normalizer: normalizer)
                }
                figures["gazetteer_build_wall_s"] = buildTime.wall
                figures["gazetteer_build_cpu_s"] = buildTime.cpu
                figures["aliases"] = Double(built.aliasCount)
                figures["patterns"] = Double(built.patternCount)
                figures["entities"] = Double(built.entities.count)
                figures["matcher_mb"] = Double(built.matcherBytes) / 1e6
                _ = try GazetteerCache.gazetteer(settings: gazetteerSettings, normalizer: normalizer)
                let (cached, loadTime) = try measure { try GazetteerCache.gazetteer(settings: gazetteerSettings, normalizer: normalizer) }
                if case .cache = cached.source {
                    figures["gazetteer_cache_load_wall_s"] = loadTime.wall
                    figures["gazetteer_cache_load_cpu_s"] = loadTime.cpu
                }
            }

            let (pipeline, pipelineTime) = try measure { try StageRegistry.makePipeline(settings) }
            figures["pipeline_load_wall_s"] = pipelineTime.wall
            figures["pipeline_load_cpu_s"] = pipelineTime.cpu

            // Reading (read, hash, decode, title, date), one thread.
            let reader = ArticleReader(maxFileBytes: settings.input.maxFileBytes)
            let files = DirectoryWalker(extensions: Set(settings.input.extensions)).list(directory).files
            let (articles, readTime) = measure { files.flatMap { reader.read(fileAt: $0).articles } }
            let bytes = Double(articles.reduce(0) { $0 + $1.byteSize })
            figures["articles"] = Double(articles.count)
            figures["megabytes"] = bytes / 1e6
            figures["read_mb_per_cpu_s"] = bytes / 1e6 / readTime.cpu

            // Each stage alone, in pipeline order (each needs the output of the ones before it).
            var documents = articles.map { ArticleDocument(article: $0) }
            for stage in pipeline.stages {
                if let only, type(of: stage).name != only {
                    for index in documents.indices { try stage.process(&documents[index]) }
                    continue
                }
                let input = documents
                var fastest = Double.infinity
                for _ in 0..<max(1, repeats) {
                    documents = input
                    let (_, time) = try measure {
                        for index in documents.indices { try stage.process(&documents[index]) }
                    }
                    fastest = min(fastest, time.cpu)
                }
                figures["stage_\(type(of: stage).name)_mb_per_cpu_s"] = bytes / 1e6 / fastest
                // The gazetteer stage's matching alone (no case rules, no article resolution).
                if let gazetteerStage = stage as? GazetteerStage {
                    var fastestMatch = Double.infinity
                    var matches = 0
                    for _ in 0..<max(1, repeats) {
                        let (count, time) = measure {
                            documents.reduce(0) { $0 + ($1.normalized.map(gazetteerStage.gazetteer.rawMatchCount) ?? 0) }
                        }
                        fastestMatch = min(fastestMatch, time.cpu)
                        matches = count
                    }
                    figures["gazetteer_matching_mb_per_cpu_s"] = bytes / 1e6 / fastestMatch
                    figures["gazetteer_raw_matches"] = Double(matches)
                }
            }
            if only == nil {
                let (_, allTime) = try measure {
                    for article in articles { _ = try pipeline.process(article) }
                }
                figures["stages_all_mb_per_cpu_s"] = bytes / 1e6 / allTime.cpu
            }
            var report: [String: Any] = figures
            // Which malloc served the run: the figures depend on it (Sources/CAllocator).
            report["allocator"] = String(cString: gazette_allocator_name())
            let data = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys, .prettyPrinted])
            print(String(decoding: data, as: UTF8.self))
        }
    }

    struct ExportAliases: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export-aliases",
            abstract: "Write the gazetteer's normalized aliases, one per line (for benchmark baselines).",
            shouldDisplay: false
        )

        @Option(name: .long, help: ArgumentHelp("The pipeline configuration.", valueName: "path"))
        var config: String?

        @Option(name: [.short, .long], help: ArgumentHelp("Output file.", valueName: "path"))
        var output: String

        func run() throws {
            let settings = try PipelineSettings.load(from: ConfigLocator.locate(explicit: config))
            let pipeline = try StageRegistry.makePipeline(settings)
            guard let stage = pipeline.stages.compactMap({ $0 as? GazetteerStage }).first else {
                throw ValidationError("the pipeline has no gazetteer stage")
            }
            var text: [UInt8] = []
            var aliases: [[UInt8]] = []
            stage.gazetteer.forEachAlias { aliases.append($0) }
            for alias in aliases.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
                text.append(contentsOf: alias)
                text.append(0x0A)
            }
            try Data(text).write(to: URL(fileURLWithPath: output))
            print("\(aliases.count) aliases → \(output)")
        }
    }
}

struct Timing {
    var wall: Double
    var cpu: Double
}

/// Wall-clock and CPU time of `body` (the machine may be shared: CPU time is the figure that does
/// not depend on other load): this thread's, or with `allThreads` the whole process's, for work
/// that spreads over worker threads (the gazetteer build).
func measure<T>(allThreads: Bool = false, _ body: () throws -> T) rethrows -> (T, Timing) {
    func cpuNow() -> Double {
        var spec = timespec()
        clock_gettime(allThreads ? CLOCK_PROCESS_CPUTIME_ID : CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
    let clock = ContinuousClock()
    let start = clock.now
    let cpuStart = cpuNow()
    let value = try body()
    let cpu = cpuNow() - cpuStart
    let elapsed = clock.now - start
    let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return (value, Timing(wall: wall, cpu: cpu))
}
