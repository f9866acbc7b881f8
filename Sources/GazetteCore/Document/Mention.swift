/// The kinds of entity Gazette tags.
public enum EntityType: String, Sendable, Codable, CaseIterable, Comparable {
    case person, place, treaty, organization

    public static func < (lhs: EntityType, rhs: EntityType) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// A canonical entity a mention resolves to.
public struct EntityRef: Sendable, Hashable, Codable {
    /// Stable, source-traceable id, e.g. `geonames:2643743`, `archigos:USA-2001-Bush`, `treaty:npt`.
    public var key: String
    public var name: String
    public var type: EntityType

    public init(key: String, name: String, type: EntityType) {
        self.key = key
        self.name = name
        self.type = type
    }
}

/// One occurrence of an entity in an article.
public struct Mention: Sendable, Hashable {
    public var entity: EntityRef
    /// Half-open range of Unicode-scalar offsets into `Article.text`.
    public var start: Int
    public var end: Int
    /// Exactly `Article.text.unicodeScalars[start..<end]`.
    public var surface: String

    public init(entity: EntityRef, start: Int, end: Int, surface: String) {
        self.entity = entity
        self.start = start
        self.end = end
        self.surface = surface
    }
}

/// A topic label with its calibrated probability.
public struct TopicScore: Sendable, Hashable, Codable {
    public var label: String
    public var score: Double

    public init(label: String, score: Double) {
        self.label = label
        self.score = score
    }
}
