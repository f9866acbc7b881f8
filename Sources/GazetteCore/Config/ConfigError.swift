/// A problem with `Pipeline.yaml`: it names the file, the line and the key path, so the user can fix
/// it without guessing.
public struct ConfigError: Error, CustomStringConvertible, Equatable {
    public var file: String
    public var line: Int?
    public var keyPath: String?
    public var message: String

    public init(file: String, line: Int? = nil, keyPath: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.keyPath = keyPath
        self.message = message
    }

    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if let keyPath, !keyPath.isEmpty { return "\(location): '\(keyPath)': \(message)" }
        return "\(location): \(message)"
    }
}
