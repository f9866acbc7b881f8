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
    /// A random number naming this loaded gazetteer (not its contents: it is not stored in the
    /// cache, and each load gets another), so that `GazetteerEntityHint`s of two gazetteers are
    /// never taken for each other.
    public let instance: UInt64
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
    /// Per pattern, a hash of it and of everything its candidates give the stage (each entity's
    /// key, name, type, prior, dates, country and feature, the case rules, in order): two
    /// gazetteers whose signatures of a pattern agree treat its hits alike
    /// (`GazetteerStage.mentionsView`).
    let patternSignatures: [UInt64]

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
        try self.init(sources: sources, entityTypes: entityTypes, normalizer: normalizer, pieceBytes: 1 << 18)
    }

    /// Loads as above, the rows of each file parsed in pieces of about `pieceBytes` bytes (whole
    /// lines), the pieces on all cores. The result does not depend on the size (tests vary it).
    init(
        sources: [(path: String, text: String)], entityTypes: Set<EntityType>, normalizer: TextNormalizer,
        pieceBytes: Int
    ) throws {
        var entities: [Entity] = []
        var seenIDs: [String: (file: String, line: Int)] = [:]
        var patternOf: [AliasBytes: UInt32] = [:]
        var patterns: [[UInt8]] = []
        // (pattern, entity, rule) in load order.
        var aliasPattern: [UInt32] = []
        var aliasEntity: [Int32] = []
        var aliasRule: [AliasCaseRule] = []

        // Rows are parsed and their aliases normalized on every core (most of a build), then taken
        // in load order on this thread: entities, patterns and candidates come out as a row-by-row
        // load makes them, and so does the first error (`ParsedRow`). Each worker gets its rows
        // as a text of its own: rows cut from one shared text made both cores count references
        // on that one string for every field.
        var headerErrors: [Int: GazetteerError] = [:]
        var pieces: [RowPiece] = []
        for (file, (path, text)) in sources.enumerated() {
            var utf8 = Substring(text).utf8[...]
            var lineNumber = 0
            var header: [String: Int]?
            // The header: the first line that is neither empty nor a comment.
            while header == nil, !utf8.isEmpty {
                let end = utf8.firstIndex(of: 0x0A) ?? utf8.endIndex
                let line = Self.trimmedLine(Substring(utf8[..<end]))
                utf8 = end == utf8.endIndex ? utf8[end...] : utf8[utf8.index(after: end)...]
                lineNumber += 1
                if line.isEmpty || line.first == "#" { continue }
                do {
                    header = try Self.parseHeader(Self.fields(line), path: path, line: lineNumber)
                } catch let error as GazetteerError {
                    // Met after the rows of the files before this one, as a row-by-row load would.
                    headerErrors[file] = error
                }
                if header == nil { break }
            }
            guard let header, !utf8.isEmpty else { continue }
            // The rest in pieces, each cut after a line feed.
            while !utf8.isEmpty {
                var end = utf8.index(utf8.startIndex, offsetBy: min(max(1, pieceBytes), utf8.count))
                while end != utf8.endIndex, utf8[utf8.index(before: end)] != 0x0A { end = utf8.index(after: end) }
                let piece = utf8[..<end]
                pieces.append(RowPiece(file: file, path: path, columns: header, firstLine: lineNumber + 1,
                                       text: String(Substring(piece))))
                lineNumber += Self.lineFeedCount(piece)
                utf8 = utf8[end...]
            }
        }
        let parsedPieces = parallelMap(pieces) { piece in
            Self.parseRows(piece, entityTypes: entityTypes, normalizer: normalizer)
        }

        var aliasCapacity = 0, rowCount = 0
        for rows in parsedPieces {
            rowCount += rows.count
            for row in rows { aliasCapacity += row.aliases.count }
        }
        seenIDs.reserveCapacity(rowCount)
        entities.reserveCapacity(rowCount)
        patternOf.reserveCapacity(aliasCapacity)
        aliasPattern.reserveCapacity(aliasCapacity)
        aliasEntity.reserveCapacity(aliasCapacity)
        aliasRule.reserveCapacity(aliasCapacity)
        var nextFile = 0
        func enterFiles(through file: Int) throws {
            while nextFile <= file {
                if let error = headerErrors[nextFile] { throw error }
                nextFile += 1
            }
        }
        for (piece, rows) in zip(pieces, parsedPieces) {
            try enterFiles(through: piece.file)
            for row in rows {
                guard let id = row.id else { throw row.error! }
                if let first = seenIDs[id] {
                    throw GazetteerError(file: piece.path, line: row.line,
                                         reason: "duplicate id \(id), first defined at \(first.file):\(first.line)")
                }
                seenIDs[id] = (piece.path, row.line)
                if let error = row.error { throw error }
                guard let entity = row.entity else { continue }
                let entityIndex = Int32(entities.count)
                entities.append(entity)
                for alias in row.aliases {
                    let pattern: UInt32
                    if let existing = patternOf[AliasBytes(alias.bytes)] {
                        pattern = existing
                    } else {
                        pattern = UInt32(patterns.count)
                        patternOf[AliasBytes(alias.bytes)] = pattern
                        patterns.append(alias.bytes)
                    }
                    aliasPattern.append(pattern)
                    aliasEntity.append(entityIndex)
                    aliasRule.append(alias.rule)
                }
            }
        }
        try enterFiles(through: sources.count - 1)

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
        instance = UInt64.random(in: UInt64.min...UInt64.max)
        self.normalizer = normalizer
        self.matcher = PhraseMatcher(phrases: patterns)
        self.candidateStart = start
        self.candidateEntity = entityOf
        self.candidateRule = ruleOf
        self.patternNeedsCapital = (0..<patterns.count).map { pattern in
            ruleOf[Int(start[pattern])..<Int(start[pattern + 1])].allSatisfy { $0.needsCapitalFirstLetter }
        }
        // Each pattern's signature hashes its candidates' entities, strings and all: on all cores,
        // in runs of patterns (one at a time on this thread took ~5% of a build).
        let patternRuns = stride(from: 0, to: patterns.count, by: 4096).map { $0..<min($0 + 4096, patterns.count) }
        self.patternSignatures = parallelMap(patternRuns) { [patterns, start, entities, entityOf, ruleOf] run in
            run.map { pattern in
                var hash = StableHash()
                hash.add(bytes: patterns[pattern])
                for candidate in Int(start[pattern])..<Int(start[pattern + 1]) {
                    hash.add(entities[Int(entityOf[candidate])])
                    hash.add(ruleOf[candidate])
                }
                return hash.value
            }
        }.flatMap { $0 }
    }

    /// The line feeds in `bytes`, counted on the contiguous bytes when there are some (a lazy
    /// filter over the UTF-8 view took ~1% of a build).
    private static func lineFeedCount(_ bytes: Substring.UTF8View.SubSequence) -> Int {
        bytes.withContiguousStorageIfAvailable { buffer in
            var count = 0
            for byte in buffer where byte == 0x0A { count += 1 }
            return count
        } ?? bytes.lazy.filter { $0 == 0x0A }.count
    }

    /// Consecutive data rows of one gazetteer file, from line `firstLine` on, with the file's header.
    private struct RowPiece: Sendable {
        let file: Int
        let path: String
        let columns: [String: Int]
        let firstLine: Int
        let text: String
    }

    /// A line without its carriage return, if any.
    private static func trimmedLine(_ line: Substring) -> Substring {
        line.last == "\r" ? line.dropLast() : line
    }

    /// A line's tab-separated fields. Lines and fields are cut on their ASCII separators' bytes:
    /// splitting into `Character`s took a tenth of a gazetteer build.
    private static func fields(_ line: Substring) -> [Substring] {
        line.utf8.split(separator: 0x09, omittingEmptySubsequences: false).map(Substring.init)
    }

    private static func parseRows(_ piece: RowPiece, entityTypes: Set<EntityType>, normalizer: TextNormalizer) -> [ParsedRow] {
        var rows: [ParsedRow] = []
        var lineNumber = piece.firstLine - 1
        for rawLine in piece.text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map(Substring.init) {
            lineNumber += 1
            let line = trimmedLine(rawLine)
            if line.isEmpty || line.first == "#" { continue }
            rows.append(parseRow(fields(line), line: lineNumber, columns: piece.columns, path: piece.path,
                                 entityTypes: entityTypes, normalizer: normalizer))
        }
        return rows
    }

    /// A data row checked on its own, its entity made and its aliases normalized: all of a row's
    /// loading that needs no other row. What is left needs the rows before it (duplicate ids, the
    /// pattern numbers), and is done in load order.
    private struct ParsedRow: Sendable {
        let line: Int
        /// Set once the row passed the checks a row-by-row load makes before the duplicate-id check.
        var id: String?
        /// The row's error: with `id` nil, one met before the duplicate-id check (empty id or name,
        /// unknown type); else one met after it (prior, dates).
        var error: GazetteerError?
        /// Nil for an entity of a type not loaded, or a refused row.
        var entity: Entity?
        /// Normalized aliases in the order they are added, without the entity's own repeats.
        var aliases: [(rule: AliasCaseRule, bytes: [UInt8])] = []
    }

    private static func parseRow(
        _ fields: [Substring], line: Int, columns: [String: Int], path: String, entityTypes: Set<EntityType>,
        normalizer: TextNormalizer
    ) -> ParsedRow {
        var row = ParsedRow(line: line)
        func fail(_ reason: String) -> ParsedRow {
            row.error = GazetteerError(file: path, line: line, reason: reason)
            return row
        }
        let requiredCount = ["id", "type", "name", "aliases"].map { columns[$0]! }.max()! + 1
        func field(_ name: String) -> Substring? {
            guard let index = columns[name], index < fields.count else { return nil }
            let value = fields[index]
            return value.isEmpty ? nil : value
        }

        guard fields.count >= requiredCount else {
            return fail("row has \(fields.count) columns, the header's required columns need \(requiredCount)")
        }
        guard let id = field("id").map(String.init), !Self.isBlank(id) else {
            return fail("empty id")
        }
        guard let name = field("name").map(String.init), !Self.isBlank(name) else {
            return fail("empty name for \(id)")
        }
        let typeText = field("type").map(String.init) ?? ""
        guard let type = EntityType(rawValue: typeText) else {
            return fail("unknown type '\(typeText)' for \(id) (expected person, place, treaty or organization)")
        }
        row.id = id
        var prior = 0.0
        if let priorText = field("prior") {
            guard let value = Double(priorText), value.isFinite, value >= 0 else {
                return fail("prior '\(priorText)' is not a non-negative number")
            }
            prior = value
        }
        var from: Int?, to: Int?
        if let fromText = field("from") {
            guard let bounds = Self.parseDate(fromText) else { return fail("bad from date '\(fromText)'") }
            from = bounds.first
        }
        if let toText = field("to") {
            guard let bounds = Self.parseDate(toText) else { return fail("bad to date '\(toText)'") }
            to = bounds.last
        }
        guard entityTypes.contains(type) else { return row }

        row.entity = Entity(
            ref: EntityRef(key: id, name: name, type: type), prior: prior, from: from, to: to,
            country: field("country").map(String.init), feature: field("feature").map(String.init))
        // Listed aliases come before the name, so a marked alias equal to the name ("!Chad" for
        // "Chad") sets the name's case rule; later duplicates of an entity's alias are ignored.
        var seenForEntity: Set<AliasBytes> = []
        let aliases = (field("aliases").map(Self.aliasList) ?? []) + [name[...]]
        for alias in aliases {
            guard let (rule, aliasText) = AliasCaseRule.parse(alias) else { continue }
            let bytes = normalizer.normalizedBytes(String(aliasText))
            guard !bytes.isEmpty, seenForEntity.insert(AliasBytes(bytes)).inserted else { continue }
            row.aliases.append((rule, bytes))
        }
        return row
    }

    /// The aliases of an `aliases` field: `field.split(separator: "|")`, which cuts at every
    /// `Character` that is a lone `|`, found on the bytes instead. Walking the field by `Character`
    /// (grapheme breaking over every scalar) was 13% of a gazetteer build.
    ///
    /// A `|` byte is a lone `|` unless a neighbour joins it into one grapheme: a following
    /// extending scalar (a combining mark, ZWJ, a spacing mark) or a preceding prepended one
    /// (UAX #29, GB9–GB9b). Those rules look at the two neighbours only, and every such scalar is
    /// non-ASCII: with ASCII (or no) neighbours the byte is a cut; otherwise the pipe and its
    /// non-ASCII neighbours are segmented on their own, as `split` would see them.
    static func aliasList(_ field: Substring) -> [Substring] {
        let bytes = field.utf8
        var aliases: [Substring] = []
        var start = bytes.startIndex
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let next = bytes.index(after: index)
            if bytes[index] == UInt8(ascii: "|") && isLonePipe(in: field, at: index, after: next) {
                if start < index { aliases.append(Substring(bytes[start..<index])) }
                start = next
            }
            index = next
        }
        if start < bytes.endIndex { aliases.append(Substring(bytes[start...])) }
        return aliases
    }

    /// Whether the `|` at `index` of `text` (the next byte at `after`) is a grapheme of its own.
    private static func isLonePipe(in text: Substring, at index: String.Index, after: String.Index) -> Bool {
        let bytes = text.utf8
        let previousIsASCII = index == bytes.startIndex || bytes[bytes.index(before: index)] < 0x80
        let nextIsASCII = after == bytes.endIndex || bytes[after] < 0x80
        if previousIsASCII && nextIsASCII { return true }
        // Only the non-ASCII neighbours, which are not pipes: the one `|` is this one.
        let scalars = text.unicodeScalars
        var around = String.UnicodeScalarView()
        if !previousIsASCII { around.append(scalars[scalars.index(before: index)]) }
        around.append("|")
        if !nextIsASCII { around.append(scalars[after]) }
        return String(around).contains(Character("|"))
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
