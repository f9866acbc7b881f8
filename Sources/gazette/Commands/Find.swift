import ArgumentParser
import Foundation
import GazetteCore
import GazetteStore

extension Gazette {
    struct Find: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Find the articles that mention an entity (and another), newest first, with a snippet.",
            discussion: """
                NAME|ID is an entity key (geonames:2643743), its id in the store, or its canonical name \
                (any letter case). A name shared by several entities is an error that lists their keys. \
                Undated articles come after dated ones.
                """
        )

        @OptionGroup var store: StoreOptions

        @Option(name: .long, help: ArgumentHelp("The entity: key, store id or canonical name.", valueName: "name|id"))
        var entity: String

        @Option(name: .long, help: ArgumentHelp("Only articles that also mention this entity.", valueName: "name|id"))
        var with: String?

        @OptionGroup var dates: DateRangeOptions

        @Option(name: .long, help: "How many articles to list (0: all).")
        var limit = 20

        @Flag(name: .long, help: "Print JSON lines instead of text.")
        var json = false

        @Option(name: .long, help: "Colour: auto (on a terminal, unless NO_COLOR is set), always or never.")
        var color: ColorChoice = .auto

        func validate() throws {
            if limit < 0 { throw ValidationError("--limit must be 0 (all) or more (got \(limit)).") }
        }

        func run() async throws {
            let tagStore = try TagStore(path: try store.readOnlyStorePath(), readOnly: true)
            let main = try Self.resolve(entity, option: "--entity", in: tagStore)
            let other = try with.map { try Self.resolve($0, option: "--with", in: tagStore) }
            let range = try dates.range()
            let total = try tagStore.countArticles(mentioning: main.id, with: other?.id, dates: range)
            let found = try tagStore.articles(mentioning: main.id, with: other?.id, dates: range, limit: limit)
            let useColor = color.enabled

            var out = ""
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                for item in found {
                    let record = FoundRecord(item, snippet: try snippet(item, store: tagStore, main: main, other: other, color: false))
                    out += String(decoding: try encoder.encode(record), as: UTF8.self) + "\n"
                }
            } else {
                var heading = "\(total) article\(total == 1 ? " mentions" : "s mention") \(main.entity.name) [\(main.entity.key)]"
                if let other { heading += " with \(other.entity.name) [\(other.entity.key)]" }
                if let from = range.from { heading += " from \(from)" }
                if let to = range.to { heading += " to \(to)" }
                if found.count < total { heading += "; the newest \(found.count)" }
                out += heading + "\n"
                for item in found {
                    let date = item.article.date ?? "no date   "
                    let title = item.article.title.flatMap { $0.isEmpty ? nil : $0 } ?? "(untitled)"
                    out += "\n\(date)  \(useColor ? "\u{1B}[1m" + title + "\u{1B}[0m" : title)\n"
                    out += "            \(item.article.key)\n"
                    for line in try snippet(item, store: tagStore, main: main, other: other, color: useColor) {
                        out += "            \(line)\n"
                    }
                }
            }
            FileHandle.standardOutput.write(Data(out.utf8))
        }

        /// One entity named on the command line, or a validation error that says what matched.
        static func resolve(_ text: String, option: String, in store: TagStore) throws -> StoredEntity {
            let matches = try store.entities(matching: text)
            if matches.count == 1 { return matches[0] }
            if matches.isEmpty {
                let suggestions = try store.entities(nameContaining: text, limit: 5)
                var message = "\(option): no entity named '\(text)' in \(store.path)"
                if !suggestions.isEmpty {
                    message += "; did you mean: " + suggestions.map { "\($0.entity.name) [\($0.entity.key)]" }.joined(separator: ", ")
                }
                throw GazetteCommandError(message)
            }
            throw GazetteCommandError(
                "\(option): '\(text)' names \(matches.count) entities; give a key: "
                    + matches.map { "\($0.entity.key) (\($0.entity.type.rawValue))" }.joined(separator: ", "))
        }

        /// A few words around the first mention of the entity, and around the first mention of the
        /// `with` entity when it is not already inside that window; every mention of either entity in
        /// a window is highlighted.
        func snippet(_ item: FoundArticle, store: TagStore, main: StoredEntity, other: StoredEntity?, color: Bool) throws -> [String] {
            guard let text = try store.text(articleID: item.article.id) else {
                return ["(no stored text) mentioned as " + Set(item.mentions.map(\.surface)).sorted().joined(separator: ", ")]
            }
            let scalars = Array(text.unicodeScalars)
            let marked = (item.mentions.map { ($0, main.entity.type) } + item.withMentions.map { ($0, other?.entity.type ?? .person) })
                .sorted { $0.0.start < $1.0.start }
            var lines: [String] = []
            var covered: [Range<Int>] = []
            for anchor in [item.mentions.first, item.withMentions.first] {
                guard let anchor, !covered.contains(where: { $0.contains(anchor.start) }) else { continue }
                let (line, window) = Self.snippet(scalars: scalars, around: anchor, marking: marked, color: color)
                covered.append(window)
                lines.append(line)
            }
            return lines
        }

        /// About 60 scalars either side of `anchor`, cut at whitespace, on one line, with the marked
        /// spans inside the window highlighted.
        static func snippet(
            scalars: [Unicode.Scalar], around anchor: FoundArticle.Span, marking marked: [(FoundArticle.Span, EntityType)],
            color: Bool, width: Int = 60
        ) -> (String, Range<Int>) {
            guard anchor.start >= 0, anchor.end <= scalars.count, anchor.start < anchor.end else { return (anchor.surface, anchor.start..<anchor.end) }
            var lower = max(0, anchor.start - width)
            var upper = min(scalars.count, anchor.end + width)
            while lower > 0 && lower < anchor.start && !scalars[lower - 1].properties.isWhitespace { lower += 1 }
            while upper < scalars.count && upper > anchor.end && !scalars[upper].properties.isWhitespace { upper -= 1 }
            // One line: every run of whitespace (line breaks included) becomes one space.
            let flatten = { (range: Range<Int>) -> String in
                var out = String.UnicodeScalarView()
                for scalar in scalars[range] {
                    if scalar.properties.isWhitespace {
                        if out.last != " " { out.append(" ") }
                    } else {
                        out.append(scalar)
                    }
                }
                return String(out)
            }
            var line = lower > 0 ? "…" : ""
            var cursor = lower
            for (span, type) in marked where span.start >= cursor && span.end <= upper && span.start < span.end {
                line += flatten(cursor..<span.start)
                line += Terminal.highlight(flatten(span.start..<span.end), type: type, color: color)
                cursor = span.end
            }
            line += flatten(cursor..<upper)
            line = line.trimmingCharacters(in: .whitespaces)
            if upper < scalars.count { line += "…" }
            return (line, lower..<upper)
        }
    }
}

/// One line of `find --json`.
struct FoundRecord: Encodable {
    var id: Int64, key: String, path: String, title: String?, date: String?, mentions: Int, withMentions: Int?
    var snippet: [String]

    init(_ item: FoundArticle, snippet: [String]) {
        id = item.article.id
        key = item.article.key
        path = item.article.path
        title = item.article.title
        date = item.article.date
        mentions = item.mentions.count
        withMentions = item.withMentions.isEmpty ? nil : item.withMentions.count
        self.snippet = snippet
    }
}
