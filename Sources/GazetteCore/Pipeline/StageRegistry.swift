import Foundation

/// Builds the stages `Pipeline.yaml` names, in order, with their assets loaded once.
///
/// Swift has no runtime reflection, so the registry is an explicit table: each known stage name with
/// the keys it accepts and a factory. Order rules are checked here, before any article is read: the
/// gazetteer matches normalized text, so it needs `normalize` before it.
public enum StageRegistry {
    public static let knownStages = ["normalize", "gazetteer", "topics"]

    public static func makePipeline(_ settings: PipelineSettings) throws -> Pipeline {
        var stages: [any Stage] = []
        var seen: Set<String> = []
        var normalizeSettings: NormalizeSettings?
        var assetHashes: [TagKind: [String]] = [:]
        // What decides each kind of tags: the settings of the stages that make it (as canonical
        // YAML, so comments, layout and the store, input and jobs settings do not re-tag an
        // archive) and the contents of the files they load (`fingerprint` below). Where those
        // files are is left out: their contents are hashed, so a moved or copied gazetteer folder
        // or model re-tags nothing.
        func kindLines(_ kind: TagKind) throws -> [String] {
            let stageSettings = try settings.stages
                .filter { Pipeline.kind(ofStageNamed: $0.name) == kind }
                .map { "stage \($0.name) " + (try $0.settings.canonicalYAML(omittingKeys: Self.fileLocationKeys)) }
            return ["gazette pipeline \(Pipeline.version)", "config version \(settings.version)", "tags \(kind.rawValue)"]
                + stageSettings
        }
        // The topic model loads on its own thread from here, while the stages before it are made
        // (the gazetteer's cache is most of a start); its errors surface in their turn below. A
        // config whose topics settings do not parse gets its error there, in order, too.
        let topicsEntry = settings.stages.first { $0.name == TopicStage.name }
        let preloadedModel = topicsEntry.flatMap { entry in
            (try? topics(entry.settings, base: settings.baseDirectory)).map { parsed in
                BackgroundLoad { try TopicModel.load(from: URL(fileURLWithPath: parsed.model)) }
            }
        }
        for entry in settings.stages {
            let node = entry.settings
            guard knownStages.contains(entry.name) else {
                throw node.error("unknown stage '\(entry.name)'; known stages: \(knownStages.joined(separator: ", "))")
            }
            guard seen.insert(entry.name).inserted else {
                throw node.error("stage '\(entry.name)' is listed twice")
            }
            switch entry.name {
            case NormalizeStage.name:
                let parsed = try normalize(node)
                normalizeSettings = parsed
                stages.append(NormalizeStage(settings: parsed))
            case GazetteerStage.name:
                guard let normalizeSettings else {
                    throw node.error("the gazetteer stage matches normalized text: put 'normalize' before 'gazetteer'")
                }
                let parsed = try gazetteer(node, base: settings.baseDirectory)
                // The given names load on their own thread meanwhile.
                let directory = parsed.directory
                let givenNames = BackgroundLoad { try GivenNames.load(directory: directory) }
                // The compiled gazetteer comes from its on-disk cache when one matches (GazetteerCache).
                let normalizer = TextNormalizer(foldAccents: normalizeSettings.foldAccents)
                let loaded = try GazetteerCache.gazetteer(settings: parsed, normalizer: normalizer)
                // The name-pattern step's given names sit beside the TSVs; they decide tags too, so
                // they are part of the fingerprint.
                let givenNamesFile = parsed.directory.appendingPathComponent(GivenNames.fileName)
                var givenNamesHashes: [String] = []
                if FileManager.default.fileExists(atPath: givenNamesFile.path) {
                    givenNamesHashes.append("given names " + (try fileHash(givenNamesFile)))
                }
                // The mentions view's seed: what decides the mentions but the TSVs' entries, which
                // the view itself covers, article by article (`GazetteerStage.mentionsView`).
                let viewSeed = ContentHash.hex(Array(
                    (try kindLines(.mentions) + givenNamesHashes).joined(separator: "\n").utf8))
                stages.append(GazetteerStage(
                    gazetteer: loaded.gazetteer, givenNames: try givenNames.value,
                    articleResolution: parsed.articleResolution, viewSeed: viewSeed))
                // The TSVs' hashes are the ones the cache key was made from (each file hashed once).
                for (file, hash) in loaded.fileHashes {
                    assetHashes[.mentions, default: []].append("gazetteer \(file.lastPathComponent) " + hash)
                }
                assetHashes[.mentions, default: []].append(contentsOf: givenNamesHashes)
            case TopicStage.name:
                let parsed = try topics(node, base: settings.baseDirectory)
                let modelURL = URL(fileURLWithPath: parsed.model)
                // The same settings parsed the same way: the preloaded model is this one.
                let model = try preloadedModel?.value ?? TopicModel.load(from: modelURL)
                if let thresholds = try node.optional("thresholds") {
                    for (label, value) in try thresholds.mappingEntries() where !model.labels.contains(label) {
                        throw value.error("the model has no label '\(label)'; its labels: \(model.labels.joined(separator: ", "))")
                    }
                }
                stages.append(TopicStage(model: model, settings: parsed))
                assetHashes[.topics, default: []].append("model " + (try fileHash(modelURL)))
            default:
                break
            }
        }
        func fingerprint(_ kind: TagKind) throws -> String {
            let lines = try kindLines(kind) + (assetHashes[kind] ?? [])
            return ContentHash.hex(Array(lines.joined(separator: "\n").utf8))
        }
        return Pipeline(stages: stages, mentionsHash: try fingerprint(.mentions), topicsHash: try fingerprint(.topics))
    }

    /// Stage settings that say where files are (the gazetteer folder, the model), not what they hold.
    static let fileLocationKeys: Set<String> = ["directory", "model"]

    /// The topics stage's settings, if the config has that stage (for `show --explain`).
    public static func topicSettings(_ settings: PipelineSettings) throws -> TopicSettings? {
        guard let entry = settings.stages.first(where: { $0.name == TopicStage.name }) else { return nil }
        return try topics(entry.settings, base: settings.baseDirectory)
    }

    static func normalize(_ node: ConfigNode) throws -> NormalizeSettings {
        try node.checkKeys(["foldAccents"])
        var result = NormalizeSettings()
        if let fold = try node.optional("foldAccents") { result.foldAccents = try fold.bool() }
        return result
    }

    static func gazetteer(_ node: ConfigNode, base: URL) throws -> GazetteerSettings {
        try node.checkKeys(["directory", "files", "types", "articleResolution"])
        let directory = try node.optional("directory")?.path(relativeTo: base) ?? base.appendingPathComponent("Gazetteers")
        var result = GazetteerSettings(directory: directory)
        if let files = try node.optional("files") { result.files = try files.strings() }
        if let types = try node.optional("types") {
            var parsed: Set<EntityType> = []
            for item in try types.sequence() {
                let name = try item.string()
                guard let type = EntityType(rawValue: name) else {
                    throw item.error("unknown entity type '\(name)'; use person, place, treaty, organization")
                }
                parsed.insert(type)
            }
            result.entityTypes = parsed
        }
        if let resolution = try node.optional("articleResolution") { result.articleResolution = try resolution.bool() }
        return result
    }

    static func topics(_ node: ConfigNode, base: URL) throws -> TopicSettings {
        try node.checkKeys(["model", "topK", "minScore", "thresholds", "keepBest"])
        let model = try node.required("model").path(relativeTo: base)
        var result = TopicSettings(model: model.path)
        if let topK = try node.optional("topK") { result.topK = try topK.int(in: 1...1000) }
        if let minScore = try node.optional("minScore") { result.minScore = try minScore.double(in: 0...1) }
        if let thresholds = try node.optional("thresholds") {
            for (label, value) in try thresholds.mappingEntries() {
                result.thresholds[label] = try value.double(in: 0...1)
            }
        }
        if let keepBest = try node.optional("keepBest") { result.keepBest = try keepBest.bool() }
        return result
    }

    static func fileHash(_ url: URL) throws -> String {
        guard let hash = ContentHash.hexOfFile(atPath: url.path) else {
            throw ConfigError(file: url.path, message: "cannot read")
        }
        return hash
    }
}
