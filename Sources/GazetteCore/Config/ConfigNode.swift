import Foundation
import Yams

/// A YAML node of `Pipeline.yaml` that knows where it is (file, line, key path), so every typed read
/// can fail with a message naming the key and the line.
///
/// Codable decoding would silently ignore misspelled keys; reading through `ConfigNode` instead lets
/// each settings type declare its keys and reject the rest (`checkKeys`).
public struct ConfigNode {
    let node: Node
    public let file: String
    public let keyPath: String
    /// Shared count of nodes read, to stop alias-expansion bombs ("billion laughs") early.
    let budget: NodeBudget

    final class NodeBudget {
        var remaining: Int
        init(_ remaining: Int) { self.remaining = remaining }
    }

    /// Config files are small; anything bigger is a mistake (or an attack) and is refused.
    public static let maxFileBytes = 1 << 20
    static let maxNodes = 100_000

    /// Parses YAML text; `file` is used in messages.
    public static func parse(_ yaml: String, file: String) throws -> ConfigNode {
        guard yaml.utf8.count <= maxFileBytes else {
            throw ConfigError(file: file, message: "config is \(yaml.utf8.count) bytes, over the limit of \(maxFileBytes)")
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw ConfigError(file: file, line: Self.line(of: error), message: "invalid YAML: \(Self.problem(of: error))")
        }
        guard let root else { throw ConfigError(file: file, message: "the file is empty") }
        return ConfigNode(node: root, file: file, keyPath: "", budget: NodeBudget(maxNodes))
    }

    public var line: Int? { node.mark?.line }

    /// This node written back as YAML: the same for texts that differ only in comments, spacing
    /// or flow vs block style.
    public func canonicalYAML(omittingKeys omitted: Set<String> = []) throws -> String {
        var node = self.node
        if !omitted.isEmpty, let mapping = node.mapping {
            node = .mapping(Node.Mapping(mapping.filter { !omitted.contains($0.key.string ?? "") }, mapping.tag, mapping.style))
        }
        do {
            return try Yams.serialize(node: node)
        } catch {
            throw self.error("cannot be written back as YAML: \(error)")
        }
    }

    public func error(_ message: String) -> ConfigError {
        ConfigError(file: file, line: line, keyPath: keyPath, message: message)
    }

    private func child(_ node: Node, key: String) throws -> ConfigNode {
        budget.remaining -= 1
        guard budget.remaining >= 0 else {
            throw ConfigError(file: file, line: node.mark?.line, message: "too many YAML nodes (alias expansion?); refused")
        }
        let path = keyPath.isEmpty ? key : (key.hasPrefix("[") ? keyPath + key : keyPath + "." + key)
        return ConfigNode(node: node, file: file, keyPath: path, budget: budget)
    }

    // MARK: Mappings

    /// The keys of this mapping, in file order. Fails if the node is not a mapping.
    public func mappingEntries() throws -> [(key: String, value: ConfigNode)] {
        if case .scalar(let scalar) = node, scalar.string.isEmpty || scalar.string == "~" || scalar.string == "null" {
            return []  // `gazetteer:` with nothing after it means "all defaults"
        }
        guard let mapping = node.mapping else { throw error("expected a mapping of keys to values") }
        var entries: [(String, ConfigNode)] = []
        for (keyNode, valueNode) in mapping {
            guard let key = keyNode.string else { throw error("keys must be strings") }
            entries.append((key, try child(valueNode, key: key)))
        }
        return entries
    }

    /// Rejects keys other than `allowed`, naming the first unknown one, its line, and the allowed set.
    public func checkKeys(_ allowed: [String]) throws {
        for (key, value) in try mappingEntries() where !allowed.contains(key) {
            throw ConfigError(file: file, line: value.line, keyPath: value.keyPath,
                              message: "unknown key; expected one of: \(allowed.joined(separator: ", "))")
        }
    }

    public func optional(_ key: String) throws -> ConfigNode? {
        try mappingEntries().first { $0.key == key }?.value
    }

    public func required(_ key: String) throws -> ConfigNode {
        guard let value = try optional(key) else { throw error("missing required key '\(key)'") }
        return value
    }

    // MARK: Scalars

    public func string() throws -> String {
        guard case .scalar(let scalar) = node else { throw error("expected a string") }
        return scalar.string
    }

    public func int(in range: ClosedRange<Int>? = nil) throws -> Int {
        guard case .scalar = node, let value = node.int else { throw error("expected an integer, found '\(describe())'") }
        if let range, !range.contains(value) {
            throw error("\(value) is out of range \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    public func double(in range: ClosedRange<Double>? = nil) throws -> Double {
        guard case .scalar = node, let value = node.float ?? node.int.map(Double.init) else {
            throw error("expected a number, found '\(describe())'")
        }
        if let range, !range.contains(value) {
            throw error("\(value) is out of range \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    public func bool() throws -> Bool {
        guard case .scalar = node, let value = node.bool else { throw error("expected true or false, found '\(describe())'") }
        return value
    }

    public func sequence() throws -> [ConfigNode] {
        guard let items = node.sequence else { throw error("expected a list") }
        return try items.enumerated().map { try child($0.element, key: "[\($0.offset)]") }
    }

    public func strings() throws -> [String] {
        try sequence().map { try $0.string() }
    }

    /// A path relative to the config file's directory.
    public func path(relativeTo base: URL) throws -> URL {
        let value = try string()
        guard !value.isEmpty else { throw error("expected a path") }
        if value.hasPrefix("/") { return URL(fileURLWithPath: value).standardizedFileURL }
        return base.appendingPathComponent(value).standardizedFileURL
    }

    func describe() -> String {
        switch node {
        case .scalar(let scalar): return scalar.string
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark.line
        default:
            return nil
        }
    }

    static func problem(of error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _),
             .composer(let context, let problem, _, _):
            return [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
        default:
            return "\(error)"
        }
    }
}
