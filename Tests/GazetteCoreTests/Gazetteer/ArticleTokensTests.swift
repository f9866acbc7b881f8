import Testing
import TestSupport
@testable import GazetteCore

/// `ArticleTokens` against the scalar-by-scalar tokenizer it replaced (kept below as the oracle):
/// the byte tokenizer must give the same tokens, flags, texts and line facts on any text.
@Suite struct ArticleTokensTests {
    /// Pieces that exercise every rule: initials and dotted titles, apostrophes and possessives,
    /// hyphens, numbers with separators, non-ASCII letters, a combining mark, a title-case letter,
    /// Han, line and paragraph separators, and non-ASCII spaces; words longer than the 8-byte
    /// chunks the tokenizer reads at once, with their case changing inside a chunk or after it.
    static let pieces = [
        "the", "The", "tHE", "of", "Of", "Constantinople", "MANCHESTER", "McDonald", "iPhone", "x86", "ÉCOLE",
        "Mr", "Gen", "U", "S", "V", "John", "JOHN", "smith", "O", "Neill", "al", "el", "Assad", "bin", "van",
        "é", "Éric", "Ça", "ǅemal", "İstanbul", "ß", "e\u{301}", "日本", "Ω", "12", "3", "2", "0", "1999",
        ".", ".", ",", "!", "?", "\u{2026}", "'", "\u{2019}", "s", "S", "-", "/", ":", "(", ")", "\"", "£",
        " ", " ", " ", " ", "\n", "\u{2029}", "\u{2028}", "\u{A0}", "\t", "\r\n", "\u{3000}",
        // For the one-byte punctuation and the stops after an 8-byte word read: control bytes and
        // DEL (punctuation too), a dotted title, and long words before a dot, apostrophe or hyphen.
        "\u{1}", "\u{1F}", "\u{7F}", "\r", "#", "Mrs", "Inc", "Britain", "Washington", "saidthat",
        "\u{2019}s", "\u{2019}S", "\u{2018}", "\u{2014}",
    ]

    static let givenNames = GivenNames(names: [
        "John": (3, false), "Assad": (900, false), "Éric": (12, false), "Mr": (50, true), "Neill": (400, false), "Gen": (60, true),
    ])

    private func describe(_ entry: (rank: Int, common: Bool)?) -> String { entry.map { "\($0.rank) \($0.common)" } ?? "nil" }

    @Test func matchesTheScalarTokenizerOnRandomText() {
        var generator = SplitMix(seed: 2026)
        for _ in 0..<3000 {
            let length = Int(generator.next() % 40)
            let text = (0..<length).map { _ in Self.pieces[Int(generator.next() % UInt64(Self.pieces.count))] }.joined()
            let tokens = ArticleTokens(text: text)
            let reference = ReferenceArticleTokens(text: text)
            #expect(tokens.tokens.count == reference.tokens.count, "\(text.debugDescription)")
            guard tokens.tokens.count == reference.tokens.count else { continue }
            for (index, (token, expected)) in zip(tokens.tokens, reference.tokens).enumerated() {
                #expect(token.start == expected.start && token.end == expected.end && token.kind.rawValue == expected.kind.rawValue
                        && token.line == expected.line && token.capitalized == expected.capitalized
                        && token.allCaps == expected.allCaps && token.sentenceInitial == expected.sentenceInitial,
                        "token \(index) of \(text.debugDescription)")
                #expect(tokens.texts[index] == reference.texts[index], "text of token \(index) of \(text.debugDescription)")
                #expect(tokens.lowercased[index] == reference.lowercased[index], "lower case of token \(index) of \(text.debugDescription)")
                #expect(tokens.token(index, is: "the", ignoringCase: true) == (reference.lowercased[index] == "the"))
                #expect(tokens.token(index, is: "of") == (reference.texts[index] == "of"))
                #expect(tokens.token(index, contains: 0x2D) == reference.texts[index].utf8.contains(0x2D))
                for words in [NameWords.shared.titles, NameWords.shared.nonNameWords, ArticleTokens.dottedAbbreviations] {
                    #expect(tokens.word(index, isIn: words) == words.contains(reference.texts[index]))
                    #expect(tokens.word(index, isIn: words, bare: true) == words.contains(ArticleResolution.bare(reference.texts[index])))
                    #expect(tokens.lowercasedWord(index, isIn: words) == words.contains(reference.lowercased[index]))
                }
            }
            #expect(tokens.capitalizedWords.map(Int.init)
                    == reference.tokens.indices.filter { reference.tokens[$0].kind == .word && reference.tokens[$0].capitalized },
                    "\(text.debugDescription)")
            // Every word that can be part of a person's name is capitalized or opens with "al-"/"el-".
            #expect(tokens.prefixedLowerCaseWords.map(Int.init) == reference.tokens.indices.filter { index in
                let bytes = Array(reference.texts[index].utf8)
                return reference.tokens[index].kind == .word && !reference.tokens[index].capitalized && bytes.count > 4
                    && (bytes[0] == 0x61 || bytes[0] == 0x65) && bytes[1] | 0x20 == 0x6C && bytes[2] == 0x2D
            }, "\(text.debugDescription)")
            #expect(tokens.tokens.indices.filter { tokens.tokens[$0].prefixedLowerCase } == tokens.prefixedLowerCaseWords.map(Int.init),
                    "\(text.debugDescription)")
            for index in tokens.tokens.indices {
                let text = reference.texts[index]
                #expect(describe(tokens.givenName(index, in: Self.givenNames)) == describe(Self.givenNames.entry(text)))
                #expect(describe(tokens.givenName(index, in: Self.givenNames, bare: true))
                        == describe(Self.givenNames.entry(ArticleResolution.bare(text))))
            }
            // Resolution finds all-caps words among the capitalized ones.
            #expect(tokens.tokens.allSatisfy { $0.kind != .word || !$0.allCaps || $0.capitalized }, "\(text.debugDescription)")
            // Token spans found from a cursor, in text order and out of it, against a plain search.
            var cursor = 0
            for _ in 0..<6 {
                let start = Int(generator.next() % UInt64(text.unicodeScalars.count + 1))
                let end = start + 1 + Int(generator.next() % 12)
                let first = reference.tokens.firstIndex { $0.start == start }
                let last = reference.tokens.firstIndex { $0.end == end }
                let expected = first.flatMap { first in last.flatMap { $0 >= first ? (first, $0) : nil } }
                let found = tokens.tokens(spanning: start, end, cursor: &cursor)
                #expect(found?.first == expected?.0 && found?.last == expected?.1, "span \(start)..<\(end) of \(text.debugDescription)")
            }
            #expect(tokens.lineIsAllCaps == reference.lineIsAllCaps, "\(text.debugDescription)")
            #expect(tokens.lineNumberCount == reference.lineNumberCount, "\(text.debugDescription)")
        }
    }

    /// The 8-byte word scan against a byte-by-byte count, on every kind of byte in every lane.
    @Test func tokenStaysTwentyEightBytes() {
        // Resolution reads the token array many times over: a new flag must fit in the padding.
        #expect(MemoryLayout<ArticleTokens.Token>.stride == 28)
    }

    @Test func asciiWordRunMatchesByteByByte() {
        var generator = SplitMix(seed: 77)
        let interesting: [UInt8] = [0x00, 0x2D, 0x2E, 0x2F, 0x30, 0x39, 0x3A, 0x40, 0x41, 0x5A, 0x5B, 0x60, 0x61, 0x7A, 0x7B, 0x7F, 0x80, 0xC3, 0xE2, 0xFF]
        for _ in 0..<20000 {
            let bytes = (0..<8).map { _ in
                generator.next() % 2 == 0 ? interesting[Int(generator.next() % UInt64(interesting.count))] : UInt8(truncatingIfNeeded: generator.next())
            }
            let word = bytes.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
            let run = ArticleTokenScanner.asciiWordRun(word)
            var length = 0
            while length < 8, (bytes[length] | 0x20) &- 0x61 < 26 || bytes[length] &- 0x30 < 10 { length += 1 }
            var expected = ArticleTokenScanner.CaseFlags(), swar = ArticleTokenScanner.CaseFlags()
            for byte in bytes[..<length] where (byte | 0x20) &- 0x61 < 26 { expected.note(upper: byte < 0x60, lower: byte >= 0x60) }
            swar.note(upper: run.upper, lower: run.lower)
            #expect(run.length == length, "\(bytes)")
            #expect(swar.capitalized == expected.capitalized && swar.hasUpper == expected.hasUpper && swar.hasLower == expected.hasLower, "\(bytes)")
        }
    }

    /// Arrays handed from one article to the next are refilled in place (no copy, no new
    /// allocation while they are large enough), and the second article's tokens are its own.
    @Test func storageIsRefilledInPlace() {
        let first = ArticleTokens(text: "Tony Blair met Gordon Brown in London.\nMORE NEWS 2-1")
        let firstTokens = first.tokens.count
        let storage = first.storage
        _ = consume first
        let address = storage.tokens.withUnsafeBufferPointer { $0.baseAddress }
        let utf8Address = storage.utf8.withUnsafeBufferPointer { $0.baseAddress }
        let second = ArticleTokens(text: "Paris, France.", reusing: consume storage)
        #expect(second.tokens.withUnsafeBufferPointer { $0.baseAddress } == address)
        #expect(second.utf8.withUnsafeBufferPointer { $0.baseAddress } == utf8Address)
        let fresh = ArticleTokens(text: "Paris, France.")
        #expect(second.tokens.count == fresh.tokens.count && second.tokens.count != firstTokens)
        #expect((0..<second.tokens.count).map { second.texts[$0] } == ["Paris", ",", "France", "."])
        #expect(second.lineIsAllCaps == fresh.lineIsAllCaps && second.capitalizedWords == fresh.capitalizedWords)
        #expect(second.lineNumberCount == fresh.lineNumberCount && second.prefixedLowerCaseWords == fresh.prefixedLowerCaseWords)
    }

    @Test func offsetsAreScalarsAndTextsAreCutFromTheOriginal() {
        let tokens = ArticleTokens(text: "Café Müller, Mr. O'Neill's 2-1 win.\nU.S. STOCKS")
        #expect((0..<tokens.tokens.count).map { tokens.texts[$0] }
                == ["Café", "Müller", ",", "Mr.", "O'Neill", "'", "s", "2-1", "win", ".", "U.S.", "STOCKS"])
        #expect(tokens.tokens[1].start == 5 && tokens.tokens[1].end == 11)
        #expect(tokens.text(from: 0, through: 1) == "Café Müller")
        var cursor = 0
        #expect(tokens.tokens(spanning: 5, 11, cursor: &cursor).map { [$0.first, $0.last] } == [1, 1])
        #expect(tokens.tokens(spanning: 0, 11, cursor: &cursor).map { [$0.first, $0.last] } == [0, 1], "a span before the cursor")
        #expect(tokens.tokens(spanning: 6, 11, cursor: &cursor) == nil, "not a token start")
        #expect(tokens.tokens(spanning: 5, 10, cursor: &cursor) == nil, "not a token end")
        #expect(tokens.tokens(spanning: 17, 24, cursor: &cursor).map { [$0.first, $0.last] } == [4, 4])
        #expect(tokens.tokens(spanning: 36, 47, cursor: &cursor).map { [$0.first, $0.last] } == [10, 11])
        #expect(tokens.tokens(spanning: 36, 48, cursor: &cursor) == nil, "past the last token")
        #expect(tokens.lineIsAllCaps == [false, true])
        #expect(tokens.tokens.map(\.sentenceInitial) == [true, false, false, false, false, false, false, false, false, false, true, false])
    }
}

/// The tokenizer as it was before it worked on bytes: one `Unicode.Scalar` at a time, every token
/// text made up front. Test oracle only.
private struct ReferenceArticleTokens {
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
                    if isInitial || word.utf8.contains(0x2E) || ArticleTokens.dottedAbbreviations.contains(word) {
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
}
