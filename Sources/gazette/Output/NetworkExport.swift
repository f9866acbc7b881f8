import Foundation
import GazetteCore
import GazetteStore

/// The co-occurrence network in the formats tools read: Gephi's CSV edge list, networkx's node-link
/// JSON, GEXF 1.2 and GraphML (Gephi, networkx, igraph, Cytoscape), and Graphviz DOT. Nodes are
/// identified by their entity key, which is stable across stores; the store id is an attribute.
enum NetworkExport {
    // MARK: CSV

    /// Gephi's spreadsheet edge-list import: `Source`, `Target`, `Type`, `Weight` are the columns it
    /// recognises; the rest become edge attributes. RFC 4180, CRLF line ends.
    static let csvHeader = [
        "Source", "Target", "Type", "Weight", "Articles", "PMI", "NPMI", "FirstDate", "LastDate",
        "SourceName", "SourceType", "TargetName", "TargetType",
    ]

    static func csv(_ network: CooccurrenceNetwork, to sink: OutputSink) {
        sink.write(csvHeader.joined(separator: ",") + "\r\n")
        for edge in network.edges {
            let source = network.node(edge.source)!, target = network.node(edge.target)!
            let cells = [
                source.entity.key, target.entity.key, "Undirected", String(edge.count), String(edge.articleCount),
                number(edge.pmi), number(edge.npmi), edge.firstDate ?? "", edge.lastDate ?? "",
                source.entity.name, source.entity.type.rawValue, target.entity.name, target.entity.type.rawValue,
            ]
            sink.write(cells.map(CSV.cell).joined(separator: ",") + "\r\n")
        }
    }

    // MARK: JSON

    /// networkx's node-link layout (`networkx.node_link_graph(data, edges="links")`), also easy to
    /// read in JavaScript (d3) or pandas.
    static func nodeLinkJSON(_ network: CooccurrenceNetwork, window: CooccurrenceWindow, to sink: OutputSink) {
        sink.write("{\"directed\":false,\"multigraph\":false,\"graph\":{\"window\":\"\(window.rawValue)\",\"articles\":\(network.totalArticles)},\n\"nodes\":[")
        for (index, node) in network.nodes.enumerated() {
            sink.write((index == 0 ? "\n  " : ",\n  ") + """
                {"id":\(JSONText.string(node.entity.key)),"name":\(JSONText.string(node.entity.name)),\
                "type":"\(node.entity.type.rawValue)","mentions":\(node.mentionCount),"articles":\(node.articleCount),\
                "store_id":\(node.id)}
                """)
        }
        sink.write("\n],\n\"links\":[")
        for (index, edge) in network.edges.enumerated() {
            let source = network.node(edge.source)!, target = network.node(edge.target)!
            sink.write((index == 0 ? "\n  " : ",\n  ") + """
                {"source":\(JSONText.string(source.entity.key)),"target":\(JSONText.string(target.entity.key)),\
                "weight":\(edge.count),"articles":\(edge.articleCount),"pmi":\(number(edge.pmi)),"npmi":\(number(edge.npmi)),\
                "first_date":\(edge.firstDate.map(JSONText.string) ?? "null"),"last_date":\(edge.lastDate.map(JSONText.string) ?? "null")}
                """)
        }
        sink.write("\n]}\n")
    }

    // MARK: GEXF

    /// GEXF 1.2 with node colour and size for Gephi (`viz:`), typed attributes for both.
    static func gexf(_ network: CooccurrenceNetwork, window: CooccurrenceWindow, to sink: OutputSink) {
        var xml = MarkupWriter()
        xml.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        xml.open("gexf", [
            ("xmlns", "http://www.gexf.net/1.2draft"), ("xmlns:viz", "http://www.gexf.net/1.2draft/viz"), ("version", "1.2"),
        ])
        xml.newline()
        xml.open("meta")
        xml.element("creator", text: "Gazette")
        xml.element("description", text: "Entity co-occurrence (\(window.rawValue) window) over \(network.totalArticles) articles")
        xml.close("meta")
        xml.newline()
        xml.open("graph", [("mode", "static"), ("defaultedgetype", "undirected")])
        xml.newline()
        xml.open("attributes", [("class", "node")])
        for (id, title, type) in [("0", "type", "string"), ("1", "mentions", "integer"), ("2", "articles", "integer"), ("3", "store_id", "long")] {
            xml.empty("attribute", [("id", id), ("title", title), ("type", type)])
        }
        xml.close("attributes")
        xml.newline()
        xml.open("attributes", [("class", "edge")])
        for (id, title, type) in [
            ("0", "count", "integer"), ("1", "articles", "integer"), ("2", "pmi", "double"), ("3", "npmi", "double"),
            ("4", "first_date", "string"), ("5", "last_date", "string"),
        ] {
            xml.empty("attribute", [("id", id), ("title", title), ("type", type)])
        }
        xml.close("attributes")
        xml.newline()
        sink.write(xml.output)

        sink.write("<nodes>\n")
        let maxMentions = network.nodes.map(\.mentionCount).max() ?? 1
        for node in network.nodes {
            var item = MarkupWriter()
            item.open("node", [("id", node.entity.key), ("label", node.entity.name)])
            item.open("attvalues")
            item.empty("attvalue", [("for", "0"), ("value", node.entity.type.rawValue)])
            item.empty("attvalue", [("for", "1"), ("value", String(node.mentionCount))])
            item.empty("attvalue", [("for", "2"), ("value", String(node.articleCount))])
            item.empty("attvalue", [("for", "3"), ("value", String(node.id))])
            item.close("attvalues")
            let rgb = node.entity.type.rgb
            item.empty("viz:color", [("r", String(rgb.red)), ("g", String(rgb.green)), ("b", String(rgb.blue))])
            item.empty("viz:size", [("value", number(4 + 16 * (Double(node.mentionCount) / Double(maxMentions)).squareRoot()))])
            item.close("node")
            item.newline()
            sink.write(item.output)
        }
        sink.write("</nodes>\n<edges>\n")
        for (index, edge) in network.edges.enumerated() {
            let source = network.node(edge.source)!, target = network.node(edge.target)!
            var item = MarkupWriter()
            item.open("edge", [
                ("id", String(index)), ("source", source.entity.key), ("target", target.entity.key),
                ("weight", String(edge.count)),
            ])
            item.open("attvalues")
            item.empty("attvalue", [("for", "0"), ("value", String(edge.count))])
            item.empty("attvalue", [("for", "1"), ("value", String(edge.articleCount))])
            item.empty("attvalue", [("for", "2"), ("value", number(edge.pmi))])
            item.empty("attvalue", [("for", "3"), ("value", number(edge.npmi))])
            if let first = edge.firstDate { item.empty("attvalue", [("for", "4"), ("value", first)]) }
            if let last = edge.lastDate { item.empty("attvalue", [("for", "5"), ("value", last)]) }
            item.close("attvalues")
            item.close("edge")
            item.newline()
            sink.write(item.output)
        }
        sink.write("</edges>\n</graph>\n</gexf>\n")
    }

    // MARK: GraphML

    static func graphML(_ network: CooccurrenceNetwork, window: CooccurrenceWindow, to sink: OutputSink) {
        var xml = MarkupWriter()
        xml.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        xml.open("graphml", [
            ("xmlns", "http://graphml.graphdrawing.org/xmlns"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            ("xsi:schemaLocation", "http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"),
        ])
        xml.newline()
        for (id, target, name, type) in [
            ("name", "node", "name", "string"), ("type", "node", "type", "string"), ("mentions", "node", "mentions", "int"),
            ("n_articles", "node", "articles", "int"), ("store_id", "node", "store_id", "long"), ("color", "node", "color", "string"),
            ("weight", "edge", "weight", "int"), ("e_articles", "edge", "articles", "int"), ("pmi", "edge", "pmi", "double"),
            ("npmi", "edge", "npmi", "double"), ("first_date", "edge", "first_date", "string"), ("last_date", "edge", "last_date", "string"),
        ] {
            xml.empty("key", [("id", id), ("for", target), ("attr.name", name), ("attr.type", type)])
            xml.newline()
        }
        xml.open("graph", [("id", "cooccurrence-\(window.rawValue)"), ("edgedefault", "undirected")])
        xml.newline()
        sink.write(xml.output)
        for node in network.nodes {
            var item = MarkupWriter()
            item.open("node", [("id", node.entity.key)])
            item.element("data", [("key", "name")], text: node.entity.name)
            item.element("data", [("key", "type")], text: node.entity.type.rawValue)
            item.element("data", [("key", "mentions")], text: String(node.mentionCount))
            item.element("data", [("key", "n_articles")], text: String(node.articleCount))
            item.element("data", [("key", "store_id")], text: String(node.id))
            item.element("data", [("key", "color")], text: node.entity.type.color)
            item.close("node")
            item.newline()
            sink.write(item.output)
        }
        for edge in network.edges {
            let source = network.node(edge.source)!, target = network.node(edge.target)!
            var item = MarkupWriter()
            item.open("edge", [("source", source.entity.key), ("target", target.entity.key)])
            item.element("data", [("key", "weight")], text: String(edge.count))
            item.element("data", [("key", "e_articles")], text: String(edge.articleCount))
            item.element("data", [("key", "pmi")], text: number(edge.pmi))
            item.element("data", [("key", "npmi")], text: number(edge.npmi))
            if let first = edge.firstDate { item.element("data", [("key", "first_date")], text: first) }
            if let last = edge.lastDate { item.element("data", [("key", "last_date")], text: last) }
            item.close("edge")
            item.newline()
            sink.write(item.output)
        }
        sink.write("</graph>\n</graphml>\n")
    }

    // MARK: DOT

    /// Graphviz DOT, laid out by `neato` or `sfdp`; node size by mentions, colour by type.
    static func dot(_ network: CooccurrenceNetwork, window: CooccurrenceWindow, to sink: OutputSink) {
        sink.write(dotText(network, window: window))
    }

    static func dotText(_ network: CooccurrenceNetwork, window: CooccurrenceWindow) -> String {
        var out = "graph cooccurrence {\n"
        out += "  graph [layout=neato, overlap=false, splines=true, outputorder=edgesfirst, label=\(dotString("Gazette co-occurrence (\(window.rawValue) window), \(network.nodes.count) entities, \(network.edges.count) pairs")), fontname=\"DejaVu Sans\"];\n"
        out += "  node [shape=circle, style=filled, fontname=\"DejaVu Sans\", fontsize=11, label=\"\", xlabel=\"\"];\n"
        out += "  edge [color=\"#99999980\"];\n"
        let maxMentions = network.nodes.map(\.mentionCount).max() ?? 1
        let maxCount = network.edges.map(\.count).max() ?? 1
        for node in network.nodes {
            let size = 0.15 + 0.45 * (Double(node.mentionCount) / Double(maxMentions)).squareRoot()
            out += "  \(dotString(node.entity.key)) [xlabel=\(dotString(node.entity.name)), fillcolor=\"\(node.entity.type.color)\", "
                + "width=\(number(size)), type=\(node.entity.type.rawValue), mentions=\(node.mentionCount), articles=\(node.articleCount)];\n"
        }
        for edge in network.edges {
            let source = network.node(edge.source)!, target = network.node(edge.target)!
            let width = 0.5 + 4 * Double(edge.count) / Double(maxCount)
            out += "  \(dotString(source.entity.key)) -- \(dotString(target.entity.key)) [weight=\(edge.count), penwidth=\(number(width)), "
                + "articles=\(edge.articleCount), npmi=\(number(edge.npmi))];\n"
        }
        return out + "}\n"
    }

    /// A DOT double-quoted string: backslashes and quotes escaped, line breaks as spaces.
    static func dotString(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n", "\r": out += " "
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// Finite numbers with at most six decimals, trailing zeros dropped (`2.079442`, `1`, `-0.5`).
    /// Integer arithmetic, not `String(format:)`, which costs microseconds per call on Linux and
    /// dominated large exports.
    static func number(_ value: Double) -> String {
        guard value.isFinite, abs(value) < 9e12 else { return value.isFinite ? String(value) : "0" }
        let micros = Int64((value * 1_000_000).rounded())
        if micros == 0 { return "0" }
        let magnitude = micros.magnitude
        var text = (micros < 0 ? "-" : "") + String(magnitude / 1_000_000)
        var fraction = magnitude % 1_000_000
        if fraction > 0 {
            var width = 6
            while fraction % 10 == 0 { fraction /= 10; width -= 1 }
            let digits = String(fraction)
            text += "." + String(repeating: "0", count: width - digits.count) + digits
        }
        return text
    }
}
