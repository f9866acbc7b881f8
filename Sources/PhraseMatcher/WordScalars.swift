/// What counts as part of a word for matching: letters, digits and combining marks.
///
/// A phrase matches only between word boundaries: the scalar before it and the scalar after it are
/// not word scalars. Without this, "oman" would match inside "woman", "us" inside "ussr" and "1"
/// inside "2011". Scripts written without spaces between words (Han, kana, Thai, Lao, Khmer,
/// Myanmar) have no boundaries to find, so their scalars are never word scalars: each one stands
/// alone, and a phrase may start or end at any of them.
public enum WordScalars {
    /// ASCII bytes that are word scalars, by byte value.
    static let asciiWord: [Bool] = (0..<128).map { byte in
        (0x30...0x39).contains(byte) || (0x61...0x7A).contains(byte) || (0x41...0x5A).contains(byte)
    }

    @inline(__always)
    public static func isWord(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x80 { return asciiWord[Int(value)] }
        if value < 0x10000 { return basicPlaneWords[Int(value &>> 6)] & (1 &<< UInt64(value & 63)) != 0 }
        return isNonASCIIWord(scalar)
    }

    /// `isNonASCIIWord` of every scalar of the Basic Multilingual Plane, one bit each (8 KiB),
    /// worked out once per process (a few milliseconds): building the gazetteer cuts 325k aliases in
    /// many scripts into tokens, and the property lookups were half of building the matcher.
    static let basicPlaneWords: [UInt64] = {
        var bits = [UInt64](repeating: 0, count: 0x10000 / 64)
        for value in UInt32(0x80)..<0x10000 {
            guard let scalar = Unicode.Scalar(value), isNonASCIIWord(scalar) else { continue }
            bits[Int(value >> 6)] |= 1 << UInt64(value & 63)
        }
        return bits
    }()

    /// Out of line: a function that reads `scalar.properties` inline asks the runtime for the
    /// resilient `Unicode.Scalar.Properties` metadata on every call, ASCII or not.
    @inline(never)
    static func isNonASCIIWord(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        let properties = scalar.properties
        if properties.isIdeographic || (0x3040...0x30FF).contains(value) || (0x0E00...0x0EFF).contains(value)
            || (0x1780...0x17FF).contains(value) || (0x1000...0x109F).contains(value) {
            return false
        }
        switch properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return properties.isAlphabetic || properties.numericType != nil
        }
    }

    /// The scalar whose UTF-8 encoding starts at `index`, and its length in bytes. Invalid UTF-8
    /// (which normalized text never holds) decodes as U+FFFD, one byte long, so a scan always moves on.
    @inline(__always)
    static func decode(_ bytes: UnsafePointer<UInt8>, count: Int, at index: Int) -> (Unicode.Scalar, Int) {
        let lead = bytes[index]
        if lead < 0x80 { return (Unicode.Scalar(lead), 1) }
        let length: Int
        var value: UInt32
        switch lead {
        case 0xC2...0xDF: length = 2; value = UInt32(lead & 0x1F)
        case 0xE0...0xEF: length = 3; value = UInt32(lead & 0x0F)
        case 0xF0...0xF4: length = 4; value = UInt32(lead & 0x07)
        default: return ("\u{FFFD}", 1)
        }
        guard index + length <= count else { return ("\u{FFFD}", 1) }
        for offset in 1..<length {
            let continuation = bytes[index + offset]
            guard continuation & 0xC0 == 0x80 else { return ("\u{FFFD}", 1) }
            value = value << 6 | UInt32(continuation & 0x3F)
        }
        guard let scalar = Unicode.Scalar(value) else { return ("\u{FFFD}", 1) }
        return (scalar, length)
    }
}
