/// Unicode property lookups for the per-byte and per-word loops, kept out of line.
///
/// `Unicode.Scalar.Properties` is a resilient type of the standard library: a function that reads
/// `scalar.properties` inline asks the runtime for the type's metadata and makes room for a value of
/// it on the stack each time it runs, even when only ASCII comes by and no property is read. In the
/// article tokenizer that cost one metadata call per word (a profile put ~12% of `scanWord`'s
/// samples on it). Called through these functions, only non-ASCII scalars pay for it.
///
/// The scalars of most non-ASCII news text, the accented letters of European languages and the
/// Greek, Cyrillic, Hebrew and Arabic alphabets (U+0080 to U+07FF) and curly quotes, dashes and
/// spaces (U+2000 to U+206F), are answered from a table of
/// their properties made once from the same lookups (`Common`): the library's lookup was 5.4% of
/// the gazetteer stage's samples on text with an accent in a quarter of its words.
enum ScalarProperties {
    @inline(never) static func isAlphabetic(_ scalar: Unicode.Scalar) -> Bool {
        Common.bits(of: scalar).map { $0 & Common.alphabetic != 0 } ?? scalar.properties.isAlphabetic
    }
    @inline(never) static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        Common.bits(of: scalar).map { $0 & Common.whitespace != 0 } ?? scalar.properties.isWhitespace
    }
    @inline(never) static func isUppercase(_ scalar: Unicode.Scalar) -> Bool {
        Common.bits(of: scalar).map { $0 & Common.uppercase != 0 } ?? scalar.properties.isUppercase
    }
    @inline(never) static func isLowercase(_ scalar: Unicode.Scalar) -> Bool {
        Common.bits(of: scalar).map { $0 & Common.lowercase != 0 } ?? scalar.properties.isLowercase
    }

    /// A nonspacing or spacing combining mark.
    @inline(never) static func isMark(_ scalar: Unicode.Scalar) -> Bool {
        if let bits = Common.bits(of: scalar) { return bits & Common.mark != 0 }
        let category = scalar.properties.generalCategory
        return category == .nonspacingMark || category == .spacingMark
    }

    /// White space or a format character (a soft hyphen, a zero-width space).
    @inline(never) static func isWhitespaceOrFormat(_ scalar: Unicode.Scalar) -> Bool {
        if let bits = Common.bits(of: scalar) { return bits & (Common.whitespace | Common.format) != 0 }
        return scalar.properties.isWhitespace || scalar.properties.generalCategory == .format
    }

    /// The property bits of `Common`, looked up in the standard library's tables (what the table
    /// holds; scalars outside it are asked only what each function needs).
    static func lookedUpBits(_ scalar: Unicode.Scalar) -> UInt16 {
        let properties = scalar.properties
        var bits: UInt16 = 0
        if properties.isAlphabetic { bits |= Common.alphabetic }
        if properties.isWhitespace { bits |= Common.whitespace }
        if properties.isUppercase { bits |= Common.uppercase }
        if properties.isLowercase { bits |= Common.lowercase }
        switch properties.generalCategory {
        case .nonspacingMark, .spacingMark: bits |= Common.mark
        case .format: bits |= Common.format
        default: break
        }
        if properties.numericType != nil { bits |= Common.numeric }
        if properties.changesWhenLowercased { bits |= Common.changesWhenLowercased }
        if properties.changesWhenUppercased { bits |= Common.changesWhenUppercased }
        return bits
    }

    /// The property bits of the common non-ASCII scalars, made once.
    enum Common {
        static let alphabetic: UInt16 = 1, whitespace: UInt16 = 2, uppercase: UInt16 = 4, lowercase: UInt16 = 8
        static let mark: UInt16 = 16, format: UInt16 = 32, numeric: UInt16 = 64
        static let changesWhenLowercased: UInt16 = 128, changesWhenUppercased: UInt16 = 256

        /// The ranges the table covers: U+0080 to U+07FF (Latin-1 Supplement, Latin Extended-A and
        /// -B, IPA, combining diacritics, Greek, Cyrillic, Armenian, Hebrew, Arabic and a few more:
        /// the scripts of most of the gazetteer's non-Latin alternate names; with it a gazetteer
        /// build took 3–4% less CPU than with U+0080 to U+024F); General Punctuation.
        static let belowU0800: Range<UInt32> = 0x80..<0x800
        static let punctuation: Range<UInt32> = 0x2000..<0x2070

        private static let table: [UInt16] = (Array(belowU0800) + Array(punctuation)).map { value in
            Unicode.Scalar(value).map(ScalarProperties.lookedUpBits) ?? 0
        }

        /// The bits of `scalar`, nil outside the table's ranges.
        @inline(__always)
        static func bits(of scalar: Unicode.Scalar) -> UInt16? {
            let value = scalar.value
            if belowU0800.contains(value) { return table[Int(value &- belowU0800.lowerBound)] }
            if punctuation.contains(value) { return table[belowU0800.count &+ Int(value &- punctuation.lowerBound)] }
            return nil
        }
    }

    /// Whether a scalar after a space may join it in one grapheme cluster (`HTMLText.joinsSpace`):
    /// Extend, ZWJ or SpacingMark (UAX #29, GB9–GB9a), taken broadly: every mark and format
    /// character, skin-tone modifiers, and the Thai and Lao AM vowels.
    @inline(never) static func mayExtendPrecedingSpace(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        switch properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .format: return true
        default: break
        }
        return properties.isGraphemeExtend || (0x1F3FB...0x1F3FF).contains(scalar.value)
            || scalar.value == 0x0E33 || scalar.value == 0x0EB3
    }

    /// Whether a scalar before a space may join it in one grapheme cluster (`HTMLText.joinsSpace`):
    /// Prepend (UAX #29, GB9b), taken broadly: format characters, the Malayalam dot reph, and the
    /// whole U+11000–U+11FFF range of Brahmic scripts.
    @inline(never) static func mayPrependFollowingSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .format || scalar.value == 0x0D4E || (0x11000...0x11FFF).contains(scalar.value)
    }

    /// `CaseShape`'s facts for a non-ASCII scalar: part of a word (a letter, a number or a combining
    /// mark), and whether lower- or upper-casing changes it.
    @inline(never) static func caseFacts(_ scalar: Unicode.Scalar) -> (isWordPart: Bool, isUpper: Bool, isLower: Bool) {
        if let bits = Common.bits(of: scalar) {
            return (bits & (Common.alphabetic | Common.numeric | Common.mark) != 0,
                    bits & Common.changesWhenLowercased != 0, bits & Common.changesWhenUppercased != 0)
        }
        let properties = scalar.properties
        let isWordPart = properties.isAlphabetic || properties.numericType != nil
            || properties.generalCategory == .nonspacingMark || properties.generalCategory == .spacingMark
        return (isWordPart, properties.changesWhenLowercased, properties.changesWhenUppercased)
    }
}
