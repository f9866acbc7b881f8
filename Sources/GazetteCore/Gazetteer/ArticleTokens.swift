/// The words, numbers and punctuation of one article, with what resolution asks about them:
/// capitalization, sentence starts and all-caps lines (headlines, result tables).
///
/// Built in one pass over the UTF-8 bytes: ASCII bytes are classified by comparisons (the letters
/// and digits of a word eight at a time, `asciiWordRun`), only other scalars are decoded and looked
/// up in Unicode's tables. Token texts are made on demand
/// (`texts[i]`, `lowercased[i]`): resolution reads the texts of capitalized words and their
/// neighbours, so making a `String` for every token up front was most of the work (measured: 21%
/// of the gazetteer stage in `ArticleTokens.init`, two strings per token).
struct ArticleTokens {
    enum Kind: UInt8 { case word, number, punctuation }

    /// Plain data, no `String`: resolution copies tokens freely, and a token holding a string made
    /// every copy a reference-counting call (16% of the gazetteer stage in a profile).
    ///
    /// Offsets and the line are stored in 32 bits (the normalize stage, which runs first, refuses a
    /// text of 2 GiB or more: `TextNormalizer.maxTextBytes`): 28 bytes a token instead of 40, and
    /// resolution reads the token array many times over.
    struct Token {
        /// Unicode-scalar offsets into the article text.
        var start: Int {
            get { Int(start32) }
            set { start32 = Int32(newValue) }
        }
        var end: Int {
            get { Int(end32) }
            set { end32 = Int32(newValue) }
        }
        var line: Int {
            get { Int(line32) }
            set { line32 = Int32(newValue) }
        }
        private var start32: Int32
        private var end32: Int32
        private var line32: Int32
        /// UTF-8 byte offsets of the same range.
        var byteStart: Int32
        var byteEnd: Int32
        var kind: Kind
        /// First letter upper case.
        var capitalized: Bool
        /// Has letters and none of them lower case.
        var allCaps: Bool
        /// First word or number of a sentence.
        var sentenceInitial: Bool
        /// Has an upper-case letter (else the text is its own lower-case form).
        var hasUpper: Bool
        /// Only ASCII bytes (lower-cased byte by byte).
        var ascii: Bool
        /// A lower-case word of over 4 bytes that opens with "al-" or "el-" ("al-Assad"): one of
        /// `prefixedLowerCaseWords`. (Fits in the padding: the token stays 28 bytes.)
        var prefixedLowerCase: Bool

        init(
            start: Int, end: Int, byteStart: Int32, byteEnd: Int32, line: Int, kind: Kind, capitalized: Bool,
            allCaps: Bool, sentenceInitial: Bool, hasUpper: Bool, ascii: Bool, prefixedLowerCase: Bool = false
        ) {
            start32 = Int32(start)
            end32 = Int32(end)
            line32 = Int32(line)
            self.byteStart = byteStart
            self.byteEnd = byteEnd
            self.kind = kind
            self.capitalized = capitalized
            self.allCaps = allCaps
            self.sentenceInitial = sentenceInitial
            self.hasUpper = hasUpper
            self.ascii = ascii
            self.prefixedLowerCase = prefixedLowerCase
        }
    }

    /// `texts[i]` is the text of token `i`, made from the article's bytes when asked for.
    struct Texts {
        fileprivate let tokens: [Token]
        fileprivate let utf8: [UInt8]
        fileprivate let lowerCase: Bool

        subscript(index: Int) -> String {
            let token = tokens[index]
            let start = Int(token.byteStart), length = Int(token.byteEnd - token.byteStart)
            // Non-ASCII text goes through `lowercased()` even without an upper-case letter: a
            // title-case letter ("ǅ") is not upper case but has a lower-case form.
            if lowerCase && (token.hasUpper || !token.ascii) {
                if token.ascii {
                    return utf8.withUnsafeBufferPointer { bytes in
                        String(unsafeUninitializedCapacity: length) { buffer in
                            for offset in 0..<length {
                                let byte = bytes[start + offset]
                                buffer[offset] = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
                            }
                            return length
                        }
                    }
                }
                return ArticleTokens.string(utf8, start, start + length).lowercased()
            }
            return ArticleTokens.string(utf8, start, start + length)
        }
    }

    private(set) var tokens: [Token] = []
    /// Per line: whether it has letters and no lower-case letter (a headline or a table row).
    private(set) var lineIsAllCaps: [Bool] = []
    /// Per line: how many number tokens it has.
    private(set) var lineNumberCount: [Int] = []
    /// Indices of the word tokens that are capitalized (all-caps words among them), in order:
    /// resolution's passes for organizations, acronyms and lone surnames look only at these (about
    /// a fifth of the tokens of news text) instead of walking every token.
    private(set) var capitalizedWords: [Int32] = []
    /// Indices of the lower-case words that open with "al-" or "el-" ("al-Assad"), in order: with
    /// the capitalized words, every word that can be part of a person's name, so the name-pattern
    /// step visits these instead of testing every token.
    private(set) var prefixedLowerCaseWords: [Int32] = []
    /// The article's UTF-8 bytes: texts are cut from them, offsets stay in scalars as mentions
    /// report them.
    let utf8: [UInt8]

    var texts: Texts { Texts(tokens: tokens, utf8: utf8, lowerCase: false) }
    var lowercased: Texts { Texts(tokens: tokens, utf8: utf8, lowerCase: true) }

    /// The text of tokens `first...last`, with what lies between them.
    func text(from first: Int, through last: Int) -> String {
        Self.string(utf8, Int(tokens[first].byteStart), Int(tokens[last].byteEnd))
    }

    /// The text of the UTF-8 byte range `bytes`, which starts and ends on scalar boundaries.
    func text(bytes: Range<Int>) -> String {
        Self.string(utf8, bytes.lowerBound, bytes.upperBound)
    }

    private static func string(_ utf8: [UInt8], _ start: Int, _ end: Int) -> String {
        utf8.withUnsafeBufferPointer { bytes in
            String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        }
    }

    /// Whether token `index` is one of `words`; with `bare`, compared without a final dot ("Gen."
    /// as "Gen"). Asked on the bytes, so most answers (a length and first-byte test) make no
    /// `String`; non-ASCII tokens go the `String` way, which compares by canonical equivalence.
    func word(_ index: Int, isIn words: WordSet, bare: Bool = false) -> Bool {
        // A token with an accented Latin letter is answered from its bytes when the set allows
        // (`WordSet.surelyLacks`): made into a `String` and hashed, such tokens were ~8% of the
        // gazetteer stage's samples on text with an accent in a quarter of its words.
        let token = tokens[index]
        if !token.ascii, utf8.withUnsafeBufferPointer({
            words.surelyLacks(utf8: UnsafeBufferPointer(rebasing: $0[Int(token.byteStart)..<Int(token.byteEnd)]))
        }) {
            return false
        }
        return lookUp(index, bare: bare, ascii: { words.contains(asciiBytes: $0) }, general: { words.contains($0) })
    }

    /// The given name token `index` is (`GivenNames.entry`); with `bare`, looked up without a final
    /// dot. Asked on the bytes for an ASCII token, as `word(_:isIn:bare:)`.
    func givenName(_ index: Int, in names: GivenNames, bare: Bool = false) -> (rank: Int, common: Bool)? {
        lookUp(index, bare: bare, ascii: { names.entry(asciiBytes: $0) }, general: { names.entry($0) })
    }

    /// `ascii` of token `index`'s bytes when the token is ASCII, else `general` of its text; with
    /// `bare`, without a final dot.
    @inline(__always)
    private func lookUp<Answer>(
        _ index: Int, bare: Bool, ascii: (UnsafeBufferPointer<UInt8>) -> Answer, general: (String) -> Answer
    ) -> Answer {
        let token = tokens[index]
        guard token.ascii else {
            let text = texts[index]
            return general(bare ? ArticleResolution.bare(text) : text)
        }
        var end = Int(token.byteEnd)
        if bare && end > Int(token.byteStart) && utf8[end - 1] == 0x2E { end -= 1 }
        return utf8.withUnsafeBufferPointer { bytes in
            ascii(UnsafeBufferPointer(rebasing: bytes[Int(token.byteStart)..<end]))
        }
    }

    /// Whether the lower-case form of token `index` may be one of the words `filter` was given:
    /// asked on the bytes of an ASCII token; true for any other token.
    func lowercasedWord(_ index: Int, mayBeIn filter: LowercaseWordFilter) -> Bool {
        let token = tokens[index]
        guard token.ascii else { return true }
        return utf8.withUnsafeBufferPointer { bytes in
            filter.mayContain(hash: LowercaseWordFilter.hash(
                asciiBytes: UnsafeBufferPointer(rebasing: bytes[Int(token.byteStart)..<Int(token.byteEnd)])))
        }
    }

    /// Whether token `index` is `word` (ASCII); with `ignoringCase`, compared letter by letter
    /// without case. On the bytes, no `String` made: resolution asks this of the word before
    /// every capitalized one ("the Senate").
    func token(_ index: Int, is word: StaticString, ignoringCase: Bool = false) -> Bool {
        let token = tokens[index]
        let start = Int(token.byteStart), length = Int(token.byteEnd - token.byteStart)
        guard length == word.utf8CodeUnitCount else { return false }
        let expected = word.utf8Start
        for offset in 0..<length {
            let byte = utf8[start + offset], wanted = expected[offset]
            if byte == wanted { continue }
            // Only ASCII letters fold: a non-ASCII byte never equals an ASCII one.
            guard ignoringCase, byte | 0x20 == wanted | 0x20, (byte | 0x20) &- 0x61 < 26 else { return false }
        }
        return true
    }

    /// Whether token `index` holds the byte `byte` (ASCII).
    func token(_ index: Int, contains byte: UInt8) -> Bool {
        let token = tokens[index]
        return utf8[Int(token.byteStart)..<Int(token.byteEnd)].contains(byte)
    }

    /// Whether the lower-case form of token `index` is one of `words`.
    func lowercasedWord(_ index: Int, isIn words: WordSet) -> Bool {
        let token = tokens[index]
        guard token.ascii && !token.hasUpper else { return words.contains(lowercased[index]) }
        return word(index, isIn: words)
    }

    /// Abbreviations whose dot belongs to the word, not to the sentence ("Mr. Brown").
    static let dottedAbbreviations: WordSet = [
        "Mr", "Mrs", "Ms", "Dr", "Prof", "Sen", "Rep", "Gov", "Gen", "Lt", "Col", "Maj", "Capt", "Sgt",
        "Cpl", "Adm", "Rev", "St", "Mt", "Jr", "Sr", "Inc", "Corp", "Co", "Ltd", "No", "Mme", "Messrs",
    ]

    /// The arrays an `ArticleTokens` is made of, kept from one article to the next
    /// (`ArticleResolution`'s `StoragePool`): made anew, the token list alone was a ~16 KB
    /// allocation an article, and its first writes went to memory no cache held.
    struct Storage {
        var utf8: [UInt8] = []
        var tokens: [Token] = []
        var lineIsAllCaps: [Bool] = []
        var lineNumberCount: [Int] = []
        var capitalizedWords: [Int32] = []
        var prefixedLowerCaseWords: [Int32] = []
    }

    /// Tokenizes `text` into `storage`'s arrays (emptied first, their capacity kept when no one
    /// else holds them).
    init(text: String, reusing reused: consuming Storage = Storage()) {
        // Moved, not copied (the parameter is consumed): the arrays stay uniquely referenced.
        var storage = reused
        storage.utf8.removeAll(keepingCapacity: true)
        storage.utf8.append(contentsOf: text.utf8)
        let byteCount = storage.utf8.count
        storage.tokens.removeAll(keepingCapacity: true)
        storage.lineIsAllCaps.removeAll(keepingCapacity: true)
        storage.lineNumberCount.removeAll(keepingCapacity: true)
        storage.capitalizedWords.removeAll(keepingCapacity: true)
        storage.prefixedLowerCaseWords.removeAll(keepingCapacity: true)
        // News text has about 5.3 bytes per token (BBC set); a fifth of that reserved made nearly
        // every article grow the array once (a copy of all its tokens).
        storage.tokens.reserveCapacity(byteCount / 4 + 8)
        // About one word in five is capitalized, and news lines (paragraphs) run to a few hundred bytes.
        storage.capitalizedWords.reserveCapacity(byteCount / 16 + 8)
        storage.lineIsAllCaps.reserveCapacity(byteCount / 128 + 8)
        storage.lineNumberCount.reserveCapacity(byteCount / 128 + 8)
        let utf8 = storage.utf8
        utf8.withUnsafeBufferPointer { bytes in
            var scanner = ArticleTokenScanner(bytes: bytes)
            scanner.tokenize(
                into: &storage.tokens, lineIsAllCaps: &storage.lineIsAllCaps, lineNumberCount: &storage.lineNumberCount,
                capitalizedWords: &storage.capitalizedWords, prefixedLowerCaseWords: &storage.prefixedLowerCaseWords)
        }
        self.utf8 = utf8
        tokens = storage.tokens
        lineIsAllCaps = storage.lineIsAllCaps
        lineNumberCount = storage.lineNumberCount
        capitalizedWords = storage.capitalizedWords
        prefixedLowerCaseWords = storage.prefixedLowerCaseWords
    }

    /// The arrays, for the next article (`init(text:reusing:)`).
    var storage: Storage {
        Storage(utf8: utf8, tokens: tokens, lineIsAllCaps: lineIsAllCaps, lineNumberCount: lineNumberCount,
                capitalizedWords: capitalizedWords, prefixedLowerCaseWords: prefixedLowerCaseWords)
    }

    /// The tokens that start exactly at scalar offset `start` and end exactly at `end`, if any.
    /// `cursor` is a token index the search starts from when it is at or before `start` (else it
    /// searches the whole list), and is left at the first token not before `start`: spans asked
    /// for in text order (resolution's hits, ~20 to an article of ~430 tokens) are found by short
    /// forward steps instead of two binary searches each, whose unpredictable branches were ~4%
    /// of resolution's samples.
    func tokens(spanning start: Int, _ end: Int, cursor: inout Int) -> (first: Int, last: Int)? {
        if cursor > tokens.count || (cursor > 0 && tokens[cursor - 1].start >= start) {
            cursor = firstToken { $0.start >= start }
        }
        while cursor < tokens.count && tokens[cursor].start < start { cursor += 1 }
        guard cursor < tokens.count, tokens[cursor].start == start else { return nil }
        var last = cursor
        while last < tokens.count && tokens[last].end < end { last += 1 }
        guard last < tokens.count, tokens[last].end == end else { return nil }
        return (cursor, last)
    }

    /// Binary search: the first token for which `isAtOrAfter` holds (tokens are ordered by both
    /// their starts and their ends).
    @inline(__always)
    private func firstToken(where isAtOrAfter: (Token) -> Bool) -> Int {
        var low = 0, high = tokens.count
        while low < high {
            let mid = (low + high) / 2
            if isAtOrAfter(tokens[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }
}

/// The tokenizer: a cursor over UTF-8 bytes that keeps the scalar offset in step.
struct ArticleTokenScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    /// Byte offset and scalar offset of the cursor.
    var position = 0
    var scalarIndex = 0

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// The scalar at byte offset `offset` and its width in bytes; nil past the end. The bytes
    /// come from a Swift `String`, so they are valid UTF-8 (`decodeScalar`).
    @inline(__always)
    func scalar(at offset: Int) -> (value: Unicode.Scalar, width: Int)? {
        guard offset < bytes.count else { return nil }
        let (value, width) = decodeScalar(bytes, at: offset)
        return (value, width)
    }

    @inline(__always)
    mutating func advance(by width: Int) {
        position += width
        scalarIndex += 1
    }

    // ASCII answers without Unicode property lookups: those cost more than the rest of the
    // tokenizer together (measured: 12% of `gazette tag` in `getBinaryProperties`); other scalars
    // are looked up out of line (`ScalarProperties`).
    @inline(__always) static func isLetter(_ s: Unicode.Scalar) -> Bool {
        s.isASCII ? ((s.value | 0x20) >= 0x61 && (s.value | 0x20) <= 0x7A) : ScalarProperties.isAlphabetic(s)
    }
    @inline(__always) static func isDigit(_ s: Unicode.Scalar) -> Bool { s.value >= 0x30 && s.value <= 0x39 }
    @inline(__always) static func isWhitespace(_ s: Unicode.Scalar) -> Bool {
        s.isASCII ? (s.value == 0x20 || (s.value >= 0x09 && s.value <= 0x0D)) : ScalarProperties.isWhitespace(s)
    }
    @inline(__always) static func isUppercase(_ s: Unicode.Scalar) -> Bool {
        s.isASCII ? (s.value >= 0x41 && s.value <= 0x5A) : ScalarProperties.isUppercase(s)
    }
    @inline(__always) static func isLowercase(_ s: Unicode.Scalar) -> Bool {
        s.isASCII ? (s.value >= 0x61 && s.value <= 0x7A) : ScalarProperties.isLowercase(s)
    }
    @inline(__always) static func isMark(_ s: Unicode.Scalar) -> Bool {
        !s.isASCII && ScalarProperties.isMark(s)
    }

    /// Whether the bytes `start..<end` spell one of the dotted abbreviations (all ASCII: an ASCII
    /// word is looked up on its bytes, with no `String` made).
    private func isDottedAbbreviation(_ start: Int, _ end: Int, ascii: Bool) -> Bool {
        let word = UnsafeBufferPointer(rebasing: bytes[start..<end])
        return ascii
            ? ArticleTokens.dottedAbbreviations.contains(asciiBytes: word)
            : ArticleTokens.dottedAbbreviations.contains(String(decoding: word, as: UTF8.self))
    }

    /// How many of the 8 bytes of `word` (little-endian, first byte lowest) are ASCII letters or
    /// digits before the first that is not, and, among those, the high bit of each upper-case and
    /// of each lower-case letter.
    @inline(__always)
    static func asciiWordRun(_ word: UInt64) -> (length: Int, upper: UInt64, lower: UInt64) {
        let highBits = ByteWords.highBits
        let ascii = ~word & highBits
        let low7 = word & ~highBits
        @inline(__always) func atLeast(_ c: UInt64) -> UInt64 { ByteWords.highBits(of: low7, atLeast: c) }
        let upper = atLeast(0x41) & ~atLeast(0x5B) & ascii
        let lower = atLeast(0x61) & ~atLeast(0x7B) & ascii
        let digit = atLeast(0x30) & ~atLeast(0x3A) & ascii
        let stops = ~(upper | lower | digit) & highBits
        let length = stops.trailingZeroBitCount >> 3  // 8 when there is no stop
        let kept: UInt64 = length == 8 ? ~0 : (1 &<< UInt64(length &* 8)) &- 1
        return (length, upper & kept, lower & kept)
    }

    /// The case facts of one token, gathered while it is scanned.
    struct CaseFlags {
        var capitalized = false
        var hasUpper = false
        var hasLower = false

        @inline(__always)
        mutating func note(upper: Bool, lower: Bool) {
            if !hasUpper && !hasLower && upper { capitalized = true }
            hasUpper = hasUpper || upper
            hasLower = hasLower || lower
        }

        /// The case of a run of ASCII bytes, as `note(upper:lower:)` for each in turn would record
        /// it: the high bit of each upper-case and each lower-case byte (first byte lowest).
        @inline(__always)
        mutating func note(upper: UInt64, lower: UInt64) {
            let cased = upper | lower
            if !hasUpper && !hasLower && cased != 0 && upper & (1 &<< UInt64(cased.trailingZeroBitCount)) != 0 {
                capitalized = true
            }
            hasUpper = hasUpper || upper != 0
            hasLower = hasLower || lower != 0
        }

        @inline(__always)
        mutating func note(_ scalar: Unicode.Scalar) {
            note(upper: ArticleTokenScanner.isUppercase(scalar), lower: ArticleTokenScanner.isLowercase(scalar))
        }
    }

    /// A word from its first letter (already read: `first`, `width` bytes): letters, digits and
    /// marks, joined by an apostrophe, hyphen or dot before a letter, plus the dot of an initial,
    /// dotted acronym or title. ASCII bytes are tested inline; only other scalars are decoded.
    private mutating func scanWord(first: Unicode.Scalar, width: Int, flags: inout CaseFlags, ascii: inout Bool) {
        let start = scalarIndex
        let byteStart = position
        flags.note(first)
        if width > 1 { ascii = false }
        advance(by: width)
        while position < bytes.count {
            // Eight bytes at a time while they are ASCII letters and digits: most of a word. The
            // byte-by-byte path below takes the byte that stops the run.
            if position &+ 8 <= bytes.count {
                let run = Self.asciiWordRun(ByteWords.load(bytes.baseAddress! + position))
                if run.length > 0 {
                    flags.note(upper: run.upper, lower: run.lower)
                    position &+= run.length
                    scalarIndex &+= run.length
                    // A run shorter than 8 stopped at a byte that is not an ASCII letter or digit:
                    // that byte goes to the byte-by-byte path at once, without a second read.
                    if run.length == 8 { continue }
                }
            }
            let byte = bytes[position]
            let connector: Unicode.Scalar
            let connectorWidth: Int
            if byte < 0x80 {
                if (byte | 0x20) &- 0x61 < 26 {
                    flags.note(upper: byte < 0x60, lower: byte >= 0x60)
                    advance(by: 1)
                    continue
                }
                if byte &- 0x30 < 10 {
                    advance(by: 1)
                    continue
                }
                guard byte == 0x27 || byte == 0x2D || byte == 0x2E else { break }
                connector = Unicode.Scalar(byte)
                connectorWidth = 1
            } else {
                let (s, w) = decodeScalar(bytes, at: position)
                if Self.isLetter(s) || Self.isMark(s) {
                    flags.note(s)
                    ascii = false
                    advance(by: w)
                    continue
                }
                guard s == "\u{2019}" else { break }
                connector = s
                connectorWidth = w
            }
            // "O'Neill", "Jean-Pierre", "U.S" stay whole; a possessive "'s" does not.
            guard let (following, _) = scalar(at: position + connectorWidth), Self.isLetter(following) else { break }
            if connector != "." && connector != "-" && (following == "s" || following == "S")
                && !(scalar(at: position + connectorWidth + 1).map { Self.isLetter($0.value) } ?? false) {
                break
            }
            if connectorWidth > 1 { ascii = false }
            advance(by: connectorWidth)
        }
        // The dot of an initial ("V."), a dotted acronym ("U.S.") or a title ("Mr.").
        if position < bytes.count && bytes[position] == 0x2E {
            let isInitial = scalarIndex - start == 1 && Self.isUppercase(first)
            if isInitial || bytes[byteStart..<position].contains(0x2E) || isDottedAbbreviation(byteStart, position, ascii: ascii) {
                advance(by: 1)
            }
        }
    }

    /// Whether a word of ASCII letters and digits that reached the apostrophe, hyphen or dot at
    /// byte `end` ends there, as `scanWord` decides: it goes on only when a letter follows
    /// ("O'Neill", "Jean-Pierre", "U.S"), except after an apostrophe an "s" that no letter follows
    /// (the possessive in "Britain's"). False also when a non-ASCII scalar comes next (or after
    /// that "s"), which may be a letter: the general path decides those.
    @inline(__always)
    private func wordEnds(atConnector end: Int) -> Bool {
        let next = end &+ 1
        guard next < bytes.count else { return true }
        let following = bytes[next]
        guard following < 0x80 else { return false }
        guard (following | 0x20) &- 0x61 < 26 else { return true }
        guard bytes[end] == 0x27, following | 0x20 == 0x73 else { return false }
        let after = next &+ 1
        guard after < bytes.count else { return true }
        let third = bytes[after]
        return third < 0x80 && (third | 0x20) &- 0x61 >= 26
    }

    /// A number: digits joined by ".", ",", "-", "/" or ":" before a digit. All ASCII, no case.
    private mutating func scanNumber() {
        advance(by: 1)
        while position < bytes.count {
            let byte = bytes[position]
            if byte &- 0x30 < 10 {
                advance(by: 1)
            } else if byte == 0x2E || byte == 0x2C || byte == 0x2D || byte == 0x2F || byte == 0x3A,
                      position + 1 < bytes.count, bytes[position + 1] &- 0x30 < 10 {
                advance(by: 1)
            } else {
                break
            }
        }
    }

    mutating func tokenize(
        into tokens: inout [ArticleTokens.Token], lineIsAllCaps: inout [Bool], lineNumberCount: inout [Int],
        capitalizedWords: inout [Int32], prefixedLowerCaseWords: inout [Int32]
    ) {
        var line = 0
        var lineHasLower = false
        var lineHasLetter = false
        var numbers = 0
        var sentenceOpen = true
        while position < bytes.count {
            // A space between words, the commonest byte after letters: skipped before any decoding.
            if bytes[position] == 0x20 {
                advance(by: 1)
                continue
            }
            let start = scalarIndex
            let byteStart = position
            let lead = bytes[position]
            // Most tokens are ASCII words followed by a space or punctuation: read eight bytes at a
            // time, such a word and its case are found with no scalar decoded and no call
            // (measured: the general path below cost ~90 cycles a token). A word stopped by an
            // apostrophe, hyphen or dot that ends it all the same ("said.", "Britain's", "Mr.") is
            // finished here too (`wordEnds(atConnector:)`, the dot of a title or initial kept as
            // `scanWord` keeps it). A word that may go on past its stop ("O'Neill", "Jean-Pierre",
            // "U.S.", a non-ASCII scalar), or too near the end of the text for an 8-byte read, goes
            // the general way, from its start.
            if (lead | 0x20) &- 0x61 < 26 {
                var end = position
                var isPlainWord = false
                var keepsDot = false
                // The case of the whole word: its first byte is a letter, so it is capitalized
                // when that letter is upper case (bit 5 clear), and it has an upper-case or a
                // lower-case letter when any chunk has one.
                var upper: UInt64 = 0, lower: UInt64 = 0
                while end &+ 8 <= bytes.count {
                    let run = Self.asciiWordRun(ByteWords.load(bytes.baseAddress! + end))
                    upper |= run.upper
                    lower |= run.lower
                    end &+= run.length
                    if run.length < 8 {
                        let stop = bytes[end]
                        if stop == 0x27 || stop == 0x2D || stop == 0x2E {
                            isPlainWord = wordEnds(atConnector: end)
                            if isPlainWord && stop == 0x2E {
                                // An initial ("V.") or a dotted title ("Mr."): the dot is the word's.
                                keepsDot = (end &- position == 1 && lead & 0x20 == 0)
                                    || isDottedAbbreviation(position, end, ascii: true)
                            }
                        } else {
                            isPlainWord = stop < 0x80
                        }
                        break
                    }
                }
                if isPlainWord {
                    let capitalized = lead & 0x20 == 0, hasLower = lower != 0
                    if keepsDot { end &+= 1 }
                    scalarIndex &+= end &- position
                    position = end
                    lineHasLower = lineHasLower || hasLower
                    lineHasLetter = true
                    let sentenceInitial = sentenceOpen
                    sentenceOpen = false
                    if capitalized { capitalizedWords.append(Int32(truncatingIfNeeded: tokens.count)) }
                    tokens.append(ArticleTokens.Token(
                        start: start, end: scalarIndex, byteStart: Int32(byteStart), byteEnd: Int32(position), line: line,
                        kind: .word, capitalized: capitalized, allCaps: !hasLower,
                        sentenceInitial: sentenceInitial, hasUpper: upper != 0, ascii: true))
                    continue
                }
            }
            // ASCII punctuation (13% of the BBC set's tokens: commas, full stops, quotes, brackets) and
            // other ASCII bytes that are neither letters, digits nor white space: a one-byte token
            // with no case, as the general path below makes it.
            if lead < 0x80 && lead &- 0x09 > 4 && (lead | 0x20) &- 0x61 >= 26 && lead &- 0x30 >= 10 {
                advance(by: 1)
                if lead == 0x2E || lead == 0x21 || lead == 0x3F { sentenceOpen = true }
                tokens.append(ArticleTokens.Token(
                    start: start, end: scalarIndex, byteStart: Int32(byteStart), byteEnd: Int32(position), line: line,
                    kind: .punctuation, capitalized: false, allCaps: false, sentenceInitial: false, hasUpper: false,
                    ascii: true))
                continue
            }
            let (scalar, width) = decodeScalar(bytes, at: position)
            if scalar == "\n" || scalar == "\u{2029}" || scalar == "\u{2028}" {
                lineIsAllCaps.append(lineHasLetter && !lineHasLower)
                lineNumberCount.append(numbers)
                line += 1
                lineHasLower = false
                lineHasLetter = false
                numbers = 0
                sentenceOpen = true
                advance(by: width)
                continue
            }
            if Self.isWhitespace(scalar) {
                advance(by: width)
                continue
            }
            var kind: ArticleTokens.Kind
            var flags = CaseFlags()
            var ascii = true
            if Self.isLetter(scalar) {
                kind = .word
                scanWord(first: scalar, width: width, flags: &flags, ascii: &ascii)
            } else if Self.isDigit(scalar) {
                kind = .number
                numbers += 1
                scanNumber()
            } else {
                kind = .punctuation
                flags.note(scalar)
                ascii = width == 1
                advance(by: width)
            }
            if flags.hasLower { lineHasLower = true }
            if flags.hasUpper || flags.hasLower { lineHasLetter = true }
            var sentenceInitial = false
            if kind != .punctuation {
                sentenceInitial = sentenceOpen
                sentenceOpen = false
            } else if scalar == "." || scalar == "!" || scalar == "?" || scalar == "\u{2026}" {
                sentenceOpen = true
            }
            // Not capitalized, so its first letter is a lower-case "a" or "e" if it matches at all;
            // the "l" may be either case.
            let prefixedLowerCase = kind == .word && !flags.capitalized && position - byteStart > 4
                && (bytes[byteStart] == 0x61 || bytes[byteStart] == 0x65)
                && bytes[byteStart + 1] | 0x20 == 0x6C && bytes[byteStart + 2] == 0x2D
            if kind == .word && flags.capitalized {
                capitalizedWords.append(Int32(truncatingIfNeeded: tokens.count))
            } else if prefixedLowerCase {
                prefixedLowerCaseWords.append(Int32(truncatingIfNeeded: tokens.count))
            }
            tokens.append(ArticleTokens.Token(
                start: start, end: scalarIndex, byteStart: Int32(byteStart), byteEnd: Int32(position), line: line,
                kind: kind, capitalized: flags.capitalized, allCaps: flags.hasUpper && !flags.hasLower,
                sentenceInitial: sentenceInitial, hasUpper: flags.hasUpper, ascii: ascii,
                prefixedLowerCase: prefixedLowerCase))
        }
        lineIsAllCaps.append(lineHasLetter && !lineHasLower)
        lineNumberCount.append(numbers)
    }
}
