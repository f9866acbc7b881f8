/// Finds an article's publication date and returns it as ISO 8601 `yyyy-MM-dd`.
///
/// Sources give dates in many shapes: ISO timestamps in JSON and HTML metadata, and datelines in plain
/// text ("LONDON, March 3, 2005 (Reuters) -", "3 March 2005"). Only well-formed calendar dates are
/// accepted, so a number that merely looks like a year is never taken for a date.
///
/// The text is cut into letter and digit tokens in one pass over its UTF-8 and the date shapes are
/// matched on tokens: every article goes through here, and regular expressions cost more than all
/// the other reading work together (measured: 40% of `gazette tag` with normalize only).
public enum ArticleDate {
    static let months: [String: Int] = [
        "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
        "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
        "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
    ]

    /// A run of ASCII letters or digits, as plain values (no reference to the text, so building
    /// the list retains nothing).
    struct Token {
        enum Kind { case word, number }
        var kind: Kind
        /// Bytes in the token (for a number, its digits without an ordinal suffix).
        var length: Int
        /// The byte that follows the token (0 at the end), to tell `2005-03-03` from `2005 03 03`.
        var separatorAfter: UInt8
        /// The month a word names (1–12), found once per token: `find` asks each token up to twice.
        var month: Int?
        /// A number's value when it has at most 9 digits, else -1.
        var value: Int
    }

    /// The month named by ASCII letters in any case (`months`), without building a string: the
    /// lowercased letters packed little-endian into a word (letters are never 0, so the word also
    /// encodes the length) and matched against `months`' names packed the same way.
    static func month(named word: UnsafeBufferPointer<UInt8>) -> Int? {
        guard word.count >= 3 && word.count <= 9 else { return nil }
        var key: UInt64 = 0
        for index in 0..<min(word.count, 8) { key |= UInt64(word[index] | 0x20) << (8 * UInt64(index)) }
        if word.count == 9 {
            // "september", the only nine-letter name: "septembe" then "r".
            return key == 0x6562_6d65_7470_6573 && word[8] | 0x20 == UInt8(ascii: "r") ? 9 : nil
        }
        switch key {
        case 0x6e_616a, 0x79_7261_756e_616a: return 1  // jan, january
        case 0x62_6566, 0x7972_6175_7262_6566: return 2  // feb, february
        case 0x72_616d, 0x68_6372_616d: return 3  // mar, march
        case 0x72_7061, 0x6c_6972_7061: return 4  // apr, april
        case 0x79_616d: return 5  // may
        case 0x6e_756a, 0x656e_756a: return 6  // jun, june
        case 0x6c_756a, 0x796c_756a: return 7  // jul, july
        case 0x67_7561, 0x7473_7567_7561: return 8  // aug, august
        case 0x70_6573, 0x7470_6573: return 9  // sep, sept
        case 0x74_636f, 0x72_6562_6f74_636f: return 10  // oct, october
        case 0x76_6f6e, 0x7265_626d_6576_6f6e: return 11  // nov, november
        case 0x63_6564, 0x7265_626d_6563_6564: return 12  // dec, december
        default: return nil
        }
    }

    static func tokens(_ text: Substring) -> [Token] {
        var text = text
        return text.withUTF8 { tokens(utf8: $0) }
    }

    static func tokens(utf8 bytes: UnsafeBufferPointer<UInt8>) -> [Token] {
        var result: [Token] = []
        result.reserveCapacity(bytes.count / 4)
        let count = bytes.count
        var index = 0
        while index < count {
            let byte = bytes[index]
            let kind: Token.Kind
            if isASCIILetter(byte) { kind = .word } else if isASCIIDigit(byte) { kind = .number } else {
                index += 1
                continue
            }
            let start = index
            var value = 0
            if kind == .word {
                while index < count && isASCIILetter(bytes[index]) { index += 1 }
            } else {
                while index < count && isASCIIDigit(bytes[index]) {
                    if index - start < 9 { value = value * 10 + Int(bytes[index] - UInt8(ascii: "0")) }
                    index += 1
                }
            }
            let end = index
            // An ordinal suffix ("3rd") belongs to its number.
            if kind == .number, index < count, isASCIILetter(bytes[index]) {
                var suffixEnd = index
                while suffixEnd < count && isASCIILetter(bytes[suffixEnd]) { suffixEnd += 1 }
                if isOrdinalSuffix(UnsafeBufferPointer(rebasing: bytes[index..<suffixEnd])) { index = suffixEnd }
            }
            let separator = index < count ? bytes[index] : 0
            let length = end - start
            result.append(Token(
                kind: kind, length: length, separatorAfter: separator,
                month: kind == .word ? month(named: UnsafeBufferPointer(rebasing: bytes[start..<end])) : nil,
                value: kind == .number && length <= 9 ? value : -1))
        }
        return result
    }

    /// `st`, `nd`, `rd` or `th` in any case.
    static func isOrdinalSuffix(_ letters: UnsafeBufferPointer<UInt8>) -> Bool {
        guard letters.count == 2 else { return false }
        switch (letters[0] | 0x20, letters[1] | 0x20) {
        case (UInt8(ascii: "s"), UInt8(ascii: "t")), (UInt8(ascii: "n"), UInt8(ascii: "d")),
             (UInt8(ascii: "r"), UInt8(ascii: "d")), (UInt8(ascii: "t"), UInt8(ascii: "h")):
            return true
        default:
            return false
        }
    }

    /// Parses a date value from metadata (JSON field, `<meta content>`, `<time datetime>`): ISO
    /// `2005-03-03[T…]`, `2005/03/03`, `20050303`, or a written date.
    public static func parse(_ value: String) -> String? {
        let tokens = tokens(value[...].prefix(80))
        guard let first = tokens.first else { return nil }
        if first.kind == .number && first.length == 8 {
            let digits = first.value
            return iso(year: digits / 10000, month: digits / 100 % 100, day: digits % 100)
        }
        if tokens.count >= 3, first.kind == .number, first.length == 4,
           tokens[1].kind == .number, tokens[2].kind == .number,
           [UInt8(ascii: "-"), UInt8(ascii: "/"), UInt8(ascii: ".")].contains(first.separatorAfter) {
            return iso(year: first.value, month: tokens[1].value, day: tokens[2].value)
        }
        return find(in: tokens)
    }

    /// Looks for a written date near the start of a text (a dateline).
    ///
    /// Every article without a date in its metadata comes here, so the common cases stay on bytes:
    /// an ASCII start of text is cut without a grapheme walk, and a window with no possible year
    /// (every date shape needs a run of exactly four digits, 1000–2999) is answered without
    /// tokens. Both used to be ~1.7% of a `gazette tag` profile (2.5 µs an article).
    public static func findInText(_ text: String, limit: Int = 400) -> String? {
        let answer = text.utf8.withContiguousStorageIfAvailable { bytes -> WindowAnswer in
            guard let end = asciiPrefixEnd(bytes, characters: limit) else { return .needsGraphemes }
            return .answered(find(utf8: UnsafeBufferPointer(rebasing: bytes[..<end])))
        }
        if case .answered(let date) = answer { return date }
        // Not plain ASCII (or not contiguous): cut by characters.
        var window = text.prefix(limit)
        return window.withUTF8 { find(utf8: $0) }
    }

    /// What the byte path of `findInText` could tell: the date (or that there is none), or that the
    /// window is not plain ASCII and must be cut by characters.
    private enum WindowAnswer {
        case answered(String?)
        case needsGraphemes
    }

    /// The date `find(in:)` finds in the tokens of `bytes`, without making them when no run of
    /// exactly four digits starting with 1 or 2 (a possible year) is there.
    static func find(utf8 bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard containsPossibleYear(bytes) else { return nil }
        return find(in: tokens(utf8: bytes))
    }

    /// Whether `bytes` hold a maximal run of exactly four ASCII digits whose first is 1 or 2: each
    /// date shape of `find(in:)` has one (its year, a number token of length 4 in 1000...2999).
    static func containsPossibleYear(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        let count = bytes.count
        while index < count {
            guard isASCIIDigit(bytes[index]) else { index += 1; continue }
            let start = index
            while index < count && isASCIIDigit(bytes[index]) { index += 1 }
            if index - start == 4 && (bytes[start] == UInt8(ascii: "1") || bytes[start] == UInt8(ascii: "2")) { return true }
        }
        return false
    }

    /// The end of the first `limit` characters of `bytes` when they and the byte after them are
    /// ASCII (each byte a character, `\r\n` one), else nil: `String.prefix(limit)` without a
    /// grapheme walk. Any non-ASCII byte in the window or right after it (a combining mark extends
    /// the last character) gives nil.
    static func asciiPrefixEnd(_ bytes: UnsafeBufferPointer<UInt8>, characters limit: Int) -> Int? {
        var index = 0
        var characters = 0
        let count = bytes.count
        while characters < limit && index < count {
            let byte = bytes[index]
            if byte >= 0x80 { return nil }
            index += 1
            if byte == 0x0D && index < count && bytes[index] == 0x0A { index += 1 }
            characters += 1
        }
        if index < count && bytes[index] >= 0x80 { return nil }
        return index
    }

    static func find(in tokens: [Token]) -> String? {
        var index = 0
        while index + 2 < tokens.count {
            let a = tokens[index], b = tokens[index + 1], c = tokens[index + 2]
            // "March 3, 2005", "Mar. 3 2005"
            if let month = a.month, b.kind == .number, b.length <= 2, c.kind == .number, c.length == 4,
               let date = iso(year: c.value, month: month, day: b.value) {
                return date
            }
            // "3 March 2005"
            if a.kind == .number, a.length <= 2, let month = b.month, c.kind == .number, c.length == 4,
               let date = iso(year: c.value, month: month, day: a.value) {
                return date
            }
            // "2005-03-03"
            if a.kind == .number, a.length == 4, a.separatorAfter == UInt8(ascii: "-"),
               b.kind == .number, b.length == 2, b.separatorAfter == UInt8(ascii: "-"),
               c.kind == .number, c.length == 2,
               let date = iso(year: a.value, month: b.value, day: c.value) {
                return date
            }
            index += 1
        }
        return nil
    }

    static func iso(year: Int, month: Int, day: Int) -> String? {
        guard (1000...2999).contains(year), (1...12).contains(month) else { return nil }
        let daysInMonth = [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...daysInMonth[month - 1]).contains(day) else { return nil }
        return "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
    }

    static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }
}
