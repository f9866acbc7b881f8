/// Finds every occurrence of a large set of phrases (gazetteer aliases) that starts and ends at a
/// word boundary, by hashing the text's tokens once and probing a table of phrase prefixes.
///
/// Why not Aho-Corasick: a match must start at a word start anyway, and a byte automaton walked
/// from every word start of news text goes deep for common words ("the …", "new …") through
/// states scattered over tens of megabytes — a cache miss per byte. Here the text is cut into
/// tokens (runs of word scalars, and single other scalars) in one pass that also hashes each token;
/// a phrase starting at token `i` is then found by combining token hashes (and the spaces between
/// them) and probing one open-addressing table whose keys are the hashes of every phrase prefix
/// on token boundaries. Most words start no phrase and cost one probe of a small bit filter; a
/// word that does start one costs one probe per token of the longest prefix present. Every
/// candidate is compared byte for byte with its phrase, so a hash collision cannot make a false
/// match; a collision between two phrases is avoided at build time by trying another seed.
/// See DESIGN.md for the measurements behind this.
public struct PhraseMatcher: Sendable {
    /// Hash table, one word per slot: bits 32–63 the key's upper half (never 0; 0 = empty slot),
    /// bits 0–30 the id + 1 of the phrase ending here (0 = none), bit 31 "a longer phrase
    /// continues". The key's lower bits choose the slot, so a slot still tells ~50 bits of its key
    /// apart; a false agreement costs at most a byte comparison, and the builder reseeds when two
    /// phrases would share a slot. 8-byte slots keep twice as much of the table in cache as
    /// key-and-value pairs did.
    let slots: [UInt64]
    /// Bit filter over the keys of one-token prefixes (first tokens of phrases).
    let firstTokenFilter: [UInt64]
    /// Filter over the keys of longer prefixes, two bits per key in one 64-bit word: most words
    /// that start a phrase prefix ("the", "new") are not followed by a word that continues it,
    /// and this keeps those probes (random slots of the table, mostly cache misses) away.
    let longerPrefixFilter: [UInt64]
    /// Filter over the keys of one-token phrases (first tokens that are a whole phrase), two bits
    /// per key in one 64-bit word. A word that starts a prefix is probed in the table only when
    /// this filter passes its key or the longer-prefix filter passes the key of it and the next
    /// token: on news, 77% of the words that start a prefix are neither a phrase nor followed by
    /// a word that continues one ("the", "new", "john"), and each of those cost a probe of a
    /// random table slot (measured on the BBC set: 869,510 first-token probes, of which 67,696
    /// found a phrase, 50,390 had a next token through the longer filter and 670,412 neither;
    /// with this filter, 121,416 probes).
    let singleTokenFilter: [UInt64]
    /// All phrases' bytes, phrase `p` at `phraseBytes[phraseStart[p]..<phraseStart[p + 1]]`.
    let phraseBytes: [UInt8]
    let phraseStart: [UInt32]
    /// Mixed into every key; chosen at build time so no two phrases share a key.
    let seed: UInt64

    static let continuesFlag: UInt64 = 1 << 31
    static let phraseMask: UInt64 = 0x7FFF_FFFF
    static let filterBits = 21
    /// 2²² bits (512 KB): ~2% false positives with 300k longer prefixes.
    static let longerFilterWordBits = 16
    /// 2²² bits (512 KB): with the ~180k one-token phrases of the shipped gazetteers, ~2.8 keys
    /// and ~8% of the bits in a word, so ~0.7% false positives (computed, not measured).
    static let singleFilterWordBits = 16

    /// Number of phrases (ids are `0..<phraseCount`).
    public var phraseCount: Int { phraseStart.count - 1 }
    /// Bytes held by the tables.
    public var memoryFootprint: Int {
        slots.count * 8 + firstTokenFilter.count * 8 + longerPrefixFilter.count * 8 + singleTokenFilter.count * 8
            + phraseBytes.count + phraseStart.count * 4
    }

    /// Builds the matcher. Phrase `k` of `phrases` gets id `k`. A phrase that can never match at
    /// word boundaries (empty, or starting or ending with a space) is kept (its bytes are
    /// exported) but never reported; a phrase equal to an earlier one is reported under the
    /// earlier id only.
    public init(phrases: [[UInt8]]) {
        var bytes: [UInt8] = []
        var starts: [UInt32] = [0]
        bytes.reserveCapacity(phrases.reduce(0) { $0 + $1.count })
        for phrase in phrases {
            bytes.append(contentsOf: phrase)
            starts.append(UInt32(bytes.count))
        }
        // Seeds are tried in a fixed order, so the same phrases always give the same tables.
        // A clash needs two phrases to agree on ~50 key bits, so a second seed is already rare; the
        // bound only turns a broken hash into a clear failure instead of a loop.
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<64 {
            if let (slots, filter, longerFilter, singleFilter) = Self.tables(bytes: bytes, starts: starts, seed: seed) {
                self.init(
                    slots: slots, firstTokenFilter: filter, longerPrefixFilter: longerFilter,
                    singleTokenFilter: singleFilter, phraseBytes: bytes, phraseStart: starts, seed: seed)
                return
            }
            seed = Self.mix(seed &+ 1)
        }
        preconditionFailure("PhraseMatcher: 64 seeds in a row gave two different phrases the same table slot")
    }

    init(
        slots: [UInt64], firstTokenFilter: [UInt64], longerPrefixFilter: [UInt64], singleTokenFilter: [UInt64],
        phraseBytes: [UInt8], phraseStart: [UInt32], seed: UInt64
    ) {
        self.slots = slots
        self.firstTokenFilter = firstTokenFilter
        self.longerPrefixFilter = longerPrefixFilter
        self.singleTokenFilter = singleTokenFilter
        self.phraseBytes = phraseBytes
        self.phraseStart = phraseStart
        self.seed = seed
    }

    /// The tables for one seed; nil when two different phrases get the same key.
    private static func tables(
        bytes: [UInt8], starts: [UInt32], seed: UInt64
    ) -> (slots: [UInt64], filter: [UInt64], longerFilter: [UInt64], singleFilter: [UInt64])? {
        let phraseCount = starts.count - 1
        var tokens: [PhraseToken] = []
        // (key, phrase id + 1 or 0, continues) for every prefix, collected first to size the table.
        var keys: [UInt64] = []
        var values: [UInt64] = []
        keys.reserveCapacity(phraseCount * 2)
        values.reserveCapacity(phraseCount * 2)
        // One-token prefixes also feed the filter: a text's first-token key is tested there first.
        var filter = [UInt64](repeating: 0, count: (1 << filterBits) / 64)
        var longerFilter = [UInt64](repeating: 0, count: 1 << longerFilterWordBits)
        var singleFilter = [UInt64](repeating: 0, count: 1 << singleFilterWordBits)
        bytes.withUnsafeBufferPointer { all in
            for phrase in 0..<phraseCount {
                let lower = Int(starts[phrase]), upper = Int(starts[phrase + 1])
                guard upper > lower, all[lower] != 0x20, all[upper - 1] != 0x20 else { continue }
                PhraseTokenizer.tokenize(UnsafeBufferPointer(rebasing: all[lower..<upper]), seed: seed, into: &tokens)
                var key: UInt64 = 0
                for (position, token) in tokens.enumerated() {
                    key = position == 0 ? firstKey(token.hash, seed: seed) : nextKey(key, token.hash, gap: token.gapBefore)
                    keys.append(key)
                    values.append(position == tokens.count - 1 ? UInt64(phrase + 1) : continuesFlag)
                    if position == 0 {
                        let bit = Int(key >> UInt64(64 - filterBits))
                        filter[bit >> 6] |= 1 << UInt64(bit & 63)
                        if tokens.count == 1 { singleFilter[singleFilterWord(key)] |= singleFilterBits(key) }
                    } else {
                        longerFilter[longerFilterWord(key)] |= longerFilterBits(key)
                    }
                }
            }
        }
        guard phraseCount < Int(phraseMask) else { preconditionFailure("more than \(phraseMask - 1) phrases") }
        // Sized by distinct keys (many phrases share their first words), load at most 2/3: a
        // smaller table keeps more of it in cache, and probing it is the matcher's main cost.
        let distinctKeys = Set(keys).count
        var capacity = 16
        while capacity < distinctKeys + distinctKeys / 2 { capacity <<= 1 }
        var slots = [UInt64](repeating: 0, count: capacity)
        let mask = capacity - 1
        for k in keys.indices {
            let tag = tag(keys[k])
            var slot = Int(truncatingIfNeeded: keys[k]) & mask
            while slots[slot] != 0 && slots[slot] & tagMask != tag { slot = (slot + 1) & mask }
            let old = slots[slot]
            var new = tag | (old & ~tagMask) | (values[k] & continuesFlag)
            let phrase = values[k] & phraseMask
            if phrase != 0 {
                let existing = old & phraseMask
                if existing == 0 {
                    new |= phrase
                } else if !Self.equal(bytes, starts, Int(existing - 1), Int(phrase - 1)) {
                    return nil  // two phrases, one slot: try another seed
                }
            }
            slots[slot] = new
        }
        return (slots, filter, longerFilter, singleFilter)
    }

    /// The word of the longer-prefix filter that holds `key`'s two bits (the key's top 16 bits),
    /// and the bits (from below those and above the table's slot index).
    @inline(__always)
    static func longerFilterWord(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: key >> UInt64(64 - longerFilterWordBits))
    }

    @inline(__always)
    static func longerFilterBits(_ key: UInt64) -> UInt64 {
        (1 &<< ((key >> 32) & 63)) | (1 &<< ((key >> 38) & 63))
    }

    /// The word of the one-token filter that holds `key`'s two bits, and the bits. They come from
    /// other bits of the key than the first-token filter's (its top 21) and the slot index (its
    /// low bits), so that passing one says nothing of the others.
    @inline(__always)
    static func singleFilterWord(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key >> 24) & (1 << UInt64(singleFilterWordBits) - 1))
    }

    @inline(__always)
    static func singleFilterBits(_ key: UInt64) -> UInt64 {
        (1 &<< ((key >> 4) & 63)) | (1 &<< ((key >> 10) & 63))
    }

    /// Whether a two-bit filter (`longerPrefixFilter`, `singleTokenFilter`) has both `bits` set in
    /// its word `word`: false means the key was never entered.
    @inline(__always)
    static func filter(_ words: UnsafeBufferPointer<UInt64>, word: Int, holds bits: UInt64) -> Bool {
        words[word] & bits == bits
    }

    private static func equal(_ bytes: [UInt8], _ starts: [UInt32], _ a: Int, _ b: Int) -> Bool {
        bytes[Int(starts[a])..<Int(starts[a + 1])].elementsEqual(bytes[Int(starts[b])..<Int(starts[b + 1])])
    }

    // MARK: Keys

    /// The murmur3 finalizer: spreads every input bit over the key.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var x = value
        x ^= x >> 33
        x &*= 0xFF51_AFD7_ED55_8CCD
        x ^= x >> 33
        x &*= 0xC4CE_B9FE_1A85_EC53
        x ^= x >> 33
        return x
    }

    @inline(__always)
    static func nonZero(_ key: UInt64) -> UInt64 { key == 0 ? 1 : key }

    static let tagMask: UInt64 = 0xFFFF_FFFF_0000_0000

    /// The part of a key a slot stores: its upper half, never 0 (0 marks an empty slot).
    @inline(__always)
    static func tag(_ key: UInt64) -> UInt64 {
        let upper = key & tagMask
        return upper == 0 ? 1 << 32 : upper
    }

    @inline(__always)
    static func firstKey(_ tokenHash: UInt64, seed: UInt64) -> UInt64 {
        nonZero(mix(tokenHash ^ seed))
    }

    /// The key of a prefix extended by one token after `gap` spaces. Order matters ("new york" and
    /// "york new" differ), and so does the gap ("u.s" is not "u. s").
    @inline(__always)
    static func nextKey(_ key: UInt64, _ tokenHash: UInt64, gap: UInt8) -> UInt64 {
        nonZero(mix((key &+ UInt64(gap) &+ 1) &* 0x9E37_79B9_7F4A_7C15 ^ tokenHash))
    }

    // MARK: Matching

    /// Calls `body(phraseID, start, end)` for every occurrence of every phrase in `text` that starts
    /// where the scalar before is not a word scalar and ends where the scalar after is not one
    /// (see `WordScalars`), overlapping occurrences included; by start, shortest first.
    public func forEachMatch(in text: UnsafeBufferPointer<UInt8>, _ body: (UInt32, Int, Int) throws -> Void) rethrows {
        var tokens: [PhraseToken] = []
        PhraseTokenizer.tokenize(text, seed: seed, into: &tokens)
        guard let textBase = text.baseAddress, !tokens.isEmpty else { return }
        try slots.withUnsafeBufferPointer { slots in
            try firstTokenFilter.withUnsafeBufferPointer { filter in
              try longerPrefixFilter.withUnsafeBufferPointer { longerFilter in
               try singleTokenFilter.withUnsafeBufferPointer { singleFilter in
                try phraseBytes.withUnsafeBufferPointer { phraseBytes in
                    try phraseStart.withUnsafeBufferPointer { phraseStart in
                        try tokens.withUnsafeBufferPointer { tokens in
                            try scan(
                                text: textBase, tokens: tokens, slots: slots, filter: filter, longerFilter: longerFilter,
                                singleFilter: singleFilter, phraseBytes: phraseBytes, phraseStart: phraseStart, body)
                        }
                    }
                }
               }
              }
            }
        }
    }

    /// The probe of `key`: its value bits, 0 when absent.
    @inline(__always)
    private static func lookup(_ key: UInt64, _ slots: UnsafeBufferPointer<UInt64>, mask: Int) -> UInt64 {
        let tag = tag(key)
        var slot = Int(truncatingIfNeeded: key) & mask
        while true {
            let stored = slots[slot]
            if stored & tagMask == tag { return stored & ~tagMask }
            if stored == 0 { return 0 }
            slot = (slot &+ 1) & mask
        }
    }

    /// How many probes ahead a pass asks for the cache line it will read: far enough for the
    /// line to arrive (a few hundred cycles from memory) while the probes before it are done,
    /// near enough that it is still in the L1 cache when it is read.
    static let prefetchDistance = 16

    /// A prefix being walked: tokens `first...last` of the text, and its key.
    private struct Walk {
        var first: Int32
        var last: Int32
        var key: UInt64
    }

    /// A word that starts a prefix: its token, its key, and the key of it and the next token (0
    /// when it is the last token).
    private struct Start {
        var token: Int32
        var key: UInt64
        var twoTokenKey: UInt64
    }

    /// A phrase found by its key, to be compared byte for byte: tokens `first...last`.
    private struct Found {
        var first: Int32
        var last: Int32
        var phrase: UInt32
    }

    @inline(__always)
    private func scan(
        text: UnsafePointer<UInt8>, tokens: UnsafeBufferPointer<PhraseToken>, slots: UnsafeBufferPointer<UInt64>,
        filter: UnsafeBufferPointer<UInt64>, longerFilter: UnsafeBufferPointer<UInt64>,
        singleFilter: UnsafeBufferPointer<UInt64>,
        phraseBytes: UnsafeBufferPointer<UInt8>, phraseStart: UnsafeBufferPointer<UInt32>,
        _ body: (UInt32, Int, Int) throws -> Void
    ) rethrows {
        let mask = slots.count - 1
        let seed = self.seed
        let shift = UInt64(64 - Self.filterBits)
        let distance = Self.prefetchDistance
        let slotBase = slots.baseAddress!, filterBase = filter.baseAddress!
        // The table is larger than the caches: a probe that waits for its cache line before the
        // next one is asked for costs a full memory latency. So the words are not walked one after
        // another; the work goes in passes, each over a list of independent probes that asks for
        // the line it will need `distance` probes ahead (`cprefetch_read`), so misses overlap:
        // 1. the first-token keys of word-start tokens, through the filter (its words fetched
        //    ahead), give the words that start a prefix; those that the one-token filter passes
        //    (maybe a phrase) or whose key with the next token the longer-prefix filter passes
        //    (maybe continued) give the walks of one token;
        // 2. one pass per prefix length probes every walk of that length (slots fetched ahead),
        //    records the phrases that end there and extends the walks whose prefix continues and
        //    whose longer prefix passes the second filter;
        // 3. the phrases found are checked byte for byte and reported by start, shortest first.
        var walks: [Walk] = []
        walks.reserveCapacity(tokens.count / 2)
        var pending: [UInt64] = []
        pending.reserveCapacity(tokens.count / 2 + 1)
        var pendingToken: [Int32] = []
        pendingToken.reserveCapacity(tokens.count / 2 + 1)
        for index in 0..<tokens.count where tokens[index].flags & PhraseToken.startsWord != 0 {
            let key = Self.firstKey(tokens[index].hash, seed: seed)
            if pending.count < distance { cprefetch_read(filterBase + Int(key >> (shift &+ 6))) }
            pending.append(key)
            pendingToken.append(Int32(truncatingIfNeeded: index))
        }
        // Words that start a prefix, with the key of the word and the next token (0: no next
        // token; no key is 0), their lines of the one-token and longer-prefix filters asked for.
        var starts: [Start] = []
        starts.reserveCapacity(pending.count / 2 + 1)
        let singleFilterBase = singleFilter.baseAddress!, longerFilterBase = longerFilter.baseAddress!
        pending.withUnsafeBufferPointer { keys in
            for k in 0..<keys.count {
                if k &+ distance < keys.count { cprefetch_read(filterBase + Int(keys[k &+ distance] >> (shift &+ 6))) }
                let key = keys[k]
                let bit = Int(key >> shift)
                guard filter[bit &>> 6] & (1 &<< UInt64(bit & 63)) != 0 else { continue }
                let token = Int(pendingToken[k])
                var twoTokenKey: UInt64 = 0
                if token &+ 1 < tokens.count {
                    twoTokenKey = Self.nextKey(key, tokens[token &+ 1].hash, gap: tokens[token &+ 1].gapBefore)
                }
                // The test pass fetches `distance` starts ahead; the first ones are fetched now.
                if starts.count < distance {
                    cprefetch_read(singleFilterBase + Self.singleFilterWord(key))
                    cprefetch_read(longerFilterBase + Self.longerFilterWord(twoTokenKey))
                }
                starts.append(Start(token: Int32(truncatingIfNeeded: token), key: key, twoTokenKey: twoTokenKey))
            }
        }
        // A start is walked (its key probed in the table) only when the word may be a phrase or
        // may be followed by a token that continues one.
        starts.withUnsafeBufferPointer { starts in
            for k in 0..<starts.count {
                if k &+ distance < starts.count {
                    cprefetch_read(singleFilterBase + Self.singleFilterWord(starts[k &+ distance].key))
                    cprefetch_read(longerFilterBase + Self.longerFilterWord(starts[k &+ distance].twoTokenKey))
                }
                let start = starts[k]
                let mayBePhrase = Self.filter(
                    singleFilter, word: Self.singleFilterWord(start.key), holds: Self.singleFilterBits(start.key))
                let mayContinue = start.twoTokenKey != 0 && Self.filter(
                    longerFilter, word: Self.longerFilterWord(start.twoTokenKey), holds: Self.longerFilterBits(start.twoTokenKey))
                guard mayBePhrase || mayContinue else { continue }
                // The probe pass fetches `distance` walks ahead; the first ones are fetched now.
                if walks.count < distance { cprefetch_read(slotBase + (Int(truncatingIfNeeded: start.key) & mask)) }
                walks.append(Walk(first: start.token, last: start.token, key: start.key))
            }
        }
        var found: [Found] = []
        found.reserveCapacity(walks.count / 2 + 8)
        var longer: [Walk] = []
        longer.reserveCapacity(walks.count)
        var extending: [Walk] = []
        extending.reserveCapacity(walks.count)
        var foundInOrder = true
        while !walks.isEmpty {
            longer.removeAll(keepingCapacity: true)
            walks.withUnsafeBufferPointer { walks in
                for w in 0..<walks.count {
                    if w &+ distance < walks.count {
                        cprefetch_read(slotBase + (Int(truncatingIfNeeded: walks[w &+ distance].key) & mask))
                    }
                    let walk = walks[w]
                    let value = Self.lookup(walk.key, slots, mask: mask)
                    if value == 0 { continue }
                    let last = Int(walk.last)
                    let phrase = value & Self.phraseMask
                    if phrase != 0 && tokens[last].flags & PhraseToken.endsWord != 0 {
                        if let previous = found.last, previous.first > walk.first { foundInOrder = false }
                        found.append(Found(first: walk.first, last: walk.last, phrase: UInt32(truncatingIfNeeded: phrase &- 1)))
                    }
                    let next = last &+ 1
                    if value & Self.continuesFlag != 0 && next < tokens.count {
                        let key = Self.nextKey(walk.key, tokens[next].hash, gap: tokens[next].gapBefore)
                        cprefetch_read(longerFilterBase + Self.longerFilterWord(key))
                        extending.append(Walk(first: walk.first, last: Int32(truncatingIfNeeded: next), key: key))
                    }
                }
            }
            // The longer prefixes through the second filter, whose words were asked for as each
            // was made: tested at once, each test waited for its word (the 512 KiB filter shares
            // a core's 1 MiB L2 cache with the slots and the rest of the article's work, and its
            // words were seldom there), and that wait was ~40% of this function's samples.
            for walk in extending {
                guard Self.filter(longerFilter, word: Self.longerFilterWord(walk.key), holds: Self.longerFilterBits(walk.key))
                else { continue }
                if longer.count < distance { cprefetch_read(slotBase + (Int(truncatingIfNeeded: walk.key) & mask)) }
                longer.append(walk)
            }
            extending.removeAll(keepingCapacity: true)
            swap(&walks, &longer)
        }
        // Found pass by pass, so by length first: a start with phrases of several lengths needs
        // sorting (a start with one phrase, the usual case, leaves the list in order).
        if !foundInOrder { found.sort { ($0.first, $0.last) < ($1.first, $1.last) } }
        // The phrases' offsets and bytes are read at random: all their lines are asked for first.
        for item in found { cprefetch_read(phraseStart.baseAddress! + Int(item.phrase)) }
        for item in found { cprefetch_read(phraseBytes.baseAddress! + Int(phraseStart[Int(item.phrase)])) }
        for item in found {
            let id = Int(item.phrase)
            let start = Int(tokens[Int(item.first)].start), end = Int(tokens[Int(item.last)].end)
            let lower = Int(phraseStart[id]), upper = Int(phraseStart[id &+ 1])
            if upper &- lower == end &- start
                && memcmp(text + start, phraseBytes.baseAddress! + lower, end &- start) == 0 {
                try body(UInt32(id), start, end)
            }
        }
    }

    /// Every match, as `(phraseID, start, end)` triples (for tests and tools).
    public func allMatches(in bytes: [UInt8]) -> [Match] {
        var matches: [Match] = []
        bytes.withUnsafeBufferPointer { text in
            forEachMatch(in: text) { matches.append(Match(phraseID: $0, start: $1, end: $2)) }
        }
        return matches
    }

    /// Calls `body(id, bytes)` for every phrase, in id order.
    public func forEachPhrase(_ body: (UInt32, ArraySlice<UInt8>) throws -> Void) rethrows {
        for id in 0..<phraseCount {
            try body(UInt32(id), phraseBytes[Int(phraseStart[id])..<Int(phraseStart[id + 1])])
        }
    }
}

/// One occurrence: `text[start..<end]` equals phrase `phraseID`.
public struct Match: Sendable, Hashable {
    public var phraseID: UInt32
    public var start: Int
    public var end: Int

    public init(phraseID: UInt32, start: Int, end: Int) {
        self.phraseID = phraseID
        self.start = start
        self.end = end
    }

    /// Leftmost-longest non-overlapping matches chosen from any set of matches (e.g. what is left
    /// after a caller's own filtering, so a rejected long match falls back to a shorter one): the
    /// match that starts first wins, the longest among those, and the next must start at or after
    /// its end. Equal ranges keep the lowest id.
    public static func leftmostLongest(_ matches: [Match]) -> [Match] {
        let ordered = matches.sorted {
            ($0.start, -$0.end, $0.phraseID) < ($1.start, -$1.end, $1.phraseID)
        }
        var chosen: [Match] = []
        var reachedEnd = Int.min
        for match in ordered where match.start >= reachedEnd {
            chosen.append(match)
            reachedEnd = match.end
        }
        return chosen
    }
}

import CPrefetch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
