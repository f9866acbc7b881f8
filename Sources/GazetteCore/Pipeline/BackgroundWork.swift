import Foundation

/// Work started on another thread now, whose value (or error) is taken later with `value()`.
///
/// `StageRegistry.makePipeline` loads the compiled gazetteer (the longest step of start-up) while
/// the given names, the topic model and the files' fingerprints load beside it: start-up is paid by
/// every `gazette tag`, and for a small batch it is most of the run. Errors are not lost or
/// reordered: each is thrown by `value()` where the sequential code would have thrown it.
final class BackgroundWork<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private let finished = DispatchSemaphore(value: 0)
    /// Written once by the worker, under `lock`, before `finished` is signalled.
    private var result: Result<Value, Error>?

    init(_ work: @escaping @Sendable () throws -> Value) {
        DispatchQueue.global(qos: .userInitiated).async {
            let outcome = Result { try work() }
            self.lock.withLock { self.result = outcome }
            self.finished.signal()
        }
    }

    /// Waits for the work, then returns its value or throws its error. May be called more than once.
    func value() throws -> Value {
        finished.wait()
        finished.signal()  // for the next caller
        return try lock.withLock { result! }.get()
    }
}
