import ArgumentParser
import Foundation
import GazetteCore
import GazetteStore

extension Gazette {
    struct Cooccur: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export pairs of entities that appear in the same article.",
            discussion: """
                Each pair is undirected and listed once: both entities' keys, names and types, the \
                number of articles that mention both, and their NPMI over articles (from -1, never \
                together, through 0, independent, to 1, always together). Sorted by article count.
                """
        )

        enum Format: String, ExpressibleByArgument, CaseIterable { case csv, json }

        @OptionGroup var store: StoreOptions

        @Option(name: .long, parsing: .upToNextOption, help: ArgumentHelp("Entity types to include, comma-separated.", valueName: "types"))
        var types: [String] = ["person,place,treaty,organization"]

        @Option(name: .long, help: "Only pairs seen together in at least this many articles.")
        var minCount = 1

        @Option(name: .long, help: "Output format.")
        var format: Format = .csv

        @Option(name: [.short, .long], help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
        var output: String?

        func validate() throws {
            if minCount < 1 { throw ValidationError("--min-count must be at least 1 (got \(minCount)).") }
            _ = try entityTypes()
        }

        func entityTypes() throws -> Set<EntityType> {
            var result: Set<EntityType> = []
            for name in types.flatMap({ $0.split(separator: ",") }) {
                let trimmed = name.trimmingCharacters(in: .whitespaces)
                guard let type = EntityType(rawValue: trimmed) else {
                    throw ValidationError("unknown type '\(trimmed)' in --types; use person, place, treaty, organization.")
                }
                result.insert(type)
            }
            return result
        }

        func run() async throws {
            let tagStore = try TagStore(path: try store.readOnlyStorePath(), readOnly: true)
            let sink = try OutputSink(path: output)
            var writer = PairWriter(format: format, sink: sink)
            writer.begin()
            try tagStore.cooccurrences(types: try entityTypes(), minCount: minCount) { pair in
                writer.write(pair)
            }
            writer.end()
            try sink.close()
        }
    }
}

/// Buffered output to a file or stdout.
final class OutputSink {
    private let handle: FileHandle
    private let ownsHandle: Bool
    private var buffer = Data()

    init(path: String?) throws {
        if let path {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw ValidationError("cannot write '\(path)'")
            }
            handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            ownsHandle = true
        } else {
            handle = FileHandle.standardOutput
            ownsHandle = false
        }
    }

    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    func flush() {
        handle.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        flush()
        if ownsHandle { try handle.close() }
    }
}

struct PairWriter {
    let format: Gazette.Cooccur.Format
    let sink: OutputSink
    private var first = true

    init(format: Gazette.Cooccur.Format, sink: OutputSink) {
        self.format = format
        self.sink = sink
    }

    mutating func begin() {
        switch format {
        case .csv: sink.write("source_key,source_name,source_type,target_key,target_name,target_type,articles,npmi\r\n")
        case .json: sink.write("[")
        }
    }

    mutating func write(_ pair: CooccurrencePair) {
        let npmi = String(format: "%.4f", pair.npmi)
        switch format {
        case .csv:
            let cells = [pair.first.key, pair.first.name, pair.first.type.rawValue, pair.second.key, pair.second.name, pair.second.type.rawValue,
                         String(pair.articleCount), npmi]
            sink.write(cells.map(CSV.cell).joined(separator: ",") + "\r\n")
        case .json:
            let object = """
                {"source":{"key":\(JSONText.string(pair.first.key)),"name":\(JSONText.string(pair.first.name)),"type":"\(pair.first.type.rawValue)"},\
                "target":{"key":\(JSONText.string(pair.second.key)),"name":\(JSONText.string(pair.second.name)),"type":"\(pair.second.type.rawValue)"},\
                "articles":\(pair.articleCount),"npmi":\(npmi)}
                """
            sink.write((first ? "\n  " : ",\n  ") + object)
        }
        first = false
    }

    mutating func end() {
        if format == .json { sink.write(first ? "]\n" : "\n]\n") }
    }
}

/// RFC 4180 cells, safe to open in a spreadsheet: a cell that starts with `=`, `+`, `-`, `@`, tab or
/// carriage return would be run as a formula, so it gets a leading apostrophe.
enum CSV {
    static func cell(_ value: String) -> String {
        var value = value
        if let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first),
           Double(value) == nil {
            value = "'" + value
        }
        if value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return value
    }
}

/// JSON string literals with every control character escaped.
enum JSONText {
    static func string(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
