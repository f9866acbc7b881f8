import CSQLite3
import Foundation
import GazetteCore

// Queries for looking at results: resolving an entity by name or id, finding the articles that
// mention it, and building the co-occurrence network by streaming mentions in article order.

/// An inclusive range of `articles.date` values (`yyyy-MM-dd`, compared as text). When either bound is
/// set, articles without a date are left out.
public struct DateRange: Sendable, Hashable {
    public var from: String?
    public var to: String?

    public init(from: String? = nil, to: String? = nil) {
        self.from = from
        self.to = to
    }

    public var isUnbounded: Bool { from == nil && to == nil }
}

/// An entity row with its store id.
public struct StoredEntity: Sendable, Hashable {
    public var id: Int64
    public var entity: EntityRef
}

/// One article that mentions the entity searched for, with the offsets of those mentions.
public struct FoundArticle: Sendable, Hashable {
    public struct Span: Sendable, Hashable {
        public var start: Int
        public var end: Int
        public var surface: String
    }

    public var article: StoredArticle
    /// Mentions of the searched entity, in text order.
    public var mentions: [Span]
    /// Mentions of the `with` entity, in text order (empty when none was asked for).
    public var withMentions: [Span]
}

/// What counts as "together" in a co-occurrence network.
public enum CooccurrenceWindow: String, Sendable, CaseIterable {
    /// Both entities are mentioned somewhere in the same article.
    case article
    /// Both entities are mentioned in the same sentence (sentences found in the stored text).
    case sentence
}

public struct NetworkOptions: Sendable, Hashable {
    /// Entity types to include; empty means all.
    public var types: Set<EntityType>
    public var window: CooccurrenceWindow
    /// Keep edges seen together in at least this many windows.
    public var minCount: Int
    public var dates: DateRange
    /// Keep only the `top` heaviest edges (by window count); nil keeps all.
    public var top: Int?

    public init(
        types: Set<EntityType> = [], window: CooccurrenceWindow = .article, minCount: Int = 1,
        dates: DateRange = DateRange(), top: Int? = nil
    ) {
        self.types = types
        self.window = window
        self.minCount = minCount
        self.dates = dates
        self.top = top
    }
}

/// An entity of the network with its counts over the selected articles and types.
public struct NetworkNode: Sendable, Hashable {
    public var id: Int64
    public var entity: EntityRef
    public var mentionCount: Int
    public var articleCount: Int
}

/// An undirected edge; `source`'s key sorts before `target`'s.
public struct NetworkEdge: Sendable, Hashable {
    public var source: Int64
    public var target: Int64
    /// Windows (articles or sentences) mentioning both: the edge weight.
    public var count: Int
    /// Articles in which the two appear together (in one sentence, for the sentence window).
    public var articleCount: Int
    /// Over articles: ln(p(x,y) / (p(x) p(y))) with p(x,y) = articleCount / N.
    public var pmi: Double
    /// PMI / −ln p(x,y), in [−1, 1]; 1 when p(x,y) = 1.
    public var npmi: Double
    /// Dates as yyyymmdd integers (0: none), so a network of millions of edges holds no strings.
    var firstDay: Int32
    var lastDay: Int32

    /// Earliest and latest date of the articles where they appear together (nil when none is dated).
    public var firstDate: String? { TagStore.dateText(firstDay) }
    public var lastDate: String? { TagStore.dateText(lastDay) }
}

public struct CooccurrenceNetwork: Sendable {
    /// Nodes of the kept edges, most mentioned first.
    public var nodes: [NetworkNode]
    /// Heaviest first; ties by article count, then by the keys of the pair.
    public var edges: [NetworkEdge]
    /// N: the articles in the date range (all articles when it is unbounded).
    public var totalArticles: Int
    /// Mentions read from the store to build the network.
    public var mentionsRead: Int
    /// Distinct pairs counted before `minCount` and `top` were applied.
    public var pairsCounted: Int

    public func node(_ id: Int64) -> NetworkNode? { nodesByID[id] }
    private var nodesByID: [Int64: NetworkNode]

    init(nodes: [NetworkNode], edges: [NetworkEdge], totalArticles: Int, mentionsRead: Int, pairsCounted: Int) {
        self.nodes = nodes
        self.edges = edges
        self.totalArticles = totalArticles
        self.mentionsRead = mentionsRead
        self.pairsCounted = pairsCounted
        nodesByID = Dictionary(uniqueKeysWithValues: nodes.map { ($0.id, $0) })
    }
}

extension TagStore {
    // MARK: - Entities by name or id

    /// The entities `text` names: an exact key (`geonames:2643743`) or store id wins; otherwise every
    /// entity whose canonical name equals `text` ignoring ASCII case (several when names are shared).
    public func entities(matching text: String) throws -> [StoredEntity] {
        let operation = "find entity '\(text)'"
        let byKey = try query("SELECT id, key, name, type FROM entities WHERE key = ?1")
        defer { byKey.reset() }
        byKey.bind(1, text)
        if try byKey.step(operation: operation) {
            return [StoredEntity(id: byKey.int64(0), entity: try entityRef(byKey, key: 1, name: 2, type: 3, operation: operation))]
        }
        if let id = Int64(text) {
            let byID = try query("SELECT id, key, name, type FROM entities WHERE id = ?1")
            defer { byID.reset() }
            byID.bind(1, id)
            if try byID.step(operation: operation) {
                return [StoredEntity(id: byID.int64(0), entity: try entityRef(byID, key: 1, name: 2, type: 3, operation: operation))]
            }
        }
        let byName = try query("SELECT id, key, name, type FROM entities WHERE name = ?1 COLLATE NOCASE ORDER BY key")
        defer { byName.reset() }
        byName.bind(1, text)
        var result: [StoredEntity] = []
        while try byName.step(operation: operation) {
            result.append(StoredEntity(id: byName.int64(0), entity: try entityRef(byName, key: 1, name: 2, type: 3, operation: operation)))
        }
        return result
    }

    /// Entities whose name contains `text` (ignoring ASCII case), most mentioned first: suggestions
    /// for a name that matched nothing.
    public func entities(nameContaining text: String, limit: Int) throws -> [StoredEntity] {
        let operation = "suggest entities for '\(text)'"
        let statement = try query("""
            SELECT e.id, e.key, e.name, e.type FROM entities e
            WHERE instr(lower(e.name), lower(?1)) > 0
            ORDER BY (SELECT coalesce(sum(x.mentions), 0) FROM article_entities x WHERE x.entity_id = e.id) DESC, e.key
            LIMIT ?2
            """)
        defer { statement.reset() }
        statement.bind(1, text)
        statement.bind(2, limit)
        var result: [StoredEntity] = []
        while try statement.step(operation: operation) {
            result.append(StoredEntity(
                id: statement.int64(0), entity: try entityRef(statement, key: 1, name: 2, type: 3, operation: operation)))
        }
        return result
    }

    // MARK: - Articles mentioning an entity

    /// How many articles mention `entityID` (and `withID`, when given) within `dates`.
    public func countArticles(mentioning entityID: Int64, with withID: Int64? = nil, dates: DateRange = DateRange()) throws -> Int {
        let statement = try query("""
            SELECT count(*) FROM articles a
            WHERE a.id IN (SELECT article_id FROM article_entities WHERE entity_id = ?1)
              AND (?2 IS NULL OR a.id IN (SELECT article_id FROM article_entities WHERE entity_id = ?2))
              AND (?3 IS NULL OR a.date >= ?3) AND (?4 IS NULL OR a.date <= ?4)
            """)
        defer { statement.reset() }
        Self.bindArticleFilter(statement, entityID: entityID, withID: withID, dates: dates)
        _ = try statement.step(operation: "count articles mentioning entity \(entityID)")
        return statement.int(0)
    }

    /// The articles that mention `entityID` (and `withID`, when given) within `dates`, newest first
    /// (undated articles last, then by id, newest first), at most `limit` (≤ 0: all).
    public func articles(
        mentioning entityID: Int64, with withID: Int64? = nil, dates: DateRange = DateRange(), limit: Int
    ) throws -> [FoundArticle] {
        let statement = try query("""
            SELECT \(Self.articleColumns) FROM articles a
            WHERE a.id IN (SELECT article_id FROM article_entities WHERE entity_id = ?1)
              AND (?2 IS NULL OR a.id IN (SELECT article_id FROM article_entities WHERE entity_id = ?2))
              AND (?3 IS NULL OR a.date >= ?3) AND (?4 IS NULL OR a.date <= ?4)
            ORDER BY a.date IS NULL, a.date DESC, a.id DESC
            LIMIT ?5
            """)
        defer { statement.reset() }
        Self.bindArticleFilter(statement, entityID: entityID, withID: withID, dates: dates)
        statement.bind(5, limit > 0 ? limit : -1)
        var articles: [StoredArticle] = []
        while try statement.step(operation: "find articles mentioning entity \(entityID)") {
            articles.append(Self.storedArticle(statement))
        }
        return try articles.map { article in
            FoundArticle(
                article: article, mentions: try spans(articleID: article.id, entityID: entityID),
                withMentions: try withID.map { try spans(articleID: article.id, entityID: $0) } ?? [])
        }
    }

    private static func bindArticleFilter(_ statement: SQLiteStatement, entityID: Int64, withID: Int64?, dates: DateRange) {
        statement.bind(1, entityID)
        if let withID { statement.bind(2, withID) } else { sqlite3_bind_null(statement.handle, 2) }
        statement.bind(3, dates.from)
        statement.bind(4, dates.to)
    }

    private func spans(articleID: Int64, entityID: Int64) throws -> [FoundArticle.Span] {
        let statement = try query("""
            SELECT start, "end", surface FROM mentions WHERE article_id = ?1 AND entity_id = ?2 ORDER BY start
            """)
        defer { statement.reset() }
        statement.bind(1, articleID)
        statement.bind(2, entityID)
        var result: [FoundArticle.Span] = []
        while try statement.step(operation: "read mentions of entity \(entityID) in article \(articleID)") {
            result.append(FoundArticle.Span(start: statement.int(0), end: statement.int(1), surface: statement.string(2)))
        }
        return result
    }

    // MARK: - Co-occurrence network

    /// Builds the co-occurrence network by streaming the selected mentions once, in article order.
    ///
    /// Memory holds one article's mentions (and text, for the sentence window) plus one small tally
    /// per distinct entity and per distinct pair; it does not grow with the number of mentions or
    /// articles. The read runs in one snapshot, so N and the counts agree while a tag run writes.
    ///
    /// The sentence window reads each article's stored text and splits it with `SentenceSplitter`
    /// at export time; an article with two or more selected entities and no stored text fails with
    /// an error naming it.
    public func cooccurrenceNetwork(_ options: NetworkOptions) throws -> CooccurrenceNetwork {
        let operation = "build co-occurrence network"
        try connection.execute("BEGIN", operation: operation)
        defer { rollbackIfNeeded() }  // a read transaction: ending it by rollback changes nothing

        let total = try query("""
            SELECT count(*) FROM articles WHERE (?1 IS NULL OR date >= ?1) AND (?2 IS NULL OR date <= ?2)
            """)
        total.bind(1, options.dates.from)
        total.bind(2, options.dates.to)
        _ = try total.step(operation: operation)
        let articleCount = total.int(0)
        total.reset()

        let typeValues = options.types.count == EntityType.allCases.count ? [] : options.types.map(\.rawValue).sorted()
        // Only placeholders are generated here; the type names are bound.
        let typeFilter = typeValues.isEmpty ? "" :
            "AND m.entity_id IN (SELECT id FROM entities WHERE type IN ("
            + typeValues.indices.map { "?\($0 + 3)" }.joined(separator: ", ") + "))"
        // The date as the integer yyyymmdd (0 when missing), so rows carry no strings.
        let statement = try query("""
            SELECT m.article_id, m.entity_id, m.start, coalesce(CAST(replace(a.date, '-', '') AS INTEGER), 0)
            FROM mentions m JOIN articles a ON a.id = m.article_id
            WHERE (?1 IS NULL OR a.date >= ?1) AND (?2 IS NULL OR a.date <= ?2) \(typeFilter)
            ORDER BY m.article_id, m.start
            """)
        defer { statement.reset() }
        statement.bind(1, options.dates.from)
        statement.bind(2, options.dates.to)
        for (offset, value) in typeValues.enumerated() {
            statement.bind(Int32(offset + 3), value)
        }

        var tally = NetworkTally()
        var currentArticle: Int64 = -1
        var currentDate: Int32 = 0
        var mentions: [(entity: Int64, start: Int)] = []
        var mentionsRead = 0
        let flush = { (tally: inout NetworkTally, article: Int64, date: Int32, mentions: [(entity: Int64, start: Int)]) throws in
            guard !mentions.isEmpty else { return }
            try tally.addArticle(date: date, mentions: mentions, window: options.window) {
                guard let text = try self.text(articleID: article) else {
                    throw StoreError(
                        kind: .sqlite(code: SQLITE_NOTFOUND), path: self.path,
                        operation: "\(operation) (sentence window)",
                        message: "article \(article) has no stored text to find sentences in; "
                            + "re-tag it with text storage on, or use the article window")
                }
                return text
            }
        }
        while try statement.step(operation: operation) {
            let article = statement.int64(0)
            if article != currentArticle {
                try flush(&tally, currentArticle, currentDate, mentions)
                mentions.removeAll(keepingCapacity: true)
                currentArticle = article
                currentDate = Int32(truncatingIfNeeded: statement.int64(3))
            }
            let entity = statement.int64(1)
            guard entity > 0 && entity <= Int64(UInt32.max) else {
                throw StoreError(
                    kind: .sqlite(code: SQLITE_RANGE), path: path, operation: operation,
                    message: "entity id \(entity) is outside 1...\(UInt32.max)")
            }
            mentions.append((entity, statement.int(2)))
            mentionsRead += 1
        }
        try flush(&tally, currentArticle, currentDate, mentions)

        // Keep the edges seen often enough, in a compact array; the tally's pair table goes.
        let pairsCounted = tally.pairs.count
        let minimum = Int32(clamping: max(1, options.minCount))
        var kept: [KeptPair] = []
        kept.reserveCapacity(tally.pairs.count)
        for (key, pair) in tally.pairs where pair.windows >= minimum {
            kept.append(KeptPair(low: UInt32(key >> 32), high: UInt32(key & 0xFFFF_FFFF), pair: pair))
        }
        tally.pairs = [:]

        // Order: heaviest first, then most articles, then by the keys of the pair. Keys are turned
        // into ranks once, so sorting compares integers only.
        var involved = Set<Int64>()
        for pair in kept {
            involved.insert(Int64(pair.low))
            involved.insert(Int64(pair.high))
        }
        let ranks = try keyRanks(of: involved, operation: operation)
        for index in kept.indices {
            let a = ranks[Int64(kept[index].low)]!, b = ranks[Int64(kept[index].high)]!
            kept[index].order = (
                UInt64(UInt32.max - UInt32(kept[index].pair.windows)) << 32 | UInt64(UInt32.max - UInt32(kept[index].pair.articles)),
                UInt64(min(a, b)) << 32 | UInt64(max(a, b)))
        }
        kept.sort { $0.order < $1.order }
        if let top = options.top, top >= 0, kept.count > top { kept.removeLast(kept.count - top) }

        var nodes: [Int64: NetworkNode] = [:]
        for pair in kept {
            for id in [Int64(pair.low), Int64(pair.high)] where nodes[id] == nil {
                let counts = tally.entities[id] ?? NetworkTally.Entity()
                nodes[id] = NetworkNode(
                    id: id, entity: try entityRef(id: id, operation: operation),
                    mentionCount: Int(counts.mentions), articleCount: Int(counts.articles))
            }
        }
        let edges: [NetworkEdge] = kept.map { kept in
            var source = nodes[Int64(kept.low)]!, target = nodes[Int64(kept.high)]!
            if ranks[target.id]! < ranks[source.id]! { swap(&source, &target) }
            let (pmi, npmi) = Self.pointwiseMutualInformation(
                together: Int(kept.pair.articles), first: source.articleCount, second: target.articleCount,
                total: articleCount)
            return NetworkEdge(
                source: source.id, target: target.id, count: Int(kept.pair.windows), articleCount: Int(kept.pair.articles),
                pmi: pmi, npmi: npmi, firstDay: kept.pair.firstDate, lastDay: kept.pair.lastDate)
        }
        let sortedNodes = nodes.values.sorted {
            $0.mentionCount != $1.mentionCount ? $0.mentionCount > $1.mentionCount : $0.entity.key < $1.entity.key
        }
        return CooccurrenceNetwork(
            nodes: sortedNodes, edges: edges, totalArticles: articleCount, mentionsRead: mentionsRead,
            pairsCounted: pairsCounted)
    }

    /// A pair that passed `minCount`, with its sort key.
    private struct KeptPair {
        var low: UInt32
        var high: UInt32
        var pair: NetworkTally.Pair
        var order: (UInt64, UInt64) = (0, 0)
    }

    /// Each entity's position in key order (only for `ids`), from one pass over the key index.
    private func keyRanks(of ids: Set<Int64>, operation: String) throws -> [Int64: UInt32] {
        var ranks: [Int64: UInt32] = [:]
        ranks.reserveCapacity(ids.count)
        guard !ids.isEmpty else { return ranks }
        let statement = try query("SELECT id FROM entities ORDER BY key")
        defer { statement.reset() }
        var position: UInt32 = 0
        while try statement.step(operation: operation) {
            let id = statement.int64(0)
            if ids.contains(id) { ranks[id] = position }
            position += 1
        }
        return ranks
    }

    private func entityRef(id: Int64, operation: String) throws -> EntityRef {
        let statement = try query("SELECT id, key, name, type FROM entities WHERE id = ?1")
        defer { statement.reset() }
        statement.bind(1, id)
        guard try statement.step(operation: operation) else {
            throw StoreError(kind: .sqlite(code: SQLITE_NOTFOUND), path: path, operation: operation,
                             message: "no entity with id \(id)")
        }
        return try entityRef(statement, key: 1, name: 2, type: 3, operation: operation)
    }

    /// `20050314` → `2005-03-14`; 0 (no date) → nil.
    static func dateText(_ value: Int32) -> String? {
        guard value > 0 else { return nil }
        let year = Int(value / 10000), month = Int(value / 100 % 100), day = Int(value % 100)
        func padded(_ number: Int, _ width: Int) -> String {
            let digits = String(number)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return padded(year, 4) + "-" + padded(month, 2) + "-" + padded(day, 2)
    }
}

/// Counts for the network, filled one article at a time.
struct NetworkTally {
    struct Entity {
        var mentions: Int32 = 0
        var articles: Int32 = 0
    }

    struct Pair {
        var windows: Int32 = 0
        var articles: Int32 = 0
        /// yyyymmdd; 0 = no dated article yet.
        var firstDate: Int32 = 0
        var lastDate: Int32 = 0
    }

    var entities: [Int64: Entity] = [:]
    /// Key: smaller entity id in the high 32 bits, larger in the low 32 bits.
    var pairs: [UInt64: Pair] = [:]

    /// Adds one article's mentions (in text order). `text` is called only for the sentence window,
    /// and only when the article has at least two distinct entities.
    mutating func addArticle(
        date: Int32, mentions: [(entity: Int64, start: Int)], window: CooccurrenceWindow, text: () throws -> String
    ) throws {
        var distinct = Set<Int64>()
        for mention in mentions {
            entities[mention.entity, default: Entity()].mentions += 1
            distinct.insert(mention.entity)
        }
        for entity in distinct { entities[entity, default: Entity()].articles += 1 }
        guard distinct.count >= 2 else { return }

        switch window {
        case .article:
            let ids = distinct.sorted()
            for i in ids.indices {
                for j in ids.index(after: i)..<ids.endIndex {
                    count(pair: Self.key(ids[i], ids[j]), windows: 1, date: date)
                }
            }
        case .sentence:
            let starts = SentenceSplitter.sentenceStarts(in: try text())
            var sentenceEntities: [Int: Set<Int64>] = [:]
            for mention in mentions {
                sentenceEntities[SentenceSplitter.sentence(containing: mention.start, starts: starts), default: []]
                    .insert(mention.entity)
            }
            var windowsPerPair: [UInt64: Int32] = [:]
            for ids in sentenceEntities.values where ids.count >= 2 {
                let sorted = ids.sorted()
                for i in sorted.indices {
                    for j in sorted.index(after: i)..<sorted.endIndex {
                        windowsPerPair[Self.key(sorted[i], sorted[j]), default: 0] += 1
                    }
                }
            }
            for (key, windows) in windowsPerPair { count(pair: key, windows: windows, date: date) }
        }
    }

    private mutating func count(pair key: UInt64, windows: Int32, date: Int32) {
        Self.add(to: &pairs[key, default: Pair()], windows: windows, date: date)  // one hash lookup
    }

    private static func add(to pair: inout Pair, windows: Int32, date: Int32) {
        pair.windows += windows
        pair.articles += 1
        if date > 0 {
            if pair.firstDate == 0 || date < pair.firstDate { pair.firstDate = date }
            if date > pair.lastDate { pair.lastDate = date }
        }
    }

    static func key(_ a: Int64, _ b: Int64) -> UInt64 {
        let (low, high) = a < b ? (a, b) : (b, a)
        return UInt64(low) << 32 | UInt64(high)
    }
}

/// Sentence boundaries found in stored text, in Unicode-scalar offsets (the unit mention offsets use).
///
/// Rules, chosen for news text: a sentence ends after `.`, `!`, `?` or `…` (plus any closing quotes or
/// brackets) when whitespace follows and the next word starts with an upper-case letter, a digit or
/// an opening quote; and at every blank line (paragraphs, the title line). A `.` does not end a
/// sentence after a single letter (initials: `Vladimir V. Putin`), after a word with an inner dot
/// (`U.S.`), or after a common abbreviation (`Mr.`, `Gen.`, `Jan.`…).
public enum SentenceSplitter {
    static let abbreviations: Set<String> = [
        "mr", "mrs", "ms", "dr", "prof", "st", "sr", "jr", "gen", "col", "lt", "maj", "capt", "sgt", "cmdr", "adm",
        "gov", "sen", "rep", "pres", "rev", "hon", "messrs", "mt", "ft", "no", "nos", "vs", "etc", "inc", "ltd",
        "co", "corp", "dept", "est", "approx", "fig", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
        "sept", "oct", "nov", "dec",
    ]

    /// The offset of the first scalar of every sentence; the first is always 0.
    public static func sentenceStarts(in text: String) -> [Int] {
        let scalars = Array(text.unicodeScalars)
        var starts = [0]
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\n" {
                // A blank line (possibly with spaces) ends the sentence.
                var next = index + 1
                while next < scalars.count && (scalars[next] == " " || scalars[next] == "\t" || scalars[next] == "\r") { next += 1 }
                if next < scalars.count && scalars[next] == "\n" {
                    while next < scalars.count && scalars[next].properties.isWhitespace { next += 1 }
                    if next < scalars.count && next > starts.last! { starts.append(next) }
                    index = next
                    continue
                }
            } else if isTerminator(scalar) {
                var end = index + 1
                while end < scalars.count && (isTerminator(scalars[end]) || isCloser(scalars[end])) { end += 1 }
                var next = end
                while next < scalars.count && scalars[next].properties.isWhitespace { next += 1 }
                if next > end, next < scalars.count, startsSentence(scalars[next]),
                   !(scalar == "." && isAbbreviation(scalars, dotAt: index))
                {
                    starts.append(next)
                    index = next
                    continue
                }
                index = end
                continue
            }
            index += 1
        }
        return starts
    }

    /// The index into `starts` of the sentence that contains `offset`.
    public static func sentence(containing offset: Int, starts: [Int]) -> Int {
        var low = 0, high = starts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if starts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        return low
    }

    private static func isTerminator(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "." || scalar == "!" || scalar == "?" || scalar == "…" || scalar == "。" || scalar == "！" || scalar == "？"
    }

    private static func isCloser(_ scalar: Unicode.Scalar) -> Bool {
        "\"')]»”’".unicodeScalars.contains(scalar)
    }

    private static func startsSentence(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isUppercase || scalar.properties.numericType != nil || "\"'(«“‘".unicodeScalars.contains(scalar)
            || (scalar.properties.isAlphabetic && !scalar.properties.isLowercase)  // scripts without case
    }

    /// Whether the word ending at the `.` at `dotAt` is an initial, a dotted abbreviation or a listed one.
    private static func isAbbreviation(_ scalars: [Unicode.Scalar], dotAt: Int) -> Bool {
        var start = dotAt
        while start > 0 && !scalars[start - 1].properties.isWhitespace && !"\"'(«“‘".unicodeScalars.contains(scalars[start - 1]) {
            start -= 1
        }
        let word = scalars[start..<dotAt]
        if word.isEmpty { return false }
        if word.count == 1 && word.first!.properties.isUppercase { return true }
        if word.contains(".") { return true }
        let lowered = String(String.UnicodeScalarView(word)).lowercased()
        return abbreviations.contains(lowered)
    }
}
