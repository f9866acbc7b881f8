import CICU

/// Turns text into its matching form: NFKC case folding, optional accent folding, one ASCII form for
/// quotes and dashes, one space per whitespace run, format characters dropped.
///
/// Article text and gazetteer aliases go through the same normalizer, so they agree byte for byte.
/// ASCII is handled here byte by byte (news text is mostly ASCII); each run of non-ASCII scalars,
/// together with the ASCII scalar before it (a combining mark may attach to it), goes to ICU, which
/// splits it at normalization boundaries so every output byte maps back to whole source scalars.
public struct TextNormalizer: Sendable, Equatable {
    /// Whether accents are removed, so "São Paulo" matches "sao paulo" and "Zürich" matches "zurich".
    public var foldAccents: Bool

    public init(foldAccents: Bool = true) {
        self.foldAccents = foldAccents
    }

    public func normalize(_ text: String) -> NormalizedText {
        var text = text
        return text.withUTF8 { normalize(utf8: $0) }
    }

    /// Normalizes well-formed UTF-8 (the contents of a Swift `String`).
    public func normalize(utf8 source: UnsafeBufferPointer<UInt8>) -> NormalizedText {
        let count = source.count
        precondition(count < Int(Int32.max), "text longer than 2 GB")
        var bytes: [UInt8] = []
        var offsets: [Int32] = []
        bytes.reserveCapacity(count + 16)
        offsets.reserveCapacity(count + 17)
        var scratchBytes: [UInt8] = []
        var scratchOffsets: [Int32] = []
        var lastWasSpace = false
        var index = 0

        while index < count {
            let byte = source[index]
            let nextIsASCII = index + 1 >= count || source[index + 1] < 0x80
            if byte < 0x80 && nextIsASCII {
                let mapped = Self.asciiMap[Int(byte)]
                if mapped == 0x20 {
                    if !lastWasSpace {
                        bytes.append(0x20)
                        offsets.append(Int32(truncatingIfNeeded: index))
                        lastWasSpace = true
                    }
                } else {
                    bytes.append(mapped)
                    offsets.append(Int32(truncatingIfNeeded: index))
                    lastWasSpace = false
                }
                index += 1
                continue
            }

            // A non-ASCII run, starting at this scalar (ASCII or not) and ending before the next
            // ASCII byte: ASCII scalars never combine with what precedes them, so that is a
            // normalization boundary.
            let runStart = index
            var runEnd = index + 1
            while runEnd < count && source[runEnd] >= 0x80 { runEnd += 1 }
            let runLength = runEnd - runStart
            var capacity = runLength * 4 + 16
            if scratchBytes.count < capacity {
                scratchBytes = [UInt8](repeating: 0, count: capacity)
                scratchOffsets = [Int32](repeating: 0, count: capacity)
            }
            var produced = Int32(0)
            while true {
                produced = scratchBytes.withUnsafeMutableBufferPointer { out in
                    scratchOffsets.withUnsafeMutableBufferPointer { outOffsets in
                        gazette_normalize_run(
                            source.baseAddress! + runStart, Int32(runLength), foldAccents ? 1 : 0,
                            out.baseAddress!, outOffsets.baseAddress!, Int32(out.count))
                    }
                }
                if produced >= 0 || produced == Int32.min { break }
                capacity = Int(-produced)
                scratchBytes = [UInt8](repeating: 0, count: capacity)
                scratchOffsets = [Int32](repeating: 0, count: capacity)
            }
            // ICU failing to load its data is an installation fault; the run is then dropped rather
            // than crashing the pipeline, and the map stays consistent.
            for k in 0..<max(0, Int(produced)) {
                let out = scratchBytes[k]
                if out == 0x20 {
                    if lastWasSpace { continue }
                    lastWasSpace = true
                } else {
                    lastWasSpace = false
                }
                bytes.append(out)
                offsets.append(Int32(truncatingIfNeeded: runStart) + scratchOffsets[k])
            }
            index = runEnd
        }
        offsets.append(Int32(truncatingIfNeeded: count))
        return NormalizedText(bytes: bytes, sourceOffsets: offsets)
    }

    /// Normalizes a short string (an alias) and returns just its bytes without leading or trailing
    /// space.
    public func normalizedBytes(_ text: String) -> [UInt8] {
        let bytes = normalize(text).bytes
        var lower = 0
        var upper = bytes.count
        while lower < upper && bytes[lower] == 0x20 { lower += 1 }
        while upper > lower && bytes[upper - 1] == 0x20 { upper -= 1 }
        return Array(bytes[lower..<upper])
    }

    /// ASCII byte → normalized byte: letters lowercased, control characters and whitespace to a
    /// space, everything else unchanged (NFKC case folding leaves the rest of ASCII alone).
    static let asciiMap: [UInt8] = (0..<128).map { (value: Int) -> UInt8 in
        let byte = UInt8(value)
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return byte + 32
        case 0..<0x20, 0x7F: return 0x20
        default: return byte
        }
    }
}
