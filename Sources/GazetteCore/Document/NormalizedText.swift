/// The matching view of an article: its text after Unicode normalization, with a map back to the
/// original.
///
/// Normalization changes lengths (NFKC case folding turns `ß` into `ss`, `ﬁ` into `fi`, collapses
/// whitespace runs), so the original text stays untouched and every normalized byte remembers which
/// piece of the original produced it. Stored offsets always point into the original text.
public struct NormalizedText: Sendable, Equatable {
    /// Normalized UTF-8.
    public var bytes: [UInt8]
    /// `sourceOffsets[i]` is the UTF-8 byte offset, in the original text, of the start of the source
    /// chunk that produced normalized byte `i`. All bytes produced by one chunk share its start, and
    /// chunks are whole Unicode scalars (or runs of them that normalize together). The array has
    /// `bytes.count + 1` entries; the last is the original text's UTF-8 length.
    public var sourceOffsets: [Int32]

    public init(bytes: [UInt8], sourceOffsets: [Int32]) {
        precondition(sourceOffsets.count == bytes.count + 1, "one source offset per byte, plus the end")
        self.bytes = bytes
        self.sourceOffsets = sourceOffsets
    }

    /// The original UTF-8 byte range that produced normalized bytes `start..<end`.
    ///
    /// The end is rounded up to the end of the chunk that produced byte `end - 1`, so a range that
    /// ends inside a chunk (half of a ligature) still covers whole scalars of the original.
    public func sourceRange(normalizedStart start: Int, normalizedEnd end: Int) -> Range<Int> {
        precondition(0 <= start && start < end && end <= bytes.count)
        let lower = Int(sourceOffsets[start])
        let lastChunk = sourceOffsets[end - 1]
        var next = end
        while next < bytes.count && sourceOffsets[next] == lastChunk { next += 1 }
        return lower..<Int(sourceOffsets[next])
    }
}
