import ArgumentParser

@main
struct Gazette: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Tag news articles with people, places, treaties, organizations and topics.",
        subcommands: []
    )
}
