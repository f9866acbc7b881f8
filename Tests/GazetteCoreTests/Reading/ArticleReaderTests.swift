import Foundation
import Testing
import TestSupport
@testable import GazetteCore

@Suite("Reading articles")
struct ArticleReaderTests {
    let reader = ArticleReader()

    @Test("a text file's first non-empty line is its title and the whole file is its text")
    func textFile() throws {
        let dir = try TemporaryDirectory()
        let body = "\n  Ministers meet in Brussels  \n\nLONDON, March 3, 2005 - Talks began.\n"
        let path = try dir.write("a.txt", body)
        let outcome = reader.read(fileAt: path)
        #expect(outcome.issues.isEmpty)
        let article = try #require(outcome.articles.first)
        #expect(article.title == "Ministers meet in Brussels")
        #expect(article.text == body)
        #expect(article.date == "2005-03-03")
        #expect(article.key == path)
        #expect(article.byteSize == body.utf8.count)
        #expect(article.contentHash == ContentHash.hex(Array(body.utf8)))
        #expect(article.contentHash.count == 64)
    }

    @Test("invalid UTF-8 falls back to Windows-1252 with a warning")
    func windows1252() throws {
        let dir = try TemporaryDirectory()
        // "Café “quoted” – done" in Windows-1252.
        let bytes: [UInt8] = [0x43, 0x61, 0x66, 0xE9, 0x20, 0x93, 0x71, 0x94, 0x20, 0x96, 0x20, 0x64]
        let path = try dir.write("latin.txt", bytes: bytes)
        let outcome = reader.read(fileAt: path)
        let article = try #require(outcome.articles.first)
        #expect(article.text == "Café \u{201C}q\u{201D} \u{2013} d")
        #expect(outcome.issues.count == 1)
        #expect(outcome.issues.first?.severity == .warning)
        #expect(outcome.issues.first?.description.contains("Windows-1252") == true)
    }

    @Test("Windows-1252 decoding maps every byte as the code page does, undefined bytes to U+FFFD")
    func windows1252EveryByte() {
        // The code page as Foundation knows it, for the 251 defined bytes.
        let undefined: Set<UInt8> = [0x81, 0x8D, 0x8F, 0x90, 0x9D]
        func expected(_ byte: UInt8) -> String {
            undefined.contains(byte) ? "\u{FFFD}" : String(data: Data([byte]), encoding: .windowsCP1252)!
        }
        for value in 0...255 {
            let byte = UInt8(value)
            #expect([byte].withUnsafeBufferPointer { TextDecoding.decodeWindows1252($0) } == expected(byte), "byte \(value)")
        }
        // Runs of bytes, each one's scalar in turn, with the string's length exact.
        var generator = SplitMix(seed: 1252)
        for _ in 0..<500 {
            let bytes = (0..<Int(generator.next() % 64)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let decoded = bytes.withUnsafeBufferPointer { TextDecoding.decodeWindows1252($0) }
            #expect(decoded == bytes.map(expected).joined())
            #expect(decoded.unicodeScalars.count == bytes.count)
        }
    }

    @Test("UTF-16 with a byte-order mark is decoded, not taken for binary")
    func utf16() throws {
        let dir = try TemporaryDirectory()
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in "Zürich talks".utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let path = try dir.write("u16.txt", bytes: bytes)
        let outcome = reader.read(fileAt: path)
        #expect(outcome.articles.first?.text == "Zürich talks")
        #expect(outcome.issues.isEmpty)
    }

    @Test("empty and binary files are errors naming the reason")
    func emptyAndBinary() throws {
        let dir = try TemporaryDirectory()
        let empty = reader.read(fileAt: try dir.write("empty.txt", " \n"))
        #expect(empty.articles.isEmpty)
        #expect(empty.issues.first?.message.contains("empty file") == true)
        let binary = reader.read(fileAt: try dir.write("image.txt", bytes: [0x89, 0x50, 0x4E, 0x47, 0x00, 0x01]))
        #expect(binary.articles.isEmpty)
        #expect(binary.issues.first?.message.contains("binary file") == true)
        #expect(binary.failed)
    }

    @Test("files over the size limit are refused with the limit named")
    func sizeLimit() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("big.txt", String(repeating: "word ", count: 100))
        let outcome = ArticleReader(maxFileBytes: 100).read(fileAt: path)
        #expect(outcome.articles.isEmpty)
        #expect(outcome.issues.first?.message.contains("over the limit of 100 bytes") == true)
    }

    @Test("an HTML page gives its body text, its title and its published date")
    func html() throws {
        let dir = try TemporaryDirectory()
        let html = """
        <!DOCTYPE html><html><head><title>Summit &amp; talks</title>
        <meta property="article:published_time" content="2004-11-02T10:00:00Z">
        <style>p { color: red }</style><script>var x = "<p>not text</p>";</script></head>
        <body><h1>Leaders meet</h1><p>Tony Blair met Jacques Chirac&nbsp;in Paris.</p>
        <!-- a comment --><p>Talks &#8220;went well&#x201D;.<br>More soon</p></body></html>
        """
        let outcome = reader.read(fileAt: try dir.write("page.html", html))
        let article = try #require(outcome.articles.first)
        #expect(article.title == "Summit & talks")
        #expect(article.date == "2004-11-02")
        #expect(article.text == "Leaders meet\nTony Blair met Jacques Chirac in Paris.\nTalks \u{201C}went well\u{201D}.\nMore soon")
    }

    @Test("malformed HTML still yields its text")
    func malformedHTML() {
        let page = HTMLText(parsing: "<html><body><p>Open <b>bold <i>text</p> and a < sign<div")
        #expect(page.text == "Open bold text\nand a < sign")
        #expect(page.title == nil)
    }

    @Test("JSON lines: each good line is an article, each bad line is reported by number")
    func jsonLines() throws {
        let dir = try TemporaryDirectory()
        let lines = [
            #"{"id": "a1", "title": "First", "date": "2001-09-12", "text": "Bush spoke."}"#,
            #"{"id": "a2", "text": "#,
            "",
            #"{"id": 7, "text": "Second story."}"#,
            #"["not", "an", "object"]"#,
            #"{"title": "No text"}"#,
            #"{"id": "a1", "text": "duplicate id"}"#,
            #"{"text": "No id here."}"#,
        ]
        let path = try dir.write("feed.jsonl", lines.joined(separator: "\n") + "\n")
        let outcome = reader.read(fileAt: path)
        #expect(outcome.articles.map(\.key) == ["\(path)#a1", "\(path)#7", "\(path)#L8"])
        #expect(outcome.articles.map(\.line) == [1, 4, 8])
        #expect(outcome.articles[0].date == "2001-09-12")
        #expect(outcome.articles[0].title == "First")
        #expect(outcome.articles[1].title == "Second story.")
        #expect(outcome.articles[0].contentHash == ContentHash.hex(Array(lines[0].utf8)))
        let errors = outcome.issues.filter { $0.severity == .error }
        #expect(errors.map(\.line) == [2, 5, 6, 7])
        #expect(errors[0].message.hasPrefix("malformed JSON"))
        #expect(errors[2].message == "missing \"text\" field")
        #expect(errors[3].message.contains("duplicate id 'a1'"))
    }

    @Test("dates are found in datelines and metadata, and impossible dates are refused")
    func dates() {
        #expect(ArticleDate.findInText("WASHINGTON (Reuters), Sept. 12, 2001 - The") == "2001-09-12")
        #expect(ArticleDate.findInText("Published 3 March 2005 in London") == "2005-03-03")
        #expect(ArticleDate.parse("2004-02-30") == nil)
        #expect(ArticleDate.parse("20040229") == "2004-02-29")
        #expect(ArticleDate.parse("2005-07-07T08:50:00+01:00") == "2005-07-07")
        #expect(ArticleDate.findInText("He scored 2005 points") == nil)
    }
}
