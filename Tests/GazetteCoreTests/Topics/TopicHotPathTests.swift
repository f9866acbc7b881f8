import Testing
@testable import GazetteCore

/// The topic stage's hot-path helpers must agree exactly with the straightforward versions.
@Suite struct TopicHotPathTests {
    @Test(arguments: [0, 1, 5, 47, 48, 300, 5000])
    func sortByHighHalfMatchesSort(count: Int) {
        var generator = SystemRandomNumberGenerator()
        for limit in [1, 10, 300, 100_000, 20_000_000, 1 << 32] {
            // Low halves are counts, and tell apart values with equal keys: the sort keeps their order.
            let keys = (0..<count).map { _ in UInt64.random(in: 0..<UInt64(limit), using: &generator) }
            var values = keys.enumerated().map { $0.element << 32 | UInt64($0.offset) }
            let expected = values.enumerated().sorted { ($0.element >> 32, $0.offset) < ($1.element >> 32, $1.offset) }.map(\.element)
            var scratch = [UInt64](repeating: 0, count: count)
            values.withUnsafeMutableBufferPointer { values in
                scratch.withUnsafeMutableBufferPointer { scratch in
                    guard let base = values.baseAddress, let spare = scratch.baseAddress else { return }
                    sortByHighHalf(base, count: count, limit: limit, scratch: spare)
                }
            }
            #expect(values == expected, "limit \(limit)")
        }
    }

    @Test(arguments: [0, 1, 5, 64, 65, 300, 5000, 70_000])
    func distinctCounterCountsInFirstSeenOrder(count: Int) {
        var generator = SystemRandomNumberGenerator()
        // Few distinct values (many repeats), many, and bit patterns of every 32-bit value
        // (negative as Int32), as n-gram buckets of 32 bits would be.
        for range in [UInt32(3), 1_000, UInt32.max] {
            let input = (0..<count).map { _ in Int32(bitPattern: UInt32.random(in: 0...range, using: &generator)) }
            var expectedValues: [Int32] = [], expectedCounts: [Int32: Int32] = [:]
            for value in input {
                if expectedCounts[value] == nil { expectedValues.append(value) }
                expectedCounts[value, default: 0] += 1
            }
            var values = input
            var counts = [Int32](repeating: 0, count: count)
            let distinct = values.withUnsafeMutableBufferPointer { values in
                counts.withUnsafeMutableBufferPointer { counts in
                    guard let base = values.baseAddress, let countBase = counts.baseAddress else { return 0 }
                    return DistinctCounter.count(base, count: count, counts: countBase)
                }
            }
            #expect(Array(values.prefix(distinct)) == expectedValues, "range \(range)")
            #expect(Array(counts.prefix(distinct)) == expectedValues.map { expectedCounts[$0]! }, "range \(range)")
        }
    }

    @Test func featureTableFindsExactlyTheStoredBuckets() {
        var generator = SystemRandomNumberGenerator()
        let buckets = Array(Set((0..<5000).map { _ in UInt32.random(in: 0..<(1 << 24), using: &generator) })).sorted()
        let table = FeatureTable(buckets: buckets)
        for (feature, bucket) in buckets.enumerated() { #expect(table.feature(of: bucket) == Int32(feature)) }
        let stored = Set(buckets)
        for _ in 0..<5000 {
            let bucket = UInt32.random(in: 0..<(1 << 24), using: &generator)
            if !stored.contains(bucket) { #expect(table.feature(of: bucket) == -1) }
        }
        #expect(FeatureTable(buckets: []).feature(of: 7) == -1)
    }
}
