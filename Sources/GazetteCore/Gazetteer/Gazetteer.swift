import Foundation
import PhraseMatcher

/// The loaded gazetteer: entities, their aliases in normalized form, and one phrase matcher over
/// all aliases. Immutable after loading and shared by all concurrent tasks.
/// `Codable` so that the compiled form is cached on disk (`GazetteerCache`), in columns
/// (Gazetteer+Codable.swift): a new stored property must be added there.
public struct Gazetteer: Sendable, Codable {
    /// One canonical entity with what resolution needs.
    public struct Entity: Sendable, Equatable, Codable {
        public var ref: EntityRef
        public var prior: Double
        /// First and last day (`yyyymmdd`) the entity holds the sense of its aliases, when bounded.
        public var from: Int?
        public var to: Int?
        public var country: String?
        /// The informational `feature` column (`country`, `former-country`, `admin1`, `city`…), read
        /// so that resolution can tell a country from a city named like a sports team.
        public var feature: String? = nil
    }

    public let entities: [Entity]
    /// The normalizer aliases went through; the article text must go through the same one.
    public let normalizer: TextNormalizer
    /// Phrase `p` of the matcher is pattern `p` below: one distinct normalized alias.
    let matcher: PhraseMatcher
    /// Candidates of pattern `p` are `candidateStart[p]..<candidateStart[p + 1]`.
    let candidateStart: [Int32]
    let candidateEntity: [Int32]
    let candidateRule: [AliasCaseRule]
    /// Whether every candidate of a pattern needs its first letter in upper case: a hit on
    /// lower-case text ("the" for the town "The") is then rejected before any other work.
    let patternNeedsCapital: [Bool]

    public var aliasCount: Int { candidateEntity.count }
    public var patternCount: Int { candidateStart.count - 1 }
    public var matcherBytes: Int { matcher.memoryFootprint }

    /// Largest gazetteer file read (256 MiB; the biggest shipped file, cities, is 6 MB).
    public static let maximumFileBytes = 256 << 20

    /// Loads the TSV files named by `settings` (format: gazetteer-format.md).
    public init(settings: GazetteerSettings, normalizer: TextNormalizer = TextNormalizer()) throws {
        var sources: [(path: String, text: String)] = []
        for url in try settings.resolvedFiles() {
            let path = url.path
            // Checked before reading: the loader holds a file's text and its parsed rows at once.
            if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int,
               size > Self.maximumFileBytes {
                throw GazetteerError(file: path, reason: "file is \(size) bytes, over the limit of \(Self.maximumFileBytes) bytes per gazetteer file")
            }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw GazetteerError(file: path, reason: "cannot read file")
            }
            // The standard library's validating decoder: Foundation's took 5% of a gazetteer build.
            let decoded: String?
            if #available(macOS 15, *) {
                decoded = String(validating: data, as: UTF8.self)
            } else {
                decoded = String(data: data, encoding: .utf8)
            }
            guard var text = decoded else {
                throw GazetteerError(file: path, reason: "not valid UTF-8")
            }
            if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
            sources.append((path, text))
        }
        try self.init(sources: sources, entityTypes: settings.entityTypes, normalizer: normalizer)
    }

    /// Loads TSV contents already in memory; `path` is used in error messages.
    public init(
        sources: [(path: String, text: String)], entityTypes: Set<EntityType> = Set(EntityType.allCases),
        normalizer: TextNormalizer = TextNormalizer()
    ) throws {
        var entities: [Entity] = []
        var seenIDs: [String: (file: String, line: Int)] = [:]
        var patternOf: [AliasBytes: UInt32] = [:]
        var patterns: [[UInt8]] = []
        // (pattern, entity, rule) in load order.
        var aliasPattern: [UInt32] = []
        var aliasEntity: [Int32] = []
        var aliasRule: [AliasCaseRule] = []

        for (path, text) in sources {
            var header: [String: Int]?
            var lineNumber = 0
            // Lines and fields are cut on their ASCII separators' bytes: splitting into `Character`s
            // took a tenth of a gazetteer build.
            for rawLine in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map(Substring.init) {
                lineNumber += 1
                let line = rawLine.last == "\r" ? rawLine.dropLast() : rawLine
                if line.isEmpty || line.first == "#" { continue }
                let fields = line.utf8.split(separator: 0x09, omittingEmptySubsequences: false).map(Substring.init)
                guard let columns = header else {
                    header = try Self.parseHeader(fields, path: path, line: lineNumber)
                    continue
                }
                let requiredCount = ["id", "type", "name", "aliases"].map { columns[$0]! }.max()! + 1
                func field(_ name: String) -> Substring? {
                    guard let index = columns[name], index < fields.count else { return nil }
                    let value = fields[index]
                    return value.isEmpty ? nil : value
                }
                func fail(_ reason: String) -> GazetteerError { GazetteerError(file: path, line: lineNumber, reason: reason) }

                guard fields.count >= requiredCount else {
                    throw fail("row has \(fields.count) columns, the header's required columns need \(requiredCount)")
                }
                guard let id = field("id").map(String.init), !Self.isBlank(id) else {
                    throw fail("empty id")
                }
                guard let name = field("name").map(String.init), !Self.isBlank(name) else {
                    throw fail("empty name for \(id)")
                }
                let typeText = field("type").map(String.init) ?? ""
                guard let type = EntityType(rawValue: typeText) else {
                    throw fail("unknown type '\(typeText)' for \(id) (expected person, place, treaty or organization)")
                }
                if let first = seenIDs[id] {
                    throw fail("duplicate id \(id), first defined at \(first.file):\(first.line)")
                }
                seenIDs[id] = (path, lineNumber)
                var prior = 0.0
                if let priorText = field("prior") {
                    guard let value = Double(priorText), value.isFinite, value >= 0 else {
                        throw fail("prior '\(priorText)' is not a non-negative number")
                    }
                    prior = value
                }
                var from: Int?, to: Int?
                if let fromText = field("from") {
                    guard let bounds = Self.parseDate(fromText) else { throw fail("bad from date '\(fromText)'") }
                    from = bounds.first
                }
                if let toText = field("to") {
                    guard let bounds = Self.parseDate(toText) else { throw fail("bad to date '\(toText)'") }
                    to = bounds.last
                }
                guard entityTypes.contains(type) else { continue }

                let entityIndex = Int32(entities.count)
                entities.append(Entity(
                    ref: EntityRef(key: id, name: name, type: type), prior: prior, from: from, to: to,
                    country: field("country").map(String.init), feature: field("feature").map(String.init)))

                // Listed aliases come before the name, so a marked alias equal to the name ("!Chad"
                // for "Chad") sets the name's case rule; later duplicates of an entity's alias are
                // ignored.
                var seenForEntity: Set<AliasBytes> = []
                let aliases = (field("aliases")?.split(separator: "|") ?? []) + [name[...]]
                for alias in aliases {
                    guard let (rule, aliasText) = AliasCaseRule.parse(alias) else { continue }
                    let bytes = normalizer.normalizedBytes(String(aliasText))
                    guard !bytes.isEmpty, seenForEntity.insert(AliasBytes(bytes)).inserted else { continue }
                    let pattern: UInt32
                    if let existing = patternOf[AliasBytes(bytes)] {
                        pattern = existing
                    } else {
                        pattern = UInt32(patterns.count)
                        patternOf[AliasBytes(bytes)] = pattern
                        patterns.append(bytes)
                    }
                    aliasPattern.append(pattern)
                    aliasEntity.append(entityIndex)
                    aliasRule.append(rule)
                }
            }
        }

        // Group candidates by pattern (counting sort keeps load order within a pattern).
        var start = [Int32](repeating: 0, count: patterns.count + 1)
        for pattern in aliasPattern { start[Int(pattern) + 1] += 1 }
        for p in 0..<patterns.count { start[p + 1] += start[p] }
        var fill = start
        var entityOf = [Int32](repeating: 0, count: aliasPattern.count)
        var ruleOf = [AliasCaseRule](repeating: AliasCaseRule(kind: .anyCase, shape: CaseShape(UnsafeBufferPointer(start: nil, count: 0))), count: aliasPattern.count)
        for k in 0..<aliasPattern.count {
            let slot = Int(fill[Int(aliasPattern[k])])
            entityOf[slot] = aliasEntity[k]
            ruleOf[slot] = aliasRule[k]
            fill[Int(aliasPattern[k])] += 1
        }

        self.entities = entities
        self.normalizer = normalizer
        self.matcher = PhraseMatcher(phrases: patterns)
        self.candidateStart = start
        self.candidateEntity = entityOf
        self.candidateRule = ruleOf
        self.patternNeedsCapital = (0..<patterns.count).map { pattern in
            ruleOf[Int(start[pattern])..<Int(start[pattern + 1])].allSatisfy { $0.needsCapitalFirstLetter }
        }
    }

    /// Whether `text` is empty or only whitespace as `CharacterSet.whitespaces` sees it (tab and
    /// the space separators), without bridging to Foundation for every row.
    static func isBlank(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { $0 == "\t" || $0.properties.generalCategory == .spaceSeparator }
    }

    private static func parseHeader(_ fields: [Substring], path: String, line: Int) throws -> [String: Int] {
        var columns: [String: Int] = [:]
        for (index, name) in fields.enumerated() where columns[String(name)] == nil {
            columns[String(name.trimmingCharacters(in: .whitespaces))] = index
        }
        let missing = ["id", "type", "name", "aliases"].filter { columns[$0] == nil }
        guard missing.isEmpty else {
            throw GazetteerError(file: path, line: line, reason: "header lacks required column(s) \(missing.joined(separator: ", "))")
        }
        return columns
    }

    /// `yyyy`, `yyyy-mm` or `yyyy-mm-dd` → its first and last day as `yyyymmdd`.
    static func parseDate(_ text: Substring) -> ClosedRange<Int>? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count), parts[0].count == 4,
              parts.dropFirst().allSatisfy({ $0.count == 2 }),
              let year = Int(parts[0]) else { return nil }
        let month = parts.count > 1 ? Int(parts[1]) : nil
        let day = parts.count > 2 ? Int(parts[2]) : nil
        if parts.count > 1 { guard let month, (1...12).contains(month) else { return nil } }
        if parts.count > 2 { guard let day, (1...31).contains(day) else { return nil } }
        let firstMonth = month ?? 1, lastMonth = month ?? 12
        return (year * 10_000 + firstMonth * 100 + (day ?? 1))...(year * 10_000 + lastMonth * 100 + (day ?? 31))
    }
}

extension Gazetteer {
    /// Number of alias occurrences between word boundaries in a normalized text, before case rules
    /// and resolution: the matcher's work alone, timed by `gazette bench-stages`.
    public func rawMatchCount(in normalized: NormalizedText) -> Int {
        var count = 0
        normalized.bytes.withUnsafeBufferPointer { bytes in
            matcher.forEachMatch(in: bytes) { _, _, _ in count += 1 }
        }
        return count
    }
}

/// A normalized alias as a dictionary key, hashed as one block of bytes (`[UInt8]` hashes element by
/// element, which made the pattern table a tenth of a gazetteer build).
struct AliasBytes: Hashable {
    var bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
