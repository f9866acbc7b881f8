import Foundation
import Testing
@testable import GazetteCore

@Suite("Pipeline.yaml")
struct PipelineSettingsTests {
    let base = URL(fileURLWithPath: "/srv/gazette")

    func parse(_ yaml: String) throws -> PipelineSettings {
        try PipelineSettings.parse(yaml, file: "Pipeline.yaml", baseDirectory: base)
    }

    @Test("a full config is read with paths relative to its folder")
    func fullConfig() throws {
        let settings = try parse("""
            version: 1
            input:
              extensions: [txt, .jsonl]
              maxFileBytes: 1000
            store:
              path: out/tags.sqlite
              batchSize: 10
            jobs: 3
            stages:
              - normalize:
                  foldAccents: false
              - gazetteer:
              - topics: {model: Models/x.model}
            """)
        #expect(settings.input.extensions == ["txt", "jsonl"])
        #expect(settings.input.maxFileBytes == 1000)
        #expect(settings.store.path?.path == "/srv/gazette/out/tags.sqlite")
        #expect(settings.store.batchSize == 10)
        #expect(settings.effectiveJobs == 3)
        #expect(settings.stages.map(\.name) == ["normalize", "gazetteer", "topics"])
        #expect(try settings.stages[0].settings.required("foldAccents").bool() == false)
    }

    @Test("gazetteer.articleResolution: on by default, false turns it off, anything else is an error")
    func articleResolutionSetting() throws {
        func gazetteerSettings(_ entry: String) throws -> GazetteerSettings {
            let settings = try parse("version: 1\nstages:\n  - normalize:\n  - gazetteer:\(entry)\n")
            return try StageRegistry.gazetteer(settings.stages[1].settings, base: base)
        }
        #expect(try gazetteerSettings("").articleResolution == true)
        #expect(try gazetteerSettings("\n      articleResolution: false").articleResolution == false)
        let error = try #require(throws: ConfigError.self) { try gazetteerSettings("\n      articleResolution: sometimes") }
        #expect(error.line == 5)
    }

    @Test("an unknown key is named with its line and the keys allowed")
    func unknownKey() throws {
        let error = try #require(throws: ConfigError.self) {
            try parse("version: 1\nstore:\n  pth: x.sqlite\nstages: [normalize]\n")
        }
        #expect(error.line == 3)
        #expect(error.keyPath == "store.pth")
        #expect(error.description.contains("unknown key; expected one of: path, keepText"))
    }

    @Test("a wrong type is named with its key and line")
    func wrongType() throws {
        let error = try #require(throws: ConfigError.self) {
            try parse("version: 1\njobs: many\nstages: [normalize]\n")
        }
        #expect(error.description == "Pipeline.yaml:2: 'jobs': expected an integer, found 'many'")
    }

    @Test("broken YAML is reported with its line")
    func brokenYAML() throws {
        let error = try #require(throws: ConfigError.self) {
            try parse("version: 1\nstages:\n  - normalize\n - [unclosed\n")
        }
        #expect(error.line != nil)
        #expect(error.message.hasPrefix("invalid YAML"))
    }

    @Test("a future config version is refused")
    func futureVersion() throws {
        let error = try #require(throws: ConfigError.self) { try parse("version: 9\nstages: [normalize]\n") }
        #expect(error.message.contains("not supported"))
    }

    @Test("an alias bomb is refused rather than expanded")
    func aliasBomb() throws {
        var yaml = "version: 1\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1..<8 {
            let refs = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
            yaml += "a\(level): &a\(level) [\(refs)]\n"
        }
        yaml += "stages: *a7\n"
        #expect(throws: ConfigError.self) { try parse(yaml) }
    }
}
