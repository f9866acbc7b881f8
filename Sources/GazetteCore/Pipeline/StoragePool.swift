import Foundation

/// Values with reusable memory (arrays emptied and refilled in place) handed from one use to the
/// next across the threads of a run: a stage shared by all tasks takes one for an article and
/// gives it back after. The pool keeps at most `limit` values (as many as threads work at once,
/// in practice); an empty pool gives nothing and the caller makes a new value.
final class StoragePool<Value>: @unchecked Sendable {
    static var limit: Int { 64 }

    // Guarded by `lock`.
    private var values: [Value] = []
    private let lock = NSLock()

    init() {}

    func take() -> Value? {
        lock.lock()
        defer { lock.unlock() }
        return values.popLast()
    }

    func give(_ value: Value) {
        lock.lock()
        defer { lock.unlock() }
        if values.count < Self.limit { values.append(value) }
    }

    /// How many values wait to be taken (for tests).
    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return values.count
    }
}
