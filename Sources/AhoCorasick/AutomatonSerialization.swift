/// Why a serialized automaton was refused.
public struct AutomatonError: Error, CustomStringConvertible, Equatable {
    public var reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { "invalid automaton blob: \(reason)" }
}

/// Blob layout, all integers little-endian:
///   magic "GZAC" · format version (UInt32) · classCount, stateCount, denseCount, sparseEdgeCount,
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
                      UInt32(sparseEdgeCount), UInt32(outputCount)] {
            appendLittleEndian(value, to: &blob)
        }
        blob.append(contentsOf: classMap)
        for word in words { appendLittleEndian(word, to: &blob) }
        let checksum = fnv1a(blob[...])
        for shift in stride(from: 0, to: 64, by: 8) { blob.append(UInt8(truncatingIfNeeded: checksum >> UInt64(shift))) }
        return blob
    }

    /// Loads a blob written by `serialized()`, rejecting foreign, truncated, corrupt or
    /// other-version data, and checking every table entry so a scan can never leave its tables.
    public init(serialized blob: [UInt8]) throws {
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
        guard stored == fnv1a(blob[..<(blob.count - 8)]) else { throw AutomatonError("checksum mismatch") }

        let classCount = Int(word(at: 8)), stateCount = Int(word(at: 12)), denseCount = Int(word(at: 16))
        let sparseEdgeCount = Int(word(at: 20)), outputCount = Int(word(at: 24))
        guard (1...256).contains(classCount), stateCount >= 1, stateCount < Int(Self.stateMask),
              (1...stateCount).contains(denseCount)
        else { throw AutomatonError("inconsistent counts") }
        let classMap = Array(blob[28..<(28 + 256)])
        guard classMap.allSatisfy({ Int($0) < classCount }) else { throw AutomatonError("class out of range") }

        let sparseStates = stateCount - denseCount
        let expectedWords = denseCount * classCount + sparseStates + 1 + 2 * sparseEdgeCount + sparseStates
            + stateCount + 1 + 2 * outputCount + stateCount
        guard blob.count == Self.headerSize + 4 * expectedWords + 8 else {
            throw AutomatonError("size \(blob.count) does not match its header")
        }
        var words = [UInt32](repeating: 0, count: expectedWords)
        for k in 0..<expectedWords { words[k] = word(at: Self.headerSize + 4 * k) }

        let automaton = Automaton(
            classMap: classMap, words: words, classCount: classCount, stateCount: stateCount,
            denseCount: denseCount, sparseEdgeCount: sparseEdgeCount, outputCount: outputCount)
        try automaton.validate()
        self = automaton
    }

    private func validate() throws {
        let states = UInt32(stateCount)
        for k in denseOffset..<sparseStartOffset where words[k] & Self.stateMask >= states {
            throw AutomatonError("dense transition out of range")
        }
        var previous: UInt32 = 0
        for k in sparseStartOffset..<sparseEdgesOffset {
            guard words[k] >= previous, Int(words[k]) <= sparseEdgeCount else {
                throw AutomatonError("sparse edge index out of range")
            }
            previous = words[k]
        }
        guard words[sparseStartOffset] == 0, Int(words[sparseEdgesOffset - 1]) == sparseEdgeCount else {
            throw AutomatonError("sparse edge index out of range")
        }
        for edge in 0..<sparseEdgeCount {
            guard Int(words[sparseEdgesOffset + 2 * edge]) < classCount,
                  words[sparseEdgesOffset + 2 * edge + 1] & Self.stateMask < states
            else { throw AutomatonError("sparse edge out of range") }
        }
        // Failure links must point to a smaller state so the fallback loop always ends.
        for sparse in 0..<(stateCount - denseCount) where Int(words[sparseFailOffset + sparse]) >= denseCount + sparse {
            throw AutomatonError("failure link does not lead towards the root")
        }
        previous = 0
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
    for byte in bytes {
        hash ^= UInt64(byte)
        hash = hash &* 0x0000_0100_0000_01b3
    }
    return hash
}
