import ArgumentParser
import Foundation
import GazetteCore

/// Writing to the terminal: stderr for messages, and whether colour and progress make sense.
enum Terminal {
    struct StandardError {
        func write(_ text: String) {
            FileHandle.standardError.write(Data(text.utf8))
        }
    }

    static let standardError = StandardError()

    static func isTerminal(_ descriptor: Int32) -> Bool { isatty(descriptor) == 1 }

    /// Colour only on a terminal, and never when `NO_COLOR` is set (https://no-color.org).
    static var useColor: Bool {
        isTerminal(STDOUT_FILENO) && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
            && ProcessInfo.processInfo.environment["TERM"] != "dumb"
    }

    /// Plain text with mentions highlighted in their type's colour (`[surface]` when colour is off,
    /// so the highlight survives a pipe).
    static func highlight(_ surface: String, type: EntityType, color: Bool) -> String {
        color ? type.ansi + surface + "\u{1B}[0m" : "[" + surface + "]"
    }
}

/// `--color auto|always|never`: auto follows `Terminal.useColor` (a TTY without `NO_COLOR`).
enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never

    var enabled: Bool {
        switch self {
        case .auto: Terminal.useColor
        case .always: true
        case .never: false
        }
    }
}

/// A single progress line on stderr, redrawn in place at most ten times a second. Only made when
/// stderr is a terminal, so logs and pipes get nothing but the summary.
final class ProgressLine: @unchecked Sendable {
    private let lock = NSLock()
    private var lastDraw = ContinuousClock.now - .seconds(1)

    static func makeIfTerminal(enabled: Bool) -> ProgressLine? {
        enabled && Terminal.isTerminal(STDERR_FILENO) ? ProgressLine() : nil
    }

    func show(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        let now = ContinuousClock.now
        guard now - lastDraw >= .milliseconds(100) else { return }
        lastDraw = now
        Terminal.standardError.write("\r\u{1B}[K" + text)
    }

    func clear() {
        Terminal.standardError.write("\r\u{1B}[K")
    }
}
