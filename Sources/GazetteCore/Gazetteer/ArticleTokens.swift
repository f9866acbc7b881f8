/// The words, numbers and punctuation of one article, with what resolution asks about them:
/// capitalization, sentence starts and all-caps lines (headlines, result tables).
struct ArticleTokens {
    enum Kind: UInt8 { case word, number, punctuation }

    /// Plain data, no `String`: resolution copies tokens freely, and a token holding a string made
    /// every copy a reference-counting call (16% of the gazetteer stage in a profile). The text
    /// is in `texts`, at the token's index.
    struct Token {
        /// Unicode-scalar offsets into the article text.
        var start: Int
        var end: Int
        var kind: Kind
        var line: Int
        /// First letter upper case.
        var capitalized: Bool
        /// Has letters and none of them lower case.
        var allCaps: Bool
        /// First word or number of a sentence.
        var sentenceInitial: Bool
    }

    var tokens: [Token] = []
    /// `texts[i]` is the text of `tokens[i]`; `lowercased[i]` the same in lower case.
    var texts: [String] = []
    var lowercased: [String] = []
    /// Per line: whether it has letters and no lower-case letter (a headline or a table row).
    var lineIsAllCaps: [Bool] = []
    /// Per line: how many number tokens it has.
    var lineNumberCount: [Int] = []

    /// The article's scalars, its UTF-8 bytes, and the byte offset of every scalar (plus the end):
    /// texts are cut from the bytes (short ones become small strings with no heap allocation),
    /// offsets stay in scalars as mentions report them.
    let scalars: [Unicode.Scalar]
    let utf8: [UInt8]
    let utf8Offsets: [Int32]

    /// The text from scalar offset `start` to `end`.
    func string(_ start: Int, _ end: Int) -> String {
        utf8.withUnsafeBufferPointer { bytes in
            String(decoding: UnsafeBufferPointer(rebasing: bytes[Int(utf8Offsets[start])..<Int(utf8Offsets[end])]), as: UTF8.self)
        }
    }

    /// The text of tokens `first...last`, with what lies between them.
    func text(from first: Int, through last: Int) -> String {
        string(tokens[first].start, tokens[last].end)
    }

    /// Abbreviations whose dot belongs to the word, not to the sentence ("Mr. Brown").
    static let dottedAbbreviations: WordSet = [
        "Mr", "Mrs", "Ms", "Dr", "Prof", "Sen", "Rep", "Gov", "Gen", "Lt", "Col", "Maj", "Capt", "Sgt",
        "Cpl", "Adm", "Rev", "St", "Mt", "Jr", "Sr", "Inc", "Corp", "Co", "Ltd", "No", "Mme", "Messrs",
    ]

    init(text: String) {
        var scalars: [Unicode.Scalar] = []
        var offsets: [Int32] = []
        scalars.reserveCapacity(text.utf8.count)
        offsets.reserveCapacity(text.utf8.count + 1)
        var offset: Int32 = 0
        for scalar in text.unicodeScalars {
            scalars.append(scalar)
            offsets.append(offset)
            offset &+= Int32(UTF8.width(scalar))
        }
        offsets.append(offset)
        self.scalars = scalars
        self.utf8 = Array(text.utf8)
        self.utf8Offsets = offsets
        var line = 0
        var lineHasLower = false
        var lineHasLetter = false
        var numbers = 0
        var sentenceOpen = true
        var index = 0
        let count = scalars.count
        tokens.reserveCapacity(count / 5)
        texts.reserveCapacity(count / 5)
        lowercased.reserveCapacity(count / 5)
        func isLetter(_ s: Unicode.Scalar) -> Bool {
            s.isASCII ? ((s.value | 0x20) >= 0x61 && (s.value | 0x20) <= 0x7A) : s.properties.isAlphabetic
        }
        func isDigit(_ s: Unicode.Scalar) -> Bool { s.value >= 0x30 && s.value <= 0x39 }
        // ASCII answers without Unicode property lookups: those cost more than the rest of the
        // tokenizer together (measured: 12% of `gazette tag` in `getBinaryProperties`).
        func isWhitespace(_ s: Unicode.Scalar) -> Bool {
            s.isASCII ? (s.value == 0x20 || (s.value >= 0x09 && s.value <= 0x0D)) : s.properties.isWhitespace
        }
        func isUppercase(_ s: Unicode.Scalar) -> Bool {
            s.isASCII ? (s.value >= 0x41 && s.value <= 0x5A) : s.properties.isUppercase
        }
        func isLowercase(_ s: Unicode.Scalar) -> Bool {
            s.isASCII ? (s.value >= 0x61 && s.value <= 0x7A) : s.properties.isLowercase
        }
        func isMark(_ s: Unicode.Scalar) -> Bool {
            !s.isASCII && (s.properties.generalCategory == .nonspacingMark || s.properties.generalCategory == .spacingMark)
        }
        func endLine() {
            lineIsAllCaps.append(lineHasLetter && !lineHasLower)
            lineNumberCount.append(numbers)
            line += 1
            lineHasLower = false
            lineHasLetter = false
            numbers = 0
            sentenceOpen = true
        }
        while index < count {
            let scalar = scalars[index]
            if scalar == "\n" || scalar == "\u{2029}" || scalar == "\u{2028}" {
                endLine()
                index += 1
                continue
            }
            if isWhitespace(scalar) {
                index += 1
                continue
            }
            let start = index
            var kind: Kind
            if isLetter(scalar) {
                kind = .word
                index += 1
                while index < count {
                    let s = scalars[index]
                    if isLetter(s) || isDigit(s) || isMark(s) {
                        index += 1
                    } else if (s == "'" || s == "\u{2019}" || s == "-" || s == ".") && index + 1 < count && isLetter(scalars[index + 1]) {
                        // "O'Neill", "Jean-Pierre", "U.S" stay whole; a possessive "'s" does not.
                        if s != "." && s != "-" && (scalars[index + 1] == "s" || scalars[index + 1] == "S")
                            && (index + 2 >= count || !isLetter(scalars[index + 2])) {
                            break
                        }
                        index += 1
                    } else {
                        break
                    }
                }
                // The dot of an initial ("V."), a dotted acronym ("U.S.") or a title ("Mr.").
                if index < count && scalars[index] == "." {
                    let word = string(start, index)
                    let isInitial = index - start == 1 && isUppercase(scalars[start])
                    if isInitial || word.utf8.contains(0x2E) || Self.dottedAbbreviations.contains(word) {
                        index += 1
                    }
                }
            } else if isDigit(scalar) {
                kind = .number
                index += 1
                while index < count {
                    let s = scalars[index]
                    if isDigit(s) {
                        index += 1
                    } else if (s == "." || s == "," || s == "-" || s == "/" || s == ":") && index + 1 < count && isDigit(scalars[index + 1]) {
                        index += 1
                    } else {
                        break
                    }
                }
            } else {
                kind = .punctuation
                index += 1
            }
            var capitalized = false
            var hasUpper = false
            var hasLower = false
            var ascii = true
            for s in scalars[start..<index] {
                if !s.isASCII { ascii = false }
                let upper = isUppercase(s)
                let lower = isLowercase(s)
                if !hasUpper && !hasLower && upper { capitalized = true }
                hasUpper = hasUpper || upper
                hasLower = hasLower || lower
            }
            // ASCII tokens (nearly all in English news) are written straight from their scalars,
            // lower-case form too, with no UTF-8 validation or case mapping tables.
            let text: String
            let lower: String
            if ascii {
                let length = index - start
                text = String(unsafeUninitializedCapacity: length) { buffer in
                    for offset in 0..<length { buffer[offset] = UInt8(truncatingIfNeeded: scalars[start + offset].value) }
                    return length
                }
                lower = !hasUpper ? text : String(unsafeUninitializedCapacity: length) { buffer in
                    for offset in 0..<length {
                        let byte = UInt8(truncatingIfNeeded: scalars[start + offset].value)
                        buffer[offset] = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
                    }
                    return length
                }
            } else {
                text = string(start, index)
                lower = text.lowercased()
            }
            if hasLower { lineHasLower = true }
            if hasUpper || hasLower { lineHasLetter = true }
            if kind == .number { numbers += 1 }
            var sentenceInitial = false
            if kind != .punctuation {
                sentenceInitial = sentenceOpen
                sentenceOpen = false
            } else if text == "." || text == "!" || text == "?" || text == "\u{2026}" {
                sentenceOpen = true
            }
            texts.append(text)
            lowercased.append(lower)
            tokens.append(Token(
                start: start, end: index, kind: kind, line: line, capitalized: capitalized,
                allCaps: hasUpper && !hasLower, sentenceInitial: sentenceInitial))
        }
        endLine()
    }

    /// Index of the token starting at scalar offset `start`, if any.
    func token(startingAt start: Int) -> Int? { token(with: \.start, at: start) }

    /// Index of the token ending at scalar offset `end`, if any.
    func token(endingAt end: Int) -> Int? { token(with: \.end, at: end) }

    /// Binary search over the tokens, which are ordered by both their starts and their ends.
    private func token(with side: KeyPath<Token, Int>, at offset: Int) -> Int? {
        var low = 0, high = tokens.count
        while low < high {
            let mid = (low + high) / 2
            if tokens[mid][keyPath: side] < offset { low = mid + 1 } else { high = mid }
        }
        return low < tokens.count && tokens[low][keyPath: side] == offset ? low : nil
    }
}
