import Foundation

/// Everything `Pipeline.yaml` says, decoded once and checked before any article is read.
///
/// ```yaml
/// version: 1
/// input: { extensions: [txt, html, htm, jsonl, jsonl.gz], maxFileBytes: 67108864 }
/// store: { path: tags.sqlite, keepText: true, batchSize: 4096, busyTimeoutSeconds: 30 }
/// jobs: 0            # 0 = all cores
/// stages:
///   - normalize: { foldAccents: true }
///   - gazetteer: { directory: Gazetteers }
///   - topics: { model: Models/topics-v1.model }
/// ```
/// Relative paths are relative to the config file's folder, so a config works from any directory.
public struct PipelineSettings {
    /// The highest config version this build understands.
    public static let supportedVersion = 1

    public var file: String
    public var baseDirectory: URL
    public var version: Int
    public var input: InputSettings
    public var store: StoreSettings
    /// Articles processed at once; 0 means one per core.
    public var jobs: Int
    /// Stage names with their (not yet interpreted) settings, in order.
    public var stages: [StageEntry]
    /// Raw bytes of the config, part of the pipeline fingerprint.
    public var configText: String

    public struct StageEntry {
        public var name: String
        public var settings: ConfigNode
    }

    public struct InputSettings: Sendable, Equatable {
        public var extensions: [String] = ["txt", "html", "htm", "jsonl", "jsonl.gz"]
        public var maxFileBytes: Int = ArticleReader.defaultMaxFileBytes
    }

    /// The store's file name when neither `--db` nor `store.path` names one: in the current directory,
    /// not beside the config, so that an installed config never makes users write into the install.
    public static let defaultStoreFileName = "gazette.sqlite"

    public struct StoreSettings: Sendable, Equatable {
        /// nil: `./gazette.sqlite` in the current directory.
        public var path: URL?
        /// Keep each article's decoded text in the store (for `show` context and views).
        public var keepText: Bool = true
        /// Articles per write transaction (`TagRun` also writes a batch once its texts reach
        /// `TagRun.defaultBatchTextBytes`).
        public var batchSize: Int = 4096
        /// How long to wait for a database locked by another process before failing.
        public var busyTimeoutSeconds: Double = 30
    }

    /// The number of concurrent article tasks to use.
    public var effectiveJobs: Int {
        jobs > 0 ? jobs : max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    public static func load(from url: URL) throws -> PipelineSettings {
        let path = url.path
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw ConfigError(file: path, message: "cannot read config: \(String(cString: strerror(errno)))")
        }
        guard Int(info.st_size) <= ConfigNode.maxFileBytes else {
            throw ConfigError(file: path, message: "config is \(info.st_size) bytes, over the limit of \(ConfigNode.maxFileBytes)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(file: path, message: "cannot read config")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: path, message: "config is not valid UTF-8")
        }
        return try parse(text, file: path, baseDirectory: url.deletingLastPathComponent())
    }

    public static func parse(_ text: String, file: String, baseDirectory: URL) throws -> PipelineSettings {
        let root = try ConfigNode.parse(text, file: file)
        try root.checkKeys(["version", "input", "store", "jobs", "stages"])
        let version = try root.required("version").int()
        guard version >= 1 && version <= supportedVersion else {
            throw try root.required("version").error(
                "config version \(version) is not supported by this gazette (supports 1...\(supportedVersion))")
        }
        var input = InputSettings()
        if let node = try root.optional("input") {
            try node.checkKeys(["extensions", "maxFileBytes"])
            if let extensions = try node.optional("extensions") {
                input.extensions = try extensions.strings().map { $0.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ".")) }
                for (ext, item) in zip(input.extensions, try extensions.sequence()) where ArticleFormat(extension: ext) == nil {
                    throw item.error("unsupported file type '\(ext)'; supported: txt, html, htm, xhtml, jsonl, ndjson")
                }
            }
            if let max = try node.optional("maxFileBytes") { input.maxFileBytes = try max.int(in: 1...(1 << 40)) }
        }
        var store = StoreSettings()
        if let node = try root.optional("store") {
            try node.checkKeys(["path", "keepText", "batchSize", "busyTimeoutSeconds"])
            if let path = try node.optional("path") { store.path = try path.path(relativeTo: baseDirectory) }
            if let keep = try node.optional("keepText") { store.keepText = try keep.bool() }
            if let batch = try node.optional("batchSize") { store.batchSize = try batch.int(in: 1...100_000) }
            if let timeout = try node.optional("busyTimeoutSeconds") { store.busyTimeoutSeconds = try timeout.double(in: 0...86_400) }
        }
        let jobs = try root.optional("jobs")?.int(in: 0...1024) ?? 0
        let stagesNode = try root.required("stages")
        var stages: [StageEntry] = []
        for item in try stagesNode.sequence() {
            // Each item is `name:` or `name: {settings}`: a mapping with exactly one key.
            if case .scalar = item.node, let name = try? item.string() {
                stages.append(StageEntry(name: name, settings: try ConfigNode.parse("{}", file: file)))
                continue
            }
            let entries = try item.mappingEntries()
            guard entries.count == 1, let entry = entries.first else {
                throw item.error("each stage is written `- name:` followed by its settings")
            }
            stages.append(StageEntry(name: entry.key, settings: entry.value))
        }
        guard !stages.isEmpty else { throw stagesNode.error("at least one stage is needed") }
        return PipelineSettings(
            file: file, baseDirectory: baseDirectory, version: version, input: input, store: store,
            jobs: jobs, stages: stages, configText: text)
    }
}
