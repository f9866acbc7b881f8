import GazetteCore

/// Entity key → row id, name and type of entities known to be committed, so `save` touches the
/// `entities` table only for entities it has not seen.
///
/// Bounded, because article-local entities (`local:person:…`) keep coming as an archive grows
/// (2.5 new ones an article in the BBC set): two generations of at most `generationLimit` entries
/// each. When the recent one fills, it becomes the older one and the older one is dropped; an
/// entity found in the older generation is entered again as recent (by `save`, at commit), so the
/// entities articles keep naming stay. `save` asks `recent`, then its own pending entries, then
/// `older`. A miss costs an insert, or, for an entity already stored,
/// a lookup of its id by key and an update when its name or type changed (`TagStore.entityID`).
struct EntityIDCache {
    struct Entry {
        let id: Int64
        let name: String
        let type: EntityType
    }

    let generationLimit: Int
    private(set) var recent: [String: Entry] = [:]
    private(set) var older: [String: Entry] = [:]

    /// An entry of an article-local person (a 30-byte key, a 17-byte name) took 293 bytes of
    /// resident memory in a dictionary of 200,000 (measured): at most ~30 MB for both generations.
    static let defaultGenerationLimit = 50_000

    init(generationLimit: Int = defaultGenerationLimit) {
        self.generationLimit = max(1, generationLimit)
    }

    var count: Int { recent.count + older.count }

    mutating func insert(_ entry: Entry, for key: String) {
        recent[key] = entry
        if recent.count >= generationLimit {
            older = recent
            recent = [:]
        }
    }

    mutating func removeAll() {
        recent = [:]
        older = [:]
    }
}
