import Testing
import TestSupport
@testable import GazetteCore

private func normalized(_ text: String, foldAccents: Bool = true) -> String {
    String(decoding: TextNormalizer(foldAccents: foldAccents).normalize(text).bytes, as: UTF8.self)
}

/// Checks the offset-map contract: one entry per byte plus the end, monotone, inside the original,
/// on scalar boundaries.
private func checkMap(_ text: String, _ result: NormalizedText, sourceLocation: SourceLocation = #_sourceLocation) {
    let original = Array(text.utf8)
    #expect(result.sourceOffsets.count == result.bytes.count + 1, sourceLocation: sourceLocation)
    #expect(result.sourceOffsets.last == Int32(original.count), sourceLocation: sourceLocation)
    for k in 0..<result.sourceOffsets.count {
        let offset = Int(result.sourceOffsets[k])
        #expect(offset >= 0 && offset <= original.count, sourceLocation: sourceLocation)
        if k > 0 { #expect(result.sourceOffsets[k - 1] <= result.sourceOffsets[k], sourceLocation: sourceLocation) }
        if offset < original.count {
            #expect(original[offset] & 0xC0 != 0x80, "offset \(offset) inside a scalar", sourceLocation: sourceLocation)
        }
    }
}

@Suite struct TextNormalizerTests {
    struct Example: Sendable, CustomStringConvertible {
        var input: String
        var folded: String
        var unfolded: String
        var description: String { input }
    }

    static let examples: [Example] = [
        Example(input: "São Paulo", folded: "sao paulo", unfolded: "são paulo"),
        Example(input: "Zürich", folded: "zurich", unfolded: "zürich"),
        Example(input: "Zu\u{308}rich", folded: "zurich", unfolded: "zürich"),  // combining diaeresis
        Example(input: "MOSCOW Москва", folded: "moscow москва", unfolded: "moscow москва"),
        Example(input: "Ἀθῆναι Αθήνα", folded: "αθηναι αθηνα", unfolded: "ἀθῆναι αθήνα"),
        Example(input: "東京 Tokyo", folded: "東京 tokyo", unfolded: "東京 tokyo"),
        Example(input: "ﬁnance", folded: "finance", unfolded: "finance"),
        Example(input: "Straße", folded: "strasse", unfolded: "strasse"),
        Example(input: "İstanbul", folded: "istanbul", unfolded: "i\u{307}stanbul"),
        Example(input: "Łódź", folded: "lodz", unfolded: "łódź"),
        Example(input: "Paris 🇫🇷 ok", folded: "paris 🇫🇷 ok", unfolded: "paris 🇫🇷 ok"),
        Example(input: "a \t\n\u{A0}\u{2003} b", folded: "a b", unfolded: "a b"),
        Example(input: "‘Quoted’ “text”", folded: "'quoted' \"text\"", unfolded: "'quoted' \"text\""),
        Example(input: "1990–1995 — x − y ‐ z", folded: "1990-1995 - x - y - z", unfolded: "1990-1995 - x - y - z"),
        Example(input: "zero\u{200B}width\u{200D}joined\u{AD}soft\u{FEFF}", folded: "zerowidthjoinedsoft",
                unfolded: "zerowidthjoinedsoft"),
        Example(input: "bell\u{7}and\u{85}next", folded: "bell and next", unfolded: "bell and next"),
        Example(input: "Ｆｕｌｌｗｉｄｔｈ", folded: "fullwidth", unfolded: "fullwidth"),
    ]

    @Test(arguments: examples)
    func normalizesAndMapsBack(_ example: Example) {
        #expect(normalized(example.input) == example.folded)
        #expect(normalized(example.input, foldAccents: false) == example.unfolded)
        checkMap(example.input, TextNormalizer().normalize(example.input))
        checkMap(example.input, TextNormalizer(foldAccents: false).normalize(example.input))
    }

    @Test func chunksMapToTheirSource() {
        let text = "Die Straße in Zürich"
        let result = TextNormalizer().normalize(text)
        let utf8 = Array(text.utf8)
        func source(of needle: String) -> String {
            let bytes = Array(needle.utf8)
            let start = (0...(result.bytes.count - bytes.count)).first {
                Array(result.bytes[$0..<($0 + bytes.count)]) == bytes
            }!
            let range = result.sourceRange(normalizedStart: start, normalizedEnd: start + bytes.count)
            return String(decoding: utf8[range], as: UTF8.self)
        }
        #expect(source(of: "strasse") == "Straße")
        #expect(source(of: "zurich") == "Zürich")
        // Half of the expansion of ß still covers the whole ß.
        #expect(source(of: "stras") == "Straß")
    }

    @Test func aliasesAndTextAgree() {
        let normalizer = TextNormalizer()
        #expect(normalizer.normalizedBytes("  São  Paulo ") == Array("sao paulo".utf8))
        #expect(normalizer.normalizedBytes("U.S.") == Array("u.s.".utf8))
    }

    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func randomTextGivesScalarAlignedRanges(seed: UInt64) {
        var random = SplitMix(seed: seed)
        let pool: [Unicode.Scalar] = [
            "a", "Z", " ", "\t", "\n", ".", "'", "e", "\u{301}", "\u{308}", "\u{327}", "ß", "ﬁ", "İ", "ı",
            "ж", "Ω", "ά", "東", "😀", "\u{1F1EB}", "\u{200B}", "\u{AD}", "\u{A0}", "–", "’", "“", "\u{7}",
            "Å", "ǅ", "ﷺ", "가", "\u{1100}", "\u{1161}", "①", "Ⅻ", "\u{FEFF}", "ŉ",
        ]
        for foldAccents in [true, false] {
            for _ in 0..<200 {
                var text = String.UnicodeScalarView()
                for _ in 0..<Int(random.next() % 40) { text.append(pool[Int(random.next() % UInt64(pool.count))]) }
                let string = String(text)
                let result = TextNormalizer(foldAccents: foldAccents).normalize(string)
                checkMap(string, result)
                let utf8 = Array(string.utf8)
                guard !result.bytes.isEmpty else { continue }
                for _ in 0..<10 {
                    let a = Int(random.next() % UInt64(result.bytes.count))
                    let b = a + 1 + Int(random.next() % UInt64(result.bytes.count - a))
                    let range = result.sourceRange(normalizedStart: a, normalizedEnd: b)
                    #expect(range.lowerBound < range.upperBound && range.upperBound <= utf8.count)
                    #expect(range.upperBound == utf8.count || utf8[range.upperBound] & 0xC0 != 0x80)
                    #expect(utf8[range.lowerBound] & 0xC0 != 0x80)
                    // Valid UTF-8: decoding and re-encoding gives the same bytes.
                    let slice = Array(utf8[range])
                    #expect(Array(String(decoding: slice, as: UTF8.self).utf8) == slice)
                }
            }
        }
    }

    /// What normalizing gives for text over ASCII and "é", "É", "ß", computed a scalar at a time:
    /// letters lower-cased, é and É to "e" (accents folded), ß to "ss", control characters and
    /// DEL to a space, runs of spaces to one; each byte mapped to the offset of its scalar.
    private static func expected(_ text: String) -> NormalizedText {
        var bytes: [UInt8] = [], offsets: [Int32] = []
        var offset = 0
        for scalar in text.unicodeScalars {
            var out: [UInt8]
            switch scalar {
            case "é", "É": out = [0x65]
            case "ß": out = [0x73, 0x73]
            case "A"..."Z": out = [UInt8(scalar.value) + 0x20]
            default:
                precondition(scalar.isASCII)
                out = scalar.value < 0x20 || scalar.value == 0x7F ? [0x20] : [UInt8(scalar.value)]
            }
            for byte in out where byte != 0x20 || bytes.last != 0x20 {
                bytes.append(byte)
                offsets.append(Int32(offset))
            }
            offset += scalar.utf8.count
        }
        offsets.append(Int32(offset))
        return NormalizedText(bytes: bytes, sourceOffsets: offsets)
    }

    /// Plain ASCII is normalized eight bytes at a time where nothing but case changes; the rest a
    /// byte at a time. Random texts heavy in what stops the word path (spaces after spaces, control
    /// characters, DEL, non-ASCII scalars before and after), at every length around a word's, give
    /// what a scalar at a time gives. (Fails when the word path lets a space after a space, a
    /// control character or DEL through, or runs up to a non-ASCII scalar: checked.)
    @Test(arguments: [1, 2, 3] as [UInt64])
    func asciiWordsNormalizeAsScalarsDo(seed: UInt64) {
        var random = SplitMix(seed: seed)
        let pools: [[Unicode.Scalar]] = [
            ["a", "B", "z", "Q", " ", " ", ".", "0", "\u{7F}", "\n", "\t", "@", "[", "`", "{", "~"],
            ["a", "b", "c", "d", "e", "f", "g", "h", "x", "Y", " "],
            ["a", "M", " ", " ", "é", "É", "ß", "\n", "\u{1F}", "\u{7F}", "Z", "@"],
        ]
        let normalizer = TextNormalizer()
        for pool in pools {
            for length in 0..<40 {
                for _ in 0..<40 {
                    var text = String.UnicodeScalarView()
                    for _ in 0..<length { text.append(pool[Int(random.next() % UInt64(pool.count))]) }
                    let string = String(text)
                    #expect(normalizer.normalize(string) == Self.expected(string), "\(string.debugDescription)")
                }
            }
        }
        let long = String(repeating: "The Prime Minister said  on Monday:\tIt is ÉTÉ.\n", count: 200)
        #expect(normalizer.normalize(long) == Self.expected(long))
    }

    /// A combining mark after plain ASCII composes with the letter before it, wherever that letter
    /// falls in a word of eight bytes: "E" + U+0301 is "é" as "É" is (accents kept).
    @Test func combiningMarkAfterASCIIComposes() {
        let normalizer = TextNormalizer(foldAccents: false)
        for length in 0..<20 {
            let prefix = String(repeating: "x", count: length)
            let result = normalizer.normalize(prefix + "E\u{301} y")
            #expect(result.bytes == Array((prefix + "é y").utf8), "after \(length) letters")
            #expect(Array(result.sourceOffsets[length...]) == [length, length, length + 3, length + 4, length + 5].map(Int32.init))
        }
    }

    /// Output longer than the room first made for it (NFKC expands "½" to "1⁄2", 2 bytes to 5)
    /// is normalized again with more: the same as the scalar alone, repeated.
    @Test func expandingTextGetsMoreRoom() {
        let normalizer = TextNormalizer()
        let one = normalizer.normalize("½")
        #expect(String(decoding: one.bytes, as: UTF8.self) == "1\u{2044}2")
        let text = String(repeating: "½", count: 5_000)
        let result = normalizer.normalize(text)
        #expect(result.bytes.count == 5_000 * one.bytes.count)
        #expect(result.bytes == Array([[UInt8]](repeating: one.bytes, count: 5_000).joined()))
        let offsets = (0..<5_000).flatMap { copy in one.sourceOffsets.dropLast().map { $0 + Int32(2 * copy) } }
        #expect(result.sourceOffsets == offsets + [Int32(text.utf8.count)])
        checkMap(text, result)
    }

    @Test func stageSetsNormalizedText() throws {
        let article = Article(key: "k", path: "/k", title: "t", text: "Hello WORLD", contentHash: "", byteSize: 11)
        var document = ArticleDocument(article: article)
        try NormalizeStage(settings: NormalizeSettings(foldAccents: true)).process(&document)
        #expect(document.normalized?.bytes == Array("hello world".utf8))
        #expect(NormalizeStage.name == "normalize")
    }

    @Test func stageRefusesTextsOverItsLimitWithAnError() throws {
        let article = Article(key: "k", path: "/k", title: "t", text: "Hello WORLD", contentHash: "", byteSize: 11)
        var document = ArticleDocument(article: article)
        let error = try #require(throws: NormalizeError.self) {
            try NormalizeStage(maxTextBytes: 10).process(&document)
        }
        #expect(error.reason.hasPrefix("article text is 11 bytes, over the 10"))
        #expect(document.normalized == nil)
        try NormalizeStage(maxTextBytes: 11).process(&document)
        #expect(document.normalized?.bytes == Array("hello world".utf8))
    }

    @Test func scalarOffsetsCountScalars() {
        let text = "aé東😀b"
        // byte offsets of each scalar start and the end
        let bytes = [0, 1, 3, 6, 10, 11]
        #expect(ScalarOffsets.scalarOffsets(ofSortedByteOffsets: bytes, in: text) == [0, 1, 2, 3, 4, 5])
        #expect(ScalarOffsets.scalarOffsets(ofSortedByteOffsets: [3, 3, 11], in: text) == [2, 2, 5])
    }

    /// The eight-bytes-at-a-time count agrees with counting scalars, over texts of 1- to 4-byte
    /// scalars and offsets at every distance (within a word, across words, repeated, at the end).
    @Test func scalarOffsetsMatchScalarCountsOnRandomText() {
        let scalars: [Unicode.Scalar] = ["a", "Z", " ", "\u{E9}", "\u{416}", "\u{6771}", "\u{2019}", "\u{1F600}", "\u{10348}"]
        var random = SplitMix(seed: 99)
        for _ in 0..<500 {
            var text = String.UnicodeScalarView()
            for _ in 0..<Int(random.next() % 60) { text.append(scalars[Int(random.next() % UInt64(scalars.count))]) }
            let string = String(text)
            var starts = [0]
            for scalar in string.unicodeScalars { starts.append(starts.last! + UTF8.width(scalar)) }
            // Sorted scalar boundaries, some repeated, some skipped.
            let picked = starts.indices.filter { _ in random.next() % 3 != 0 }.flatMap { index in
                random.next() % 5 == 0 ? [index, index] : [index]
            }
            #expect(ScalarOffsets.scalarOffsets(ofSortedByteOffsets: picked.map { starts[$0] }, in: string) == picked,
                    "\(string.debugDescription)")
        }
    }
}
