/// The compiled tables encode as they are, so a cached matcher loads without re-hashing any
/// phrase. Decoding checks that the tables fit together (sizes, offsets in range), since a cache
/// file can be damaged; the cache's own checksum guards the contents.
extension PhraseMatcher: Codable {
    enum CodingKeys: String, CodingKey {
        case slots, firstTokenFilter, longerPrefixFilter, singleTokenFilter, phraseBytes, phraseStart, seed
    }

    public struct DecodingFailure: Error, CustomStringConvertible {
        public var description: String
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let slots = try container.decode([UInt64].self, forKey: .slots)
        let filter = try container.decode([UInt64].self, forKey: .firstTokenFilter)
        let longerFilter = try container.decode([UInt64].self, forKey: .longerPrefixFilter)
        let singleFilter = try container.decode([UInt64].self, forKey: .singleTokenFilter)
        let bytes = try container.decode([UInt8].self, forKey: .phraseBytes)
        let starts = try container.decode([UInt32].self, forKey: .phraseStart)
        let seed = try container.decode(UInt64.self, forKey: .seed)
        let capacity = slots.count
        guard capacity >= 16, capacity & (capacity - 1) == 0 else {
            throw DecodingFailure(description: "phrase table size \(slots.count) is not a power of two")
        }
        guard filter.count == (1 << Self.filterBits) / 64 else {
            throw DecodingFailure(description: "first-token filter has \(filter.count) words")
        }
        guard longerFilter.count == 1 << Self.longerFilterWordBits else {
            throw DecodingFailure(description: "longer-prefix filter has \(longerFilter.count) words")
        }
        guard singleFilter.count == 1 << Self.singleFilterWordBits else {
            throw DecodingFailure(description: "one-token filter has \(singleFilter.count) words")
        }
        guard starts.first == 0, Int(starts.last ?? 1) == bytes.count, zip(starts, starts.dropFirst()).allSatisfy({ $0 <= $1 }) else {
            throw DecodingFailure(description: "phrase offsets do not cover the phrase bytes in order")
        }
        let phraseCount = UInt64(starts.count - 1)
        for slot in slots where slot != 0 {
            let phrase = slot & Self.phraseMask
            guard phrase <= phraseCount else {
                throw DecodingFailure(description: "phrase table names phrase \(phrase - 1) of \(phraseCount)")
            }
        }
        self.init(
            slots: slots, firstTokenFilter: filter, longerPrefixFilter: longerFilter, singleTokenFilter: singleFilter,
            phraseBytes: bytes, phraseStart: starts, seed: seed)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(slots, forKey: .slots)
        try container.encode(firstTokenFilter, forKey: .firstTokenFilter)
        try container.encode(longerPrefixFilter, forKey: .longerPrefixFilter)
        try container.encode(singleTokenFilter, forKey: .singleTokenFilter)
        try container.encode(phraseBytes, forKey: .phraseBytes)
        try container.encode(phraseStart, forKey: .phraseStart)
        try container.encode(seed, forKey: .seed)
    }
}
