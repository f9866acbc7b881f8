import Dispatch
import Foundation
import FuzzDriver
import GazetteCore

/// JSON-lines reader: every error names a line inside the file, every article comes from one line;
/// and a tag run, which reads the file in pieces (here of 1 to 64 bytes, so lines and pieces cut
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
    comparePieces(bytes)
    return 0
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
