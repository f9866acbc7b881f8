import ArgumentParser
import Foundation
import GazetteCore
import GazetteStore

extension Gazette {
    struct Cooccur: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export the network of entities that appear together (in an article or a sentence).",
            discussion: """
                Each edge is undirected and listed once: count (windows mentioning both: the weight), \
                articles (articles where they appear together), PMI and NPMI over articles (NPMI from -1, \
                never together, through 0, independent, to 1, always together), first and last date. \
                Each node: key, name, type, mentions and articles. Heaviest edges first. \
                Formats: csv (Gephi edge list), json (networkx node-link), gexf, graphml, dot, \
                svg (a picture of the top of the network; 40 edges unless --top), png (through \
                Graphviz's dot, when installed). The sentence window splits the stored text into \
                sentences at export time.
                """
        )

        enum Format: String, ExpressibleByArgument, CaseIterable { case csv, json, gexf, graphml, dot, svg, png }

        @OptionGroup var store: StoreOptions

        @Option(name: .long, parsing: .upToNextOption, help: ArgumentHelp("Entity types to include, comma-separated.", valueName: "types"))
        var types: [String] = ["person,place,treaty,organization"]

        @Option(name: .long, help: "What counts as together: article or sentence.")
        var window: CooccurrenceWindow = .article

        @Option(name: .long, help: "Only pairs seen together in at least this many windows.")
        var minCount = 1

        @Option(name: .long, help: "Keep only the N heaviest edges.")
        var top: Int?

        @OptionGroup var dates: DateRangeOptions

        @Option(name: .long, help: "Output format.")
        var format: Format = .csv

        @Option(name: [.short, .long], help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
        var output: String?

        /// What the picture shows when `--top` is not given: more edges make labels unreadable.
        static let defaultPictureEdges = 40

        func validate() throws {
            if minCount < 1 { throw ValidationError("--min-count must be at least 1 (got \(minCount)).") }
            if let top, top < 1 { throw ValidationError("--top must be at least 1 (got \(top)).") }
            if format == .png && output == nil { throw ValidationError("--format png needs --output FILE.") }
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
            let picture = format == .svg || format == .png
            let options = NetworkOptions(
                types: try entityTypes(), window: window, minCount: minCount, dates: try dates.range(),
                top: top ?? (picture ? Self.defaultPictureEdges : nil))
            let network = try tagStore.cooccurrenceNetwork(options)
            if format == .png {
                try GraphvizPicture.writePNG(network, window: window, to: output!)
                return
            }
            let sink = try OutputSink(path: output)
            switch format {
            case .csv: NetworkExport.csv(network, to: sink)
            case .json: NetworkExport.nodeLinkJSON(network, window: window, to: sink)
            case .gexf: NetworkExport.gexf(network, window: window, to: sink)
            case .graphml: NetworkExport.graphML(network, window: window, to: sink)
            case .dot: NetworkExport.dot(network, window: window, to: sink)
            case .svg: sink.write(NetworkPicture(network: network, window: window).svg())
            case .png: break
            }
            try sink.close()
        }
    }
}

extension CooccurrenceWindow: ExpressibleByArgument {}

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
        var text = text
        // Copying the contiguous UTF-8 at once: `append(contentsOf: text.utf8)` copies byte by byte.
        text.withUTF8 { bytes in
            if let base = bytes.baseAddress { buffer.append(base, count: bytes.count) }
        }
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

/// RFC 4180 cells, safe to open in a spreadsheet: a cell that starts with `=`, `+`, `-`, `@`, tab or
/// carriage return would be run as a formula, so it gets a leading apostrophe.
enum CSV {
    static func cell(_ value: String) -> String {
        var value = value
        if let first = value.utf8.first, first == UInt8(ascii: "=") || first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
            || first == UInt8(ascii: "@") || first == 9 || first == 13, Double(value) == nil
        {
            value = "'" + value
        }
        // Scanning UTF-8 bytes: every byte that needs quoting is ASCII.
        if value.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }) {
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return value
    }
}
