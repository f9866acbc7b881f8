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
                // Read in pieces of whole lines: the output of a large stream is never held whole.
                var feed: JSONLinesFeed
                do {
                    feed = try JSONLinesFeed(path: path, pieceBytes: TagRun.defaultFeedPieceBytes, maxLineBytes: Self.maxLineBytes)
                } catch {
                    Terminal.standardError.write("\(file): cannot read this file: \(error)\n")
                    unreadable += 1
                    continue
                }
                var batch: [ArticleDocument] = []
                while let piece = feed.next() {
                    for issue in piece.issues {
                        Terminal.standardError.write("\(issue)\n")
                        if issue.severity == .error { unreadable += 1 }
                    }
                    var lines = piece.bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
                    if piece.bytes.last == UInt8(ascii: "\n") { lines.removeLast() }
                    for (offset, line) in lines.enumerated() where !line.allSatisfy({ $0 == 0x20 || $0 == 0x0D }) {
                        let lineNumber = piece.firstLine + offset
                        do {
                            switch try StreamRun.loadRecord(Array(line), path: path, lineNumber: lineNumber) {
                            case .failed(let id, let message):
                                counts.failed += 1
                                Terminal.standardError.write("\(file):\(lineNumber): article \(id ?? "without id") was not tagged: \(message)\n")
                            case .document(let document):
                                batch.append(document)
                            }
                        } catch {
                            unreadable += 1
                            Terminal.standardError.write("\(error)\n")
                        }
                    }
                    // A stream key names no file: the batch's keys are asked for together.
                    let known = try stored.fingerprints(ofKeys: batch.map(\.article.key))
                    batch.removeAll { document in
                        guard known[document.article.key]?.contentHash == document.article.contentHash else { return false }
                        counts.skipped += 1
                        return true
                    }
                    for document in batch {
                        counts.tagged += 1
                        counts.mentions += document.mentions.count
                        counts.topics += document.topics.count
                    }
                    if !batch.isEmpty { try tagStore.save(batch, pipelineHash: Self.pipelineHash, runID: runID, keepText: false) }
                    batch.removeAll(keepingCapacity: true)
                }
            }
            try tagStore.finishRun(id: runID, status: .completed, counts: counts)
            print("loaded \(counts.tagged), unchanged \(counts.skipped), error records \(counts.failed), unreadable lines \(unreadable); \(counts.mentions) mentions, \(counts.topics) topics → \(tagStore.path)")
            if unreadable > 0 { throw ExitCode(1) }
        }

        /// A longer line is reported and skipped: 2 GiB, above any line `gazette stream` writes for
        /// an article the normalize stage takes.
        static let maxLineBytes = Int(Int32.max)

        /// Stream output does not carry the pipeline hash; loaded articles are marked as such.
        static let pipelineHash = "loaded-from-stream"
    }
}
