/// How tokens become feature buckets: FNV-1a over each token's bytes, then word n-grams combined
/// and mixed into `1 << bucketBits` buckets. Stored in the model header so a model is always read
/// with the hashing it was trained with.
public struct TopicHashing: Sendable, Equatable {
    public var bucketBits: Int
    /// Word n-gram orders used, e.g. 1...2 for unigrams and bigrams.
    public var minOrder: Int
    public var maxOrder: Int
    public var seed: UInt64
    /// Tokens made only of digits are left out (before n-grams are formed): figures say little
    /// about a topic, and tables of them (results, earnings) mislead across sources.
    public var skipNumbers: Bool

    public init(bucketBits: Int = 24, minOrder: Int = 1, maxOrder: Int = 2, seed: UInt64 = 0, skipNumbers: Bool = false) {
        self.bucketBits = bucketBits
        self.minOrder = minOrder
        self.maxOrder = maxOrder
        self.seed = seed
        self.skipNumbers = skipNumbers
    }

    static let fnvOffsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    static let fnvPrime: UInt64 = 0x0000_0100_0000_01B3

    /// 64-bit FNV-1a of `bytes`, starting from the offset basis xor `seed` (plain FNV-1a for seed 0).
    @inline(__always)
    public static func fnv1a(_ bytes: ArraySlice<UInt8>, seed: UInt64 = 0) -> UInt64 {
        var hash = fnvOffsetBasis ^ seed
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* fnvPrime
        }
        return hash
    }

    /// SplitMix64's finalizer: spreads FNV's weak low bits over the bucket mask.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// One n-gram occurrence: its bucket and the tokens it is made of (for explanations).
    public struct Gram: Sendable, Equatable {
        public var bucket: UInt32
        public var tokens: [Int]
        public var order: Int { tokens.count }
    }

    /// Every n-gram occurrence of `tokens`, in text order for each order.
    public func grams(of tokens: TopicTokenizer.Tokens) -> [Gram] {
        var tokenIndices = Array(tokens.ranges.indices)
        if skipNumbers {
            tokenIndices.removeAll { tokens.bytes[tokens.ranges[$0]].allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
        }
        let tokenHashes = tokenIndices.map { Self.fnv1a(tokens.bytes[tokens.ranges[$0]], seed: seed) }
        let mask = UInt64(1) << UInt64(bucketBits) - 1
        var grams: [Gram] = []
        grams.reserveCapacity(tokenHashes.count * (maxOrder - minOrder + 1))
        for order in minOrder...maxOrder where tokenHashes.count >= order {
            for first in 0...(tokenHashes.count - order) {
                var combined = UInt64(order)
                for position in first..<(first + order) {
                    combined = (combined &* 0x9E37_79B9_7F4A_7C15) ^ tokenHashes[position]
                }
                grams.append(Gram(
                    bucket: UInt32(truncatingIfNeeded: Self.mix(combined) & mask),
                    tokens: Array(tokenIndices[first..<(first + order)])))
            }
        }
        return grams
    }

    /// Bucket counts of `tokens`: sorted by bucket, one entry per distinct bucket.
    public func bucketCounts(of tokens: TopicTokenizer.Tokens) -> [(bucket: UInt32, count: Int)] {
        counted(grams(of: tokens).map(\.bucket))
    }

    /// `bucketCounts(of: TopicTokenizer().tokenize(text))`, computed by the streaming path (no
    /// tokens or n-gram values are built).
    public func bucketCounts(ofText text: String) -> [(bucket: UInt32, count: Int)] {
        guard GramHasher.supports(self) else { return bucketCounts(of: TopicTokenizer().tokenize(text)) }
        var buckets: [UInt32] = []
        buckets.reserveCapacity(text.utf8.count / 3)
        var hasher = GramHasher(self, expectedBytes: text.utf8.count)
        defer { hasher.deallocate() }
        withUTF8(text, "") { text, _ in hasher.feed(text) }
        hasher.forEachBucket { buckets.append($0) }
        return counted(buckets)
    }

    private func counted(_ buckets: [UInt32]) -> [(bucket: UInt32, count: Int)] {
        var buckets = buckets
        buckets.sort()
        var counts: [(bucket: UInt32, count: Int)] = []
        counts.reserveCapacity(buckets.count)
        for bucket in buckets {
            if let last = counts.last, last.bucket == bucket {
                counts[counts.count - 1].count += 1
            } else {
                counts.append((bucket, 1))
            }
        }
        return counts
    }
}
