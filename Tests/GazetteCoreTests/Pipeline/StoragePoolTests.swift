import Testing

@testable import GazetteCore

@Suite struct StoragePoolTests {
    @Test("an empty pool gives nothing; given values come back, the last first; at most `limit` are kept")
    func takesAndGives() {
        let pool = StoragePool<[Int]>()
        #expect(pool.take() == nil)
        pool.give([1])
        pool.give([2, 2])
        #expect(pool.take() == [2, 2])
        #expect(pool.take() == [1])
        #expect(pool.take() == nil)
        for value in 0..<(StoragePool<[Int]>.limit + 10) { pool.give([value]) }
        #expect(pool.count == StoragePool<[Int]>.limit)
    }

    @Test("tasks on many threads take and give back at once: the pool stays whole and holds no more values than tasks")
    func concurrentUse() async {
        let pool = StoragePool<[Int]>()
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for round in 0..<500 {
                        var value = pool.take() ?? []
                        // Every value given back is empty, so one taken is too.
                        #expect(value.isEmpty)
                        value.append(task * 1000 + round)
                        value.removeAll(keepingCapacity: true)
                        pool.give(value)
                    }
                }
            }
        }
        #expect(pool.count <= 8)
    }
}
