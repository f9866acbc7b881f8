import Foundation

/// A value made on a thread of its own, started at once: `value` waits for it and returns it or
/// rethrows its error. For the assets of the stages, which load at every start: the given names
/// and the topic model load while the gazetteer's cache is read and decoded (~75 ms), instead of
/// after it. A plain thread, not a task: `makePipeline` is synchronous and waits, and the work
/// must not need the cooperative pool it may be waiting on.
final class BackgroundLoad<Value: Sendable>: @unchecked Sendable {
    // Written once by the loading thread before `finished` is signalled, read only after it.
    private var result: Result<Value, Error>?
    private let finished = DispatchSemaphore(value: 0)

    init(_ load: @escaping @Sendable () throws -> Value) {
        Thread.detachNewThread { [self] in
            result = Result { try load() }
            finished.signal()
        }
    }

    /// The loaded value (waits for it), or the error loading threw. May be asked more than once.
    var value: Value {
        get throws {
            finished.wait()
            finished.signal()
            return try result!.get()
        }
    }
}
