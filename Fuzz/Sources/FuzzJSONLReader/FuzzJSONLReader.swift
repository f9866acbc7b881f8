import FuzzDriver
import GazetteCore

/// JSON-lines reader: every error names a line inside the file, every article comes from one line.
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
    return 0
}

// SwiftPM links an executable's entry point as `FuzzJSONLReader_main`; hand control to libFuzzer's driver.
@_cdecl("FuzzJSONLReader_main")
public func entryPoint(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runLibFuzzer(argc, argv, fuzz)
}
