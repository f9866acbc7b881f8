/// Why a serialized automaton was refused.
public struct AutomatonError: Error, CustomStringConvertible, Equatable {
    public var reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { "invalid automaton blob: \(reason)" }
}

/// Blob layout, all integers little-endian:
///   magic "GZAC" · format version (UInt32) · classCount, stateCount, denseCount, sparseWordCount,
///   outputCount (UInt32 each) · class map (256 bytes) · tables (UInt32 each) · FNV-1a 64 checksum of
///   everything before it (UInt64).
extension Automaton {
    static let magic: [UInt8] = Array("GZAC".utf8)
    public static let formatVersion: UInt32 = 1
    static let headerSize = 4 + 4 * 6 + 256

    public func serialized() -> [UInt8] {
        var blob: [UInt8] = []
        blob.reserveCapacity(Self.headerSize + words.count * 4 + 8)
        blob.append(contentsOf: Self.magic)
        for value in [Self.formatVersion, UInt32(classCount), UInt32(stateCount), UInt32(denseCount),
                      UInt32(sparseWordCount), UInt32(outputCount)] {
            appendLittleEndian(value, to: &blob)
        }
        blob.append(contentsOf: classMap)
        if UInt32(littleEndian: 1) == 1 {
            words.withUnsafeBytes { blob.append(contentsOf: $0) }
        } else {
            for word in words { appendLittleEndian(word, to: &blob) }
        }
        let checksum = fnv1a(blob[...])
        for shift in stride(from: 0, to: 64, by: 8) { blob.append(UInt8(truncatingIfNeeded: checksum >> UInt64(shift))) }
        return blob
    }

    /// Loads a blob written by `serialized()`, rejecting foreign, truncated, corrupt or
    /// other-version data, and checking every table entry so a scan can never leave its tables.
    public init(serialized blob: [UInt8]) throws {
        try self.init(serialized: blob, verifyingChecksum: true)
    }

    /// `verifyingChecksum: false` is for blobs inside a container that has its own, stronger
    /// checksum (the gazetteer cache's SHA-256); the structure is validated either way.
    init(serialized blob: [UInt8], verifyingChecksum: Bool) throws {
        guard blob.count >= Self.headerSize + 8 else { throw AutomatonError("too short (\(blob.count) bytes)") }
        guard Array(blob[0..<4]) == Self.magic else { throw AutomatonError("not a Gazette automaton (bad magic)") }
        func word(at offset: Int) -> UInt32 {
            UInt32(blob[offset]) | UInt32(blob[offset + 1]) << 8 | UInt32(blob[offset + 2]) << 16
                | UInt32(blob[offset + 3]) << 24
        }
        let version = word(at: 4)
        guard version == Self.formatVersion else {
            throw AutomatonError("format version \(version), expected \(Self.formatVersion)")
        }
        var stored: UInt64 = 0
        for k in 0..<8 { stored |= UInt64(blob[blob.count - 8 + k]) << UInt64(8 * k) }
        guard !verifyingChecksum || stored == fnv1a(blob[..<(blob.count - 8)]) else { throw AutomatonError("checksum mismatch") }

        let classCount = Int(word(at: 8)), stateCount = Int(word(at: 12)), denseCount = Int(word(at: 16))
        let sparseWordCount = Int(word(at: 20)), outputCount = Int(word(at: 24))
        guard (1...256).contains(classCount), stateCount >= 1, stateCount < Int(Self.stateMask),
              (1...stateCount).contains(denseCount)
        else { throw AutomatonError("inconsistent counts") }
        let classMap = Array(blob[28..<(28 + 256)])
        guard classMap.allSatisfy({ Int($0) < classCount }) else { throw AutomatonError("class out of range") }

        let expectedWords = denseCount * classCount + sparseWordCount + stateCount + 1 + 2 * outputCount + stateCount
        guard blob.count == Self.headerSize + 4 * expectedWords + 8 else {
            throw AutomatonError("size \(blob.count) does not match its header")
        }
        // Bulk copy instead of assembling each word from four bytes: loading a cached gazetteer
        // is on the start-up path of every run.
        var words = [UInt32](repeating: 0, count: expectedWords)
        words.withUnsafeMutableBytes { target in
            blob.withUnsafeBytes { source in
                target.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[Self.headerSize..<(Self.headerSize + 4 * expectedWords)]))
            }
        }
        if UInt32(littleEndian: 1) != 1 {
            for k in words.indices { words[k] = UInt32(littleEndian: words[k]) }
        }

        let automaton = Automaton(
            classMap: classMap, words: words, classCount: classCount, stateCount: stateCount,
            denseCount: denseCount, sparseWordCount: sparseWordCount, outputCount: outputCount)
        try automaton.validate()
        self = automaton
    }

    private func validate() throws {
        guard denseCount + sparseWordCount < Int(Self.stateMask) else { throw AutomatonError("too large") }
        // Walk the records: they must tile the sparse section, in breadth-first order after the
        // dense states, with failure links pointing to earlier states (so fallback loops end).
        var isState = [Bool](repeating: false, count: denseCount + sparseWordCount)
        for state in 0..<denseCount { isState[state] = true }
        var offset = 0
        var order = denseCount
        var records: [Int] = []
        while offset < sparseWordCount {
            let record = sparseOffset + offset
            guard offset + Self.recordHeaderWords <= sparseWordCount else { throw AutomatonError("truncated sparse record") }
            let edges = Int(words[record + 1])
            let size = Self.recordHeaderWords + (edges + 3) / 4 + edges
            guard edges <= classCount, offset + size <= sparseWordCount, Int(words[record + 2]) == order else {
                throw AutomatonError("malformed sparse record")
            }
            isState[denseCount + offset] = true
            records.append(offset)
            offset += size
            order += 1
        }
        guard order == stateCount else { throw AutomatonError("state count does not match the records") }
        func checkTarget(_ target: UInt32) throws {
            let state = Int(target & Self.stateMask)
            guard state < isState.count, isState[state] else { throw AutomatonError("transition to a non-state") }
        }
        for k in 0..<(denseCount * classCount) { try checkTarget(words[k]) }
        for offset in records {
            let record = sparseOffset + offset
            let edges = Int(words[record + 1])
            guard words[record] < UInt32(denseCount + offset), isState[Int(words[record])] else {
                throw AutomatonError("failure link does not lead towards the root")
            }
            var previousKey = 0
            for edge in 0..<edges {
                let key = Int((words[record + Self.recordHeaderWords + edge / 4] >> UInt32((edge % 4) * 8)) & 0xFF)
                guard key > previousKey, key < classCount else { throw AutomatonError("sparse edge classes out of order") }
                previousKey = key
                try checkTarget(words[record + Self.recordHeaderWords + (edges + 3) / 4 + edge])
            }
        }
        var previous: UInt32 = 0
        for k in outputStartOffset..<outputIDsOffset {
            guard words[k] >= previous, Int(words[k]) <= outputCount else { throw AutomatonError("output index out of range") }
            previous = words[k]
        }
        for state in 0..<stateCount {
            let link = words[dictionaryLinkOffset + state]
            guard link == Self.none || Int(link) < state else { throw AutomatonError("output link out of range") }
        }
    }
}

private func appendLittleEndian(_ value: UInt32, to blob: inout [UInt8]) {
    blob.append(UInt8(truncatingIfNeeded: value))
    blob.append(UInt8(truncatingIfNeeded: value >> 8))
    blob.append(UInt8(truncatingIfNeeded: value >> 16))
    blob.append(UInt8(truncatingIfNeeded: value >> 24))
}

private func fnv1a(_ bytes: ArraySlice<UInt8>) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    bytes.withUnsafeBufferPointer { buffer in
        for byte in buffer {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
    }
    return hash
}

extension Automaton {
    /// Calls `body(patternID, bytes)` for every pattern the automaton reports, by walking the trie
    /// edges depth first (bytes in ascending order). Lets a caller export exactly the pattern list
    /// an automaton was built from (e.g. for benchmark baselines) without keeping the patterns.
    public func forEachPattern(_ body: (UInt32, [UInt8]) throws -> Void) rethrows {
        var byteOfClass = [UInt8](repeating: 0, count: classCount)
        for byte in 0..<256 where classMap[byte] != 0 { byteOfClass[Int(classMap[byte])] = UInt8(byte) }
        let outputStart = outputStartOffset, outputIDs = outputIDsOffset
        var path: [UInt8] = []
        // Each entry: state, or a marker (none) meaning "pop one byte".
        var stack: [(state: UInt32, byte: UInt8?)] = [(0, nil)]
        while let (state, byte) = stack.popLast() {
            if state == Self.none {
                path.removeLast()
                continue
            }
            if let byte {
                path.append(byte)
                stack.append((Self.none, nil))
            }
            let order = state < UInt32(denseCount) ? Int(state) : Int(words[sparseOffset - denseCount + Int(state) + 2])
            for output in Int(words[outputStart + order])..<Int(words[outputStart + order + 1]) {
                try body(words[outputIDs + output], path)
            }
            var children: [(UInt32, UInt8)] = []
            if state < UInt32(denseCount) {
                for byteClass in 1..<classCount {
                    let target = words[Int(state) * classCount + byteClass]
                    if target & Self.trieEdgeFlag != 0 { children.append((target & Self.stateMask, byteOfClass[byteClass])) }
                }
            } else {
                let record = sparseOffset - denseCount + Int(state)
                let edges = Int(words[record + 1])
                for edge in 0..<edges {
                    let key = Int((words[record + Self.recordHeaderWords + edge / 4] >> UInt32((edge % 4) * 8)) & 0xFF)
                    let target = words[record + Self.recordHeaderWords + (edges + 3) / 4 + edge]
                    if target & Self.trieEdgeFlag != 0 { children.append((target & Self.stateMask, byteOfClass[key])) }
                }
            }
            for (child, childByte) in children.reversed() { stack.append((child, childByte)) }
        }
    }
}

/// The automaton encodes as its serialized blob, so a decoded automaton went through the same
/// structural checks as `init(serialized:)` and can never be scanned out of bounds. Its own checksum
/// is not recomputed: `Codable` is used by the gazetteer cache, whose SHA-256 covers the blob.
extension Automaton: Codable {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(serialized())
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        try self.init(serialized: try container.decode([UInt8].self), verifyingChecksum: false)
    }
}
