/// FNV-1a over 64 bits: a hash that is the same in every process and on every machine (Swift's
/// `Hasher` is seeded per process), for values compared across runs (`Gazetteer.patternSignatures`).
/// Every variable-length field is preceded by its length, so no two sequences of fields feed the
/// same bytes.
struct StableHash {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
    }

    mutating func add(_ number: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { add(byte: UInt8(truncatingIfNeeded: number >> UInt64(shift))) }
    }

    mutating func add(bytes: some Collection<UInt8>) {
        add(UInt64(bytes.count))
        for byte in bytes { add(byte: byte) }
    }

    mutating func add(_ text: String?) {
        guard let text else { return add(UInt64.max) }
        add(bytes: text.utf8)
    }

    mutating func add(_ number: Int?) {
        add(number.map { UInt64(bitPattern: Int64($0)) } ?? UInt64.max)
        add(byte: number == nil ? 0 : 1)
    }

    mutating func add(_ entity: Gazetteer.Entity) {
        add(entity.ref.key)
        add(entity.ref.name)
        add(entity.ref.type.rawValue)
        add(entity.prior.bitPattern)
        add(entity.from)
        add(entity.to)
        add(entity.country)
        add(entity.feature)
    }

    mutating func add(_ rule: AliasCaseRule) {
        add(byte: rule.kind.rawValue)
        add(UInt64(rule.shape.wordCount))
        add(rule.shape.capitalMask)
        add(UInt64(rule.shape.letterCount))
        add(rule.shape.letterMask)
        add(byte: rule.shape.hasLowercase ? 1 : 0)
    }
}
