import ArgumentParser

/// The `gazette` command: a table of contents. Each subcommand lives in `Commands/`.
@main
struct Gazette: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Tag news articles with people, places, treaties, organizations and topics.",
        discussion: """
            Tag a directory into a SQLite store with `gazette tag DIR`, look at one article with \
            `gazette show`, list entities with `gazette entities` and export who appears with whom \
            with `gazette cooccur`.
            """,
        version: "0.1.0",
        subcommands: [Tag.self, Show.self, Find.self, Entities.self, Cooccur.self, Train.self, Eval.self,
                      BenchStages.self, BenchStore.self, ExportAliases.self, Stream.self, Load.self, Merge.self]
    )
}
