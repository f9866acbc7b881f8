import Foundation
import Testing
@testable import GazetteCore

/// The limits that keep a hostile `Pipeline.yaml` from costing unbounded time or memory.
@Suite("Pipeline.yaml limits")
struct ConfigLimitTests {
    func parse(_ yaml: String) throws -> PipelineSettings {
        try PipelineSettings.parse(yaml, file: "Pipeline.yaml", baseDirectory: URL(fileURLWithPath: "/srv/gazette"))
    }

    @Test("an alias bomb under a key that is read is not expanded: the first wrong element is named")
    func aliasBombIsNotExpanded() throws {
        // 10^11 logical elements if expanded.
        var levels = ["&l0 [x, x, x, x, x, x, x, x, x, x]"]
        for level in 1...10 {
            levels.append("&l\(level) [" + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ") + "]")
        }
        let error = try #require(throws: ConfigError.self) {
            try parse("version: 1\ninput:\n  extensions: [\(levels.joined(separator: ", "))]\n")
        }
        #expect(error.line == 3)
        #expect(error.keyPath == "input.extensions[0]")
    }

    @Test("a list longer than the node budget is refused, with the file and line")
    func nodeBudget() throws {
        let items = Array(repeating: "x", count: ConfigNode.maxNodes + 1).joined(separator: ", ")
        let yaml = "version: 1\ninput:\n  extensions: [\(items)]\n"
        #expect(yaml.utf8.count < ConfigNode.maxFileBytes, "the size limit must not be what stops it")
        let error = try #require(throws: ConfigError.self) { try parse(yaml) }
        #expect(error.message == "too many YAML nodes (alias expansion?); refused")
        #expect(error.file == "Pipeline.yaml")
        #expect(error.line == 3)
    }

    @Test("a config over 1 MiB is refused before it is parsed")
    func sizeLimit() throws {
        let yaml = "version: 1\n" + String(repeating: "#", count: ConfigNode.maxFileBytes)
        let error = try #require(throws: ConfigError.self) { try parse(yaml) }
        #expect(error.message == "config is \(yaml.utf8.count) bytes, over the limit of \(ConfigNode.maxFileBytes)")
    }
}
