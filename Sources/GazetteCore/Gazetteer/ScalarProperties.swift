/// Unicode property lookups for the per-byte and per-word loops, kept out of line.
///
/// `Unicode.Scalar.Properties` is a resilient type of the standard library: a function that reads
/// `scalar.properties` inline asks the runtime for the type's metadata and makes room for a value of
/// it on the stack each time it runs, even when only ASCII comes by and no property is read. In the
/// article tokenizer that cost one metadata call per word (a profile put ~12% of `scanWord`'s
/// samples on it). Called through these functions, only non-ASCII scalars pay for it.
enum ScalarProperties {
    @inline(never) static func isAlphabetic(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.isAlphabetic }
    @inline(never) static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.isWhitespace }
    @inline(never) static func isUppercase(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.isUppercase }
    @inline(never) static func isLowercase(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.isLowercase }

    /// A nonspacing or spacing combining mark.
    @inline(never) static func isMark(_ scalar: Unicode.Scalar) -> Bool {
        let category = scalar.properties.generalCategory
        return category == .nonspacingMark || category == .spacingMark
    }

    /// White space or a format character (a soft hyphen, a zero-width space).
    @inline(never) static func isWhitespaceOrFormat(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || scalar.properties.generalCategory == .format
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
        let properties = scalar.properties
        let isWordPart = properties.isAlphabetic || properties.numericType != nil
            || properties.generalCategory == .nonspacingMark || properties.generalCategory == .spacingMark
        return (isWordPart, properties.changesWhenLowercased, properties.changesWhenUppercased)
    }
}
