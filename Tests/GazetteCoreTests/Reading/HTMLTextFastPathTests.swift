import Foundation
import Testing
@testable import GazetteCore

/// The byte-level whitespace collapsing and tidying of `HTMLText` against the `Character` and
/// scalar versions they replaced, on random texts made of the pieces where they could differ.
@Suite("HTML text: byte paths equal the Character paths")
struct HTMLTextFastPathTests {
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Words, spaces and line feeds, and what may join a space in one grapheme cluster: combining
    /// marks, ZWJ, an emoji modifier, Thai SARA AM, Prepend letters (U+0600, U+0D4E, U+110BD),
    /// plus other whitespace and ordinary non-ASCII text.
    static let pieces = [
        "a", "Bb", "news", " ", " ", "  ", "\n", "\n\n", "\t", "\r\n", "\u{0B}", "\u{A0}", "\u{2003}", "\u{3000}",
        "é", "e\u{301}", "\u{301}", "\u{200D}", "\u{200C}", "👍", "\u{1F3FB}", "\u{0E33}", "\u{0600}", "\u{0D4E}",
        "\u{110BD}", "“", "”", "—", "中文", "\u{0903}", "&", ";",
    ]

    static func randomText(_ generator: inout SplitMix64) -> String {
        (0..<Int.random(in: 0...24, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
    }

    @Test("collapsingWhitespace equals the scalar version on 20,000 random texts")
    func collapsing() {
        var generator = SplitMix64(state: 7)
        for _ in 0..<20_000 {
            let text = Self.randomText(&generator)
            #expect(HTMLText.collapsingWhitespace(text) == Self.scalarCollapsingWhitespace(text), "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    @Test("tidy equals the Character version on 20,000 random collapsed texts, and takes the byte path on plain ones")
    func tidying() {
        var generator = SplitMix64(state: 11)
        var byteAnswers = 0
        for _ in 0..<20_000 {
            // As the scanner hands them to tidy: whitespace collapsed, line feeds from block tags.
            let text = (0..<3).map { _ in HTMLText.collapsingWhitespace(Self.randomText(&generator)) }.joined(separator: "\n")
            #expect(HTMLText.tidy(text) == HTMLText.characterTidy(text), "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
            var bytes = text
            if bytes.withUTF8({ HTMLText.tidyBytes($0) }) != nil { byteAnswers += 1 }
        }
        // The alphabet is dense in marks that join a space; most random texts have one.
        #expect(byteAnswers > 0)
        // Without them, the byte path answers every text.
        let plainPieces = ["a", "Bb", " ", "  ", "\n", "é", "“", "”", "—", "中文", "👍", "\u{A0}"]
        for _ in 0..<2_000 {
            var text = (0..<Int.random(in: 0...24, using: &generator)).map { _ in plainPieces.randomElement(using: &generator)! }.joined()
            let byteAnswer = text.withUTF8 { HTMLText.tidyBytes($0) }
            #expect(byteAnswer == HTMLText.characterTidy(text))
        }
        var plain = "  Leaders met in “Brussels” —  again \n\n  and  agreed. \n"
        #expect(plain.withUTF8 { HTMLText.tidyBytes($0) } == "Leaders met in “Brussels” — again\nand agreed.")
        var joined = "a \u{301}b"
        #expect(joined.withUTF8 { HTMLText.tidyBytes($0) } == nil)
        #expect(HTMLText.tidy(joined) == HTMLText.characterTidy(joined))
    }

    /// The scalar-by-scalar version `HTMLText.collapsingWhitespace` replaced.
    static func scalarCollapsingWhitespace(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        var inSpace = false
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace {
                if !inSpace { scalars.append(" ") }
                inSpace = true
            } else {
                scalars.append(scalar)
                inSpace = false
            }
        }
        return String(scalars)
    }
}
