/// Eight bytes at a time: the word loads and byte tests of the ASCII fast paths of the normalizer
/// (`TextNormalizer.plainASCII`) and the article tokenizer (`ArticleTokenScanner.asciiWordRun`).
/// A word holds eight consecutive bytes, the first one lowest.
enum ByteWords {
    /// The high bit of every byte.
    static let highBits: UInt64 = 0x8080_8080_8080_8080
    /// The low bit of every byte (times `c`: `c` in every byte).
    static let lowBits: UInt64 = 0x0101_0101_0101_0101

    /// Eight bytes from `address` as a little-endian word (any alignment).
    @inline(__always)
    static func load(_ address: UnsafePointer<UInt8>) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(address).loadUnaligned(as: UInt64.self))
    }

    /// The high bit of each byte of `low7` that is at least `c`: (byte + 0x80 − c) has its high
    /// bit set exactly then, and no carry crosses a byte, as long as the bytes of `low7` are below
    /// 0x80 and `c` ≤ 0x80.
    @inline(__always)
    static func highBits(of low7: UInt64, atLeast c: UInt64) -> UInt64 {
        (low7 &+ (0x80 &- c) &* lowBits) & highBits
    }
}
