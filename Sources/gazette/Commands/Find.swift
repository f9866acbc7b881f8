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
                var heading = "\(total) article\(total == 1 ? "" : "s") mention \(main.entity.name) [\(main.entity.key)]"
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
                throw ValidationError(message)
            }
            throw ValidationError(
                "\(option): '\(text)' names \(matches.count) entities; give a key: "
                    + matches.map { "\($0.entity.key) (\($0.entity.type.rawValue))" }.joined(separator: ", "))
        }

        /// A few words around the first mention of the entity, and around the first mention of the
        /// `with` entity when it is not already inside that window.
        func snippet(_ item: FoundArticle, store: TagStore, main: StoredEntity, other: StoredEntity?, color: Bool) throws -> [String] {
            guard let text = try store.text(articleID: item.article.id) else {
                return ["(no stored text) mentioned as " + Set(item.mentions.map(\.surface)).sorted().joined(separator: ", ")]
            }
            let scalars = Array(text.unicodeScalars)
            var lines: [String] = []
            var covered: [Range<Int>] = []
            for (span, type) in [(item.mentions.first, main.entity.type), (item.withMentions.first, other?.entity.type ?? .person)] {
                guard let span, !covered.contains(where: { $0.contains(span.start) }) else { continue }
                let (line, window) = Self.snippet(scalars: scalars, span: span, type: type, color: color)
                covered.append(window)
                lines.append(line)
            }
            return lines
        }

        /// About 60 scalars either side, cut at whitespace, on one line, mention highlighted.
        static func snippet(scalars: [Unicode.Scalar], span: FoundArticle.Span, type: EntityType, color: Bool, width: Int = 60) -> (String, Range<Int>) {
            guard span.start >= 0, span.end <= scalars.count, span.start < span.end else { return (span.surface, span.start..<span.end) }
            var lower = max(0, span.start - width)
            var upper = min(scalars.count, span.end + width)
            while lower > 0 && lower < span.start && !scalars[lower - 1].properties.isWhitespace { lower += 1 }
            while upper < scalars.count && upper > span.end && !scalars[upper].properties.isWhitespace { upper -= 1 }
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
            var before = flatten(lower..<span.start), after = flatten(span.end..<upper)
            before = (lower > 0 ? "…" : "") + before.drop(while: { $0 == " " })
            after = String(after.reversed().drop(while: { $0 == " " }).reversed()) + (upper < scalars.count ? "…" : "")
            let surface = String(String.UnicodeScalarView(scalars[span.start..<span.end]))
            return (before + Terminal.highlight(surface, type: type, color: color) + after, lower..<upper)
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
