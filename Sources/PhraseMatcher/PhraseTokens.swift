/// One token of a text being matched: a run of word scalars, or one other scalar that is not a
/// space (punctuation, a symbol, a Han character).
///
/// Both patterns and texts are cut by the same rule, so a pattern found at a word boundary covers
/// whole tokens of the text, and the same tokens with the same gaps as the pattern alone.
struct PhraseToken {
    /// UTF-8 byte offsets into the text.
    var start: Int32
    var end: Int32
    /// Hash of the token's bytes (`PhraseTokenizer.hash`), from a start state that is the matcher's seed.
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
    /// The hash of a token's bytes, eight at a time: every full 8-byte chunk is one round, then the
    /// last 0–7 bytes with the token's length in the top byte are one more. The start state is
    /// the seed, so two tokens that collide under one seed (the hash is not collision-resistant)
    /// are told apart under the next one the builder tries. Keys mix the result further
    /// (`PhraseMatcher.firstKey`, `nextKey`).
    ///
    /// Why not byte-at-a-time FNV-1a: the run of word bytes is found eight bytes at a time
    /// (`nonWordBytes`), and a hash of whole chunks needs no loop over the bytes, so a short word
    /// costs no branch that depends on its length (mispredicted word ends were a third of the
    /// tokenizer's time).
    @inline(__always)
    static func round(_ hash: UInt64, _ chunk: UInt64) -> UInt64 {
        let x = (hash ^ chunk) &* 0x9E37_79B9_7F4A_7C15
        return x ^ (x >> 29)
    }

    @inline(__always)
    static func lastRound(_ hash: UInt64, partial: UInt64, length: Int) -> UInt64 {
        round(hash, partial | UInt64(truncatingIfNeeded: length) << 56)
    }

    /// `hash` of `bytes[start..<end]` the slow way (bytes one by one): for tokens near the end of
    /// the text or holding non-ASCII scalars. Must agree with the fast path in `tokenize`.
    static func hash(_ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int, seed: UInt64) -> UInt64 {
        var hash = seed
        var index = start
        while end &- index >= 8 {
            hash = round(hash, load8(bytes + index))
            index &+= 8
        }
        var partial: UInt64 = 0
        var shift: UInt64 = 0
        while index < end {
            partial |= UInt64(bytes[index]) << shift
            shift &+= 8
            index &+= 1
        }
        return lastRound(hash, partial: partial, length: end &- start)
    }

    /// Eight bytes from `address` as a little-endian word (any alignment).
    @inline(__always)
    static func load8(_ address: UnsafePointer<UInt8>) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(address).loadUnaligned(as: UInt64.self))
    }

    static let highBits: UInt64 = 0x8080_8080_8080_8080
    static let lowBits: UInt64 = 0x0101_0101_0101_0101

    /// The high bit of each byte of `word` that is not an ASCII word byte (a letter or a digit),
    /// bytes ≥ 0x80 included; the other bits are 0.
    @inline(__always)
    static func nonWordBytes(_ word: UInt64) -> UInt64 {
        let low7 = word & ~highBits
        // (byte + 0x80 - c) has its high bit set iff byte ≥ c, for bytes and c below 0x80; no
        // carry crosses a byte.
        @inline(__always) func atLeast(_ value: UInt64, _ c: UInt64) -> UInt64 { (value &+ (0x80 &- c) &* lowBits) & highBits }
        let digit = atLeast(low7, 0x30) & ~atLeast(low7, 0x3A)
        let folded = low7 | 0x20 &* lowBits
        let letter = atLeast(folded, 0x61) & ~atLeast(folded, 0x7B)
        return ~((digit | letter) & ~word) & highBits
    }

    /// Cuts `bytes` (UTF-8) into tokens, appending to `tokens` (cleared first, its storage reused).
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
                var hash: UInt64 = 0
                var isWordRun = false
                var flags: UInt8 = previousIsWord ? 0 : PhraseToken.startsWord
                var done = false
                if lead < 0x80 && isWordByte[Int(lead)] {
                    isWordRun = true
                    // Fast path: eight bytes at a time while the run is ASCII and the text goes on.
                    var chunkStart = start
                    hash = seed
                    while chunkStart &+ 8 <= count {
                        let word = load8(bytes + chunkStart)
                        let stops = nonWordBytes(word)
                        if stops == 0 {
                            hash = round(hash, word)
                            chunkStart &+= 8
                            continue
                        }
                        let length = stops.trailingZeroBitCount >> 3
                        // A non-ASCII scalar may continue the word: the slow path decides. (The
                        // stop byte is read from the chunk already loaded.)
                        if (word >> UInt64(length &* 8)) & 0x80 != 0 { break }
                        let partial = word & ((1 &<< UInt64(length &* 8)) &- 1)
                        index = chunkStart &+ length
                        hash = lastRound(hash, partial: partial, length: index &- start)
                        done = true
                        break
                    }
                }
                if !done {
                    // Slow path: scalars decoded, then the bytes hashed one by one.
                    index = start
                    if lead < 0x80 {
                        isWordRun = isWordByte[Int(lead)]
                        index += 1
                    } else {
                        let (scalar, length) = WordScalars.decode(bytes, count: count, at: index)
                        isWordRun = WordScalars.isWord(scalar)
                        index += length
                    }
                    if isWordRun {
                        while index < count {
                            let byte = bytes[index]
                            if byte < 0x80 {
                                guard isWordByte[Int(byte)] else { break }
                                index += 1
                            } else {
                                let (scalar, length) = WordScalars.decode(bytes, count: count, at: index)
                                guard WordScalars.isWord(scalar) else { break }
                                index += length
                            }
                        }
                    }
                    hash = Self.hash(bytes, from: start, to: index, seed: seed)
                }
                if isWordRun {
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
