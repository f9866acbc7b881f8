import Foundation
import Testing
@testable import GazetteCore

@Suite("Building the pipeline from Pipeline.yaml")
struct StageRegistryTests {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = packageRoot.appendingPathComponent("Tests/Fixtures/gazetteer").path
    static let model = packageRoot.appendingPathComponent("Models/topics-v1.model").path

    func pipeline(_ yaml: String, base: URL = URL(fileURLWithPath: "/")) throws -> Pipeline {
        try StageRegistry.makePipeline(PipelineSettings.parse(yaml, file: "Pipeline.yaml", baseDirectory: base))
    }

    /// Normalize, then the gazetteer in the folder `g` beside the config (`gazetteerFolder`).
    static let gazetteerYAML = "version: 1\nstages:\n  - normalize:\n  - gazetteer: {directory: g}\n"

    /// A temporary folder with the fixture gazetteer as `g/a.tsv`, and that file's text (for edits).
    func gazetteerFolder() throws -> (dir: TemporaryDirectory, tsv: String) {
        let dir = try TemporaryDirectory()
        let tsv = try String(contentsOfFile: Self.fixtures + "/small.tsv", encoding: .utf8)
        try dir.write("g/a.tsv", tsv)
        return (dir, tsv)
    }

    @Test("the stages are built in the order the config lists them")
    func buildsInOrder() throws {
        let built = try pipeline("""
            version: 1
            stages:
              - normalize:
              - gazetteer: {directory: \(Self.fixtures), files: [small.tsv]}
              - topics: {model: \(Self.model), topK: 2, thresholds: {sport: 0.5}}
            """)
        #expect(built.stageNames == ["normalize", "gazetteer", "topics"])
        // One part per kind of tags: mentions/topics.
        #expect(built.pipelineHash.count == 65)
        #expect(built.pipelineHash.split(separator: "/").map(\.count) == [32, 32])
    }

    @Test("an unknown stage is named with the known ones")
    func unknownStage() throws {
        let error = try #require(throws: ConfigError.self) { try pipeline("version: 1\nstages:\n  - normalise:\n") }
        #expect(error.message == "unknown stage 'normalise'; known stages: normalize, gazetteer, topics")
        #expect(error.line == 3)
    }

    @Test("the gazetteer needs normalize before it")
    func orderIsChecked() throws {
        let error = try #require(throws: ConfigError.self) {
            try pipeline("version: 1\nstages:\n  - gazetteer: {directory: \(Self.fixtures)}\n  - normalize:\n")
        }
        #expect(error.message.contains("put 'normalize' before 'gazetteer'"))
    }

    @Test("a stage listed twice is refused")
    func duplicateStage() throws {
        #expect(throws: ConfigError.self) { try pipeline("version: 1\nstages:\n  - normalize:\n  - normalize:\n") }
    }

    @Test("a threshold for a label the model does not have is refused with its line")
    func unknownThresholdLabel() throws {
        let error = try #require(throws: ConfigError.self) {
            try pipeline("version: 1\nstages:\n  - topics:\n      model: \(Self.model)\n      thresholds:\n        weather: 0.5\n")
        }
        #expect(error.line == 6)
        #expect(error.message.hasPrefix("the model has no label 'weather'"))
    }

    @Test("the pipeline fingerprint changes with the stages' settings and the gazetteer contents, not with the rest of the config")
    func fingerprint() throws {
        let (dir, tsv) = try gazetteerFolder()
        let yaml = Self.gazetteerYAML
        let first = try pipeline(yaml, base: dir.url).pipelineHash
        #expect(try pipeline(yaml, base: dir.url).pipelineHash == first)
        // Comments, layout, and settings that do not decide tags keep it: no re-tagging.
        #expect(try pipeline(yaml + "# a comment\n", base: dir.url).pipelineHash == first)
        #expect(try pipeline("version: 1\nstages:\n  - normalize:\n  - gazetteer:\n      directory: g   # the TSVs\n",
                             base: dir.url).pipelineHash == first)
        #expect(try pipeline("version: 1\njobs: 3\nstore: {batchSize: 7, keepText: false}\ninput: {extensions: [txt]}\n"
                             + "stages:\n  - normalize:\n  - gazetteer: {directory: g}\n", base: dir.url).pipelineHash == first)
        // A stage setting, or the stages' order and membership, changes it.
        #expect(try pipeline("version: 1\nstages:\n  - normalize: {foldAccents: false}\n  - gazetteer: {directory: g}\n",
                             base: dir.url).pipelineHash != first)
        #expect(try pipeline("version: 1\nstages:\n  - normalize:\n  - gazetteer: {directory: g, articleResolution: false}\n",
                             base: dir.url).pipelineHash != first)
        #expect(try pipeline("version: 1\nstages:\n  - normalize:\n", base: dir.url).pipelineHash != first)
        try dir.write("g/a.tsv", tsv + "\n# edited\n")
        #expect(try pipeline(yaml, base: dir.url).pipelineHash != first)
    }

    @Test("each kind of tags has its own part of the fingerprint: a change re-tags only the kind it decides")
    func fingerprintParts() throws {
        let (dir, tsv) = try gazetteerFolder()
        func yaml(gazetteer: String = "{directory: g}", normalize: String = "", topK: Int = 3) -> String {
            "version: 1\nstages:\n  - normalize: \(normalize)\n  - gazetteer: \(gazetteer)\n"
                + "  - topics: {model: \(Self.model), topK: \(topK)}\n"
        }
        let first = try pipeline(yaml(), base: dir.url)
        #expect(first.unchangedKinds(since: first.pipelineHash) == [.mentions, .topics])
        // Topic settings decide topics only; normalize and gazetteer settings, mentions only.
        #expect(try pipeline(yaml(topK: 2), base: dir.url).unchangedKinds(since: first.pipelineHash) == [.mentions])
        #expect(try pipeline(yaml(normalize: "{foldAccents: false}"), base: dir.url)
            .unchangedKinds(since: first.pipelineHash) == [.topics])
        #expect(try pipeline(yaml(gazetteer: "{directory: g, articleResolution: false}"), base: dir.url)
            .unchangedKinds(since: first.pipelineHash) == [.topics])
        // The same TSVs in another folder: where files are does not decide tags, what they hold does.
        try dir.write("copy/a.tsv", tsv)
        #expect(try pipeline(yaml(gazetteer: "{directory: copy}"), base: dir.url).pipelineHash == first.pipelineHash)
        try dir.write("g/a.tsv", tsv + "test:extra\tplace\tExtraville\t\t1\t\t\tUS\tcurated\n")
        let edited = try pipeline(yaml(), base: dir.url)
        #expect(edited.unchangedKinds(since: first.pipelineHash) == [.topics])
        // A hash of another form (an older Gazette's single hash, `gazette load`'s) keeps nothing.
        #expect(edited.unchangedKinds(since: String(repeating: "a", count: 64)).isEmpty)
        #expect(edited.unchangedKinds(since: "loaded-from-stream").isEmpty)
        #expect(edited.unchangedKinds(since: "").isEmpty)
    }

    @Test("kept kinds of tags are not made again: their stages do not run")
    func processKeeping() throws {
        let built = try pipeline("""
            version: 1
            stages:
              - normalize:
              - gazetteer: {directory: \(Self.fixtures), files: [small.tsv]}
              - topics: {model: \(Self.model)}
            """)
        let article = Article(key: "k", path: "/k", title: "Markets", text: "Shares rose in New York and Moscow.",
                              contentHash: "h", byteSize: 35)
        let whole = try built.process(article)
        #expect(!whole.mentions.isEmpty && !whole.topics.isEmpty && whole.kept.isEmpty)
        let keptTopics = try built.process(article, keeping: [.topics])
        #expect(keptTopics.mentions == whole.mentions && keptTopics.topics.isEmpty && keptTopics.kept == [.topics])
        let keptMentions = try built.process(article, keeping: [.mentions])
        #expect(keptMentions.mentions.isEmpty && keptMentions.normalized == nil && keptMentions.topics == whole.topics)
        let keptBoth = try built.process(article, keeping: [.mentions, .topics])
        #expect(keptBoth.mentions.isEmpty && keptBoth.topics.isEmpty)
    }

    @Test("an article's mentions view changes with what its mentions are made from, and an equal stored view keeps them")
    func mentionsViews() throws {
        let (dir, tsv) = try gazetteerFolder()
        let yaml = Self.gazetteerYAML
        let article = Article(key: "k", path: "/k", title: "", date: "2005-03-03",
                              text: "Diplomats met in Moscow and Athens.", contentHash: "h1", byteSize: 35)
        func view(_ built: Pipeline, _ article: Article) throws -> String {
            try #require(try built.process(article).mentionsView)
        }
        let first = try pipeline(yaml, base: dir.url)
        let firstView = try view(first, article)
        #expect(try view(pipeline(yaml, base: dir.url), article) == firstView)

        // The article itself: its text (content hash) and its date.
        #expect(try view(first, Article(key: "k", path: "/k", title: "", date: "2005-03-04", text: article.text,
                                        contentHash: "h1", byteSize: 35)) != firstView)
        #expect(try view(first, Article(key: "k", path: "/k", title: "", date: "2005-03-03", text: article.text,
                                        contentHash: "h2", byteSize: 35)) != firstView)
        // An entity whose aliases the text does not have: the same view.
        try dir.write("g/a.tsv", tsv + "test:lyon\tplace\tLyon\t\t6\t\t\tFR\tcurated\n")
        #expect(try view(pipeline(yaml, base: dir.url), article) == firstView)
        // A candidate of an alias the text has: another view.
        try dir.write("g/a.tsv", tsv + "test:athens-ga\tplace\tAthens\t\t4\t\t\tUS\tcurated\n")
        #expect(try view(pipeline(yaml, base: dir.url), article) != firstView)
        // An office holder, asked about by any capitalized word: another view.
        try dir.write("g/a.tsv", tsv + "test:smith\tperson\tJohn Smith\t\t2\t2000\t2010\tUS\tcurated\n")
        #expect(try view(pipeline(yaml, base: dir.url), article) != firstView)
        // A setting that decides mentions, and the given names: another view.
        try dir.write("g/a.tsv", tsv)
        #expect(try view(pipeline("version: 1\nstages:\n  - normalize: {foldAccents: false}\n  - gazetteer: {directory: g}\n",
                                  base: dir.url), article) != firstView)
        try dir.write("g/given-names.txt", "Zorblat\t900\n")
        #expect(try view(pipeline(yaml, base: dir.url), article) != firstView)

        // Given the view stored with it, the stage keeps the stored mentions; given another, it
        // makes them.
        let current = try pipeline(yaml, base: dir.url)
        let made = try current.process(article)
        let kept = try current.process(article, storedMentionsView: made.mentionsView)
        #expect(kept.kept == [.mentions] && kept.mentions.isEmpty && kept.mentionsView == made.mentionsView)
        let remade = try current.process(article, storedMentionsView: firstView)
        #expect(remade.kept.isEmpty && remade.mentions == made.mentions && !made.mentions.isEmpty)
    }

    @Test("a stored pipeline hash carries the mentions view; the kind parts decide what is current")
    func storedHashes() throws {
        let built = try pipeline("version: 1\nstages:\n  - normalize:\n  - gazetteer: {directory: \(Self.fixtures), files: [small.tsv]}\n")
        let stored = Pipeline.storedHash(built.pipelineHash, mentionsView: "v1")
        #expect(stored == built.pipelineHash + "/v1")
        #expect(Pipeline.mentionsView(in: stored) == "v1")
        #expect(Pipeline.mentionsView(in: built.pipelineHash) == nil)
        #expect(built.isCurrent(stored) && built.isCurrent(built.pipelineHash))
        #expect(built.unchangedKinds(since: stored) == [.mentions, .topics])
        // No view without a view, nor on a hash of another form.
        #expect(Pipeline.storedHash(built.pipelineHash, mentionsView: nil) == built.pipelineHash)
        #expect(Pipeline.storedHash("loaded-from-stream", mentionsView: "v1") == "loaded-from-stream")
        #expect(!built.isCurrent("") && !built.isCurrent("loaded-from-stream"))
        let parts = built.pipelineHash.split(separator: "/")
        #expect(!built.isCurrent(String(parts[0]) + "/other/v1"))
        #expect(built.unchangedKinds(since: String(parts[0]) + "/other/v1") == [.mentions])
    }

    @Test("the built gazetteer stage uses the given names beside the TSVs, and they are fingerprinted")
    func givenNamesAreLoaded() throws {
        let (dir, _) = try gazetteerFolder()
        let yaml = Self.gazetteerYAML
        let article = Article(key: "k", path: "/k", title: "", text: "Then Zorblat Quixby arrived.", contentHash: "", byteSize: 28)
        let without = try pipeline(yaml, base: dir.url)
        #expect(try without.process(article).mentions.isEmpty)
        try dir.write("g/given-names.txt", "Zorblat\t900\n")
        let with = try pipeline(yaml, base: dir.url)
        #expect(try with.process(article).mentions.map(\.surface) == ["Zorblat Quixby"])
        #expect(with.pipelineHash != without.pipelineHash)
    }

    @Test("load errors come in stage order: the gazetteer's first, then its given names', then the model's")
    func loadErrorsKeepStageOrder() throws {
        let dir = try TemporaryDirectory()
        let tsv = try String(contentsOfFile: Self.fixtures + "/small.tsv", encoding: .utf8)
        try dir.write("good/a.tsv", tsv)
        try dir.write("broken/a.tsv", "id\ttype\tname\n")  // no aliases column: the gazetteer load fails
        try dir.write("broken/given-names.txt", "Anna\tone\n")
        try dir.write("badnames/a.tsv", tsv)
        try dir.write("badnames/given-names.txt", "Anna\tone\n")
        try dir.write("bad.model", "not a model")
        func yaml(_ gazetteer: String, model: String) -> String {
            "version: 1\nstages:\n  - normalize:\n  - gazetteer: {directory: \(gazetteer)}\n  - topics: {model: \(model)}\n"
        }
        // Broken gazetteer, broken given names, broken model: the gazetteer's error.
        let gazetteerError = try #require(throws: GazetteerError.self) {
            try pipeline(yaml("broken", model: "bad.model"), base: dir.url)
        }
        #expect(gazetteerError.file.hasSuffix("broken/a.tsv"))
        // Good gazetteer, broken given names, broken model: the given names' error.
        let namesError = try #require(throws: GazetteerError.self) {
            try pipeline(yaml("badnames", model: "bad.model"), base: dir.url)
        }
        #expect(namesError.file.hasSuffix("given-names.txt"))
        // Only the model is broken: its error, naming the file.
        let modelError = try #require(throws: (any Error).self) { try pipeline(yaml("good", model: "bad.model"), base: dir.url) }
        #expect("\(modelError)".contains("bad.model"))
        // A model that does not exist, behind a config error in an earlier stage: the config error.
        let configError = try #require(throws: ConfigError.self) {
            try pipeline("version: 1\nstages:\n  - normalize: {fold: true}\n  - topics: {model: missing.model}\n", base: dir.url)
        }
        #expect(configError.message.contains("fold"))
    }
}
