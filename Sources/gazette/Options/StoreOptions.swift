import ArgumentParser
import Foundation
import GazetteCore

/// `--db` and `--config`, shared by every command that reads or writes a store.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The SQLite tag store (default: store.path of the config, else ./gazette.sqlite).", valueName: "path"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp("The pipeline configuration (default: ./Pipeline.yaml, else the one installed with gazette).", valueName: "path"))
    var config: String?

    /// The store path: `--db`, else the config's `store.path`, else `./gazette.sqlite`.
    func storePath(settings: PipelineSettings?) -> String {
        if let db { return DirectoryWalker.absolute(db) }
        if let path = settings?.store.path { return path.path }
        return DirectoryWalker.absolute(PipelineSettings.defaultStoreFileName)
    }

    /// Loads the config when one is needed (tagging) or when it decides the store path.
    func loadSettings() throws -> PipelineSettings {
        try PipelineSettings.load(from: ConfigLocator.locate(explicit: config))
    }

    /// For read-only commands: the config only matters when `--db` is not given.
    func readOnlyStorePath() throws -> String {
        if db != nil { return storePath(settings: nil) }
        let settings = try? loadSettings()
        return storePath(settings: settings)
    }
}
