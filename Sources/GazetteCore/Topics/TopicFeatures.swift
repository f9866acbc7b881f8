import CPrefetch
import Foundation

/// The topic stage's per-article feature path, written for speed: text bytes → n-gram buckets →
/// known features → sorted counts → tf-idf values → logits, without building tokens, n-gram
/// values or per-gram arrays.
///
/// It computes exactly what the straightforward path computes (`TopicTokenizer.tokenize`, then
/// `TopicHashing.grams`, then `TopicModel.vector(bucketCounts:)` and `logits(for:)`): the same
/// buckets, and floating-point sums in the same order, so values, logits and scores are
/// bit-identical. `TopicFeaturePathTests` compares the two on varied text.

/// The n-gram buckets of UTF-8 text, computed from bytes: the tokenizer's rules
/// (`TopicTokenizer`), with each token's FNV-1a hash computed on its folded bytes as they are read,
/// then each n-gram's bucket from the token hashes. The multiset of buckets equals that of
/// `TopicHashing.grams(of:)`; only the order differs (by end position rather than by order).
///
/// Several pieces fed one after the other behave as one text with a separator between them: a
/// token ends at the end of each piece, n-grams continue across pieces (the topic stage reads the
/// title, a line break, then the text).
struct GramHasher {
    private let basis: UInt64
    private let mask: UInt64
    private let minOrder: Int
    private let maxOrder: Int
    private let skipNumbers: Bool
    /// Token hashes, one slot more than tokens (the byte loop stores the running hash in the next
    /// slot at every byte and only counts it when a token ends there).
    private var hashes: UnsafeMutablePointer<UInt64>
    private var capacity: Int
    private(set) var tokenCount = 0

    /// Whether this path supports `hashing`: n-gram orders must start at 1 (the straightforward
    /// path's order-0 "grams" are not n-grams of anything).
    static func supports(_ hashing: TopicHashing) -> Bool {
        hashing.minOrder >= 1 && hashing.minOrder <= hashing.maxOrder
    }

    /// `expectedBytes`: the total size of the pieces to come (the buffer grows if needed). Call
    /// `deallocate()` when done.
    init(_ hashing: TopicHashing, expectedBytes: Int) {
        precondition(Self.supports(hashing))
        basis = TopicHashing.fnvOffsetBasis ^ hashing.seed
        mask = hashing.bucketBits >= 64 ? ~0 : UInt64(1) << UInt64(hashing.bucketBits) - 1
        minOrder = hashing.minOrder
        maxOrder = hashing.maxOrder
        skipNumbers = hashing.skipNumbers
        // A token takes at least one byte and a separator.
        capacity = expectedBytes / 2 + 2
        hashes = .allocate(capacity: capacity)
    }

    func deallocate() { hashes.deallocate() }

    /// ASCII byte → its folded value in a token (letters lowercased, digits kept), or 0 for a
    /// separator. Bytes from 0x80 are not looked up.
    private static let asciiFold: [UInt8] = (0..<128).map { (byte: Int) -> UInt8 in
        let byte = UInt8(byte)
        if byte >= 0x41 && byte <= 0x5A { return byte | 0x20 }
        if byte >= 0x61 && byte <= 0x7A || byte >= 0x30 && byte <= 0x39 { return byte }
        return 0
    }

    /// Tokenizes one piece of text and appends its token hashes (see `TopicTokenizer` for the
    /// rules, followed byte for byte; stray and truncated UTF-8 sequences are handled the same way).
    ///
    /// ASCII bytes take no branch on their content: the running hash is stored in the next slot at
    /// every byte, and the token count moves on when a token ends; word lengths are random, and a
    /// branch per token boundary was mispredicted about once a word.
    mutating func feed(_ input: UnsafeBufferPointer<UInt8>) {
        if tokenCount + input.count / 2 + 2 > capacity { grow(toHold: tokenCount + input.count / 2 + 2) }
        let prime = TopicHashing.fnvPrime
        let basis = self.basis
        let countDigitTokens: UInt64 = skipNumbers ? 0 : 1
        var hash = basis
        var inToken: UInt64 = 0  // 1 inside a token
        var digitsOnly: UInt64 = 1  // 1 while the current token has only digits
        var tokens = tokenCount
        let hashes = self.hashes
        var index = 0
        let count = input.count
        Self.asciiFold.withUnsafeBufferPointer { fold in
            while index < count {
                let byte = input[index]
                if byte < 0x80 {
                    let folded = fold[Int(byte)]
                    let isWord: UInt64 = folded != 0 ? 1 : 0
                    let isDigit: UInt64 = byte &- 0x30 < 10 ? 1 : 0
                    // A token ends here when one was open and this byte is a separator; it counts
                    // unless it is a number being skipped.
                    hashes[tokens] = hash
                    tokens &+= Int(inToken & (isWord ^ 1) & (countDigitTokens | (digitsOnly ^ 1)))
                    let next = (hash ^ UInt64(folded)) &* prime
                    hash = isWord != 0 ? next : basis
                    digitsOnly = isWord != 0 ? digitsOnly & isDigit : 1
                    inToken = isWord
                    index += 1
                    continue
                }
                let (scalar, end) = TopicTokenizer.multiByteScalar(input, at: index)
                if TopicTokenizer.isSeparator(scalar) {
                    if inToken != 0 {
                        if countDigitTokens | (digitsOnly ^ 1) != 0 {
                            hashes[tokens] = hash
                            tokens += 1
                        }
                        hash = basis
                        inToken = 0
                        digitsOnly = 1
                    }
                } else {
                    inToken = 1
                    digitsOnly = 0
                    if scalar >= 0xC0 && scalar <= 0xDE && scalar != 0xD7 {
                        hash = (hash ^ UInt64(byte)) &* prime
                        hash = (hash ^ UInt64(input[index + 1] | 0x20)) &* prime
                    } else {
                        for position in index..<end { hash = (hash ^ UInt64(input[position])) &* prime }
                    }
                }
                index = end
            }
        }
        if inToken != 0 && countDigitTokens | (digitsOnly ^ 1) != 0 {
            hashes[tokens] = hash
            tokens += 1
        }
        tokenCount = tokens
    }

    @inline(never)
    private mutating func grow(toHold needed: Int) {
        let larger = UnsafeMutablePointer<UInt64>.allocate(capacity: needed)
        larger.update(from: hashes, count: tokenCount)
        hashes.deallocate()
        hashes = larger
        capacity = needed
    }

    /// Emits the bucket of every n-gram of the tokens fed so far.
    @inline(__always)
    func forEachBucket(_ emit: (UInt32) -> Void) {
        for last in 0..<tokenCount {
            var order = minOrder
            while order <= maxOrder && order <= last + 1 {
                var combined = UInt64(order)
                for position in (last + 1 - order)...last {
                    combined = (combined &* 0x9E37_79B9_7F4A_7C15) ^ hashes[position]
                }
                emit(UInt32(truncatingIfNeeded: TopicHashing.mix(combined) & mask))
                order += 1
            }
        }
    }
}

/// Bucket → feature index for the strictly increasing bucket list of a model (feature `i` is
/// `buckets[i]`), small enough to stay in a core's cache: the per-article path looks up every
/// n-gram, most lookups used to miss the cache, and the misses were most of the topic stage's time.
///
/// Buckets are mixed hash values, so their top bits are uniform: the top `groupBits` bits pick a
/// group, `starts[group]..<starts[group + 1]` are the positions of the group's buckets in the sorted
/// list, and only the remaining low bits are stored (16 bits each). Each group's start, size and
/// first five remainders also sit in one 16-byte record, so nearly every lookup is one load. A
/// model with 97,000 features: 1 MB of records (touched by every lookup) and 450 KB for the rest,
/// against 2 MB of open-addressing table of full keys and values before; the lookups used to
/// wait on two or three dependent cache misses each.
struct FeatureTable: Sendable {
    private let starts: [UInt32]
    private let remainders: [UInt16]
    /// Per group, 16 bytes (two words, one aligned load's worth) that settle nearly every lookup:
    /// word 0 holds the group's start (bits 0–31), its size saturated at 0xFFFF (32–47) and its
    /// first remainder (48–63); word 1 its next four remainders. Only groups of more than five
    /// buckets (rare: groups hold one or two on average) need `starts` and `remainders`.
    private let groups: [UInt64]
    static let remaindersPerGroup = 5
    /// Bits of the buckets the table covers; larger buckets are never stored.
    private let width: UInt32
    private let shift: UInt32
    private let remainderMask: UInt32

    /// `bucketBits`: the hashing's bucket bits (every bucket looked up is below `1 << bucketBits`);
    /// by default the width of the largest stored bucket (larger buckets are then not found).
    init(buckets: [UInt32], bucketBits: Int? = nil) {
        precondition(zip(buckets, buckets.dropFirst()).allSatisfy { $0 < $1 }, "buckets must be strictly increasing")
        let stored = UInt32.bitWidth - (buckets.last ?? 0).leadingZeroBitCount
        let width = max(1, min(32, max(bucketBits ?? stored, stored)))
        // About one or two buckets a group, and never more than 16 remainder bits.
        var groupBits = 1
        while (1 << (groupBits + 1)) <= buckets.count { groupBits += 1 }
        groupBits = min(width, max(groupBits, width - 16))
        self.width = UInt32(width)
        shift = UInt32(width - groupBits)
        remainderMask = shift == 0 ? 0 : UInt32.max &>> (32 - shift)
        var starts = [UInt32](repeating: 0, count: (1 << groupBits) + 1)
        var remainders = [UInt16]()
        remainders.reserveCapacity(buckets.count + 1)
        for bucket in buckets {
            starts[Int(bucket &>> shift) + 1] += 1
            remainders.append(UInt16(truncatingIfNeeded: bucket & remainderMask))
        }
        // A sentinel, so that the first remainder of any group, even an empty last one, can be read.
        remainders.append(0)
        for group in 0..<(1 << groupBits) { starts[group + 1] += starts[group] }
        self.starts = starts
        self.remainders = remainders
        var groups = [UInt64](repeating: 0, count: 2 << groupBits)
        for group in 0..<(1 << groupBits) {
            let start = Int(starts[group]), size = Int(starts[group + 1]) - start
            groups[2 * group] = UInt64(start) | UInt64(min(size, 0xFFFF)) << 32
            for lane in 0..<min(size, Self.remaindersPerGroup) {
                let remainder = UInt64(remainders[start + lane])
                if lane == 0 { groups[2 * group] |= remainder << 48 } else { groups[2 * group + 1] |= remainder << (16 * UInt64(lane - 1)) }
            }
        }
        self.groups = groups
    }

    /// The feature index of `bucket`, or -1 when the model does not store it.
    func feature(of bucket: UInt32) -> Int32 {
        withLookup { $0.feature(of: bucket) }
    }

    /// The table as raw buffers, for a loop of lookups.
    struct Lookup {
        let starts: UnsafeBufferPointer<UInt32>
        let remainders: UnsafeBufferPointer<UInt16>
        let groups: UnsafeBufferPointer<UInt64>
        let width: UInt32
        let shift: UInt32
        let remainderMask: UInt32

        @inline(__always)
        func feature(of bucket: UInt32) -> Int32 {
            guard UInt64(bucket) &>> UInt64(width) == 0 else { return -1 }
            let group = Int(bucket &>> shift)
            let remainder = UInt16(truncatingIfNeeded: bucket & remainderMask)
            var position = Int(starts[group])
            let end = Int(starts[group + 1])
            while position < end {
                if remainders[position] == remainder { return Int32(position) }
                position += 1
            }
            return -1
        }

        /// Starts loading the record of `bucket`'s group (see `firstOutcome`).
        @inline(__always)
        func prefetchRecord(of bucket: UInt32) {
            cprefetch_read(groups.baseAddress! + 2 * (Int(bucket &>> shift) & (groups.count / 2 - 1)))
        }

        /// The outcome of looking at the first five buckets of `bucket`'s group (its 16-byte
        /// record): its feature when it is one of them, -1 when it is not and the group holds no
        /// other, else -2 (look further with `feature(of:)`). Arithmetic and selects on the loaded
        /// values, no branch on them: a loop of these keeps many loads in flight instead of
        /// waiting on each.
        @inline(__always)
        func firstOutcome(of bucket: UInt32) -> Int32 {
            let inRange: UInt64 = UInt64(bucket) &>> UInt64(width) == 0 ? 1 : 0
            // Out of range, the group is garbage but a valid index, and `inRange` voids the outcome.
            let group = Int(bucket &>> shift) & (groups.count / 2 - 1)
            let head = groups[2 * group], tail = groups[2 * group + 1]
            let start = Int32(truncatingIfNeeded: head)
            let size = ((head &>> 32) & 0xFFFF) &* inRange
            let remainder = UInt64(bucket & remainderMask)
            // Lanes past the group's size hold 0 (or nothing); a lane counts only below `size`.
            var outcome: Int32 = size > 5 ? -2 : -1  // five remainders per record
            outcome = size > 4 && (tail &>> 48) == remainder ? start &+ 4 : outcome
            outcome = size > 3 && ((tail &>> 32) & 0xFFFF) == remainder ? start &+ 3 : outcome
            outcome = size > 2 && ((tail &>> 16) & 0xFFFF) == remainder ? start &+ 2 : outcome
            outcome = size > 1 && (tail & 0xFFFF) == remainder ? start &+ 1 : outcome
            outcome = size > 0 && (head &>> 48) == remainder ? start : outcome
            return outcome
        }
    }

    @inline(__always)
    func withLookup<Result>(_ body: (Lookup) -> Result) -> Result {
        starts.withUnsafeBufferPointer { starts in
            remainders.withUnsafeBufferPointer { remainders in
                groups.withUnsafeBufferPointer { groups in
                    body(Lookup(
                        starts: starts, remainders: remainders, groups: groups, width: width, shift: shift,
                        remainderMask: remainderMask))
                }
            }
        }
    }
}

/// A growable buffer of 32-bit values for the per-article path: appending is a compare and a
/// store (no uniqueness or bounds check). Call `deallocate()` when done.
struct FeatureBuffer {
    private(set) var base: UnsafeMutablePointer<Int32>
    private(set) var capacity: Int
    var count = 0

    init(capacity: Int) {
        self.capacity = max(16, capacity)
        base = .allocate(capacity: self.capacity)
    }

    func deallocate() { base.deallocate() }

    @inline(__always)
    mutating func append(_ value: Int32) {
        if count == capacity { grow() }
        base[count] = value
        count += 1
    }

    @inline(never)
    private mutating func grow() {
        let larger = UnsafeMutablePointer<Int32>.allocate(capacity: capacity * 2)
        larger.update(from: base, count: count)
        base.deallocate()
        base = larger
        capacity *= 2
    }
}

/// Counts the distinct values among `count` 32-bit values with an open-addressing table (at most
/// half full, in a core's cache for an article's n-grams): each distinct value once, in the order
/// first seen, moved to the front of `values`, with its count at the same index of `counts`
/// (room for `count`). Returns how many are distinct.
enum DistinctCounter {
    static func count(_ values: UnsafeMutablePointer<Int32>, count: Int, counts: UnsafeMutablePointer<Int32>) -> Int {
        var bits = 6
        while (1 << bits) < 2 * count { bits += 1 }
        let mask = (1 << bits) - 1
        let shift = UInt32(32 - min(bits, 32))
        // A slot holds its value in the high half and its index among the distinct values + 1 in
        // the low half: 0 is an empty slot.
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 1 << bits) { table in
            table.initialize(repeating: 0)
            var distinct = 0
            for position in 0..<count {
                let value = values[position]
                let key = UInt32(bitPattern: value)
                // Fibonacci hashing: the top bits of the product, whatever bits the values vary in.
                var slot = bits >= 32 ? Int(key &* 0x9E37_79B1) & mask : Int((key &* 0x9E37_79B1) >> shift)
                while true {
                    let stored = table[slot]
                    if stored == 0 {
                        table[slot] = UInt64(key) << 32 | UInt64(distinct &+ 1)
                        values[distinct] = value
                        counts[distinct] = 1
                        distinct &+= 1
                        break
                    }
                    if UInt32(truncatingIfNeeded: stored >> 32) == key {
                        counts[Int(truncatingIfNeeded: stored & 0xFFFF_FFFF) &- 1] &+= 1
                        break
                    }
                    slot = (slot &+ 1) & mask
                }
            }
            return distinct
        }
    }
}

/// Sorts `count` values ascending by their high 32 bits, which are below `limit`: insertion sort
/// for few, otherwise a least-significant-digit radix sort through `scratch` (room for `count`),
/// in as few passes of up to 11 bits as `limit` needs (two for a model of 97,000 features). The
/// result is in `values`; values with equal high halves keep their order.
func sortByHighHalf(_ values: UnsafeMutablePointer<UInt64>, count: Int, limit: Int, scratch: UnsafeMutablePointer<UInt64>) {
    if count < 48 {
        var i = 1
        while i < count {
            let value = values[i]
            var j = i
            while j > 0 && values[j - 1] >> 32 > value >> 32 {
                values[j] = values[j - 1]
                j -= 1
            }
            values[j] = value
            i += 1
        }
        return
    }
    let keyBits = max(1, UInt64.bitWidth - UInt64(max(0, limit - 1)).leadingZeroBitCount)
    let passes = (keyBits + 10) / 11
    let digitBits = (keyBits + passes - 1) / passes
    let radix = 1 << digitBits
    withUnsafeTemporaryAllocation(of: Int32.self, capacity: radix) { histogram in
        var source = values, target = scratch
        for pass in 0..<passes {
            let shift = UInt64(32 + digitBits * pass)
            let digitMask = UInt64(radix - 1)
            for k in 0..<radix { histogram[k] = 0 }
            for index in 0..<count { histogram[Int((source[index] >> shift) & digitMask)] &+= 1 }
            var total: Int32 = 0
            for k in 0..<radix {
                let bucketCount = histogram[k]
                histogram[k] = total
                total &+= bucketCount
            }
            for index in 0..<count {
                let value = source[index]
                let digit = Int((value >> shift) & digitMask)
                target[Int(histogram[digit])] = value
                histogram[digit] &+= 1
            }
            swap(&source, &target)
        }
        if source != values { values.update(from: source, count: count) }
    }
}

/// A model's per-feature data laid out for the per-article path: row `f` holds feature `f`'s idf
/// then its weight for each label, padded so that a row of a small model sits in one cache line
/// (one miss per feature instead of one in `idf` and one in `weights`). Immutable after `init`.
final class PackedFeatureRows: @unchecked Sendable {
    let base: UnsafeMutablePointer<Float>
    /// Floats per row: 1 + labels, rounded up to a power of two (up to 16), else to a multiple of 16.
    let stride: Int
    let count: Int

    init(idf: [Float], weights: [Float], labelCount: Int) {
        let needed = 1 + labelCount
        var stride = 1
        if needed <= 16 {
            while stride < needed { stride *= 2 }
        } else {
            stride = (needed + 15) / 16 * 16
        }
        self.stride = stride
        count = idf.count
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(1, count * stride) * 4, alignment: 64)
        base = raw.bindMemory(to: Float.self, capacity: max(1, count * stride))
        base.initialize(repeating: 0, count: max(1, count * stride))
        for feature in 0..<count {
            let row = base + feature * stride
            row[0] = idf[feature]
            for label in 0..<labelCount { row[1 + label] = weights[feature * labelCount + label] }
        }
    }

    deinit { base.deallocate() }
}

extension TopicModel {
    /// The sorted distinct known features of `pieces` (read as one text, a separator between
    /// pieces) with their L2-normalised sublinear tf-idf values, passed to `body` as two buffers of
    /// equal length. Same features and bit-identical values as `vector(bucketCounts:…)`.
    ///
    /// The work is split into passes so that memory latency overlaps: the feature table and the
    /// feature rows (megabytes) miss the cache for most n-grams, and a lookup whose outcome decides
    /// a branch (known, unknown, look further) stalls on every miss. So buckets are collected and
    /// counted first, each distinct bucket's group record is loaded in a loop without branches on
    /// its contents, then the outcomes are resolved from the cache; only the known features are
    /// sorted; likewise each feature's idf is loaded before any value is computed from it.
    func withFeatures<Result>(
        of pieces: [UnsafeBufferPointer<UInt8>],
        _ body: (UnsafeBufferPointer<Int32>, UnsafeBufferPointer<Float>) -> Result
    ) -> Result {
        let byteCount = pieces.reduce(0) { $0 + $1.count }
        // 1. The bucket of every n-gram occurrence (as Int32 bit patterns).
        var occurrences = FeatureBuffer(capacity: byteCount / 2)
        defer { occurrences.deallocate() }
        if GramHasher.supports(hashing) {
            var hasher = GramHasher(hashing, expectedBytes: byteCount)
            defer { hasher.deallocate() }
            for piece in pieces { hasher.feed(piece) }
            hasher.forEachBucket { occurrences.append(Int32(bitPattern: $0)) }
        } else {
            // Hashing settings only the straightforward path handles (no n-gram order 1).
            var text: [UInt8] = []
            for (position, piece) in pieces.enumerated() {
                if position > 0 { text.append(0x0A) }
                text.append(contentsOf: piece)
            }
            let tokens = text.withUnsafeBufferPointer { tokenizer.tokenize(utf8: $0) }
            for gram in hashing.grams(of: tokens) { occurrences.append(Int32(bitPattern: gram.bucket)) }
        }
        let count = occurrences.count
        let capacity = max(1, count)
        // Working memory, per occurrence: an Int32 (counts), an Int32 (lookup outcomes), a Float
        // (values) and two UInt64 (feature-count pairs and their sort scratch); and the counting
        // table (`DistinctCounter`).
        let scratch = UnsafeMutableRawPointer.allocate(byteCount: capacity * 28, alignment: 8)
        defer { scratch.deallocate() }
        let pairs = scratch.bindMemory(to: UInt64.self, capacity: capacity * 2)
        let pairScratch = pairs + capacity
        let counts = (scratch + capacity * 16).bindMemory(to: Int32.self, capacity: capacity * 2)
        let outcomes = counts + capacity
        let values = (scratch + capacity * 24).bindMemory(to: Float.self, capacity: capacity)
        let buckets = occurrences.base

        // 2. Each distinct bucket once, in the order first seen, with its count (in place: the
        // distinct buckets move to the front of `buckets`). Counted in a small hash table, not by
        // sorting every occurrence: only the known features need an order (the order of the
        // sums), and they are fewer (a radix sort of every bucket, 24 bits in three passes, was
        // a quarter of the topic stage).
        let distinct = DistinctCounter.count(buckets, count: count, counts: counts)

        // 3. Bucket → feature. Each group's record first: the outcome is a feature (≥ 0), unknown
        // (-1) or "look further" (-2, groups of more than five buckets), chosen with selects; then
        // known buckets become (feature, count) pairs.
        let rowBase = packedRows.base, rowStride = packedRows.stride
        let known = featureTable.withLookup { lookup in
            for index in 0..<distinct {
                if index &+ Self.recordPrefetchDistance < distinct {
                    lookup.prefetchRecord(of: UInt32(bitPattern: buckets[index &+ Self.recordPrefetchDistance]))
                }
                outcomes[index] = lookup.firstOutcome(of: UInt32(bitPattern: buckets[index]))
            }
            var known = 0
            for index in 0..<distinct {
                var feature = outcomes[index]
                if feature == -2 { feature = lookup.feature(of: UInt32(bitPattern: buckets[index])) }
                // The feature's row is read in step 4, at random in a table larger than the L2
                // cache: its line is asked for now (row 0 for an unknown bucket, which is harmless).
                cprefetch_read(rowBase + Int(max(feature, 0)) &* rowStride)
                // Stored every time, kept (the count moves on) only for a known bucket.
                pairs[known] = UInt64(UInt32(bitPattern: feature)) << 32 | UInt64(UInt32(bitPattern: counts[index]))
                known &+= feature >= 0 ? 1 : 0
            }
            return known
        }
        // Ascending features, the order `FeatureVector.append` sums in. Distinct buckets have
        // distinct features, so the order is total.
        sortByHighHalf(pairs, count: known, limit: max(1, packedRows.count), scratch: pairScratch)
        let features = buckets
        for index in 0..<known {
            features[index] = Int32(truncatingIfNeeded: pairs[index] >> 32)
            counts[index] = Int32(truncatingIfNeeded: pairs[index])
        }

        // 4. Their idf (loads first), their values and the norm, summed in ascending feature
        // order as `FeatureVector.append` does.
        let rows = packedRows.base, stride = packedRows.stride
        for index in 0..<known { values[index] = rows[Int(features[index]) * stride] }
        var squaredNorm: Float = 0
        for index in 0..<known {
            let value = Self.sublinearTF(Int(counts[index])) * values[index]
            values[index] = value
            squaredNorm += value * value
        }
        if squaredNorm > 0 {
            let inverseNorm = 1 / squaredNorm.squareRoot()
            for index in 0..<known { values[index] *= inverseNorm }
        }
        return body(UnsafeBufferPointer(start: features, count: known), UnsafeBufferPointer(start: values, count: known))
    }

    /// How many lookups ahead step 3 asks for a group record (`prefetchRecord`). The loop has no
    /// branch on the records, yet the out-of-order window alone kept too few of their cache misses
    /// in flight: the load of the record was 78% of the topic stage's lookup loop in a profile of
    /// `gazette tag` (where the gazetteer's tables evict the records between articles). Measured
    /// on the topic stage alone, median of 6: 80 → 86 MB/s per core (32 and 64 ahead: no better).
    static let recordPrefetchDistance = 16

    /// `1 + ln(count)` as a `Float`, the sublinear term frequency (computed exactly as
    /// `FeatureVector.append` does; small counts come from a table).
    @inline(__always)
    static func sublinearTF(_ count: Int) -> Float {
        count < sublinearTFTable.count ? sublinearTFTable[count] : 1 + Float(log(Double(count)))
    }

    static let sublinearTFTable: [Float] = (0..<64).map { (count: Int) -> Float in
        count == 0 ? 0 : 1 + Float(log(Double(count)))
    }

    /// Raw logits of sparse features: bias plus, in ascending feature order, value × weight summed
    /// in `Double` (the order and types of `logits(for:)`). `rows` is `packedRows.base`.
    private static func logits(
        features: UnsafeBufferPointer<Int32>, values: UnsafeBufferPointer<Float>, biases: UnsafeBufferPointer<Float>,
        rows: UnsafePointer<Float>, stride: Int
    ) -> [Double] {
        let labelCount = biases.count
        var logits = biases.map(Double.init)
        logits.withUnsafeMutableBufferPointer { logits in
            for index in 0..<features.count {
                let value = values[index]
                let row = rows + Int(features[index]) * stride + 1
                for label in 0..<labelCount { logits[label] += Double(value * row[label]) }
            }
        }
        return logits
    }

    /// Raw logits of pieces of UTF-8 text read as one text with a separator between them.
    ///
    /// The closure given to `withFeatures` holds only pointers: one that called a method of the
    /// model captured the model, a copy for each article that retained and released its arrays,
    /// which the worker threads share (their reference counts moved between the cores' caches).
    func logits(utf8 pieces: [UnsafeBufferPointer<UInt8>]) -> [Double] {
        // The model (`self`) holds `packedRows` for the whole call.
        let rows = UnsafePointer(packedRows.base), stride = packedRows.stride
        return biases.withUnsafeBufferPointer { biases in
            withFeatures(of: pieces) { features, values in
                Self.logits(features: features, values: values, biases: biases, rows: rows, stride: stride)
            }
        }
    }
}

/// Calls `body` with the UTF-8 bytes of two strings (no copy for native strings).
///
/// Inlined, so a closure that calls a `TopicModel` method is not given a context of its own: one
/// was made for each article and held a copy of the model (all its arrays retained, then released).
@inline(__always)
func withUTF8<Result>(
    _ first: String, _ second: String, _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Result
) -> Result {
    var first = first, second = second
    return first.withUTF8 { first in second.withUTF8 { second in body(first, second) } }
}
