import ArgumentParser
import Foundation
import GazetteCore
import GazetteStore

extension Gazette {
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the tags of one article: topics, and entities grouped by type.",
            discussion: """
                ARTICLE is the article's id in the store, its file path, its key (path#id for JSON lines), \
                or its JSON-lines id. --html writes one self-contained page (no network) with every \
                mention highlighted by type; --text prints the article with its mentions highlighted.
                """
        )

        @Argument(help: ArgumentHelp("Article id, path, key or JSON-lines id.", valueName: "article"))
        var article: String

        @OptionGroup var store: StoreOptions

        @Flag(name: .long, help: "Print JSON instead of text.")
        var json = false

        @Flag(name: .long, help: "Write a self-contained HTML page with every mention highlighted.")
        var html = false

        @Flag(name: .long, help: "Also print the article text with its mentions highlighted.")
        var text = false

        @Option(name: [.short, .long], help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
        var output: String?

        @Flag(name: .long, help: "Explain each topic: the n-grams of the article that weighed most for it (loads the config's model).")
        var explain = false

        @Option(name: .long, help: "Colour: auto (on a terminal, unless NO_COLOR is set), always or never.")
        var color: ColorChoice = .auto

        func validate() throws {
            if json && html { throw ValidationError("--json and --html are exclusive; choose one.") }
        }

        func run() async throws {
            let tagStore = try TagStore(path: try store.readOnlyStorePath(), readOnly: true)
            guard let stored = try tagStore.article(matching: article)
                ?? tagStore.article(matching: DirectoryWalker.absolute(article)) else {
                throw ValidationError("no article '\(article)' in \(tagStore.path)")
            }
            var view = try ArticleView(store: tagStore, article: stored)
            if explain { view.explanations = try explanations(for: stored, view: view, store: tagStore) }
            let rendered: String
            if json {
                rendered = try view.json() + "\n"
            } else if html {
                let page = ArticlePage(
                    view: view, text: try tagStore.text(articleID: stored.id),
                    mentions: try tagStore.mentions(articleID: stored.id))
                rendered = page.html()
            } else {
                let useColor = output == nil && color.enabled || color == .always
                var out = view.text(color: useColor)
                if text {
                    out += "\n" + ArticleView.highlightedBody(
                        text: try tagStore.text(articleID: stored.id),
                        mentions: try tagStore.mentions(articleID: stored.id), color: useColor)
                }
                rendered = out
            }
            let sink = try OutputSink(path: output)
            sink.write(rendered)
            try sink.close()
        }
    }
}

extension Gazette.Show {
    /// Re-reads the article's stored text through the config's topic model. The model must be the one
    /// that tagged the article for the explanation to be faithful, so a changed model is said.
    func explanations(for article: StoredArticle, view: ArticleView, store tagStore: TagStore) throws -> [String: [ArticleView.Feature]] {
        let settings = try store.loadSettings()
        guard let topicSettings = try StageRegistry.topicSettings(settings) else {
            throw ValidationError("--explain needs a topics stage in \(settings.file)")
        }
        guard let text = try tagStore.text(articleID: article.id) else {
            throw ValidationError("the store does not keep article text (store.keepText: false), so topics cannot be explained")
        }
        let model = try TopicModel.load(from: URL(fileURLWithPath: topicSettings.model))
        let input = TopicStage.input(title: article.title ?? "", text: text)
        var result: [String: [ArticleView.Feature]] = [:]
        for topic in view.topics {
            result[topic.label] = model.explain(text: input, label: topic.label, top: 6)
                .map { ArticleView.Feature(feature: $0.feature, weight: $0.weight) }
        }
        return result
    }
}

/// What `show` prints, gathered once and rendered as text or JSON.
struct ArticleView: Encodable {
    struct Topic: Encodable { var label: String; var score: Double }
    struct Feature: Encodable { var feature: String; var weight: Double }
    struct Occurrence: Encodable { var start: Int; var end: Int; var surface: String; var context: String }
    struct Entity: Encodable {
        var key: String
        var name: String
        var type: String
        var mentions: Int
        var first: Occurrence
    }

    var id: Int64
    var key: String
    var path: String
    var title: String
    var date: String?
    var size: Int
    var contentHash: String
    var taggedAt: String
    var topics: [Topic]
    /// With `--explain`: for each topic, the article's n-grams with the largest contributions.
    var explanations: [String: [Feature]]?
    var entities: [Entity]

    init(store: TagStore, article: StoredArticle) throws {
        id = article.id
        key = article.key
        path = article.path
        title = article.title ?? ""
        date = article.date
        size = article.size
        contentHash = article.contentHash
        taggedAt = article.taggedAt
        topics = try store.topics(articleID: article.id).map { Topic(label: $0.label, score: $0.score) }
        let text = try store.text(articleID: article.id).map { Array($0.unicodeScalars) }
        var byEntity: [String: Entity] = [:]
        var order: [String] = []
        for mention in try store.mentions(articleID: article.id) {
            if byEntity[mention.entity.key] != nil {
                byEntity[mention.entity.key]!.mentions += 1
                continue
            }
            let context = text.map { Self.context(in: $0, start: mention.start, end: mention.end) } ?? mention.surface
            byEntity[mention.entity.key] = Entity(
                key: mention.entity.key, name: mention.entity.name, type: mention.entity.type.rawValue, mentions: 1,
                first: Occurrence(start: mention.start, end: mention.end, surface: mention.surface, context: context))
            order.append(mention.entity.key)
        }
        entities = order.compactMap { byEntity[$0] }
    }

    /// A few words either side of a mention, on one line, with ellipses where the text goes on.
    static func context(in scalars: [Unicode.Scalar], start: Int, end: Int, width: Int = 40) -> String {
        guard start >= 0, end <= scalars.count, start < end else { return "" }
        var lower = max(0, start - width)
        var upper = min(scalars.count, end + width)
        // Widen or narrow to whole words.
        while lower > 0 && lower < start && !scalars[lower - 1].properties.isWhitespace { lower += 1 }
        while upper < scalars.count && upper > end && !scalars[upper].properties.isWhitespace { upper -= 1 }
        var text = String(String.UnicodeScalarView(scalars[lower..<upper]))
        text = text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        return (lower > 0 ? "…" : "") + text + (upper < scalars.count ? "…" : "")
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    func text(color: Bool) -> String {
        let bold = color ? "\u{1B}[1m" : "", dim = color ? "\u{1B}[2m" : "", reset = color ? "\u{1B}[0m" : ""
        var out = "\(bold)\(title)\(reset)\n"
        out += "\(dim)id \(id) · \(date ?? "no date") · \(size) bytes · \(path)\(reset)\n\n"
        if topics.isEmpty {
            out += "Topics: none\n"
        } else {
            out += "Topics: " + topics.map { String(format: "%@ %.2f", $0.label, $0.score) }.joined(separator: ", ") + "\n"
            for topic in topics {
                guard let features = explanations?[topic.label] else { continue }
                let listed = features.map { String(format: "%@ %+.2f", $0.feature, $0.weight) }.joined(separator: ", ")
                out += "  \(topic.label) because of: \(listed.isEmpty ? "no known n-gram" : listed)\n"
            }
        }
        for type in EntityType.allCases {
            let group = entities.filter { $0.type == type.rawValue }
                .sorted { ($0.mentions, $1.name) > ($1.mentions, $0.name) }
            guard !group.isEmpty else { continue }
            out += "\n\(bold)\(Self.heading(type)) (\(group.count))\(reset)\n"
            for entity in group {
                let name = color ? type.ansi + entity.name + reset : entity.name
                var context = entity.first.context
                if color, let range = context.range(of: entity.first.surface) {
                    context.replaceSubrange(range, with: reset + type.ansi + entity.first.surface + reset + dim)
                }
                out += "  \(name) \(dim)[\(entity.key)]\(reset) ×\(entity.mentions)  \(dim)\(context)\(reset)\n"
            }
        }
        if entities.isEmpty { out += "\nNo entities.\n" }
        return out
    }

    static func heading(_ type: EntityType) -> String { type.heading }

    /// The article text with each mention highlighted in its type's colour (or `[bracketed]` without
    /// colour), and a one-line key.
    static func highlightedBody(text: String?, mentions: [StoredMention], color: Bool) -> String {
        guard let text else { return "(no stored text for this article)\n" }
        let scalars = Array(text.unicodeScalars)
        var out = ""
        var cursor = 0
        for span in ArticlePage.nonOverlapping(mentions) where span.start >= cursor && span.end <= scalars.count {
            out += String(String.UnicodeScalarView(scalars[cursor..<span.start]))
            out += Terminal.highlight(
                String(String.UnicodeScalarView(scalars[span.start..<span.end])),
                type: span.mentions[0].entity.type, color: color)
            cursor = span.end
        }
        out += String(String.UnicodeScalarView(scalars[cursor...]))
        if !out.hasSuffix("\n") { out += "\n" }
        if color {
            out += "\n" + EntityType.allCases.map { $0.ansi + $0.heading + "\u{1B}[0m" }.joined(separator: "  ") + "\n"
        }
        return out
    }
}
