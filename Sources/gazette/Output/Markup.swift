/// Writes HTML, SVG and XML with escaping by construction: element and attribute names are
/// compile-time literals (`StaticString`), and every runtime string — titles, names, article text,
/// numbers — goes through `escape`, so no article or gazetteer text can open a tag, close an
/// attribute or end a CDATA section. Raw markup is accepted only as a literal (`raw(_:)`), for fixed
/// CSS and declarations.
struct MarkupWriter {
    private(set) var output = ""

    /// `<name a="v" …>`.
    mutating func open(_ name: StaticString, _ attributes: [(StaticString, String)] = []) {
        output += "<\(name)"
        appendAttributes(attributes)
        output += ">"
    }

    mutating func close(_ name: StaticString) {
        output += "</\(name)>"
    }

    /// `<name …/>` (XML) — for HTML void elements use `void`.
    mutating func empty(_ name: StaticString, _ attributes: [(StaticString, String)] = []) {
        output += "<\(name)"
        appendAttributes(attributes)
        output += "/>"
    }

    /// `<name …>` with no end tag (HTML void elements such as `meta`).
    mutating func void(_ name: StaticString, _ attributes: [(StaticString, String)] = []) {
        open(name, attributes)
    }

    /// `<name …>text</name>`.
    mutating func element(_ name: StaticString, _ attributes: [(StaticString, String)] = [], text: String) {
        open(name, attributes)
        self.text(text)
        close(name)
    }

    mutating func text(_ value: String) {
        output += Self.escape(value)
    }

    /// Fixed markup written by us (a doctype, a style sheet). Never article or user text.
    mutating func raw(_ literal: StaticString) {
        output += "\(literal)"
    }

    mutating func newline() { output += "\n" }

    private mutating func appendAttributes(_ attributes: [(StaticString, String)]) {
        for (name, value) in attributes {
            output += " \(name)=\"\(Self.escape(value))\""
        }
    }

    /// Escapes for both text and double- or single-quoted attribute values, in HTML and XML 1.0.
    /// Control characters XML cannot carry (all below U+0020 except tab, newline, carriage return,
    /// and U+FFFE/U+FFFF) become U+FFFD, so the file always parses.
    static func escape(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0xFFFE || scalar.value == 0xFFFF:
                out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
