import ArgumentParser
import Foundation
import GazetteCore
import GazetteStore

extension EntityType: ExpressibleByArgument {}

extension Gazette {
    struct Entities: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the most mentioned entities with their mention and article counts, first and last dates.",
            discussion: "Dates are the earliest and latest dates of the articles that mention the entity (blank when none is dated).")

        @OptionGroup var store: StoreOptions

        @Option(name: .long, help: "Only entities of this type.")
        var type: EntityType?

        @Option(name: .long, help: "How many entities to list.")
        var top = 20

        @Flag(name: .long, help: "Print JSON lines instead of a table.")
        var json = false

        func validate() throws {
            if top < 1 { throw ValidationError("--top must be at least 1 (got \(top)).") }
        }

        func run() async throws {
            let tagStore = try TagStore(path: try store.readOnlyStorePath(), readOnly: true)
            let rows = try tagStore.entities(type: type, top: top)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                for row in rows {
                    let record = EntityRecord(row)
                    print(String(decoding: try encoder.encode(record), as: UTF8.self))
                }
                return
            }
            print("mentions  articles  first       last        type          entity")
            for row in rows {
                let mentions = String(row.mentionCount).leftPadded(8)
                let articles = String(row.articleCount).leftPadded(8)
                let first = (row.firstDate ?? "").padding(toLength: 10, withPad: " ", startingAt: 0)
                let last = (row.lastDate ?? "").padding(toLength: 10, withPad: " ", startingAt: 0)
                let type = row.entity.type.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)
                print("\(mentions)  \(articles)  \(first)  \(last)  \(type)  \(row.entity.name) [\(row.entity.key)]")
            }
        }
    }
}

struct EntityRecord: Encodable {
    var key: String, name: String, type: String, mentions: Int, articles: Int, firstDate: String?, lastDate: String?

    init(_ row: EntityCount) {
        key = row.entity.key
        name = row.entity.name
        type = row.entity.type.rawValue
        mentions = row.mentionCount
        articles = row.articleCount
        firstDate = row.firstDate
        lastDate = row.lastDate
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
