/// Converts UTF-8 byte offsets of a string into Unicode-scalar offsets, in one pass over the bytes.
///
/// Mentions store scalar offsets (`text.unicodeScalars[start..<end]`), while matching works on bytes.
/// A scalar starts at every byte that is not a UTF-8 continuation byte (`10xxxxxx`), so the scalar
/// offset of byte offset `b` is the number of such bytes before `b`.
public enum ScalarOffsets {
    /// `byteOffsets` must be sorted ascending and lie in `0...utf8.count`; the result is parallel
    /// to it.
    public static func scalarOffsets(
        ofSortedByteOffsets byteOffsets: [Int], in utf8: UnsafeBufferPointer<UInt8>
    ) -> [Int] {
        var result: [Int] = []
        result.reserveCapacity(byteOffsets.count)
        var byte = 0
        var scalars = 0
        for target in byteOffsets {
            precondition(target >= byte && target <= utf8.count, "byte offsets must be sorted and in range")
            // Eight bytes at a time: a byte is a continuation byte when its bit 7 is set and bit
            // 6 is not; `word << 1` puts each byte's bit 6 under its bit 7. (This count runs up to
            // the last mention of every article: byte by byte it was 3-4% of the gazetteer stage.)
            if let base = utf8.baseAddress {
                while target - byte >= 8 {
                    let word = ByteWords.load(base + byte)
                    let continuations = word & ~(word << 1) & ByteWords.highBits
                    scalars += 8 - continuations.nonzeroBitCount
                    byte += 8
                }
            }
            while byte < target {
                if utf8[byte] & 0xC0 != 0x80 { scalars += 1 }
                byte += 1
            }
            result.append(scalars)
        }
        return result
    }

    public static func scalarOffsets(ofSortedByteOffsets byteOffsets: [Int], in text: String) -> [Int] {
        var text = text
        return text.withUTF8 { scalarOffsets(ofSortedByteOffsets: byteOffsets, in: $0) }
    }
}
