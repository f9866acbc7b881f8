import ArgumentParser

extension Gazette {
    /// `gazette eval ner` and `gazette eval topics`: accuracy measured on gold data.
    struct Eval: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure accuracy against gold data.",
            subcommands: [EvalNER.self, EvalTopics.self]
        )
    }
}
