import Foundation

/// Finds the `Pipeline.yaml` to use when the user gives none.
///
/// Order: `./Pipeline.yaml`; `$GAZETTE_HOME/Pipeline.yaml`; then the installation of the running
/// binary — the folders above the executable (a build inside the repo, `.build/release/gazette`) and
/// `<prefix>/share/gazette/` beside a `<prefix>/bin/gazette`. So an installed binary finds its
/// bundled config, gazetteers and model from any working directory.
public enum ConfigLocator {
    public static let fileName = "Pipeline.yaml"

    public static func locate(
        explicit: String?,
        currentDirectory: String = FileManager.default.currentDirectoryPath,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        executable: String? = CommandLine.arguments.first
    ) throws -> URL {
        if let explicit {
            let url = URL(fileURLWithPath: explicit, relativeTo: URL(fileURLWithPath: currentDirectory, isDirectory: true))
                .standardizedFileURL
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw ConfigError(file: url.path, message: "config file not found")
            }
            return url
        }
        for candidate in candidates(currentDirectory: currentDirectory, environment: environment, executable: executable)
        where FileManager.default.fileExists(atPath: candidate.path) {
            return candidate
        }
        throw ConfigError(
            file: fileName,
            message: "no \(fileName) in the current directory, in $GAZETTE_HOME, or beside the gazette binary; pass --config PATH")
    }

    static func candidates(currentDirectory: String, environment: [String: String], executable: String?) -> [URL] {
        var result = [URL(fileURLWithPath: currentDirectory).appendingPathComponent(fileName)]
        if let home = environment["GAZETTE_HOME"], !home.isEmpty {
            result.append(URL(fileURLWithPath: home).appendingPathComponent(fileName))
        }
        if let executable, let resolved = resolveExecutable(executable, environment: environment) {
            var directory = resolved.deletingLastPathComponent()
            result.append(directory.deletingLastPathComponent().appendingPathComponent("share/gazette/\(fileName)"))
            for _ in 0..<6 {
                result.append(directory.appendingPathComponent(fileName))
                let parent = directory.deletingLastPathComponent()
                if parent.path == directory.path { break }
                directory = parent
            }
        }
        return result
    }

    /// The executable's real path: `/proc/self/exe` on Linux, else argv[0] resolved against `PATH`.
    static func resolveExecutable(_ argument: String, environment: [String: String]) -> URL? {
        if let linked = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: linked)
        }
        if argument.contains("/") {
            return URL(fileURLWithPath: argument).resolvingSymlinksInPath()
        }
        for directory in (environment["PATH"] ?? "").split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(argument)
            if FileManager.default.isExecutableFile(atPath: candidate.path) {
                return candidate.resolvingSymlinksInPath()
            }
        }
        return nil
    }
}
