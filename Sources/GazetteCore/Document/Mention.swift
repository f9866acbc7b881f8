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

/// Which entity of which loaded gazetteer a mention names: `index` into `Gazetteer.entities` of the
/// gazetteer whose `instance` is `gazetteer`. A key for the store's cache of entity ids that needs
/// no hashing or reading of the entity's strings (`TagStore`); it says nothing the `EntityRef`
/// does not.
public struct GazetteerEntityHint: Sendable, Hashable {
    public var gazetteer: UInt64
    public var index: Int32

    public init(gazetteer: UInt64, index: Int32) {
        self.gazetteer = gazetteer
        self.index = index
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
    /// Set by the gazetteer stage for an entity of its gazetteer; nil for an article-local entity
    /// and for mentions read back or decoded. Not part of the mention's value: equality and
    /// hashing ignore it.
    public var gazetteerEntity: GazetteerEntityHint?

    public init(entity: EntityRef, start: Int, end: Int, surface: String, gazetteerEntity: GazetteerEntityHint? = nil) {
        self.entity = entity
        self.start = start
        self.end = end
        self.surface = surface
        self.gazetteerEntity = gazetteerEntity
    }

    public static func == (lhs: Mention, rhs: Mention) -> Bool {
        lhs.entity == rhs.entity && lhs.start == rhs.start && lhs.end == rhs.end && lhs.surface == rhs.surface
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(entity)
        hasher.combine(start)
        hasher.combine(end)
        hasher.combine(surface)
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
