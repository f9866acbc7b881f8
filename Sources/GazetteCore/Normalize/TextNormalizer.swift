import CICU

/// Turns text into its matching form: NFKC case folding, optional accent folding, one ASCII form for
/// quotes and dashes, one space per whitespace run, format characters dropped.
///
/// Article text and gazetteer aliases go through the same normalizer, so they agree byte for byte.
/// ASCII is handled here byte by byte (news text is mostly ASCII); each run of non-ASCII scalars,
/// together with the ASCII scalar before it (a combining mark may attach to it), goes to ICU, which
/// splits it at normalization boundaries so every output byte maps back to whole source scalars.
/// (The shim keeps the form of each one-code-point segment after making it once: `gazette_icu.cpp`.)
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
        // Offsets are 32-bit; `NormalizeStage` refuses longer articles with an error naming them.
        precondition(source.count <= Self.maxTextBytes, "text of 2 GiB or more")
        // The output is written straight into the result's arrays, sized for the usual case
        // (normalized text is rarely longer than its source); a text that NFKC expands past that
        // (ligatures, "½", Arabic honorifics: at most ~11 output bytes a source byte) is done
        // again with more room.
        var capacity = source.count + source.count / 8 + 64
        while true {
            if let result = normalize(utf8: source, capacity: capacity) { return result }
            capacity *= 4
        }
    }

    /// `normalize(utf8:)` into arrays of `capacity` bytes; nil when the output does not fit.
    private func normalize(utf8 source: UnsafeBufferPointer<UInt8>, capacity: Int) -> NormalizedText? {
        let count = source.count
        var fits = true
        var produced = 0
        var sourceOffsets: [Int32] = []
        let bytes = [UInt8](unsafeUninitializedCapacity: capacity) { bytes, bytesCount in
            sourceOffsets = [Int32](unsafeUninitializedCapacity: capacity + 1) { offsets, offsetsCount in
                var output = FixedOutput(bytes: bytes.baseAddress!, offsets: offsets.baseAddress!, capacity: capacity)
                fits = fill(&output, from: source)
                guard fits else {
                    offsetsCount = 0
                    return
                }
                output.offsets[output.count] = Int32(truncatingIfNeeded: count)
                offsetsCount = output.count + 1
                produced = output.count
            }
            bytesCount = produced
        }
        return fits ? NormalizedText(bytes: bytes, sourceOffsets: sourceOffsets) : nil
    }

    /// Writes the normalized form of `source` to `output`; false when it does not fit.
    private func fill(_ output: inout FixedOutput, from source: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = source.count
        guard let base = source.baseAddress else { return true }
        var scratch = ScratchBuffer(capacity: 0)
        defer { scratch.deallocate() }
        var lastWasSpace = false
        var index = 0
        return Self.asciiMap.withUnsafeBufferPointer { asciiMap in
            while index < count {
                // Eight plain ASCII bytes at a time (most of news text): lower-cased in one word
                // and written with their offsets, when no byte is a control character and no
                // space follows a space, so no byte is dropped or mapped to a space. The byte after
                // them must be ASCII too (a non-ASCII scalar may combine with the last of them).
                if count &- index >= 8 && output.capacity &- output.count >= 8 {
                    let word = ByteWords.load(base + index)
                    if index &+ 8 == count || base[index &+ 8] < 0x80,
                       let lowered = Self.plainASCII(word, afterSpace: lastWasSpace) {
                        output.append8(lowered, firstOffset: Int32(truncatingIfNeeded: index))
                        lastWasSpace = word >> 56 == 0x20
                        index &+= 8
                        continue
                    }
                }
                let byte = base[index]
                if byte < 0x80 && (index + 1 == count || base[index + 1] < 0x80) {
                    let mapped = asciiMap[Int(byte)]
                    if mapped != 0x20 || !lastWasSpace {
                        guard output.append(mapped, Int32(truncatingIfNeeded: index)) else { return false }
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
                while runEnd < count && base[runEnd] >= 0x80 { runEnd += 1 }
                let runLength = runEnd - runStart
                scratch.reserve(runLength * 4 + 16)
                var produced = gazette_normalize_run(
                    base + runStart, Int32(runLength), foldAccents ? 1 : 0,
                    scratch.bytes, scratch.offsets, Int32(scratch.capacity))
                if produced < 0 && produced != Int32.min {
                    scratch.reserve(Int(-produced))
                    produced = gazette_normalize_run(
                        base + runStart, Int32(runLength), foldAccents ? 1 : 0,
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
                    guard output.append(out, Int32(truncatingIfNeeded: runStart) + scratch.offsets[k]) else { return false }
                }
                index = runEnd
            }
            return true
        }
    }

    /// The eight bytes of `word` (first byte lowest) lower-cased, as `asciiMap` maps them, when
    /// that is all normalizing them does: all are ASCII, none is a control character (mapped to a
    /// space), and no space follows a space (one of them would be dropped), the first one
    /// included when `afterSpace`. Nil otherwise.
    @inline(__always)
    static func plainASCII(_ word: UInt64, afterSpace: Bool) -> UInt64? {
        let highBits = ByteWords.highBits, lowBits = ByteWords.lowBits
        guard word & highBits == 0 else { return nil }
        // All bytes are below 0x80, as `ByteWords.highBits(of:atLeast:)` needs.
        @inline(__always) func atLeast(_ value: UInt64, _ c: UInt64) -> UInt64 { ByteWords.highBits(of: value, atLeast: c) }
        let control = ~atLeast(word, 0x20) & highBits | ~atLeast(word ^ (0x7F &* lowBits), 1) & highBits
        let spaces = ~atLeast(word ^ (0x20 &* lowBits), 1) & highBits
        let previousSpaces = spaces << 8 | (afterSpace ? 0x80 : 0)
        guard control | (spaces & previousSpaces) == 0 else { return nil }
        let upper = atLeast(word, 0x41) & ~atLeast(word, 0x5B)
        return word | upper >> 2
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

/// The normalizer's output: the result arrays' storage, of a fixed capacity (one more offset
/// slot, for the final end offset).
private struct FixedOutput {
    let bytes: UnsafeMutablePointer<UInt8>
    let offsets: UnsafeMutablePointer<Int32>
    let capacity: Int
    var count = 0

    /// Appends a byte and its source offset; false when full.
    @inline(__always)
    mutating func append(_ byte: UInt8, _ offset: Int32) -> Bool {
        guard count < capacity else { return false }
        bytes[count] = byte
        offsets[count] = offset
        count += 1
        return true
    }

    /// Appends eight bytes (`word`, first byte lowest) from consecutive source bytes starting at
    /// `firstOffset`. The caller checks that they fit.
    @inline(__always)
    mutating func append8(_ word: UInt64, firstOffset: Int32) {
        UnsafeMutableRawPointer(bytes + count).storeBytes(of: word.littleEndian, as: UInt64.self)
        let ramp = SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7) &+ SIMD8(repeating: firstOffset)
        UnsafeMutableRawPointer(offsets + count).storeBytes(of: ramp, as: SIMD8<Int32>.self)
        count &+= 8
    }
}

/// Room for ICU's output for one non-ASCII run (bytes, and each byte's offset into the run),
/// grown to the longest run met.
private struct ScratchBuffer {
    var bytes: UnsafeMutablePointer<UInt8>
    var offsets: UnsafeMutablePointer<Int32>
    var capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        bytes = .allocate(capacity: capacity)
        offsets = .allocate(capacity: capacity)
    }

    /// Room for at least `needed` bytes (the contents are not kept).
    mutating func reserve(_ needed: Int) {
        guard needed > capacity else { return }
        let newCapacity = max(needed, capacity * 2)
        bytes.deallocate()
        offsets.deallocate()
        bytes = .allocate(capacity: newCapacity)
        offsets = .allocate(capacity: newCapacity)
        capacity = newCapacity
    }

    func deallocate() {
        bytes.deallocate()
        offsets.deallocate()
    }
}
