import Foundation

/// A topic model file that cannot be used, or training/evaluation input that cannot be read.
public struct TopicModelError: Error, CustomStringConvertible, Equatable {
    public enum Reason: Equatable, Sendable {
        case unreadable(String)
        case wrongMagic
        case unsupportedVersion(UInt32)
        case truncated
        case tooLarge(Int)
        case checksumMismatch
        case malformed(String)
    }

    public var file: String
    public var reason: Reason

    public init(file: String, reason: Reason) {
        self.file = file
        self.reason = reason
    }

    public var description: String {
        let why: String
        switch reason {
        case .unreadable(let message): why = "cannot read the file: \(message)"
        case .wrongMagic: why = "not a Gazette topic model (wrong magic bytes)"
        case .unsupportedVersion(let version):
            why = "unsupported model format version \(version) (this build reads version \(TopicModel.formatVersion))"
        case .truncated: why = "truncated model file"
        case .tooLarge(let size): why = "model file is \(size) bytes, over the \(TopicModel.maximumFileSize)-byte limit"
        case .checksumMismatch: why = "corrupt model file (SHA-256 checksum mismatch)"
        case .malformed(let message): why = "malformed model file: \(message)"
        }
        return "\(file): \(why)"
    }
}

/// Training or evaluation data that cannot be read.
public struct TopicDataError: Error, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var reason: String

    public init(file: String, line: Int? = nil, reason: String) {
        self.file = file
        self.line = line
        self.reason = reason
    }

    public var description: String {
        if let line { return "\(file):\(line): \(reason)" }
        return "\(file): \(reason)"
    }
}
