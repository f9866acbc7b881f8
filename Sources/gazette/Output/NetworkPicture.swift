import Foundation
import GazetteCore
import GazetteStore

/// `cooccur --format svg`: a picture of the top of the network. Force-directed layout
/// (Fruchterman–Reingold, deterministic start on a circle, so the same network gives the same
/// picture), node area by mentions, colour by type, edge width by count, labels placed where they do
/// not overlap earlier (bigger) labels. Hovering a node or edge shows its counts (`<title>`).
struct NetworkPicture {
    let network: CooccurrenceNetwork
    let window: CooccurrenceWindow
    var width = 1100.0
    var height = 820.0

    private static let margin = 70.0
    private static let legendHeight = 56.0

    func svg() -> String {
        let positions = layout()
        var svg = MarkupWriter()
        svg.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        svg.open("svg", [
            ("xmlns", "http://www.w3.org/2000/svg"), ("width", Self.format(width)), ("height", Self.format(height)),
            ("viewBox", "0 0 \(Self.format(width)) \(Self.format(height))"),
            ("font-family", "DejaVu Sans, Helvetica, Arial, sans-serif"),
        ])
        svg.newline()
        let caption = "Gazette co-occurrence, \(window.rawValue) window: \(network.nodes.count) entities, "
            + "\(network.edges.count) heaviest pairs, \(network.totalArticles) articles"
        svg.element("title", text: caption)
        svg.empty("rect", [("width", "100%"), ("height", "100%"), ("fill", "#fbfaf7")])
        svg.newline()
        legend(&svg, caption: caption)

        guard !network.nodes.isEmpty else {
            svg.element("text", [("x", Self.format(width / 2)), ("y", Self.format(height / 2)), ("text-anchor", "middle"),
                                 ("font-size", "16"), ("fill", "#666")], text: "No pairs match these options.")
            svg.close("svg")
            svg.newline()
            return svg.output
        }

        let maxCount = Double(network.edges.map(\.count).max() ?? 1)
        svg.open("g", [("stroke", "#6b6b6b"), ("stroke-linecap", "round")])
        for edge in network.edges.reversed() {  // heaviest drawn last, on top
            let a = positions[edge.source]!, b = positions[edge.target]!
            let share = Double(edge.count) / maxCount
            svg.open("line", [
                ("x1", Self.format(a.x)), ("y1", Self.format(a.y)), ("x2", Self.format(b.x)), ("y2", Self.format(b.y)),
                ("stroke-width", Self.format(0.8 + 5 * share)), ("stroke-opacity", Self.format(0.25 + 0.45 * share)),
            ])
            let source = network.node(edge.source)!, target = network.node(edge.target)!
            svg.element("title", text: "\(source.entity.name) — \(target.entity.name): \(edge.count) together, "
                + "\(edge.articleCount) articles, NPMI \(String(format: "%.2f", edge.npmi))")
            svg.close("line")
            svg.newline()
        }
        svg.close("g")
        svg.newline()

        svg.open("g", [("stroke", "#ffffff"), ("stroke-width", "1.5")])
        for node in network.nodes.reversed() {  // biggest on top
            let point = positions[node.id]!
            svg.open("circle", [
                ("cx", Self.format(point.x)), ("cy", Self.format(point.y)), ("r", Self.format(radius(node))),
                ("fill", node.entity.type.color),
            ])
            svg.element("title", text: "\(node.entity.name) [\(node.entity.key)], \(node.entity.type.rawValue): "
                + "\(node.mentionCount) mentions in \(node.articleCount) articles")
            svg.close("circle")
            svg.newline()
        }
        svg.close("g")
        svg.newline()

        // Labels with a halo in the background colour, so they stay readable over edges.
        svg.open("g", [("fill", "#1d1d1f"), ("stroke", "#fbfaf7"), ("stroke-width", "3.5"), ("paint-order", "stroke"),
                       ("stroke-linejoin", "round")])
        for label in placeLabels(positions) {
            svg.element("text", [
                ("x", Self.format(label.x)), ("y", Self.format(label.y)), ("font-size", Self.format(label.size)),
                ("text-anchor", label.anchor), ("font-weight", label.bold ? "bold" : "normal"),
            ], text: label.text)
            svg.newline()
        }
        svg.close("g")
        svg.close("svg")
        svg.newline()
        return svg.output
    }

    private func legend(_ svg: inout MarkupWriter, caption: String) {
        svg.element("text", [("x", "20"), ("y", "28"), ("font-size", "15"), ("fill", "#1d1d1f"), ("font-weight", "bold")], text: caption)
        var x = 20.0
        for type in EntityType.allCases {
            svg.empty("circle", [("cx", Self.format(x + 7)), ("cy", "47"), ("r", "7"), ("fill", type.color)])
            svg.element("text", [("x", Self.format(x + 19)), ("y", "52"), ("font-size", "13"), ("fill", "#333")], text: type.heading)
            x += 34 + Double(type.heading.count) * 8
        }
        svg.element("text", [("x", Self.format(x + 10)), ("y", "52"), ("font-size", "12"), ("fill", "#666")],
                    text: "node area: mentions · line width: times together")
        svg.newline()
    }

    private func radius(_ node: NetworkNode) -> Double {
        let maxMentions = Double(network.nodes.map(\.mentionCount).max() ?? 1)
        return 5 + 19 * (Double(node.mentionCount) / maxMentions).squareRoot()
    }

    // MARK: Layout

    struct Point { var x: Double; var y: Double }

    /// Fruchterman–Reingold with a weak pull to the centre, so separate components stay on the page.
    func layout() -> [Int64: Point] {
        let nodes = network.nodes
        let count = nodes.count
        guard count > 0 else { return [:] }
        let left = Self.margin, right = width - Self.margin
        let top = Self.margin + Self.legendHeight, bottom = height - Self.margin * 0.75
        let centre = Point(x: (left + right) / 2, y: (top + bottom) / 2)
        if count == 1 { return [nodes[0].id: centre] }

        let index = Dictionary(uniqueKeysWithValues: nodes.enumerated().map { ($1.id, $0) })
        var x = [Double](repeating: 0, count: count), y = x
        for i in 0..<count {
            let angle = 2 * Double.pi * Double(i) / Double(count)
            x[i] = centre.x + (right - left) / 3 * cos(angle)
            y[i] = centre.y + (bottom - top) / 3 * sin(angle)
        }
        let maxCount = Double(network.edges.map(\.count).max() ?? 1)
        let springs = network.edges.map { (index[$0.source]!, index[$0.target]!, 0.5 + Double($0.count) / maxCount) }
        let k = ((right - left) * (bottom - top) / Double(count)).squareRoot() * 0.75
        var temperature = (right - left) / 8
        let iterations = 350
        for _ in 0..<iterations {
            var dx = [Double](repeating: 0, count: count), dy = dx
            for i in 0..<count {
                for j in (i + 1)..<count {
                    var ddx = x[i] - x[j], ddy = y[i] - y[j]
                    var distance = (ddx * ddx + ddy * ddy).squareRoot()
                    if distance < 0.01 { ddx = 0.01 * Double(i - j); ddy = 0.01; distance = 0.02 }
                    let force = k * k / distance
                    dx[i] += ddx / distance * force; dy[i] += ddy / distance * force
                    dx[j] -= ddx / distance * force; dy[j] -= ddy / distance * force
                }
            }
            for (i, j, strength) in springs {
                let ddx = x[i] - x[j], ddy = y[i] - y[j]
                let distance = max(0.01, (ddx * ddx + ddy * ddy).squareRoot())
                let force = distance * distance / k * strength
                dx[i] -= ddx / distance * force; dy[i] -= ddy / distance * force
                dx[j] += ddx / distance * force; dy[j] += ddy / distance * force
            }
            for i in 0..<count {
                dx[i] += (centre.x - x[i]) * 0.04 * k / 10
                dy[i] += (centre.y - y[i]) * 0.04 * k / 10
                let length = max(0.01, (dx[i] * dx[i] + dy[i] * dy[i]).squareRoot())
                let step = min(length, temperature)
                x[i] = min(right, max(left, x[i] + dx[i] / length * step))
                y[i] = min(bottom, max(top, y[i] + dy[i] / length * step))
            }
            temperature = max(1, temperature * 0.985)
        }
        // Stretch to fill the frame.
        let minX = x.min()!, maxX = x.max()!, minY = y.min()!, maxY = y.max()!
        var result: [Int64: Point] = [:]
        for (i, node) in nodes.enumerated() {
            let px = maxX - minX < 1 ? centre.x : left + (x[i] - minX) / (maxX - minX) * (right - left)
            let py = maxY - minY < 1 ? centre.y : top + (y[i] - minY) / (maxY - minY) * (bottom - top)
            result[node.id] = Point(x: px, y: py)
        }
        return result
    }

    struct Label { var text: String; var x: Double; var y: Double; var size: Double; var anchor: String; var bold: Bool }

    /// Biggest nodes first; each label tries right, left, above, below, and takes the first spot that
    /// overlaps no placed label or node (else the right).
    func placeLabels(_ positions: [Int64: Point]) -> [Label] {
        struct Box { var minX, minY, maxX, maxY: Double
            func overlaps(_ other: Box) -> Bool {
                minX < other.maxX && other.minX < maxX && minY < other.maxY && other.minY < maxY
            }
        }
        let maxMentions = Double(network.nodes.map(\.mentionCount).max() ?? 1)
        var placed: [Box] = network.nodes.map { node in
            let p = positions[node.id]!, r = radius(node)
            return Box(minX: p.x - r, minY: p.y - r, maxX: p.x + r, maxY: p.y + r)
        }
        var labels: [Label] = []
        for node in network.nodes {
            let p = positions[node.id]!, r = radius(node)
            let share = Double(node.mentionCount) / maxMentions
            let size = 11 + 4 * share.squareRoot()
            let textWidth = Double(node.entity.name.count) * size * 0.58
            let candidates: [(Double, Double, String)] = [
                (p.x + r + 4, p.y + size * 0.35, "start"), (p.x - r - 4, p.y + size * 0.35, "end"),
                (p.x, p.y - r - 5, "middle"), (p.x, p.y + r + size + 2, "middle"),
            ]
            func box(_ c: (Double, Double, String)) -> Box {
                let minX = c.2 == "start" ? c.0 : c.2 == "end" ? c.0 - textWidth : c.0 - textWidth / 2
                return Box(minX: minX, minY: c.1 - size * 0.85, maxX: minX + textWidth, maxY: c.1 + size * 0.25)
            }
            let own = placed.firstIndex { $0.minX == p.x - r && $0.minY == p.y - r }
            let chosen = candidates.first { c in
                let b = box(c)
                return b.minX >= 2 && b.maxX <= width - 2 && b.minY >= Self.legendHeight + 10 && b.maxY <= height - 2
                    && !placed.enumerated().contains { $0.offset != own && $0.element.overlaps(b) }
            } ?? candidates[0]
            placed.append(box(chosen))
            labels.append(Label(text: node.entity.name, x: chosen.0, y: chosen.1, size: size, anchor: chosen.2, bold: share > 0.5))
        }
        return labels
    }

    static func format(_ value: Double) -> String { String(format: "%.1f", value) }
}

/// `cooccur --format png`: the DOT export drawn by Graphviz, when its `dot` program is installed.
enum GraphvizPicture {
    static func dotProgram() -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return paths.map { "\($0)/dot" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func writePNG(_ network: CooccurrenceNetwork, window: CooccurrenceWindow, to path: String) throws {
        guard let dot = dotProgram() else {
            throw GazetteCommandError("--format png draws with Graphviz, and 'dot' is not on PATH; install graphviz (apt-get install graphviz) or use --format svg")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: dot)
        process.arguments = ["-Tpng", "-Gdpi=110", "-o", path]
        let input = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(Data(NetworkExport.dotText(network, window: window).utf8))
        try input.fileHandleForWriting.close()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw GazetteCommandError("\(dot) failed writing \(path): \(String(decoding: message, as: UTF8.self))")
        }
    }
}

/// A failure a command reports as one line, without usage help.
struct GazetteCommandError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
