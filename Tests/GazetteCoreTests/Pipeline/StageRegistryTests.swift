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
        #expect(built.pipelineHash.count == 64)
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
        let dir = try TemporaryDirectory()
        let tsv = try String(contentsOfFile: Self.fixtures + "/small.tsv", encoding: .utf8)
        try dir.write("g/a.tsv", tsv)
        let yaml = "version: 1\nstages:\n  - normalize:\n  - gazetteer: {directory: g}\n"
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

    @Test("the built gazetteer stage uses the given names beside the TSVs, and they are fingerprinted")
    func givenNamesAreLoaded() throws {
        let dir = try TemporaryDirectory()
        try dir.write("g/a.tsv", try String(contentsOfFile: Self.fixtures + "/small.tsv", encoding: .utf8))
        let yaml = "version: 1\nstages:\n  - normalize:\n  - gazetteer: {directory: g}\n"
        let article = Article(key: "k", path: "/k", title: "", text: "Then Zorblat Quixby arrived.", contentHash: "", byteSize: 28)
        let without = try pipeline(yaml, base: dir.url)
        #expect(try without.process(article).mentions.isEmpty)
        try dir.write("g/given-names.txt", "Zorblat\t900\n")
        let with = try pipeline(yaml, base: dir.url)
        #expect(try with.process(article).mentions.map(\.surface) == ["Zorblat Quixby"])
        #expect(with.pipelineHash != without.pipelineHash)
    }
}
