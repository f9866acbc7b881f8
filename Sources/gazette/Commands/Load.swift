import ArgumentParser
import Foundation
import GazetteCore
import GazetteStore

extension Gazette {
    struct Load: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Store the output of `gazette stream` in a SQLite tag store.",
            discussion: """
                Each article is stored under the key stream:<id> (stream:<content hash> without an \
                id). Loading the same file again changes nothing; a record whose content hash differs \
                from the stored one replaces that article's tags. Error records are counted and \
                listed on stderr. Exits 1 when a line could not be read.
                """
        )

        @Argument(help: ArgumentHelp("Output files of `gazette stream`.", valueName: "tags.jsonl"))
        var files: [String]

        @Option(name: .long, help: ArgumentHelp("The SQLite tag store to write.", valueName: "path"))
        var db: String

        func run() async throws {
            let tagStore = try TagStore(path: DirectoryWalker.absolute(db))
            let stored = try tagStore.storedFingerprints()
            let runID = try tagStore.beginRun(
                configHash: ContentHash.hex(Array(files.joined(separator: "\n").utf8)), pipelineVersion: Pipeline.version)
            var counts = RunCounts()
            var unreadable = 0
            for file in files {
                let path = DirectoryWalker.absolute(file)
                guard let data = FileManager.default.contents(atPath: path) else {
                    Terminal.standardError.write("\(file): cannot read this file\n")
                    unreadable += 1
                    continue
                }
                var batch: [ArticleDocument] = []
                for (index, line) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated()
                where !line.allSatisfy({ $0 == 0x20 || $0 == 0x0D }) {
                    do {
                        switch try StreamRun.loadRecord(Array(line), path: path, lineNumber: index + 1) {
                        case .failed(let id, let message):
                            counts.failed += 1
                            Terminal.standardError.write("\(file):\(index + 1): article \(id ?? "without id") was not tagged: \(message)\n")
                        case .document(let document):
                            // A stream key names no file: asked as one, it gives its own row.
                            let key = document.article.key
                            if try stored.fingerprints(ofFiles: [key]).first?[key]?.contentHash == document.article.contentHash {
                                counts.skipped += 1
                                continue
                            }
                            counts.tagged += 1
                            counts.mentions += document.mentions.count
                            counts.topics += document.topics.count
                            batch.append(document)
                        }
                    } catch {
                        unreadable += 1
                        Terminal.standardError.write("\(error)\n")
                    }
                    if batch.count >= 500 {
                        try tagStore.save(batch, pipelineHash: Self.pipelineHash, runID: runID, keepText: false)
                        batch = []
                    }
                }
                try tagStore.save(batch, pipelineHash: Self.pipelineHash, runID: runID, keepText: false)
            }
            try tagStore.finishRun(id: runID, status: .completed, counts: counts)
            print("loaded \(counts.tagged), unchanged \(counts.skipped), error records \(counts.failed), unreadable lines \(unreadable); \(counts.mentions) mentions, \(counts.topics) topics → \(tagStore.path)")
            if unreadable > 0 { throw ExitCode(1) }
        }

        /// Stream output does not carry the pipeline hash; loaded articles are marked as such.
        static let pipelineHash = "loaded-from-stream"
    }
}
