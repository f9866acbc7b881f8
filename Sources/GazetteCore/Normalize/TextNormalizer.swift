import CICU

/// Turns text into its matching form: NFKC case folding, optional accent folding, one ASCII form for
/// quotes and dashes, one space per whitespace run, format characters dropped.
///
/// Article text and gazetteer aliases go through the same normalizer, so they agree byte for byte.
/// ASCII is handled here byte by byte (news text is mostly ASCII); each run of non-ASCII scalars,
/// together with the ASCII scalar before it (a combining mark may attach to it), goes to ICU, which
/// splits it at normalization boundaries so every output byte maps back to whole source scalars.
public struct TextNormalizer: Sendable, Equatable, Codable {
    /// Whether accents are removed, so "São Paulo" matches "sao paulo" and "Zürich" matches "zurich".
    public var foldAccents: Bool

    public init(foldAccents: Bool = true) {
        self.foldAccents = foldAccents
    }

    /// The longest text, in UTF-8 bytes, whose offsets fit the 32-bit offset tables.
    public static let maxTextBytes = Int(Int32.max) - 1

    public func normalize(_ text: String) -> NormalizedText {
        var text = text
        return text.withUTF8 { normalize(utf8: $0) }
    }

    /// Normalizes well-formed UTF-8 (the contents of a Swift `String`).
    public func normalize(utf8 source: UnsafeBufferPointer<UInt8>) -> NormalizedText {
        let count = source.count
        // Offsets are 32-bit; `NormalizeStage` refuses longer articles with an error naming them.
        precondition(count <= Self.maxTextBytes, "text of 2 GiB or more")
        // Output goes to raw buffers (the hot loop is one table lookup and two stores per ASCII
        // byte); they are copied into the result's arrays once at the end.
        var output = OutputBuffer(capacity: count + 16)
        defer { output.deallocate() }
        var scratch = OutputBuffer(capacity: 0)
        defer { scratch.deallocate() }
        var lastWasSpace = false
        var index = 0

        Self.asciiMap.withUnsafeBufferPointer { asciiMap in
            while index < count {
                let byte = source[index]
                if byte < 0x80 && (index + 1 == count || source[index + 1] < 0x80) {
                    let mapped = asciiMap[Int(byte)]
                    if mapped != 0x20 || !lastWasSpace {
                        output.append(mapped, Int32(truncatingIfNeeded: index))
                    }
                    lastWasSpace = mapped == 0x20
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
                scratch.reserve(runLength * 4 + 16)
                var produced = gazette_normalize_run(
                    source.baseAddress! + runStart, Int32(runLength), foldAccents ? 1 : 0,
                    scratch.bytes, scratch.offsets, Int32(scratch.capacity))
                if produced < 0 && produced != Int32.min {
                    scratch.reserve(Int(-produced))
                    produced = gazette_normalize_run(
                        source.baseAddress! + runStart, Int32(runLength), foldAccents ? 1 : 0,
                        scratch.bytes, scratch.offsets, Int32(scratch.capacity))
                }
                // ICU failing to load its data is an installation fault; the run is then dropped
                // rather than crashing the pipeline, and the map stays consistent.
                for k in 0..<max(0, Int(produced)) {
                    let out = scratch.bytes[k]
                    if out == 0x20 {
                        if lastWasSpace { continue }
                        lastWasSpace = true
                    } else {
                        lastWasSpace = false
                    }
                    output.append(out, Int32(truncatingIfNeeded: runStart) + scratch.offsets[k])
                }
                index = runEnd
            }
        }
        output.append(offsetOnly: Int32(truncatingIfNeeded: count))
        return NormalizedText(
            bytes: Array(UnsafeBufferPointer(start: output.bytes, count: output.count)),
            sourceOffsets: Array(UnsafeBufferPointer(start: output.offsets, count: output.count + 1)))
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

/// Growable byte + offset buffers for the normalizer's output; one spare offset slot is kept for
/// the final end offset.
private struct OutputBuffer {
    var bytes: UnsafeMutablePointer<UInt8>
    var offsets: UnsafeMutablePointer<Int32>
    var count = 0
    var capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        bytes = .allocate(capacity: capacity + 1)
        offsets = .allocate(capacity: capacity + 1)
    }

    mutating func reserve(_ needed: Int) {
        guard needed > capacity else { return }
        let newCapacity = max(needed, capacity * 2)
        let newBytes = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity + 1)
        let newOffsets = UnsafeMutablePointer<Int32>.allocate(capacity: newCapacity + 1)
        newBytes.update(from: bytes, count: count)
        newOffsets.update(from: offsets, count: count)
        bytes.deallocate()
        offsets.deallocate()
        bytes = newBytes
        offsets = newOffsets
        capacity = newCapacity
    }

    @inline(__always)
    mutating func append(_ byte: UInt8, _ offset: Int32) {
        if count == capacity { reserve(count + 1) }
        bytes[count] = byte
        offsets[count] = offset
        count += 1
    }

    /// The trailing end offset (the slot beyond `count` is always allocated).
    mutating func append(offsetOnly offset: Int32) {
        offsets[count] = offset
    }

    func deallocate() {
        bytes.deallocate()
        offsets.deallocate()
    }
}
