import Foundation
@testable import GazetteCore

// The HTML scanner as it was before it worked on bytes (commit a1c21ad), kept as the oracle of
// `HTMLTextScannerTests`: the byte scanner must give the same text, title and date on any page.
// Only the names differ (`ReferenceHTMLText`, `ReferenceHTMLEntities`); it shares only byte and
// scalar primitives with the library (`decodeScalar`, `ScalarProperties`, `isASCIILetter`…).

/// Extracts readable text, a title and a publication date from an HTML page.
///
/// News pages are often malformed (unclosed tags, stray `<`), so this is a tolerant scanner rather
/// than a validating parser: it never fails, it only decides which characters are text. Text comes
/// from `<body>` (the whole document when there is none), skipping scripts, styles and comments;
/// block-level elements become line breaks, other whitespace runs collapse to one space, and character
/// references are decoded.
struct ReferenceHTMLText: Equatable {
    var title: String?
    var text: String
    /// The raw value of the first date-like `<meta>` or `<time datetime>` found.
    var dateValue: String?

    init(parsing html: String) {
        var scanner = Scanner(Array(html.utf8))
        scanner.run()
        let bodyText = Self.tidy(scanner.body ?? scanner.all)
        self.text = bodyText
        let title = Self.tidy(scanner.title ?? "")
        let heading = Self.tidy(scanner.firstH1 ?? "")
        self.title = !title.isEmpty ? title : (!heading.isEmpty ? heading : nil)
        self.dateValue = scanner.dateValue
    }

    /// Collapses spaces within lines, trims each line and drops empty ones.
    ///
    /// On the UTF-8 bytes (`tidyBytes`): splitting into `Character`s, as `characterTidy` does,
    /// was a third of reading an HTML page, and reading HTML took 3× as long as tagging the same
    /// articles as text files. The two agree whenever every space is a `Character` of its own; when
    /// one is not (a combining mark after it), this falls back to `characterTidy`.
    static func tidy(_ raw: String) -> String {
        var raw = raw
        return raw.withUTF8 { tidyBytes($0) } ?? characterTidy(raw)
    }

    static func characterTidy(_ raw: String) -> String {
        raw.split(separator: "\n", omittingEmptySubsequences: true)
            .map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
            .filter { !$0.isEmpty }
            .joined(separator: "\n")
    }

    /// `characterTidy` on bytes: words (runs of bytes other than space and line feed) joined by one
    /// space within a line, lines with words joined by one line feed. Nil when a space may belong to
    /// a grapheme cluster with its neighbour (`joinsSpace`), where splitting by `Character` differs.
    /// A line feed always stands alone (grapheme rules break around controls).
    static func tidyBytes(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var wordOnLine = false
        var pendingSpace = false
        var pendingLineFeed = false
        for index in bytes.indices {
            let byte = bytes[index]
            if byte == 0x0A {
                if wordOnLine { pendingLineFeed = true }
                wordOnLine = false
                pendingSpace = false
            } else if byte == 0x20 {
                if joinsSpace(bytes, at: index) { return nil }
                if wordOnLine { pendingSpace = true }
            } else {
                if !wordOnLine {
                    if pendingLineFeed { out.append(0x0A) }
                    pendingLineFeed = false
                } else if pendingSpace {
                    out.append(0x20)
                }
                pendingSpace = false
                wordOnLine = true
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether the space at `index` may join its neighbours in one grapheme cluster: a Prepend
    /// scalar before it, or an Extend, ZWJ or SpacingMark scalar after it (UAX #29, GB9–GB9b).
    /// Conservative: every mark, format character and a few whole blocks count.
    static func joinsSpace(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        // The property tests are out of line (`ScalarProperties`): read here, they cost a runtime
        // metadata call on every space, ASCII neighbours or not.
        let next = index + 1
        if next < bytes.count, bytes[next] >= 0x80,
           ScalarProperties.mayExtendPrecedingSpace(decodeScalar(bytes, at: next).0) {
            return true
        }
        if index > 0, bytes[index - 1] >= 0x80,
           ScalarProperties.mayPrependFollowingSpace(decodeScalar(bytes, at: previousScalarStart(bytes, before: index)).0) {
            return true
        }
        return false
    }

    /// Every run of whitespace (no-break space included) becomes one space, as a browser renders it.
    /// ASCII bytes are tested as bytes (the Unicode property lookup for every scalar was a fifth
    /// of reading an HTML page); other scalars by their White_Space property.
    static func collapsingWhitespace(_ text: String) -> String {
        var text = text
        return text.withUTF8 { bytes in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            var inSpace = false
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                let width: Int
                let isWhitespace: Bool
                if byte < 0x80 {
                    width = 1
                    isWhitespace = byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
                } else {
                    let (scalar, length) = decodeScalar(bytes, at: index)
                    width = length
                    isWhitespace = ScalarProperties.isWhitespace(scalar)
                }
                if isWhitespace {
                    if !inSpace { out.append(0x20) }
                    inSpace = true
                } else {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<index + width]))
                    inSpace = false
                }
                index += width
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    private static let skippedElements: Set<String> = ["script", "style", "noscript", "template", "svg", "iframe", "object"]
    private static let blockElements: Set<String> = [
        "p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "tr", "td", "th", "table",
        "section", "article", "header", "footer", "aside", "nav", "blockquote", "pre", "hr", "dd", "dt",
        "dl", "figure", "figcaption", "main", "title", "address", "caption", "form", "body", "html",
    ]
    private static let dateMetaNames: Set<String> = [
        "article:published_time", "og:published_time", "pubdate", "publishdate", "publish-date",
        "date", "dc.date", "dc.date.issued", "dcterms.date", "dcterms.created", "sailthru.date",
        "parsely-pub-date", "article.published", "datepublished", "original-publish-date",
    ]

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0
        var all = ""
        var body: String?
        var title: String?
        var firstH1: String?
        var dateValue: String?
        var inTitle = false
        var inH1 = false
        var pendingText: [UInt8] = []

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        mutating func run() {
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "<"), index + 1 < bytes.count, startsTag(bytes[index + 1]) {
                    flushText()
                    handleMarkup()
                } else {
                    pendingText.append(byte)
                    index += 1
                }
            }
            flushText()
        }

        func startsTag(_ next: UInt8) -> Bool {
            isASCIILetter(next) || next == UInt8(ascii: "/") || next == UInt8(ascii: "!") || next == UInt8(ascii: "?")
        }

        mutating func flushText() {
            guard !pendingText.isEmpty else { return }
            let decoded = ReferenceHTMLEntities.decode(String(decoding: pendingText, as: UTF8.self))
            pendingText.removeAll(keepingCapacity: true)
            append(ReferenceHTMLText.collapsingWhitespace(decoded))
        }

        mutating func append(_ text: String) {
            if inTitle { title = (title ?? "") + text; return }
            if inH1 { firstH1 = (firstH1 ?? "") + text }
            all += text
            if body != nil { body! += text }
        }

        mutating func handleMarkup() {
            // Comments and doctype/processing instructions.
            if matches("<!--") {
                index = find("-->", from: index + 4).map { $0 + 3 } ?? bytes.count
                return
            }
            if bytes[index + 1] == UInt8(ascii: "!") || bytes[index + 1] == UInt8(ascii: "?") {
                index = find(">", from: index).map { $0 + 1 } ?? bytes.count
                return
            }
            let tag = parseTag()
            let name = tag.name
            if Self.isBlock(name) { append("\n") }
            switch (name, tag.closing) {
            case ("title", false) where title == nil: inTitle = true
            case ("title", true): inTitle = false
            case ("h1", false) where firstH1 == nil: inH1 = true
            case ("h1", true): inH1 = false
            case ("body", false) where body == nil: body = ""
            case ("meta", false): noteMeta(tag.attributes)
            case ("time", false): if dateValue == nil, let value = tag.attributes["datetime"] { dateValue = value }
            default: break
            }
            if !tag.closing && !tag.selfClosing && ReferenceHTMLText.skippedElements.contains(name) {
                // Skip to the matching close tag, whatever it contains.
                let closer = Array("</\(name)".utf8)
                var search = index
                while let found = find(closer, from: search) {
                    let after = found + closer.count
                    if after >= bytes.count || !isASCIILetter(bytes[after]) {
                        index = find(">", from: after).map { $0 + 1 } ?? bytes.count
                        return
                    }
                    search = after
                }
                index = bytes.count
            }
        }

        static func isBlock(_ name: String) -> Bool { ReferenceHTMLText.blockElements.contains(name) }

        mutating func noteMeta(_ attributes: [String: String]) {
            guard dateValue == nil, let content = attributes["content"] else { return }
            let key = (attributes["property"] ?? attributes["name"] ?? attributes["itemprop"] ?? "").lowercased()
            if ReferenceHTMLText.dateMetaNames.contains(key) { dateValue = content }
        }

        struct Tag { var name: String; var closing: Bool; var selfClosing: Bool; var attributes: [String: String] }

        /// Parses `<name attr="v" ...>` starting at `index` (which is at `<`), leaving `index` after `>`.
        mutating func parseTag() -> Tag {
            index += 1
            var closing = false
            if index < bytes.count && bytes[index] == UInt8(ascii: "/") { closing = true; index += 1 }
            let nameStart = index
            while index < bytes.count && (isASCIILetter(bytes[index]) || isASCIIDigit(bytes[index]) || bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: ":")) {
                index += 1
            }
            let name = String(decoding: bytes[nameStart..<index], as: UTF8.self).lowercased()
            var attributes: [String: String] = [:]
            var selfClosing = false
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: ">") { index += 1; break }
                if byte == UInt8(ascii: "/") { selfClosing = true; index += 1; continue }
                if isSpace(byte) { index += 1; continue }
                if byte == UInt8(ascii: "<") { break }  // an unclosed tag: let the next tag start here
                let keyStart = index
                while index < bytes.count, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: "="), bytes[index] != UInt8(ascii: ">"), bytes[index] != UInt8(ascii: "<") {
                    index += 1
                }
                let key = String(decoding: bytes[keyStart..<index], as: UTF8.self).lowercased()
                selfClosing = false
                while index < bytes.count && isSpace(bytes[index]) { index += 1 }
                guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else {
                    if index == keyStart { index += 1 }
                    attributes[key] = ""
                    continue
                }
                index += 1
                while index < bytes.count && isSpace(bytes[index]) { index += 1 }
                var value = ""
                if index < bytes.count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") {
                    let quote = bytes[index]
                    let valueStart = index + 1
                    let valueEnd = bytes[valueStart...].firstIndex(of: quote) ?? bytes.count
                    value = String(decoding: bytes[valueStart..<valueEnd], as: UTF8.self)
                    index = min(valueEnd + 1, bytes.count)
                } else {
                    let valueStart = index
                    while index < bytes.count, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: ">") { index += 1 }
                    value = String(decoding: bytes[valueStart..<index], as: UTF8.self)
                }
                if attributes[key] == nil { attributes[key] = ReferenceHTMLEntities.decode(value) }
            }
            return Tag(name: name, closing: closing, selfClosing: selfClosing, attributes: attributes)
        }

        func matches(_ literal: String) -> Bool {
            let pattern = Array(literal.utf8)
            return index + pattern.count <= bytes.count && Array(bytes[index..<index + pattern.count]) == pattern
        }

        func find(_ literal: String, from start: Int) -> Int? { find(Array(literal.utf8), from: start) }

        /// ASCII case-insensitive search.
        func find(_ pattern: [UInt8], from start: Int) -> Int? {
            guard !pattern.isEmpty, start + pattern.count <= bytes.count else { return nil }
            var i = start
            while i + pattern.count <= bytes.count {
                var j = 0
                while j < pattern.count && asciiLower(bytes[i + j]) == asciiLower(pattern[j]) { j += 1 }
                if j == pattern.count { return i }
                i += 1
            }
            return nil
        }
    }
}


/// HTML character references: numeric ones and the named ones news pages actually use.
enum ReferenceHTMLEntities {
    static let named: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{00A0}",
        "ndash": "\u{2013}", "mdash": "\u{2014}", "lsquo": "\u{2018}", "rsquo": "\u{2019}",
        "sbquo": "\u{201A}", "ldquo": "\u{201C}", "rdquo": "\u{201D}", "bdquo": "\u{201E}",
        "hellip": "\u{2026}", "copy": "\u{00A9}", "reg": "\u{00AE}", "trade": "\u{2122}",
        "euro": "\u{20AC}", "pound": "\u{00A3}", "yen": "\u{00A5}", "cent": "\u{00A2}", "deg": "\u{00B0}",
        "laquo": "\u{00AB}", "raquo": "\u{00BB}", "middot": "\u{00B7}", "bull": "\u{2022}",
        "times": "\u{00D7}", "divide": "\u{00F7}", "sect": "\u{00A7}", "para": "\u{00B6}",
        "shy": "\u{00AD}", "thinsp": "\u{2009}", "ensp": "\u{2002}", "emsp": "\u{2003}",
        "zwnj": "\u{200C}", "zwj": "\u{200D}", "iexcl": "\u{00A1}", "iquest": "\u{00BF}",
        "aacute": "á", "Aacute": "Á", "eacute": "é", "Eacute": "É", "iacute": "í", "Iacute": "Í",
        "oacute": "ó", "Oacute": "Ó", "uacute": "ú", "Uacute": "Ú", "agrave": "à", "Agrave": "À",
        "egrave": "è", "Egrave": "È", "igrave": "ì", "ograve": "ò", "ugrave": "ù",
        "acirc": "â", "ecirc": "ê", "icirc": "î", "ocirc": "ô", "ucirc": "û",
        "auml": "ä", "Auml": "Ä", "euml": "ë", "iuml": "ï", "ouml": "ö", "Ouml": "Ö", "uuml": "ü",
        "Uuml": "Ü", "yuml": "ÿ", "szlig": "ß", "ntilde": "ñ", "Ntilde": "Ñ", "ccedil": "ç",
        "Ccedil": "Ç", "atilde": "ã", "otilde": "õ", "aring": "å", "Aring": "Å", "aelig": "æ",
        "AElig": "Æ", "oslash": "ø", "Oslash": "Ø",
    ]

    static func decode(_ text: String) -> String {
        // Tested on the bytes: `contains("&")` went through Foundation's string search (a tenth of
        // reading an HTML page). Text without an "&" byte has no reference; with one, the loop
        // below decides, as before.
        guard text.utf8.contains(0x26) else { return text }
        var output = ""
        output.reserveCapacity(text.utf8.count)
        var rest = text[...]
        while let amp = rest.firstIndex(of: "&") {
            output += rest[..<amp]
            let afterAmp = rest.index(after: amp)
            // A reference is at most ~32 characters and ends with ';'.
            if let semi = rest[afterAmp...].prefix(32).firstIndex(of: ";"),
               let replacement = reference(String(rest[afterAmp..<semi])) {
                output += replacement
                rest = rest[rest.index(after: semi)...]
            } else {
                output += "&"
                rest = rest[afterAmp...]
            }
        }
        output += rest
        return output
    }

    static func reference(_ body: String) -> String? {
        if body.hasPrefix("#") {
            let digits = body.dropFirst()
            let value: UInt32?
            if digits.first == "x" || digits.first == "X" {
                value = UInt32(digits.dropFirst(), radix: 16)
            } else {
                value = UInt32(digits, radix: 10)
            }
            guard let value, value != 0, let scalar = Unicode.Scalar(value) else { return nil }
            return String(scalar)
        }
        return named[body] ?? named[body.lowercased()]
    }
}
