/// One token of a text being matched: a run of word scalars, or one other scalar that is not a
/// space (punctuation, a symbol, a Han character).
///
/// Both patterns and texts are cut by the same rule, so a pattern found at a word boundary covers
/// whole tokens of the text, and the same tokens with the same gaps as the pattern alone.
struct PhraseToken {
    /// UTF-8 byte offsets into the text.
    var start: Int32
    var end: Int32
    /// FNV-1a of the token's bytes, from a start state that depends on the matcher's seed.
    var hash: UInt64
    /// Number of space bytes between the previous token and this one (capped at 255).
    var gapBefore: UInt8
    /// `startsWord`: the scalar before the token is not a word scalar (or there is none), so a
    /// phrase may start here. `endsWord`: the scalar after it is not a word scalar (or there is none).
    var flags: UInt8

    static let startsWord: UInt8 = 1
    static let endsWord: UInt8 = 2
}

enum PhraseTokenizer {
    static let fnvOffset: UInt64 = 0xCBF2_9CE4_8422_2325
    static let fnvPrime: UInt64 = 0x0000_0100_0000_01B3

    /// Cuts `bytes` (UTF-8) into tokens, appending to `tokens` (cleared first, its storage reused).
    /// The seed enters the token hashes too, so two tokens that collide under one seed (FNV is not
    /// collision-resistant) are told apart under the next one the builder tries.
    static func tokenize(_ text: UnsafeBufferPointer<UInt8>, seed: UInt64, into tokens: inout [PhraseToken]) {
        tokens.removeAll(keepingCapacity: true)
        guard let bytes = text.baseAddress else { return }
        let count = text.count
        tokens.reserveCapacity(count / 5 + 1)
        let asciiWord = WordScalars.asciiWord
        asciiWord.withUnsafeBufferPointer { isWordByte in
            var index = 0
            var gap = 0
            // Whether the scalar just before `index` is a word scalar.
            var previousIsWord = false
            while index < count {
                let lead = bytes[index]
                if lead == 0x20 {
                    gap += 1
                    previousIsWord = false
                    index += 1
                    continue
                }
                let start = index
                var hash = fnvOffset ^ seed
                var isWordRun: Bool
                if lead < 0x80 {
                    isWordRun = isWordByte[Int(lead)]
                    hash = (hash ^ UInt64(lead)) &* fnvPrime
                    index += 1
                } else {
                    let (scalar, length) = WordScalars.decode(bytes, count: count, at: index)
                    isWordRun = WordScalars.isWord(scalar)
                    for offset in 0..<length { hash = (hash ^ UInt64(bytes[index + offset])) &* fnvPrime }
                    index += length
                }
                var flags: UInt8 = previousIsWord ? 0 : PhraseToken.startsWord
                if isWordRun {
                    // The rest of the run: ASCII word bytes without decoding, other scalars decoded.
                    while index < count {
                        let byte = bytes[index]
                        if byte < 0x80 {
                            guard isWordByte[Int(byte)] else { break }
                            hash = (hash ^ UInt64(byte)) &* fnvPrime
                            index += 1
                        } else {
                            let (scalar, length) = WordScalars.decode(bytes, count: count, at: index)
                            guard WordScalars.isWord(scalar) else { break }
                            for offset in 0..<length { hash = (hash ^ UInt64(bytes[index + offset])) &* fnvPrime }
                            index += length
                        }
                    }
                    // A word run ends where a non-word scalar (or the text) begins.
                    flags |= PhraseToken.endsWord
                    previousIsWord = true
                } else {
                    previousIsWord = false
                    if index >= count {
                        flags |= PhraseToken.endsWord
                    } else {
                        let next = bytes[index]
                        let nextIsWord = next < 0x80
                            ? isWordByte[Int(next)]
                            : WordScalars.isWord(WordScalars.decode(bytes, count: count, at: index).0)
                        if !nextIsWord { flags |= PhraseToken.endsWord }
                    }
                }
                tokens.append(PhraseToken(
                    start: Int32(truncatingIfNeeded: start), end: Int32(truncatingIfNeeded: index), hash: hash,
                    gapBefore: UInt8(min(gap, 255)), flags: flags))
                gap = 0
            }
        }
    }
}
