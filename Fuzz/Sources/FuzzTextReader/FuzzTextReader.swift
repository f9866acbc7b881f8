import FuzzDriver
import GazetteCore

/// Plain-text reader: any bytes give articles or issues, never a crash; a produced article has
/// non-blank text and a title taken from it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let outcome = ArticleReader().read(bytes: bytes, path: "/fuzz/input.txt", format: .text)
    for article in outcome.articles {
        precondition(article.byteSize == size, "article size must be the file size")
        // The title is a trimmed line of the text, cut with "…" when long. (A title may itself
        // end in "…": Windows-1252 byte 0x85 decodes to it.) The cut is looked for as the last
        // scalar, not Character: after a prepending scalar (U+0600) the appended "…" joins the
        // previous Character.
        let text = Array(article.text.utf8)
        func fromText(_ title: Substring.UnicodeScalarView) -> Bool {
            title.isEmpty || text.firstRange(of: Array(String(title).utf8)) != nil
        }
        let scalars = article.title.unicodeScalars[...]
        precondition(fromText(scalars) || (scalars.last == "…" && fromText(scalars.dropLast())),
                     "title must come from the text")
        precondition(article.title.count <= 300, "titles are cut at 300 characters")
    }
    precondition(!outcome.articles.isEmpty || !outcome.issues.isEmpty, "a file gives an article or an issue")
    return 0
}

// SwiftPM links an executable's entry point as `FuzzTextReader_main`; hand control to libFuzzer's driver.
@_cdecl("FuzzTextReader_main")
public func entryPoint(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runLibFuzzer(argc, argv, fuzz)
}
