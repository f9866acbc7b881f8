import Foundation

/// `map` over one worker thread per core (at most 8); results keep input order, so output does
/// not depend on timing. Used by topic training and by the gazetteer build.
func parallelMap<Input: Sendable, Output: Sendable>(_ inputs: [Input], _ transform: @Sendable (Input) -> Output) -> [Output] {
    let workers = min(max(1, ProcessInfo.processInfo.activeProcessorCount), 8, max(1, inputs.count))
    let results = ResultSlots<Output>(count: inputs.count)
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
        for index in stride(from: worker, to: inputs.count, by: workers) {
            results.store(transform(inputs[index]), at: index)
        }
    }
    return results.values()
}

/// Slots written by distinct indices from concurrent workers; each slot is written exactly once,
/// and read only after all workers have finished.
final class ResultSlots<Value>: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<Value?>
    private let count: Int
    init(count: Int) {
        self.count = count
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil, count: count)
    }
    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }
    func store(_ value: Value, at index: Int) { slots[index] = value }
    func values() -> [Value] { (0..<count).map { slots[$0]! } }
}
