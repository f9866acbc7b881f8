/// How the capitalization of the original text must agree with an alias (see gazetteer-format.md).
///
/// Matching runs on case-folded text, so every matcher hit is checked afterwards against the
/// original: the alias's case pattern is computed once at load time and compared with the surface's.
struct AliasCaseRule: Sendable, Equatable, Codable {
    enum Kind: UInt8, Sendable, Codable {
        /// `=`: every cased letter has the alias's case (acronyms: "US" but not "us" or "Us").
        case exact
        /// `~`: any case.
        case anyCase
        /// `!`: capitalized as written, and not a single word opening a sentence ("May", "Chad").
        case commonWord
        /// No marker: every alias word that starts uppercase starts uppercase in the text.
        case cased
    }

    var kind: Kind
    var shape: CaseShape

    /// Parses an alias with its optional marker; nil when nothing is left after the marker.
    static func parse(_ alias: Substring) -> (rule: AliasCaseRule, text: Substring)? {
        var text = alias
        var kind: Kind?
        switch text.first {
        case "=": kind = .exact
        case "~": kind = .anyCase
        case "!": kind = .commonWord
        default: break
        }
        if kind != nil { text = text.dropFirst() }
        text = text.drop(while: { $0 == " " })
        while text.last == " " { text = text.dropLast() }
        guard !text.isEmpty else { return nil }
        let shape = Array(text.utf8).withUnsafeBufferPointer { CaseShape($0) }
        // Unmarked acronyms ("US", "NATO", "U.S.") are exact: "us" is a pronoun.
        let resolved = kind ?? (shape.letterCount >= 2 && !shape.hasLowercase ? .exact : .cased)
        return (AliasCaseRule(kind: resolved, shape: shape), text)
    }

    /// Whether a surface starting with a lower-case letter where the alias starts with a letter
    /// always fails this rule.
    var needsCapitalFirstLetter: Bool {
        switch kind {
        case .anyCase: return false
        case .exact: return shape.letterMask & 1 != 0
        case .cased, .commonWord: return shape.capitalMask & 1 != 0
        }
    }

    /// Whether a surface form of the original text satisfies the rule. `atSentenceStart` matters
    /// only for common words.
    func accepts(_ surface: CaseShape, atSentenceStart: Bool) -> Bool {
        switch kind {
        case .anyCase:
            return true
        case .exact:
            return surface.letterCount == shape.letterCount && surface.letterMask == shape.letterMask
        case .cased, .commonWord:
            if kind == .commonWord && shape.wordCount == 1 && atSentenceStart { return false }
            // Words are compared one to one when both split alike; otherwise (rare: punctuation
            // normalized differently) only the first word is checked.
            let required = surface.wordCount == shape.wordCount ? shape.capitalMask : shape.capitalMask & 1
            return surface.capitalMask & required == required
        }
    }
}

/// The capitalization pattern of a piece of text: which words start with an uppercase letter and
/// which cased letters are uppercase (first 64 of each).
struct CaseShape: Sendable, Equatable, Codable {
    var wordCount = 0
    var capitalMask: UInt64 = 0
    var letterCount = 0
    var letterMask: UInt64 = 0
    var hasLowercase = false

    /// `utf8` must be well-formed UTF-8.
    init(_ utf8: UnsafeBufferPointer<UInt8>) {
        var inWord = false
        var index = 0
        while index < utf8.count {
            let (scalar, length) = decodeScalar(utf8, at: index)
            index += length
            let isWordPart: Bool, isUpper: Bool, isLower: Bool
            if scalar.isASCII {
                isWordPart = (scalar.value | 0x20 >= 0x61 && scalar.value | 0x20 <= 0x7A) || (0x30...0x39).contains(scalar.value)
                isUpper = (0x41...0x5A).contains(scalar.value)
                isLower = (0x61...0x7A).contains(scalar.value)
            } else {
                (isWordPart, isUpper, isLower) = ScalarProperties.caseFacts(scalar)
            }
            if isWordPart {
                if !inWord {
                    if isUpper && wordCount < 64 { capitalMask |= 1 << UInt64(wordCount) }
                    wordCount += 1
                }
                inWord = true
            } else {
                inWord = false
            }
            if isUpper || isLower {
                if isUpper && letterCount < 64 { letterMask |= 1 << UInt64(letterCount) }
                letterCount += 1
            }
            if isLower { hasLowercase = true }
        }
    }
}

/// Decodes the well-formed UTF-8 scalar starting at `index`; returns it and its length in bytes.
@inline(__always)
func decodeScalar(_ utf8: UnsafeBufferPointer<UInt8>, at index: Int) -> (Unicode.Scalar, Int) {
    let lead = UInt32(utf8[index])
    if lead < 0x80 { return (Unicode.Scalar(UInt8(lead)), 1) }
    let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
    var value = lead & (0xFF >> UInt32(length + 1))
    for k in 1..<length where index + k < utf8.count {
        value = value << 6 | (UInt32(utf8[index + k]) & 0x3F)
    }
    return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
}

/// Index of the first byte of the scalar that ends just before `index` (well-formed UTF-8).
@inline(__always)
func previousScalarStart(_ utf8: UnsafeBufferPointer<UInt8>, before index: Int) -> Int {
    var start = index - 1
    while start > 0 && utf8[start] & 0xC0 == 0x80 { start -= 1 }
    return start
}
