import Testing
@testable import GazetteCore

/// Pattern signatures are stored (in the gazetteer cache, and through mentions views in stores) and
/// compared across runs: the hash must be the same in every process, and fields must not run
/// into each other.
@Suite struct StableHashTests {
    @Test func isFNV1a64() {
        // The published FNV-1a 64-bit values of "" and "a".
        #expect(StableHash().value == 0xcbf2_9ce4_8422_2325)
        var hash = StableHash()
        hash.add(byte: 0x61)
        #expect(hash.value == 0xaf63_dc4c_8601_ec8c)
    }

    @Test func fieldsDoNotRunIntoEachOther() {
        func hash(_ texts: [String?]) -> UInt64 {
            var hash = StableHash()
            for text in texts { hash.add(text) }
            return hash.value
        }
        #expect(hash(["ab", "c"]) != hash(["a", "bc"]))
        #expect(hash(["", nil]) != hash([nil, ""]))
        #expect(hash(["x"]) == hash(["x"]))
        var some = StableHash(), none = StableHash()
        some.add(0 as Int?)
        none.add(nil as Int?)
        #expect(some.value != none.value)
    }
}
