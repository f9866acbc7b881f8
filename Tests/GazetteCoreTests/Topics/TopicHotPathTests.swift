import Testing
@testable import GazetteCore

/// The topic stage's hot-path helpers must agree exactly with the straightforward versions.
@Suite struct TopicHotPathTests {
    @Test(arguments: [0, 1, 5, 47, 48, 300, 5000])
    func radixSortMatchesSort(count: Int) {
        var generator = SystemRandomNumberGenerator()
        for limit in [10, 300, 100_000, 20_000_000] {
            var features = (0..<count).map { _ in Int32.random(in: 0..<Int32(limit), using: &generator) }
            let expected = features.sorted()
            sortFeatures(&features, limit: limit)
            #expect(features == expected)
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
