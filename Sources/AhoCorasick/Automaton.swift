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
/// Layout (see DESIGN.md): bytes are mapped to equivalence classes; states are numbered in
/// breadth-first order; the first `denseCount` states (the shallow, busiest ones) have a full row of
/// `classCount` resolved transitions, the rest store their own edges as sorted (class, target) pairs
/// and fall back along failure links, which always lead to a shallower state and so end in a dense
/// row. Everything lives in one flat `[UInt32]`. Bit 31 of a transition target says "this state
/// reports a match", so the scan loop looks at outputs only when there is one.
public struct Automaton: Sendable {
    static let matchFlag: UInt32 = 0x8000_0000
    static let stateMask: UInt32 = 0x7FFF_FFFF
    static let none: UInt32 = 0xFFFF_FFFF

    /// Byte → class (0 = a byte no pattern contains).
    let classMap: [UInt8]
    /// All tables, one after another, at the offsets below.
    let words: [UInt32]
    let classCount: Int
    let stateCount: Int
    let denseCount: Int
    let sparseEdgeCount: Int
    let outputCount: Int

    // Section offsets in `words`.
    var denseOffset: Int { 0 }
    /// `sparseStateCount + 1` entries: first edge index of each sparse state.
    var sparseStartOffset: Int { denseOffset + denseCount * classCount }
    /// `2 * sparseEdgeCount` entries: (class, target) pairs.
    var sparseEdgesOffset: Int { sparseStartOffset + (stateCount - denseCount) + 1 }
    /// Failure link of each sparse state.
    var sparseFailOffset: Int { sparseEdgesOffset + 2 * sparseEdgeCount }
    /// `stateCount + 1` entries: first output index of each state.
    var outputStartOffset: Int { sparseFailOffset + (stateCount - denseCount) }
    var outputIDsOffset: Int { outputStartOffset + stateCount + 1 }
    var outputLengthsOffset: Int { outputIDsOffset + outputCount }
    /// Nearest proper suffix state that has outputs of its own, or `none`.
    var dictionaryLinkOffset: Int { outputLengthsOffset + outputCount }
    var wordCount: Int { dictionaryLinkOffset + stateCount }

    /// Number of patterns the automaton reports (duplicates counted).
    public var patternCount: Int { outputCount }
    public var numberOfStates: Int { stateCount }
    public var numberOfDenseStates: Int { denseCount }
    public var numberOfByteClasses: Int { classCount }
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
        guard let base = words.baseAddress else { return }
        let dense = base + denseOffset
        let sparseStart = base + sparseStartOffset
        let sparseEdges = base + sparseEdgesOffset
        let sparseFail = base + sparseFailOffset
        let stride = classCount
        let denseLimit = UInt32(denseCount)
        var state: UInt32 = 0
        var index = 0
        let count = text.count
        guard let bytes = text.baseAddress else { return }
        while index < count {
            let byteClass = UInt32(classes[Int(bytes[index])])
            var target: UInt32
            if byteClass == 0 {
                // No pattern contains this byte: every state goes back to the root, which reports
                // nothing (patterns are never empty).
                state = 0
                index += 1
                continue
            }
            while true {
                if state < denseLimit {
                    target = dense[Int(state) &* stride &+ Int(byteClass)]
                    break
                }
                let sparse = Int(state &- denseLimit)
                var edge = Int(sparseStart[sparse])
                let edgeEnd = Int(sparseStart[sparse &+ 1])
                var found = false
                target = 0
                while edge < edgeEnd {
                    let key = sparseEdges[2 &* edge]
                    if key >= byteClass {
                        if key == byteClass {
                            target = sparseEdges[2 &* edge &+ 1]
                            found = true
                        }
                        break
                    }
                    edge &+= 1
                }
                if found { break }
                state = sparseFail[sparse]
            }
            state = target & Self.stateMask
            index += 1
            if target & Self.matchFlag != 0 {
                try reportOutputs(of: state, end: index, words: base, body)
            }
        }
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
        var current = state
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
