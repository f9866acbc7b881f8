import PhraseMatcher

/// The gazetteer's cache encoding: columns of plain numbers and one byte blob per text column,
/// so loading is a few array copies instead of one generic decode per entity and per alias rule.
/// (The synthesized conformance took ~60% of start-up: 84k entities and 177k case rules, each
/// through keyed containers.) A new stored property must be added here, and
/// `GazetteerCache.formatVersion` raised.
extension Gazetteer {
    enum CodingKeys: String, CodingKey {
        case normalizer, matcher, candidateStart, candidateEntity, patternNeedsCapital, patternSignatures
        case entityKeys, entityNames, entityCountries, entityFeatures, entityTypes, entityPriors
        case entityFrom, entityTo
        case ruleKinds, ruleWordCounts, ruleCapitalMasks, ruleLetterCounts, ruleLetterMasks, ruleHasLowercase
    }

    /// A column of optional strings: UTF-8 bytes one after another, and per string its end offset
    /// (a set high bit marks nil).
    struct TextColumn: Codable {
        var bytes: [UInt8] = []
        var ends: [UInt32] = []
        static let absent: UInt32 = 1 << 31

        init() {}

        init<S: Sequence>(_ values: S) where S.Element == String? {
            for value in values {
                if let value {
                    bytes.append(contentsOf: value.utf8)
                    ends.append(UInt32(bytes.count))
                } else {
                    ends.append(UInt32(bytes.count) | Self.absent)
                }
            }
        }

        func values(count: Int, column: String) throws -> [String?] {
            guard ends.count == count else { throw GazetteerCacheDamage(reason: "column \(column) has \(ends.count) of \(count) values") }
            var result: [String?] = []
            result.reserveCapacity(count)
            var start = 0
            try bytes.withUnsafeBufferPointer { all in
                for raw in ends {
                    let end = Int(raw & ~Self.absent)
                    guard end >= start, end <= all.count else { throw GazetteerCacheDamage(reason: "column \(column) offsets out of order") }
                    if raw & Self.absent != 0 {
                        result.append(nil)
                    } else {
                        result.append(String(decoding: UnsafeBufferPointer(rebasing: all[start..<end]), as: UTF8.self))
                    }
                    start = end
                }
            }
            return result
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        normalizer = try container.decode(TextNormalizer.self, forKey: .normalizer)
        matcher = try container.decode(PhraseMatcher.self, forKey: .matcher)
        candidateStart = try container.decode([Int32].self, forKey: .candidateStart)
        candidateEntity = try container.decode([Int32].self, forKey: .candidateEntity)
        patternNeedsCapital = try container.decode([Bool].self, forKey: .patternNeedsCapital)
        patternSignatures = try container.decode([UInt64].self, forKey: .patternSignatures)

        let types = try container.decode([UInt8].self, forKey: .entityTypes)
        let count = types.count
        let keys = try container.decode(TextColumn.self, forKey: .entityKeys).values(count: count, column: "key")
        let names = try container.decode(TextColumn.self, forKey: .entityNames).values(count: count, column: "name")
        let countries = try container.decode(TextColumn.self, forKey: .entityCountries).values(count: count, column: "country")
        let features = try container.decode(TextColumn.self, forKey: .entityFeatures).values(count: count, column: "feature")
        let priors = try container.decode([UInt64].self, forKey: .entityPriors)
        let from = try container.decode([Int64].self, forKey: .entityFrom)
        let to = try container.decode([Int64].self, forKey: .entityTo)
        guard priors.count == count, from.count == count, to.count == count else {
            throw GazetteerCacheDamage(reason: "entity columns differ in length")
        }
        let allTypes = EntityType.allCases
        var entities: [Entity] = []
        entities.reserveCapacity(count)
        for index in 0..<count {
            guard Int(types[index]) < allTypes.count, let key = keys[index], let name = names[index] else {
                throw GazetteerCacheDamage(reason: "entity \(index) has no type, key or name")
            }
            entities.append(Entity(
                ref: EntityRef(key: key, name: name, type: allTypes[Int(types[index])]),
                prior: Double(bitPattern: priors[index]),
                from: from[index] == Int64.min ? nil : Int(from[index]), to: to[index] == Int64.min ? nil : Int(to[index]),
                country: countries[index], feature: features[index]))
        }
        self.entities = entities
        instance = UInt64.random(in: UInt64.min...UInt64.max)

        let kinds = try container.decode([UInt8].self, forKey: .ruleKinds)
        let wordCounts = try container.decode([Int32].self, forKey: .ruleWordCounts)
        let capitalMasks = try container.decode([UInt64].self, forKey: .ruleCapitalMasks)
        let letterCounts = try container.decode([Int32].self, forKey: .ruleLetterCounts)
        let letterMasks = try container.decode([UInt64].self, forKey: .ruleLetterMasks)
        let hasLowercase = try container.decode([Bool].self, forKey: .ruleHasLowercase)
        let ruleCount = kinds.count
        guard wordCounts.count == ruleCount, capitalMasks.count == ruleCount, letterCounts.count == ruleCount,
              letterMasks.count == ruleCount, hasLowercase.count == ruleCount else {
            throw GazetteerCacheDamage(reason: "case rule columns differ in length")
        }
        var rules: [AliasCaseRule] = []
        rules.reserveCapacity(ruleCount)
        for index in 0..<ruleCount {
            guard let kind = AliasCaseRule.Kind(rawValue: kinds[index]) else {
                throw GazetteerCacheDamage(reason: "case rule \(index) has unknown kind \(kinds[index])")
            }
            var shape = CaseShape(UnsafeBufferPointer(start: nil, count: 0))
            shape.wordCount = Int(wordCounts[index])
            shape.capitalMask = capitalMasks[index]
            shape.letterCount = Int(letterCounts[index])
            shape.letterMask = letterMasks[index]
            shape.hasLowercase = hasLowercase[index]
            rules.append(AliasCaseRule(kind: kind, shape: shape))
        }
        candidateRule = rules
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(normalizer, forKey: .normalizer)
        try container.encode(matcher, forKey: .matcher)
        try container.encode(candidateStart, forKey: .candidateStart)
        try container.encode(candidateEntity, forKey: .candidateEntity)
        try container.encode(patternNeedsCapital, forKey: .patternNeedsCapital)
        try container.encode(patternSignatures, forKey: .patternSignatures)

        let allTypes = EntityType.allCases
        try container.encode(entities.map { UInt8(allTypes.firstIndex(of: $0.ref.type)!) }, forKey: .entityTypes)
        try container.encode(TextColumn(entities.map { $0.ref.key }), forKey: .entityKeys)
        try container.encode(TextColumn(entities.map { $0.ref.name }), forKey: .entityNames)
        try container.encode(TextColumn(entities.map(\.country)), forKey: .entityCountries)
        try container.encode(TextColumn(entities.map(\.feature)), forKey: .entityFeatures)
        try container.encode(entities.map { $0.prior.bitPattern }, forKey: .entityPriors)
        try container.encode(entities.map { $0.from.map(Int64.init) ?? Int64.min }, forKey: .entityFrom)
        try container.encode(entities.map { $0.to.map(Int64.init) ?? Int64.min }, forKey: .entityTo)

        try container.encode(candidateRule.map(\.kind.rawValue), forKey: .ruleKinds)
        try container.encode(candidateRule.map { Int32($0.shape.wordCount) }, forKey: .ruleWordCounts)
        try container.encode(candidateRule.map(\.shape.capitalMask), forKey: .ruleCapitalMasks)
        try container.encode(candidateRule.map { Int32($0.shape.letterCount) }, forKey: .ruleLetterCounts)
        try container.encode(candidateRule.map(\.shape.letterMask), forKey: .ruleLetterMasks)
        try container.encode(candidateRule.map(\.shape.hasLowercase), forKey: .ruleHasLowercase)
    }
}

/// A cache file whose tables do not fit together; the cache is then rebuilt from the TSVs.
struct GazetteerCacheDamage: Error {
    var reason: String
}
