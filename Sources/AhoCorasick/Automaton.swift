/// One occurrence of a pattern: `bytes[start..<end]` of the searched text equals the pattern.
public struct Match: Sendable, Hashable {
    public var patternID: UInt32
    public var start: Int
    public var end: Int

    public init(patternID: UInt32, start: Int, end: Int) {
        self.patternID = patternID
        self.start = start
        self.end = end
    }
}

/// An immutable Aho-Corasick automaton over bytes, built by `AutomatonBuilder`.
///
/// Layout (see DESIGN.md): bytes are mapped to equivalence classes; states are laid out in
/// breadth-first order; the first `denseCount` states (the shallow, busiest ones) have a full row of
/// `classCount` resolved transitions, the rest are compact records (failure link, edge count, their
/// own edges as sorted (class, target) pairs) and fall back along failure links, which always lead to
/// a shallower state and so end in a dense row. A sparse state's id is `denseCount` plus the offset
/// of its record, so following a transition is one memory access into one flat `[UInt32]`. Bit 31 of
/// a transition target says "this state reports a match", so the scan loop looks at outputs only when
/// there is one; bit 30 says the transition is a trie edge, which anchored searches follow without
/// failure links.
public struct Automaton: Sendable {
    static let matchFlag: UInt32 = 0x8000_0000
    /// Marks a trie edge (as opposed to a transition borrowed from a failure link), for anchored
    /// walks.
    static let trieEdgeFlag: UInt32 = 0x4000_0000
    static let stateMask: UInt32 = 0x3FFF_FFFF
    static let none: UInt32 = 0xFFFF_FFFF

    /// Sparse record: failure link, edge count, breadth-first index, then the edge classes packed
    /// four to a word, then the targets.
    static let recordHeaderWords = 3

    /// Byte → class (0 = a byte no pattern contains).
    let classMap: [UInt8]
    /// All tables, one after another, at the offsets below.
    let words: [UInt32]
    let classCount: Int
    /// Number of states (breadth-first indices run over `0..<stateCount`).
    let stateCount: Int
    let denseCount: Int
    /// Words taken by the sparse records.
    let sparseWordCount: Int
    let outputCount: Int

    // Section offsets in `words`.
    var denseOffset: Int { 0 }
    var sparseOffset: Int { denseCount * classCount }
    /// `stateCount + 1` entries, by breadth-first index: first output index of each state.
    var outputStartOffset: Int { sparseOffset + sparseWordCount }
    var outputIDsOffset: Int { outputStartOffset + stateCount + 1 }
    var outputLengthsOffset: Int { outputIDsOffset + outputCount }
    /// By breadth-first index: nearest proper suffix state with outputs of its own, or `none`.
    var dictionaryLinkOffset: Int { outputLengthsOffset + outputCount }
    var wordCount: Int { dictionaryLinkOffset + stateCount }

    /// Number of patterns the automaton reports (duplicates counted).
    public var patternCount: Int { outputCount }
    public var numberOfStates: Int { stateCount }
    public var numberOfDenseStates: Int { denseCount }
    public var numberOfByteClasses: Int { classCount }
    /// The largest pattern id reported, nil when there is none (lets a loaded automaton be checked
    /// against the tables its ids index).
    public var largestPatternID: UInt32? {
        words[outputIDsOffset..<outputLengthsOffset].max()
    }
    /// Bytes held by the tables.
    public var memoryFootprint: Int { words.count * 4 + classMap.count }

    /// Calls `body(patternID, start, end)` for every occurrence of every pattern, overlapping ones
    /// included, in order of `end` (ties: longest pattern first).
    public func forEachMatch(
        in text: UnsafeBufferPointer<UInt8>, _ body: (UInt32, Int, Int) throws -> Void
    ) rethrows {
        try classMap.withUnsafeBufferPointer { classes in
            try words.withUnsafeBufferPointer { words in
                try scan(text, classes: classes, words: words, body)
            }
        }
    }

    /// Calls `body(patternID, start, end)` for every pattern that occurs in `text` starting exactly
    /// at one of `starts` (shortest first for each start), following trie edges only.
    ///
    /// When callers only accept matches at known positions (word starts), this visits each
    /// candidate start once and never reports the many matches that start mid-word.
    public func forEachMatch(
        in text: UnsafeBufferPointer<UInt8>, anchoredAt starts: [Int],
        _ body: (UInt32, Int, Int) throws -> Void
    ) rethrows {
        try classMap.withUnsafeBufferPointer { classes in
            try words.withUnsafeBufferPointer { words in
                for start in starts {
                    try walk(text, from: start, classes: classes, words: words, body)
                }
            }
        }
    }

    /// Every occurrence of every pattern (overlapping), in order of `end`.
    public func allMatches(in text: UnsafeBufferPointer<UInt8>) -> [Match] {
        var matches: [Match] = []
        forEachMatch(in: text) { id, start, end in
            matches.append(Match(patternID: id, start: start, end: end))
        }
        return matches
    }

    public func allMatches(in bytes: [UInt8]) -> [Match] {
        bytes.withUnsafeBufferPointer { allMatches(in: $0) }
    }

    /// Leftmost-longest non-overlapping matches: scanning left to right, the match that starts
    /// first wins, among those the longest, and the next match must start at or after its end.
    public func leftmostLongestMatches(in text: UnsafeBufferPointer<UInt8>) -> [Match] {
        Self.leftmostLongest(allMatches(in: text))
    }

    public func leftmostLongestMatches(in bytes: [UInt8]) -> [Match] {
        bytes.withUnsafeBufferPointer { leftmostLongestMatches(in: $0) }
    }

    /// Chooses leftmost-longest non-overlapping matches from any set of matches, e.g. the matches
    /// left after a caller's own filtering, so a rejected long match can fall back to a shorter one.
    /// Equal ranges keep the lowest pattern id.
    public static func leftmostLongest(_ matches: [Match]) -> [Match] {
        let ordered = matches.sorted {
            ($0.start, -$0.end, $0.patternID) < ($1.start, -$1.end, $1.patternID)
        }
        var chosen: [Match] = []
        var reachedEnd = Int.min
        for match in ordered where match.start >= reachedEnd {
            chosen.append(match)
            reachedEnd = match.end
        }
        return chosen
    }

    @inline(__always)
    private func scan(
        _ text: UnsafeBufferPointer<UInt8>, classes: UnsafeBufferPointer<UInt8>,
        words: UnsafeBufferPointer<UInt32>, _ body: (UInt32, Int, Int) throws -> Void
    ) rethrows {
        guard let base = words.baseAddress, let bytes = text.baseAddress else { return }
        // Sparse state `s` has its record at `sparse + s`.
        let sparse = base + sparseOffset - denseCount
        let stride = classCount
        let denseLimit = UInt32(denseCount)
        var state: UInt32 = 0
        var index = 0
        let count = text.count
        while index < count {
            let byteClass = UInt32(classes[Int(bytes[index])])
            index += 1
            if byteClass == 0 {
                // No pattern contains this byte: every state goes back to the root, which reports
                // nothing (patterns are never empty).
                state = 0
                continue
            }
            var target: UInt32
            while true {
                if state < denseLimit {
                    target = base[Int(state) &* stride &+ Int(byteClass)]
                    break
                }
                let record = sparse + Int(state)
                if let found = Self.sparseEdge(record, byteClass) {
                    target = found
                    break
                }
                state = record[0]
            }
            state = target & Self.stateMask
            if target & Self.matchFlag != 0 {
                try reportOutputs(of: state, end: index, words: base, body)
            }
        }
    }

    /// The target of a sparse record's edge for `byteClass`, if it has one.
    @inline(__always)
    static func sparseEdge(_ record: UnsafePointer<UInt32>, _ byteClass: UInt32) -> UInt32? {
        let edgeCount = Int(record[1])
        let keys = record + recordHeaderWords
        var edge = 0
        while edge < edgeCount {
            let key = (keys[edge &>> 2] &>> UInt32((edge & 3) &* 8)) & 0xFF
            if key >= byteClass {
                return key == byteClass ? keys[(edgeCount &+ 3) &>> 2 &+ edge] : nil
            }
            edge &+= 1
        }
        return nil
    }

    @inline(__always)
    private func walk(
        _ text: UnsafeBufferPointer<UInt8>, from start: Int, classes: UnsafeBufferPointer<UInt8>,
        words: UnsafeBufferPointer<UInt32>, _ body: (UInt32, Int, Int) throws -> Void
    ) rethrows {
        guard let base = words.baseAddress, let bytes = text.baseAddress, start >= 0 else { return }
        let sparse = base + sparseOffset - denseCount
        let outputStart = base + outputStartOffset
        let stride = classCount
        let denseLimit = UInt32(denseCount)
        var state: UInt32 = 0
        var index = start
        let count = text.count
        while index < count {
            let byteClass = UInt32(classes[Int(bytes[index])])
            if byteClass == 0 { return }
            var target: UInt32
            if state < denseLimit {
                target = base[Int(state) &* stride &+ Int(byteClass)]
                if target & Self.trieEdgeFlag == 0 { return }
            } else {
                guard let found = Self.sparseEdge(sparse + Int(state), byteClass) else { return }
                target = found
            }
            state = target & Self.stateMask
            index += 1
            if target & Self.matchFlag != 0 {
                let order = breadthFirstIndex(of: state, words: base)
                let outputs = Int(outputStart[order])..<Int(outputStart[order + 1])
                if !outputs.isEmpty {
                    let outputIDs = base + outputIDsOffset
                    for output in outputs { try body(outputIDs[output], start, index) }
                }
            }
        }
    }

    @inline(__always)
    func breadthFirstIndex(of state: UInt32, words: UnsafePointer<UInt32>) -> Int {
        state < UInt32(denseCount) ? Int(state) : Int(words[sparseOffset - denseCount + Int(state) + 2])
    }

    @inline(never)
    private func reportOutputs(
        of state: UInt32, end: Int, words: UnsafePointer<UInt32>,
        _ body: (UInt32, Int, Int) throws -> Void
    ) rethrows {
        let outputStart = words + outputStartOffset
        let outputIDs = words + outputIDsOffset
        let outputLengths = words + outputLengthsOffset
        let dictionaryLink = words + dictionaryLinkOffset
        var current = UInt32(breadthFirstIndex(of: state, words: words))
        if outputStart[Int(current)] == outputStart[Int(current) + 1] {
            current = dictionaryLink[Int(current)]
        }
        while current != Self.none {
            for output in Int(outputStart[Int(current)])..<Int(outputStart[Int(current) + 1]) {
                try body(outputIDs[output], end - Int(outputLengths[output]), end)
            }
            current = dictionaryLink[Int(current)]
        }
    }
}
