import Foundation
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

private let budgetRow = GazetteProcess.samples.appendingPathComponent("politics/budget-row.txt").path

/// Checks an XML document is well formed and collects element names and text.
private final class XMLCollector: NSObject, XMLParserDelegate {
    var elements: [String] = []
    var attributes: [[String: String]] = []
    var text = ""
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
        elements.append(name)
        self.attributes.append(attributes)
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    static func parse(_ xml: String) -> (ok: Bool, collector: XMLCollector, error: String) {
        let parser = XMLParser(data: Data(xml.utf8))
        let collector = XMLCollector()
        parser.delegate = collector
        let ok = parser.parse()
        return (ok, collector, parser.parserError.map { "\($0)" } ?? "")
    }
}

/// Every tag name in an HTML page, to prove article text never becomes markup.
private func tagNames(_ html: String) -> Set<String> {
    var names: Set<String> = []
    var rest = html[...]
    while let open = rest.firstIndex(of: "<") {
        let after = rest[rest.index(after: open)...]
        let name = after.drop(while: { $0 == "/" || $0 == "!" }).prefix(while: { $0.isLetter || $0.isNumber })
        names.insert(String(name).lowercased())
        rest = after
    }
    return names
}

private let pageTags: Set<String> = [
    "doctype", "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "p", "section", "ul", "li", "span",
    "table", "tr", "td", "th", "article", "mark", "footer",
]

@Suite("show --html and the terminal view", .serialized)
struct ShowViewTests {
    @Test("the HTML page highlights every mention by type, with legend, tooltips and topics")
    func htmlPage() throws {
        let dir = try TemporaryDirectory()
        let file = dir.file("budget.html")
        let show = try GazetteProcess.run(["show", budgetRow, "--db", SampleStore.path, "--html", "-o", file])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.isEmpty)
        let html = try String(contentsOfFile: file, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(tagNames(html).isSubset(of: pageTags), "\(tagNames(html).subtracting(pageTags))")
        #expect(!html.contains("http://") && !html.contains("https://"), "the page must not load anything")
        #expect(html.contains("<title>Blair and Brown close ranks before the spring budget — Gazette</title>"))
        #expect(html.contains("<mark class=\"person\" title=\"Tony Blair · "))
        #expect(html.contains(">Gordon Brown</mark>"))
        #expect(html.contains("<mark class=\"place\"") && html.contains(">Manchester</mark>"))
        for heading in ["People (", "Places (", "Treaties (", "Organizations ("] { #expect(html.contains(heading)) }
        #expect(html.contains("<td class=\"label\">politics</td>"))
        // The text between the marks is the stored text: removing the markup gives it back.
        let json = try GazetteProcess.run(["show", budgetRow, "--db", SampleStore.path, "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let entities = try #require(object["entities"] as? [[String: Any]])
        let marks = html.components(separatedBy: "<mark ").count - 1
        let mentionTotal = entities.compactMap { $0["mentions"] as? Int }.reduce(0, +)
        #expect(marks == mentionTotal)
    }

    @Test("titles, names, text and topics are escaped: a hostile article cannot inject markup")
    func htmlEscaping() throws {
        let dir = try TemporaryDirectory()
        let db = try Hostile.store(in: dir)
        let show = try GazetteProcess.run(["show", "/hostile/a<b>.txt", "--db", db, "--html"])
        #expect(show.status == 0, "\(show.stderr)")
        let html = show.stdout
        #expect(!html.contains("<script"))
        #expect(!html.contains("<b>") && !html.contains("<i>") && !html.contains("</article><"))
        #expect(tagNames(html).isSubset(of: pageTags), "\(tagNames(html).subtracting(pageTags))")
        #expect(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; ]]&gt; &#39;q&#39; &lt;!-- --&gt;"))
        #expect(html.contains("Evil &quot;Corp&quot; &lt;b&gt;&amp;amp;&lt;/b&gt; ]]&gt; O&#39;Neil, Inc\\"))
        #expect(html.contains("data-key=\"org:evil&lt;&amp;&gt;&quot;&#39;\""))
        #expect(html.contains("<td class=\"label\">&lt;politics&gt;</td>"))
        #expect(html.components(separatedBy: "<mark ").count - 1 == 3)
    }

    @Test("a store without text: show --html lists the entities with a note, the sentence window refuses")
    func htmlWithoutText() throws {
        let dir = try TemporaryDirectory()
        let db = dir.file("no-text.sqlite")
        // The shipped config with text storage off; its relative paths made absolute.
        let root = GazetteProcess.packageRoot.path
        let yaml = try String(contentsOfFile: root + "/Pipeline.yaml", encoding: .utf8)
            .replacingOccurrences(of: "keepText: true", with: "keepText: false")
            .replacingOccurrences(of: "directory: Gazetteers", with: "directory: \(root)/Gazetteers")
            .replacingOccurrences(of: "model: Models/", with: "model: \(root)/Models/")
        #expect(yaml.contains("keepText: false"))
        let config = try dir.write("Pipeline.yaml", yaml)
        let tag = try GazetteProcess.run(["tag", GazetteProcess.samples.appendingPathComponent("politics").path, "--db", db, "--config", config])
        #expect(tag.status == 0, "\(tag.stderr)")
        let show = try GazetteProcess.run(["show", budgetRow, "--db", db, "--html"])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains("The store has no text for this article"))
        #expect(!show.stdout.contains("<mark "))
        #expect(show.stdout.contains("<td class=\"key\">archigos:UKG-1997</td>"))
        // Sentences need the text: the export says so instead of guessing.
        let sentences = try GazetteProcess.run(["cooccur", "--db", db, "--window", "sentence"])
        #expect(sentences.status != 0)
        #expect(sentences.stderr.contains("has no stored text to find sentences in"), "\(sentences.stderr)")
        #expect(try GazetteProcess.run(["cooccur", "--db", db, "--window", "article"]).status == 0)
    }

    @Test("a headless chromium renders the page: the screenshot has text and the type colours",
          .enabled(if: Tools.chromium != nil && Tools.python != nil, "needs chromium (apt-get install chromium) and python3"))
    func htmlInBrowser() throws {
        let file = Tools.screenshots.appendingPathComponent("show-budget-row.html").path
        let show = try GazetteProcess.run(["show", budgetRow, "--db", SampleStore.path, "--html", "-o", file])
        #expect(show.status == 0, "\(show.stderr)")
        let png = Tools.screenshots.appendingPathComponent("show-budget-row.png")
        let shot = try Tools.screenshot(of: file, to: png, width: 900, height: 1100)
        #expect(shot.status == 0, "\(shot.stderr)")
        #expect(FileManager.default.fileExists(atPath: png.path), "no screenshot: \(shot.stderr)")
        let report = try Tools.pixelReport(png, colors: ["#d6e6f5", "#d5f0d2", "#ffe3c8"])
        #expect((report["ink"] ?? 0) > 0.05, "blank page? \(report)")
        #expect((report["#d6e6f5"] ?? 0) > 200, "no person highlight pixels: \(report)")
        #expect((report["#d5f0d2"] ?? 0) > 200, "no place highlight pixels: \(report)")
    }

    @Test("terminal view: colour with --color always, plain when piped or with NO_COLOR, --text marks mentions")
    func terminalColour() throws {
        let plain = try GazetteProcess.run(["show", budgetRow, "--db", SampleStore.path, "--text"])
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(!plain.stdout.contains("\u{1B}["))
        #expect(plain.stdout.contains("Prime Minister [Tony Blair] and Chancellor [Gordon Brown] appeared together in [Manchester]"))
        let piped = try GazetteProcess.run(["show", budgetRow, "--db", SampleStore.path], environment: ["NO_COLOR": ""])
        #expect(!piped.stdout.contains("\u{1B}["))
        let coloured = try GazetteProcess.run(["show", budgetRow, "--db", SampleStore.path, "--text", "--color", "always"])
        #expect(coloured.stdout.contains("\u{1B}[1;34mTony Blair\u{1B}[0m"))
        #expect(coloured.stdout.contains("\u{1B}[1;32mManchester\u{1B}[0m"))
        // The same content, colour codes aside.
        let stripped = coloured.stdout.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
        #expect(stripped.contains("Prime Minister Tony Blair and Chancellor Gordon Brown"))
    }
}

@Suite("find and entities", .serialized)
struct FindCommandTests {
    @Test("find lists the articles that mention an entity, newest first, with a snippet")
    func findByName() throws {
        let find = try GazetteProcess.run(["find", "--entity", "tony blair", "--db", SampleStore.path])
        #expect(find.status == 0, "\(find.stderr)")
        let lines = find.stdout.components(separatedBy: "\n")
        #expect(lines[0].hasPrefix("2 articles mention Tony Blair ["))
        let dated = lines.filter { $0.range(of: "^[0-9]{4}-[0-9]{2}-[0-9]{2}  ", options: .regularExpression) != nil }
        #expect(dated.map { String($0.prefix(10)) } == ["2005-07-07", "2005-03-14"])
        #expect(dated[0].hasSuffix("Blasts hit London transport"))
        #expect(find.stdout.contains("Prime Minister [Tony Blair], who was hosting the G8 summit"))

        let json = try GazetteProcess.run(["find", "--entity", "Tony Blair", "--with", "Gordon Brown", "--json", "--db", SampleStore.path])
        let records = json.stdout.split(separator: "\n").map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        #expect(records.count == 1)
        #expect(records.first?["title"] as? String == "Blair and Brown close ranks before the spring budget")
        #expect((records.first?["mentions"] as? Int ?? 0) >= 2)
        let snippet = (records.first?["snippet"] as? [String] ?? []).joined(separator: " | ")
        // The title names both ("Blair and Brown", linked to the people named in full below), so one
        // snippet shows them together.
        #expect(snippet.contains("[Blair] and [Brown] close ranks"), "\(snippet)")
    }

    @Test("find takes keys and ids, filters by date, and explains names it cannot resolve")
    func findFiltersAndErrors() throws {
        let top = try GazetteProcess.run(["entities", "--db", SampleStore.path, "--type", "person", "--top", "50", "--json"])
        let blair = try #require(top.stdout.split(separator: "\n").map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
            .first { $0["name"] as? String == "Tony Blair" })
        let key = try #require(blair["key"] as? String)
        let byKey = try GazetteProcess.run(["find", "--entity", key, "--from", "2005-07", "--db", SampleStore.path])
        #expect(byKey.status == 0, "\(byKey.stderr)")
        #expect(byKey.stdout.hasPrefix("1 article mentions Tony Blair [\(key)] from 2005-07-01"), "\(byKey.stdout)")
        let none = try GazetteProcess.run(["find", "--entity", key, "--to", "2004", "--db", SampleStore.path])
        #expect(none.stdout.hasPrefix("0 articles mention"))

        let unknown = try GazetteProcess.run(["find", "--entity", "Blai", "--db", SampleStore.path])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("no entity named 'Blai'") && unknown.stderr.contains("did you mean: Tony Blair ["))
        let badDate = try GazetteProcess.run(["find", "--entity", key, "--from", "14/03/2005", "--db", SampleStore.path])
        #expect(badDate.status != 0 && badDate.stderr.contains("--from '14/03/2005' is not a date"))
    }

    @Test("entities shows article counts and first and last dates")
    func entitiesWithDates() throws {
        let table = try GazetteProcess.run(["entities", "--db", SampleStore.path, "--type", "person", "--top", "5"])
        #expect(table.status == 0, "\(table.stderr)")
        let lines = table.stdout.split(separator: "\n").map(String.init)
        #expect(lines[0] == "mentions  articles  first       last        type          entity")
        #expect(lines.count == 6)
        let blair = try #require(lines.first { $0.contains("Tony Blair [") })
        #expect(blair.contains("2005-03-14  2005-07-07  person"))
        #expect(lines.dropFirst().allSatisfy { $0.contains("  person  ") })
    }
}

@Suite("cooccur formats", .serialized)
struct CooccurFormatTests {
    func export(_ arguments: [String], db: String = SampleStore.path) throws -> String {
        let result = try GazetteProcess.run(["cooccur", "--db", db] + arguments)
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout
    }

    @Test("CSV is Gephi's edge list and reads back with Python's csv module, hostile names intact",
          .enabled(if: Tools.python != nil, "needs python3"))
    func csvReadsBack() throws {
        let csv = try export(["--format", "csv"])
        #expect(csv.hasPrefix("Source,Target,Type,Weight,Articles,PMI,NPMI,FirstDate,LastDate,SourceName,SourceType,TargetName,TargetType\r\n"))
        let script = """
            import csv, sys, json
            rows = list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8')))
            print(json.dumps(rows))
            """
        let dir = try TemporaryDirectory()
        let file = dir.file("edges.csv")
        try Data(csv.utf8).write(to: URL(fileURLWithPath: file))
        let parsed = try Tools.python(script, [file])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(parsed.stdout.utf8)) as? [[String: String]])
        #expect(rows.count == csv.components(separatedBy: "\r\n").count - 2)
        #expect(rows.allSatisfy { $0["Type"] == "Undirected" && Int($0["Weight"] ?? "") != nil && Double($0["NPMI"] ?? "") != nil })
        let weights = rows.compactMap { Int($0["Weight"]!) }
        #expect(weights == weights.sorted(by: >))
        #expect(rows.contains { $0["SourceName"] == "Tony Blair" && $0["TargetName"] == "Gordon Brown" || $0["SourceName"] == "Gordon Brown" && $0["TargetName"] == "Tony Blair" })

        let hostileDir = try TemporaryDirectory()
        let hostile = try export(["--format", "csv"], db: try Hostile.store(in: hostileDir))
        let hostileFile = hostileDir.file("edges.csv")
        try Data(hostile.utf8).write(to: URL(fileURLWithPath: hostileFile))
        let hostileRows = try #require(try JSONSerialization.jsonObject(with: Data(try Tools.python(script, [hostileFile]).stdout.utf8)) as? [[String: String]])
        #expect(hostileRows.count == 1)
        let names = Set([hostileRows[0]["SourceName"], hostileRows[0]["TargetName"]])
        // The formula-looking name gets the spreadsheet-safe apostrophe, nothing else changes.
        #expect(names == [Hostile.name, "'" + Hostile.friend.name])
    }

    @Test("GEXF, GraphML and node-link JSON load in networkx with every attribute, hostile names intact",
          .enabled(if: Tools.hasNetworkX, "needs python3 with networkx (pip install networkx)"))
    func networkxReadsBack() throws {
        let dir = try TemporaryDirectory()
        let script = """
            import sys, json, networkx as nx
            path = sys.argv[1]
            if path.endswith('.gexf'): g = nx.read_gexf(path)
            elif path.endswith('.graphml'): g = nx.read_graphml(path)
            else: g = nx.node_link_graph(json.load(open(path, encoding='utf-8')), edges='links')
            print(json.dumps({'nodes': {n: d for n, d in g.nodes(data=True)},
                              'edges': [[u, v, d] for u, v, d in g.edges(data=True)], 'directed': g.is_directed()}))
            """
        let hostile = try Hostile.store(in: dir)
        for (format, db) in [("gexf", SampleStore.path), ("graphml", SampleStore.path), ("json", SampleStore.path),
                             ("gexf", hostile), ("graphml", hostile), ("json", hostile)] {
            let file = dir.file("network-\(UUID().uuidString).\(format)")
            _ = try export(["--format", format, "-o", file], db: db)
            let read = try Tools.python(script, [file])
            #expect(read.status == 0, "networkx could not read \(format): \(read.stderr)")
            let graph = try #require(try JSONSerialization.jsonObject(with: Data(read.stdout.utf8)) as? [String: Any])
            let nodes = try #require(graph["nodes"] as? [String: [String: Any]])
            let edges = try #require(graph["edges"] as? [[Any]])
            #expect(graph["directed"] as? Bool == false)
            #expect(!edges.isEmpty)
            let nameKey = format == "gexf" ? "label" : "name"
            for (_, attributes) in nodes {
                #expect(attributes[nameKey] is String && attributes["type"] is String && attributes["mentions"] is Int)
            }
            for edge in edges {
                let attributes = try #require(edge[2] as? [String: Any])
                #expect(attributes["weight"] is Double || attributes["weight"] is Int)
                #expect(attributes["npmi"] is Double && attributes["articles"] is Int)
            }
            if db != SampleStore.path {
                #expect(nodes[Hostile.entity.key]?[nameKey] as? String == Hostile.name)
                #expect(nodes[Hostile.friend.key]?[nameKey] as? String == Hostile.friend.name)
                #expect((edges[0][2] as? [String: Any])?["first_date"] as? String == "2020-02-02")
            } else {
                #expect(nodes.values.contains { $0[nameKey] as? String == "Tony Blair" })
            }
        }
    }

    @Test("JSON is networkx node-link data; DOT quotes every id")
    func jsonAndDot() throws {
        let json = try export(["--format", "json", "--types", "person,place"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let nodes = try #require(object["nodes"] as? [[String: Any]])
        let links = try #require(object["links"] as? [[String: Any]])
        let ids = Set(nodes.compactMap { $0["id"] as? String })
        #expect(!links.isEmpty && links.allSatisfy { ids.contains($0["source"] as! String) && ids.contains($0["target"] as! String) })
        #expect(nodes.allSatisfy { ["person", "place"].contains($0["type"] as? String) && ($0["mentions"] as? Int ?? 0) >= 1 })
        #expect((object["graph"] as? [String: Any])?["articles"] as? Int == 8)

        let dir = try TemporaryDirectory()
        let dot = try export(["--format", "dot"], db: try Hostile.store(in: dir))
        #expect(dot.hasPrefix("graph cooccurrence {"))
        #expect(dot.contains("\"org:evil<&>\\\"'\" -- \"person:friend\""))
        #expect(dot.contains("xlabel=\"Evil \\\"Corp\\\" <b>&amp;</b> ]]> O'Neil, Inc\\\\\""))
    }

    @Test("window, top and min-count shape the network; sentence pairs are never more than article pairs")
    func windowTopMinCount() throws {
        func edges(_ arguments: [String]) throws -> [[String: Any]] {
            let object = try JSONSerialization.jsonObject(with: Data(try export(["--format", "json"] + arguments).utf8)) as! [String: Any]
            return object["links"] as! [[String: Any]]
        }
        let article = try edges([])
        let sentence = try edges(["--window", "sentence"])
        #expect(!sentence.isEmpty && sentence.count < article.count)
        let articleWeights = Dictionary(uniqueKeysWithValues: article.map { ("\($0["source"]!)|\($0["target"]!)", $0["articles"] as! Int) })
        for edge in sentence {
            let key = "\(edge["source"]!)|\(edge["target"]!)"
            #expect((edge["articles"] as! Int) <= (articleWeights[key] ?? 0), "\(key)")
        }
        let top = try edges(["--top", "3"])
        #expect(top.count == 3)
        #expect(top.map { $0["weight"] as! Int } == Array(article.prefix(3)).map { $0["weight"] as! Int })
        let frequent = try edges(["--min-count", "2"])
        #expect(frequent.allSatisfy { ($0["weight"] as! Int) >= 2 })
        #expect(frequent.count == article.filter { ($0["weight"] as! Int) >= 2 }.count)
        let dated = try edges(["--from", "2005-01-01", "--to", "2005-12-31"])
        #expect(dated.allSatisfy { ($0["first_date"] as! String) >= "2005-01-01" && ($0["last_date"] as! String) <= "2005-12-31" })
        let noText = try GazetteProcess.run(["cooccur", "--db", SampleStore.path, "--window", "paragraph"])
        #expect(noText.status != 0)
    }

    @Test("the SVG picture is well-formed XML with a circle per node, labels and a legend; hostile names escaped")
    func svgPicture() throws {
        let file = Tools.screenshots.appendingPathComponent("network.svg").path
        _ = try export(["--format", "svg", "--top", "30", "-o", file])
        let svg = try String(contentsOfFile: file, encoding: .utf8)
        let (ok, collector, error) = XMLCollector.parse(svg)
        #expect(ok, "\(error)")
        let json = try JSONSerialization.jsonObject(with: Data(try export(["--format", "json", "--top", "30"]).utf8)) as! [String: Any]
        let nodes = json["nodes"] as! [[String: Any]]
        // One circle per node plus four legend dots; one label per node.
        #expect(collector.elements.filter { $0 == "circle" }.count == nodes.count + 4)
        #expect(collector.elements.filter { $0 == "line" }.count == 30)
        for node in nodes { #expect(collector.text.contains(node["name"] as! String)) }
        for heading in ["People", "Places", "Treaties", "Organizations"] { #expect(collector.text.contains(heading)) }

        let dir = try TemporaryDirectory()
        let hostile = try export(["--format", "svg"], db: try Hostile.store(in: dir))
        let parsed = XMLCollector.parse(hostile)
        #expect(parsed.ok, "\(parsed.error)")
        #expect(parsed.collector.text.contains(Hostile.name))
        #expect(!parsed.collector.elements.contains("b") && !parsed.collector.elements.contains("i"))
    }

    @Test("chromium draws the SVG picture: not blank, every type colour present",
          .enabled(if: Tools.chromium != nil && Tools.python != nil, "needs chromium (apt-get install chromium) and python3"))
    func svgInBrowser() throws {
        let file = Tools.screenshots.appendingPathComponent("network.svg").path
        _ = try export(["--format", "svg", "-o", file])
        let png = Tools.screenshots.appendingPathComponent("network.png")
        let shot = try Tools.screenshot(of: file, to: png, width: 1100, height: 820)
        #expect(FileManager.default.fileExists(atPath: png.path), "no screenshot: \(shot.stderr)")
        let report = try Tools.pixelReport(png, colors: ["#1f77b4", "#2ca02c", "#ff7f0e"])
        #expect((report["ink"] ?? 0) > 0.02, "blank picture? \(report)")
        for color in ["#1f77b4", "#2ca02c", "#ff7f0e"] { #expect((report[color] ?? 0) > 50, "\(color): \(report)") }
    }

    @Test("png draws through Graphviz when dot is installed, and says how to get it when not")
    func pngThroughGraphviz() throws {
        let dir = try TemporaryDirectory()
        let file = dir.file("network.png")
        let result = try GazetteProcess.run(["cooccur", "--db", SampleStore.path, "--format", "png", "-o", file])
        if Tools.find("dot") != nil {
            #expect(result.status == 0, "\(result.stderr)")
            let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
            #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        } else {
            #expect(result.status != 0)
            #expect(result.stderr.contains("'dot' is not on PATH") && result.stderr.contains("--format svg"))
        }
        let noOutput = try GazetteProcess.run(["cooccur", "--db", SampleStore.path, "--format", "png"])
        #expect(noOutput.status != 0 && noOutput.stderr.contains("--format png needs --output FILE"))
    }
}
