import ArgumentParser

@main
struct Gazette: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Tag news articles with people, places, treaties, organizations and topics.",
        subcommands: [Train.self, Eval.self]
    )
}

extension Gazette {
    // Branch-local group so that `gazette eval topics` runs here; main has the real `Eval` group.
    struct Eval: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Evaluate a stage against labelled data.", subcommands: [EvalTopics.self])
    }
}
