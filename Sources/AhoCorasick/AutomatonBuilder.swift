/// Collects patterns (byte sequences with a caller-chosen id) and compiles them into an `Automaton`.
public struct AutomatonBuilder: Sendable {
    private var patternBytes: [UInt8] = []
    private var patternStarts: [Int] = [0]
    private var patternIDs: [UInt32] = []

    /// Most transition-table entries spent on dense rows (4 bytes each). Shallow states get dense
    /// rows until this budget is used; when every state fits, the automaton is a full DFA.
    public var denseEntryBudget: Int

    public init(denseEntryBudget: Int = 1 << 20) {
        self.denseEntryBudget = denseEntryBudget
    }

    public var count: Int { patternIDs.count }

    /// Adds a pattern. Empty patterns are ignored (they would match everywhere). The same bytes may
    /// be added under several ids; each is reported.
    public mutating func add<Bytes: Sequence>(_ bytes: Bytes, id: UInt32) where Bytes.Element == UInt8 {
        let before = patternBytes.count
        patternBytes.append(contentsOf: bytes)
        guard patternBytes.count > before else { return }
        patternStarts.append(patternBytes.count)
        patternIDs.append(id)
    }

    public func build() -> Automaton {
        let patternCount = patternIDs.count

        // Byte classes, numbered in byte order so that sorting by bytes sorts by class.
        var used = [Bool](repeating: false, count: 256)
        for byte in patternBytes { used[Int(byte)] = true }
        var classMap = [UInt8](repeating: 0, count: 256)
        var classCount = 1
        for byte in 0..<256 where used[byte] {
            classMap[byte] = UInt8(classCount)
            classCount += 1
        }
        let classes = patternBytes.map { classMap[Int($0)] }

        // Sort patterns by bytes so the trie is built with a stack, one new node per new byte.
        var order = Array(0..<patternCount)
        classes.withUnsafeBufferPointer { bytes in
            patternStarts.withUnsafeBufferPointer { starts in
                order.sort { a, b in
                    let aStart = starts[a], aEnd = starts[a + 1]
                    let bStart = starts[b], bEnd = starts[b + 1]
                    let common = min(aEnd - aStart, bEnd - bStart)
                    var k = 0
                    while k < common {
                        let x = bytes[aStart + k], y = bytes[bStart + k]
                        if x != y { return x < y }
                        k += 1
                    }
                    if aEnd - aStart != bEnd - bStart { return aEnd - aStart < bEnd - bStart }
                    return a < b
                }
            }
        }

        // Trie in creation (depth-first) order: node 0 is the root; each other node has one
        // parent edge. A parent's children are created in increasing class order.
        var parent: [UInt32] = [0]
        var edgeClass: [UInt8] = [0]
        var terminalNode = [UInt32](repeating: 0, count: patternCount)
        parent.reserveCapacity(patternBytes.count + 1)
        edgeClass.reserveCapacity(patternBytes.count + 1)
        var path: [UInt32] = [0]
        var previous = -1
        for pattern in order {
            let start = patternStarts[pattern], end = patternStarts[pattern + 1]
            var shared = 0
            if previous >= 0 {
                let pStart = patternStarts[previous], pEnd = patternStarts[previous + 1]
                let limit = min(end - start, pEnd - pStart)
                while shared < limit && classes[start + shared] == classes[pStart + shared] { shared += 1 }
            }
            path.removeSubrange((shared + 1)...)
            for k in (start + shared)..<end {
                let node = UInt32(parent.count)
                parent.append(path[path.count - 1])
                edgeClass.append(classes[k])
                path.append(node)
            }
            terminalNode[pattern] = path[path.count - 1]
            previous = pattern
        }
        let nodeCount = parent.count
        precondition(nodeCount < Int(Automaton.stateMask), "too many automaton states")

        // Children lists (compressed rows), in creation order = increasing class.
        var childStart = [Int](repeating: 0, count: nodeCount + 1)
        for node in 1..<max(1, nodeCount) { childStart[Int(parent[node]) + 1] += 1 }
        for node in 0..<nodeCount { childStart[node + 1] += childStart[node] }
        var children = [UInt32](repeating: 0, count: max(0, nodeCount - 1))
        var fill = childStart
        for node in 1..<max(1, nodeCount) {
            let p = Int(parent[node])
            children[fill[p]] = UInt32(node)
            fill[p] += 1
        }

        // Breadth-first renumbering: shallow states first, and every failure link points to a
        // smaller number.
        var bfsOrder: [UInt32] = [0]
        bfsOrder.reserveCapacity(nodeCount)
        var head = 0
        while head < bfsOrder.count {
            let node = Int(bfsOrder[head])
            head += 1
            bfsOrder.append(contentsOf: children[childStart[node]..<childStart[node + 1]])
        }
        var newID = [UInt32](repeating: 0, count: nodeCount)
        for (position, node) in bfsOrder.enumerated() { newID[Int(node)] = UInt32(position) }

        // Edges by new state number.
        var edgeStart = [Int](repeating: 0, count: nodeCount + 1)
        var edgeKeys = [UInt8](repeating: 0, count: max(0, nodeCount - 1))
        var edgeTargets = [UInt32](repeating: 0, count: max(0, nodeCount - 1))
        var cursor = 0
        for state in 0..<nodeCount {
            let node = Int(bfsOrder[state])
            edgeStart[state] = cursor
            for child in children[childStart[node]..<childStart[node + 1]] {
                edgeKeys[cursor] = edgeClass[Int(child)]
                edgeTargets[cursor] = newID[Int(child)]
                cursor += 1
            }
        }
        edgeStart[nodeCount] = cursor

        // Outputs per state.
        var outputsPerState = [Int](repeating: 0, count: nodeCount + 1)
        for pattern in 0..<patternCount { outputsPerState[Int(newID[Int(terminalNode[pattern])]) + 1] += 1 }
        for state in 0..<nodeCount { outputsPerState[state + 1] += outputsPerState[state] }
        var outputIDs = [UInt32](repeating: 0, count: patternCount)
        var outputLengths = [UInt32](repeating: 0, count: patternCount)
        var outputFill = outputsPerState
        for pattern in order {  // sorted order keeps duplicate ids in insertion order
            let state = Int(newID[Int(terminalNode[pattern])])
            outputIDs[outputFill[state]] = patternIDs[pattern]
            outputLengths[outputFill[state]] = UInt32(patternStarts[pattern + 1] - patternStarts[pattern])
            outputFill[state] += 1
        }
        func hasOwnOutput(_ state: Int) -> Bool { outputsPerState[state] != outputsPerState[state + 1] }

        let denseCount = max(1, min(nodeCount, denseEntryBudget / classCount))
        var dense = [UInt32](repeating: 0, count: denseCount * classCount)
        var fail = [UInt32](repeating: 0, count: nodeCount)
        var dictionaryLink = [UInt32](repeating: Automaton.none, count: nodeCount)

        // Resolved transition used while computing failure links; only called on states whose
        // dense row (or failure link) is already final.
        func transition(_ from: UInt32, _ byteClass: UInt8) -> UInt32 {
            var state = Int(from)
            while true {
                if state < denseCount { return dense[state * classCount + Int(byteClass)] & Automaton.stateMask }
                for edge in edgeStart[state]..<edgeStart[state + 1] where edgeKeys[edge] == byteClass {
                    return edgeTargets[edge]
                }
                state = Int(fail[state])
            }
        }

        for state in 0..<nodeCount {
            if state > 0 {
                let link = Int(fail[state])
                dictionaryLink[state] = hasOwnOutput(link) ? UInt32(link) : dictionaryLink[link]
            }
            for edge in edgeStart[state]..<edgeStart[state + 1] {
                let child = Int(edgeTargets[edge])
                fail[child] = state == 0 ? 0 : transition(fail[state], edgeKeys[edge])
            }
            if state < denseCount {
                let row = state * classCount
                if state == 0 {
                    // Missing root edges stay 0: back to the root.
                } else {
                    let failRow = Int(fail[state]) * classCount
                    for byteClass in 0..<classCount {
                        dense[row + byteClass] = dense[failRow + byteClass] & ~Automaton.trieEdgeFlag
                    }
                }
                for edge in edgeStart[state]..<edgeStart[state + 1] {
                    dense[row + Int(edgeKeys[edge])] = edgeTargets[edge] | Automaton.trieEdgeFlag
                }
            }
        }

        // Sparse states become records; their id is `denseCount` + record offset, so transitions
        // and failure links address records directly.
        var stateID = [UInt32](repeating: 0, count: nodeCount)
        var sparseWordCount = 0
        for state in 0..<nodeCount {
            if state < denseCount {
                stateID[state] = UInt32(state)
            } else {
                stateID[state] = UInt32(denseCount + sparseWordCount)
                let edges = edgeStart[state + 1] - edgeStart[state]
                sparseWordCount += Automaton.recordHeaderWords + (edges + 3) / 4 + edges
            }
        }
        precondition(denseCount + sparseWordCount < Int(Automaton.stateMask), "automaton too large")

        // Flag every transition into a state that reports something, and renumber it.
        func encoded(_ target: UInt32) -> UInt32 {
            let state = Int(target & Automaton.stateMask)
            let reports = hasOwnOutput(state) || dictionaryLink[state] != Automaton.none
            return stateID[state] | (target & Automaton.trieEdgeFlag) | (reports ? Automaton.matchFlag : 0)
        }

        var words: [UInt32] = []
        words.reserveCapacity(dense.count + sparseWordCount + 2 * patternCount + 2 * nodeCount + 1)
        for entry in dense { words.append(encoded(entry)) }
        for state in denseCount..<nodeCount {
            let edges = edgeStart[state]..<edgeStart[state + 1]
            words.append(stateID[Int(fail[state])])
            words.append(UInt32(edges.count))
            words.append(UInt32(state))
            var packed: UInt32 = 0
            for (k, edge) in edges.enumerated() {
                packed |= UInt32(edgeKeys[edge]) << UInt32((k % 4) * 8)
                if k % 4 == 3 {
                    words.append(packed)
                    packed = 0
                }
            }
            if edges.count % 4 != 0 { words.append(packed) }
            for edge in edges { words.append(encoded(edgeTargets[edge] | Automaton.trieEdgeFlag)) }
        }
        words.append(contentsOf: outputsPerState.map { UInt32($0) })
        words.append(contentsOf: outputIDs)
        words.append(contentsOf: outputLengths)
        words.append(contentsOf: dictionaryLink)

        return Automaton(
            classMap: classMap, words: words, classCount: classCount, stateCount: nodeCount,
            denseCount: denseCount, sparseWordCount: sparseWordCount, outputCount: patternCount)
    }
}
