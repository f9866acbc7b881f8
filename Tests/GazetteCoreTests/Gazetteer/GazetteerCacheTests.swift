import Foundation
import Testing
@testable import GazetteCore

/// The on-disk gazetteer cache: a valid cache gives the same gazetteer as the TSVs; anything else
/// is rebuilt, never trusted.
@Suite struct GazetteerCacheTests {
    static let text = """
        Flights to New York City and New York. The North Atlantic Treaty Organization met; \
        the US said so. Officials in the U.S. and the United States of America agreed.
        """

    /// A copy of the fixture gazetteer in a temporary folder, so its cache folder is private.
    func fixtureCopy() throws -> (TemporaryDirectory, GazetteerSettings) {
        let directory = try TemporaryDirectory()
        let text = try String(contentsOf: fixtureDirectory.appendingPathComponent("small.tsv"), encoding: .utf8)
        try directory.write("small.tsv", text)
        return (directory, GazetteerSettings(directory: directory.url, files: ["small.tsv"]))
    }

    func mentions(_ gazetteer: Gazetteer) throws -> [Mention] {
        let article = Article(key: "k", path: "/k", title: "", text: Self.text, contentHash: "", byteSize: Self.text.utf8.count)
        var document = ArticleDocument(article: article)
        try NormalizeStage().process(&document)
        try GazetteerStage(gazetteer: gazetteer).process(&document)
        return document.mentions
    }

    @Test func cachedGazetteerMatchesTheBuiltOne() throws {
        let (directory, settings) = try fixtureCopy()
        defer { withExtendedLifetime(directory) {} }
        let normalizer = TextNormalizer()
        let first = try GazetteerCache.gazetteer(settings: settings, normalizer: normalizer)
        guard case .built(let written?) = first.source else {
            Issue.record("first load should build and write the cache, got \(first.source)")
            return
        }
        #expect(written.hasPrefix(directory.url.appendingPathComponent(".cache").path))
        let second = try GazetteerCache.gazetteer(settings: settings, normalizer: normalizer)
        #expect(second.source == .cache(written))
        let built = try Gazetteer(settings: settings, normalizer: normalizer)
        #expect(second.gazetteer.entities == built.entities)
        #expect(second.gazetteer.candidateStart == built.candidateStart)
        #expect(second.gazetteer.candidateEntity == built.candidateEntity)
        #expect(second.gazetteer.candidateRule == built.candidateRule)
        #expect(second.gazetteer.patternNeedsCapital == built.patternNeedsCapital)
        #expect(try BinaryCoder.encode(second.gazetteer.matcher) == BinaryCoder.encode(built.matcher))
        let expected = try mentions(built)
        #expect(!expected.isEmpty)
        #expect(try mentions(second.gazetteer) == expected)
    }

    @Test func corruptOrTruncatedCacheIsRebuilt() throws {
        let (directory, settings) = try fixtureCopy()
        defer { withExtendedLifetime(directory) {} }
        let normalizer = TextNormalizer()
        guard case .built(let path?) = try GazetteerCache.gazetteer(settings: settings, normalizer: normalizer).source else {
            Issue.record("no cache written")
            return
        }
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[bytes.count / 2] ^= 0x55
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let afterFlip = try GazetteerCache.gazetteer(settings: settings, normalizer: normalizer)
        #expect(afterFlip.source == .built(writtenTo: path))
        try Data(bytes.prefix(100)).write(to: URL(fileURLWithPath: path))
        #expect(try GazetteerCache.gazetteer(settings: settings, normalizer: normalizer).source == .built(writtenTo: path))
        try Data("not a cache".utf8).write(to: URL(fileURLWithPath: path))
        let rebuilt = try GazetteerCache.gazetteer(settings: settings, normalizer: normalizer)
        #expect(rebuilt.source == .built(writtenTo: path))
        #expect(try mentions(rebuilt.gazetteer) == mentions(try Gazetteer(settings: settings, normalizer: normalizer)))
        #expect(try GazetteerCache.gazetteer(settings: settings, normalizer: normalizer).source == .cache(path))
    }

    /// The cache's checksum changes whenever one byte does (each step is a bijection of its lane,
    /// so a change confined to one word cannot cancel), and with the length; its values are pinned,
    /// as they are part of the file format.
    @Test func cacheChecksumSeesEveryByte() {
        var random = SplitMix64(seed: 3)
        for count in [0, 1, 7, 8, 9, 31, 32, 33, 64, 100, 1000] {
            var bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let original = bytes.withUnsafeBytes { GazetteerCache.checksum($0) }
            for position in 0..<count {
                for flip: UInt8 in [0x01, 0x80, 0xFF] {
                    bytes[position] ^= flip
                    #expect(bytes.withUnsafeBytes { GazetteerCache.checksum($0) } != original, "\(count) \(position)")
                    bytes[position] ^= flip
                }
            }
            // One more zero byte is another checksum (the length is folded in).
            #expect((bytes + [0]).withUnsafeBytes { GazetteerCache.checksum($0) } != original)
        }
        // Format values: a change here needs a new GazetteerCache.formatVersion.
        #expect([UInt8]().withUnsafeBytes { GazetteerCache.checksum($0) } == 0x68b5_97e3_56d7_b20b)
        #expect(Array("gazette".utf8).withUnsafeBytes { GazetteerCache.checksum($0) } == 0x5eb3_d242_da1a_48f0)
    }

    @Test func changedTSVOrSettingsGetAnotherKey() throws {
        let (directory, settings) = try fixtureCopy()
        defer { withExtendedLifetime(directory) {} }
        let key = try GazetteerCache.cacheKey(settings: settings, normalizer: TextNormalizer())
        #expect(try GazetteerCache.cacheKey(settings: settings, normalizer: TextNormalizer()) == key)
        #expect(try GazetteerCache.cacheKey(settings: settings, normalizer: TextNormalizer(foldAccents: false)) != key)
        var placesOnly = settings
        placesOnly.entityTypes = [.place]
        #expect(try GazetteerCache.cacheKey(settings: placesOnly, normalizer: TextNormalizer()) != key)
        let file = directory.url.appendingPathComponent("small.tsv")
        var text = try String(contentsOf: file, encoding: .utf8)
        text += "test:atlantis\tplace\tAtlantis\t\t1\t\t\t\tcurated\n"
        try Data(text.utf8).write(to: file)
        #expect(try GazetteerCache.cacheKey(settings: settings, normalizer: TextNormalizer()) != key)
        // The new row is found: the old cache was not used.
        let reloaded = try GazetteerCache.gazetteer(settings: settings, normalizer: TextNormalizer())
        #expect(reloaded.gazetteer.entities.contains { $0.ref.key == "test:atlantis" })
    }

    @Test func readOnlyFolderFallsBackToUserCache() throws {
        let settings = GazetteerSettings(directory: URL(fileURLWithPath: "/proc/gazette-no-such-dir"))
        let folders = GazetteerCache.folders(for: settings, environment: ["XDG_CACHE_HOME": "/tmp/x", "HOME": "/root"])
        #expect(folders.map(\.path) == ["/proc/gazette-no-such-dir/.cache", "/tmp/x/gazette"])
        let home = GazetteerCache.folders(for: settings, environment: ["HOME": "/home/u"])
        #expect(home.map(\.path) == ["/proc/gazette-no-such-dir/.cache", "/home/u/.cache/gazette"])
    }

    @Test func binaryCoderRoundTripsOptionalsAndArrays() throws {
        struct Sample: Codable, Equatable {
            var name: String
            var count: Int?
            var missing: Double?
            var ids: [Int32]
            var flags: [Bool]
            var nested: [EntityRef]
        }
        let value = Sample(name: "Zürich", count: 3, missing: nil, ids: [1, -2, 3], flags: [true, false],
                           nested: [EntityRef(key: "a", name: "A", type: .place)])
        let bytes = try BinaryCoder.encode(value)
        let decoded = try bytes.withUnsafeBytes { try BinaryCoder.decode(Sample.self, from: $0) }
        #expect(decoded == value)
        #expect(throws: (any Error).self) {
            try bytes.dropLast().withUnsafeBytes { try BinaryCoder.decode(Sample.self, from: UnsafeRawBufferPointer($0)) }
        }
    }
}
