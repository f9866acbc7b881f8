import FuzzDriver
import GazetteCore

/// HTML reader: malformed markup gives articles or issues, never a crash or a hang.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let outcome = ArticleReader().read(bytes: bytes, path: "/fuzz/input.html", format: .html)
    for article in outcome.articles {
        precondition(article.byteSize == size, "article size must be the file size")
        precondition(article.date.map { $0.utf8.count == 10 } ?? true, "dates are yyyy-MM-dd")
    }
    precondition(!outcome.articles.isEmpty || !outcome.issues.isEmpty, "a file gives an article or an issue")
    return 0
}

// SwiftPM links an executable's entry point as `FuzzHTMLReader_main`; hand control to libFuzzer's driver.
@_cdecl("FuzzHTMLReader_main")
public func entryPoint(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runLibFuzzer(argc, argv, fuzz)
}
