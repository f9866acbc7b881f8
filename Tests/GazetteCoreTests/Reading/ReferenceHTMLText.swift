import Foundation
@testable import GazetteCore

// The HTML scanner as it was before it kept a page's text as bytes (commit a1c21ad), kept as the
// oracle of `HTMLTextScannerTests`: the byte scanner must give the same text, title and date on
// any page. Only its `Scanner` is copied; what did not change is the library's own (`tidy`,
// `collapsingWhitespace`, the element sets, `HTMLEntities.decode` of a `String`).

struct ReferenceHTMLText: Equatable {
    var title: String?
    var text: String
    /// The raw value of the first date-like `<meta>` or `<time datetime>` found.
    var dateValue: String?

    init(parsing html: String) {
        var scanner = Scanner(Array(html.utf8))
        scanner.run()
        let bodyText = HTMLText.tidy(scanner.body ?? scanner.all)
        self.text = bodyText
        let title = HTMLText.tidy(scanner.title ?? "")
        let heading = HTMLText.tidy(scanner.firstH1 ?? "")
        self.title = !title.isEmpty ? title : (!heading.isEmpty ? heading : nil)
        self.dateValue = scanner.dateValue
    }

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
            let decoded = HTMLEntities.decode(String(decoding: pendingText, as: UTF8.self))
            pendingText.removeAll(keepingCapacity: true)
            append(HTMLText.collapsingWhitespace(decoded))
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
                if attributes[key] == nil { attributes[key] = HTMLEntities.decode(value) }
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
