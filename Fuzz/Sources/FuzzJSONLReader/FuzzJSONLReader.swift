import Dispatch
import Foundation
import FuzzDriver
import GazetteCore

/// JSON-lines reader: every error names a line inside the file, every article comes from one line
/// with the text and id Foundation reads from it; and a tag run, which reads the file in pieces (here of 1 to 64 bytes, so lines and pieces cut
/// each other everywhere), gives the same articles and issues, in the same order, as the whole file.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).count
    let outcome = ArticleReader().read(bytes: bytes, path: "/fuzz/input.jsonl", format: .jsonLines)
    for issue in outcome.issues {
        if let line = issue.line { precondition(line >= 1 && line <= lines, "issue line \(line) outside 1...\(lines)") }
    }
    var keys = Set<String>()
    for article in outcome.articles {
        let line = article.line ?? 0
        precondition(line >= 1 && line <= lines, "article line \(line) outside 1...\(lines)")
        precondition(keys.insert(article.key).inserted, "duplicate key \(article.key)")
        precondition(article.byteSize <= size)
    }
    compareWithFoundation(bytes, outcome.articles)
    comparePieces(bytes)
    return 0
}

/// Each article's text and id are what Foundation's `JSONSerialization` reads from its line (the
/// reader reads most lines from their bytes, `JSONLineFields`).
private func compareWithFoundation(_ bytes: [UInt8], _ articles: [Article]) {
    let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
    for article in articles where !article.warnings.contains(where: { $0.hasPrefix("not valid UTF-8") }) {
        var line = Array(lines[article.line! - 1])
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        guard let fields = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any] else {
            preconditionFailure("Foundation reads no object from line \(article.line!)")
        }
        precondition(fields["text"] as? String == article.text, "text differs on line \(article.line!)")
        let id: String? = (fields["id"] as? String) ?? (fields["id"] as? NSNumber)?.stringValue
        precondition(id == article.sourceID, "id differs on line \(article.line!)")
    }
}

/// One folder per fuzzing process, holding the input as its only file.
private let folder: URL = {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("gazette-fuzz-feed-\(getpid())")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}()

private final class Box: @unchecked Sendable {
    var summary: TagRun.Summary?
    var error: Error?
}

private func comparePieces(_ bytes: [UInt8]) {
    let file = folder.appendingPathComponent("input.jsonl")
    guard (try? Data(bytes).write(to: file)) != nil else { return }
    let whole = ArticleReader().read(fileAt: file.path)
    let sink = CollectingSink()
    var run = TagRun(
        pipeline: Pipeline(stages: [], pipelineHash: "fuzz"), reader: ArticleReader(),
        walker: DirectoryWalker(extensions: ["jsonl"]), jobs: 2, batchSize: 3, keepText: false, configHash: "fuzz")
    run.feedPieceBytes = 1 + (bytes.first.map(Int.init) ?? 0) % 64
    let box = Box()
    let done = DispatchSemaphore(value: 0)
    Task { [run] in
        do { box.summary = try await run.run(folder.path, into: sink) } catch { box.error = error }
        done.signal()
    }
    done.wait()
    guard let summary = box.summary else { preconditionFailure("run failed: \(String(describing: box.error))") }
    precondition(sink.documents.map(\.article.key) == whole.articles.map(\.key), "keys differ in pieces of \(run.feedPieceBytes)")
    precondition(sink.documents.map(\.article.text) == whole.articles.map(\.text), "texts differ")
    precondition(summary.issues == whole.issues, "issues differ: \(summary.issues) against \(whole.issues)")
}

// SwiftPM links an executable's entry point as `FuzzJSONLReader_main`; hand control to libFuzzer's driver.
@_cdecl("FuzzJSONLReader_main")
public func entryPoint(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runLibFuzzer(argc, argv, fuzz)
}
