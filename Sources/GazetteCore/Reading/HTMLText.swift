/// Extracts readable text, a title and a publication date from an HTML page.
///
/// News pages are often malformed (unclosed tags, stray `<`), so this is a tolerant scanner rather
/// than a validating parser: it never fails, it only decides which characters are text. Text comes
/// from `<body>` (the whole document when there is none), skipping scripts, styles and comments;
/// block-level elements become line breaks, other whitespace runs collapse to one space, and character
/// references are decoded.
public struct HTMLText: Sendable, Equatable {
    public var title: String?
    public var text: String
    /// The raw value of the first date-like `<meta>` or `<time datetime>` found.
    public var dateValue: String?

    public init(parsing html: String) {
        var scanner = Scanner(Array(html.utf8))
        scanner.run()
        // The body is the part of the text made after `<body>` (the whole text without one).
        self.text = Self.tidy(bytes: scanner.all[(scanner.bodyStart ?? 0)...])
        let title = Self.tidy(bytes: scanner.title?[...] ?? [])
        let heading = Self.tidy(bytes: scanner.firstH1?[...] ?? [])
        self.title = !title.isEmpty ? title : (!heading.isEmpty ? heading : nil)
        self.dateValue = scanner.dateValue
    }

    /// `tidy` of the text whose UTF-8 bytes are `bytes`.
    static func tidy(bytes: ArraySlice<UInt8>) -> String {
        bytes.withUnsafeBufferPointer { tidyBytes($0) } ?? characterTidy(String(decoding: bytes, as: UTF8.self))
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
            collapseWhitespace(bytes, into: &out)
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// `collapsingWhitespace` of the UTF-8 text `bytes` (whole scalars), appended to `out`.
    static func collapseWhitespace(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        var inSpace = false
        var index = 0
        var runStart = 0  // the bytes `runStart..<index` are kept as they are, appended at once
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
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                if !inSpace { out.append(0x20) }
                inSpace = true
                runStart = index + width
            } else {
                inSpace = false
            }
            index += width
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
    }

    static let skippedElements: Set<String> = ["script", "style", "noscript", "template", "svg", "iframe", "object"]
    static let blockElements: Set<String> = [
        "p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "tr", "td", "th", "table",
        "section", "article", "header", "footer", "aside", "nav", "blockquote", "pre", "hr", "dd", "dt",
        "dl", "figure", "figcaption", "main", "title", "address", "caption", "form", "body", "html",
    ]
    static let dateMetaNames: Set<String> = [
        "article:published_time", "og:published_time", "pubdate", "publishdate", "publish-date",
        "date", "dc.date", "dc.date.issued", "dcterms.date", "dcterms.created", "sailthru.date",
        "parsely-pub-date", "article.published", "datepublished", "original-publish-date",
    ]

    /// The page's text is kept as UTF-8 bytes from start to end: each run of text between tags has
    /// its references decoded and its whitespace collapsed on the bytes (`HTMLEntities.decode(_:into:)`,
    /// `collapseWhitespace`) and is appended to the page's bytes, and only tags whose attributes
    /// are read (`<meta>`, `<time>`) have them made into strings. When each run went through
    /// `String`s, reading the pages was 48% of a `gazette tag` profile over the BBC set as news
    /// pages (`Benchmarks/make_variant.py … html`); now it is 23%.
    private struct Scanner {
        let bytes: [UInt8]
        var index = 0
        /// The text outside `<title>`, and where in it the text after `<body>` starts.
        var all: [UInt8] = []
        var bodyStart: Int?
        var title: [UInt8]?
        var firstH1: [UInt8]?
        var dateValue: String?
        var inTitle = false
        var inH1 = false
        /// Where the run of text not yet flushed starts.
        var textStart = 0
        /// A run's bytes with references decoded, before its whitespace is collapsed into place.
        var decoded: [UInt8] = []
        var collapsed: [UInt8] = []

        init(_ bytes: [UInt8]) {
            self.bytes = bytes
            // News pages are mostly markup: their text is a tenth or so of their bytes.
            all.reserveCapacity(bytes.count / 8)
        }

        mutating func run() {
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "<"), index + 1 < bytes.count, startsTag(bytes[index + 1]) {
                    flushText()
                    handleMarkup()
                    textStart = index
                } else {
                    index += 1
                }
            }
            flushText()
        }

        func startsTag(_ next: UInt8) -> Bool {
            isASCIILetter(next) || next == UInt8(ascii: "/") || next == UInt8(ascii: "!") || next == UInt8(ascii: "?")
        }

        /// Decodes, collapses and appends the text `textStart..<index`. A run starts and ends at an
        /// ASCII byte (a tag's `<` or `>`) or the page's ends, so it holds whole scalars.
        mutating func flushText() {
            guard textStart < index else { return }
            decoded.removeAll(keepingCapacity: true)
            collapsed.removeAll(keepingCapacity: true)
            let (start, end) = (textStart, index)
            bytes.withUnsafeBufferPointer { page in
                let text = UnsafeBufferPointer(rebasing: page[start..<end])
                if !text.contains(UInt8(ascii: "&")) {
                    HTMLText.collapseWhitespace(text, into: &collapsed)
                } else if HTMLEntities.decode(text, into: &decoded) {
                    decoded.withUnsafeBufferPointer { HTMLText.collapseWhitespace($0, into: &collapsed) }
                } else {
                    var decodedText = HTMLEntities.decode(String(decoding: text, as: UTF8.self))
                    decodedText.withUTF8 { HTMLText.collapseWhitespace($0, into: &collapsed) }
                }
            }
            append(collapsed)
            textStart = index
        }

        mutating func append<Text: Collection<UInt8>>(_ text: Text) {
            if inTitle { title = (title ?? []) + text; return }
            if inH1 { firstH1 = (firstH1 ?? []) + text }
            all.append(contentsOf: text)
        }

        mutating func handleMarkup() {
            // Comments and doctype/processing instructions.
            if startsComment() {
                index = find("-->", from: index + 4).map { $0 + 3 } ?? bytes.count
                return
            }
            if bytes[index + 1] == UInt8(ascii: "!") || bytes[index + 1] == UInt8(ascii: "?") {
                index = find(">", from: index).map { $0 + 1 } ?? bytes.count
                return
            }
            let tag = parseTag()
            let name = tag.name
            if Self.isBlock(name) { append(CollectionOfOne(UInt8(ascii: "\n"))) }
            switch (name, tag.closing) {
            case ("title", false) where title == nil: inTitle = true
            case ("title", true): inTitle = false
            case ("h1", false) where firstH1 == nil: inH1 = true
            case ("h1", true): inH1 = false
            case ("body", false) where bodyStart == nil: bodyStart = all.count
            case ("meta", false): noteMeta(tag.attributes)
            case ("time", false): if dateValue == nil, let value = tag.attributes["datetime"] { dateValue = value }
            default: break
            }
            if !tag.closing && !tag.selfClosing && HTMLText.skippedElements.contains(name) {
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

        static func isBlock(_ name: String) -> Bool { HTMLText.blockElements.contains(name) }

        mutating func noteMeta(_ attributes: [String: String]) {
            guard dateValue == nil, let content = attributes["content"] else { return }
            let key = (attributes["property"] ?? attributes["name"] ?? attributes["itemprop"] ?? "").lowercased()
            if HTMLText.dateMetaNames.contains(key) { dateValue = content }
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
            // Only `<meta>` and `<time>` are asked about their attributes: the others are parsed
            // (a quoted value may hold a `>`) but not made into strings.
            let keepsAttributes = name == "meta" || name == "time"
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
                let keyEnd = index
                selfClosing = false
                while index < bytes.count && isSpace(bytes[index]) { index += 1 }
                guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else {
                    if index == keyStart { index += 1 }
                    if keepsAttributes { attributes[String(decoding: bytes[keyStart..<keyEnd], as: UTF8.self).lowercased()] = "" }
                    continue
                }
                index += 1
                while index < bytes.count && isSpace(bytes[index]) { index += 1 }
                let value: Range<Int>
                if index < bytes.count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") {
                    let quote = bytes[index]
                    let valueStart = index + 1
                    let valueEnd = bytes[valueStart...].firstIndex(of: quote) ?? bytes.count
                    value = valueStart..<valueEnd
                    index = min(valueEnd + 1, bytes.count)
                } else {
                    let valueStart = index
                    while index < bytes.count, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: ">") { index += 1 }
                    value = valueStart..<index
                }
                guard keepsAttributes else { continue }
                let key = String(decoding: bytes[keyStart..<keyEnd], as: UTF8.self).lowercased()
                if attributes[key] == nil { attributes[key] = HTMLEntities.decode(String(decoding: bytes[value], as: UTF8.self)) }
            }
            return Tag(name: name, closing: closing, selfClosing: selfClosing, attributes: attributes)
        }

        /// Whether `<!--` starts at `index`.
        func startsComment() -> Bool {
            index + 4 <= bytes.count && bytes[index + 1] == UInt8(ascii: "!") && bytes[index + 2] == UInt8(ascii: "-")
                && bytes[index + 3] == UInt8(ascii: "-")
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

@inline(__always) func isASCIILetter(_ b: UInt8) -> Bool { (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z") }
@inline(__always) func isASCIIDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
@inline(__always) func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C }
@inline(__always) func asciiLower(_ b: UInt8) -> UInt8 { (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b }

/// HTML character references: numeric ones and the named ones news pages actually use.
public enum HTMLEntities {
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

    /// Appends the UTF-8 bytes of `decode` of the text `text` (whole scalars) to `output` and
    /// returns true, when its bytes tell the answer; otherwise returns false with `output` as it
    /// was, and the text must go the `String` way.
    ///
    /// `decode` works on `Character`s. On the bytes the answer is the same as long as each "&" and
    /// the ";" that ends its reference have ASCII neighbours: a non-ASCII scalar right before the
    /// "&" (a prepended one), or right after it or after the ";" (a combining mark), would make
    /// one `Character` with it. Where the ";" is looked for (32 characters, here 32 bytes) does
    /// not change the answer: a reference with a multi-byte character or a line break in it is
    /// not one either way.
    static func decode(_ text: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) -> Bool {
        let start = output.count
        var index = 0
        var copied = 0  // text before `copied` is in `output`
        while index < text.count {
            guard text[index] == UInt8(ascii: "&") else { index += 1; continue }
            let afterAmp = index + 1
            if (index > 0 && text[index - 1] >= 0x80) || (afterAmp < text.count && text[afterAmp] >= 0x80) {
                output.removeSubrange(start...)
                return false
            }
            // The ";" within the 32 characters after the "&", as `decode` looks for it.
            var semicolon: Int?
            var scan = afterAmp
            while scan < text.count && scan - afterAmp < 32 {
                if text[scan] == UInt8(ascii: ";") {
                    if scan + 1 < text.count && text[scan + 1] >= 0x80 {
                        output.removeSubrange(start...)
                        return false
                    }
                    semicolon = scan
                    break
                }
                scan += 1
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: text[copied..<index]))
            if let semicolon,
               let replacement = reference(String(decoding: UnsafeBufferPointer(rebasing: text[afterAmp..<semicolon]), as: UTF8.self)) {
                output.append(contentsOf: replacement.utf8)
                index = semicolon + 1
            } else {
                output.append(UInt8(ascii: "&"))
                index = afterAmp
            }
            copied = index
        }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: text[copied..<text.count]))
        return true
    }

    public static func decode(_ text: String) -> String {
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
