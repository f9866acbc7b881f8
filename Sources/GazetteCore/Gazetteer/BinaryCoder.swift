import Foundation

/// A compact binary `Encoder`/`Decoder` for the gazetteer cache.
///
/// The cache stores the compiled `Gazetteer` through its synthesized `Codable` conformance, so a
/// stored property added to the gazetteer (or to its entities and case rules) is cached without
/// touching the cache code. Keys are not written: values follow each other in declaration order,
/// which synthesized conformances use for both encoding and decoding. An optional value is one
/// presence byte then the value; a sequence is its count then its elements. Arrays of fixed-width
/// numbers are copied as raw little-endian bytes. A stream that does not decode exactly (wrong
/// type, truncated, trailing bytes) throws, and the cache is then rebuilt.
///
/// Not supported (decoding fails, so the cache is rebuilt rather than trusted): optionals inside
/// unkeyed containers, and types with their own `Codable` code that decodes in another order than
/// it encodes.
enum BinaryCoder {
    static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = BinaryEncoder()
        try encoder.put(value)
        return encoder.bytes
    }

    static func decode<T: Decodable>(_ type: T.Type, from bytes: UnsafeRawBufferPointer) throws -> T {
        let decoder = BinaryDecoder(bytes)
        let value = try decoder.take(T.self)
        guard decoder.offset == bytes.count else {
            throw BinaryDecoder.failure("\(bytes.count - decoder.offset) trailing bytes")
        }
        return value
    }
}

// MARK: - Encoding

final class BinaryEncoder: Encoder {
    var bytes: [UInt8] = []
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]

    func putRaw<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    func putRawArray<T: FixedWidthInteger>(_ array: [T]) {
        putRaw(UInt64(array.count))
        if T(littleEndian: 1) == 1 {
            array.withUnsafeBytes { bytes.append(contentsOf: $0) }
        } else {
            for value in array { putRaw(value) }
        }
    }

    func put<T: Encodable>(_ value: T) throws {
        switch value {
        case let v as String: putRaw(UInt64(v.utf8.count)); bytes.append(contentsOf: v.utf8)
        case let v as Bool: bytes.append(v ? 1 : 0)
        case let v as Int: putRaw(Int64(v))
        case let v as Int8: putRaw(v)
        case let v as Int16: putRaw(v)
        case let v as Int32: putRaw(v)
        case let v as Int64: putRaw(v)
        case let v as UInt: putRaw(UInt64(v))
        case let v as UInt8: putRaw(v)
        case let v as UInt16: putRaw(v)
        case let v as UInt32: putRaw(v)
        case let v as UInt64: putRaw(v)
        case let v as Double: putRaw(v.bitPattern)
        case let v as Float: putRaw(v.bitPattern)
        case let v as [UInt8]: putRawArray(v)
        case let v as [Int32]: putRawArray(v)
        case let v as [UInt32]: putRawArray(v)
        case let v as [Int64]: putRawArray(v)
        case let v as [UInt64]: putRawArray(v)
        case let v as [Int]: putRawArray(v.map { Int64($0) })
        case let v as [Bool]: putRawArray(v.map { UInt8($0 ? 1 : 0) })
        default: try value.encode(to: self)
        }
    }

    func putOptional<T: Encodable>(_ value: T?) throws {
        if let value {
            bytes.append(1)
            try put(value)
        } else {
            bytes.append(0)
        }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(KeyedBinaryEncoding<Key>(encoder: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        UnkeyedBinaryEncoding(encoder: self)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleValueBinaryEncoding(encoder: self)
    }
}

struct KeyedBinaryEncoding<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: BinaryEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    mutating func encodeNil(forKey key: Key) throws { encoder.bytes.append(0) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { try encoder.put(value) }
    mutating func encode(_ value: String, forKey key: Key) throws { try encoder.put(value) }
    mutating func encode(_ value: Double, forKey key: Key) throws { try encoder.put(value) }
    mutating func encode(_ value: Float, forKey key: Key) throws { try encoder.put(value) }
    mutating func encode(_ value: Int, forKey key: Key) throws { try encoder.put(value) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try encoder.put(value) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try encoder.put(value) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try encoder.put(value) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try encoder.put(value) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try encoder.put(value) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try encoder.put(value) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try encoder.put(value) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try encoder.put(value) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try encoder.put(value) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try encoder.put(value) }

    // A nil optional must leave a mark (the default implementations write nothing for nil).
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { try encoder.putOptional(value) }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { try encoder.putOptional(value) }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { try encoder.putOptional(value) }
    mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws { try encoder.putOptional(value) }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { try encoder.putOptional(value) }
    mutating func encodeIfPresent(_ value: Int8?, forKey key: Key) throws { try encoder.putOptional(value) }
    mutating func encodeIfPresent(_ value: Int16?, forKey key: Key) throws { try encoder.putOptional(value) }
    mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws { try encoder.putOptional(value) }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { try encoder.putOptional(value) }
    mutating func encodeIfPresent(_ value: UInt?, forKey key: Key) throws { try encoder.putOptional(value) }
    mutating func encodeIfPresent(_ value: UInt8?, forKey key: Key) throws { try encoder.putOptional(value) }
    mutating func encodeIfPresent(_ value: UInt16?, forKey key: Key) throws { try encoder.putOptional(value) }
    mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws { try encoder.putOptional(value) }
    mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws { try encoder.putOptional(value) }
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws { try encoder.putOptional(value) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        encoder.container(keyedBy: keyType)
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer { encoder.unkeyedContainer() }
    mutating func superEncoder() -> any Encoder { encoder }
    mutating func superEncoder(forKey key: Key) -> any Encoder { encoder }
}

/// Writes a count slot first and patches it as elements are added.
final class UnkeyedBinaryEncoding: UnkeyedEncodingContainer {
    let encoder: BinaryEncoder
    let countOffset: Int
    var count = 0 {
        didSet {
            withUnsafeBytes(of: UInt64(count).littleEndian) { raw in
                for k in 0..<8 { encoder.bytes[countOffset + k] = raw[k] }
            }
        }
    }
    var codingPath: [any CodingKey] { encoder.codingPath }

    init(encoder: BinaryEncoder) {
        self.encoder = encoder
        countOffset = encoder.bytes.count
        encoder.putRaw(UInt64(0))
    }

    func encodeNil() throws {
        throw EncodingError.invalidValue(
            Optional<Int>.none as Any,
            EncodingError.Context(codingPath: codingPath, debugDescription: "gazetteer cache: optionals inside sequences are not supported"))
    }
    func encode<T: Encodable>(_ value: T) throws {
        try encoder.put(value)
        count += 1
    }
    func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        count += 1
        return encoder.container(keyedBy: keyType)
    }
    func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        count += 1
        return encoder.unkeyedContainer()
    }
    func superEncoder() -> any Encoder { encoder }
}

struct SingleValueBinaryEncoding: SingleValueEncodingContainer {
    let encoder: BinaryEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    mutating func encodeNil() throws {
        throw EncodingError.invalidValue(
            Optional<Int>.none as Any,
            EncodingError.Context(codingPath: codingPath, debugDescription: "gazetteer cache: optionals outside keyed containers are not supported"))
    }
    mutating func encode<T: Encodable>(_ value: T) throws { try encoder.put(value) }
}

// MARK: - Decoding

final class BinaryDecoder: Decoder {
    let bytes: UnsafeRawBufferPointer
    var offset = 0
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    static func failure(_ reason: String) -> DecodingError {
        DecodingError.dataCorrupted(DecodingError.Context(codingPath: [], debugDescription: "gazetteer cache: \(reason)"))
    }

    func takeRaw<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        let size = MemoryLayout<T>.size
        guard bytes.count - offset >= size else { throw Self.failure("truncated") }
        var value: T = 0
        withUnsafeMutableBytes(of: &value) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + size)])) }
        offset += size
        return T(littleEndian: value)
    }

    func takeCount(elementSize: Int) throws -> Int {
        let count = try takeRaw(UInt64.self)
        guard count <= UInt64(bytes.count - offset) / UInt64(max(1, elementSize)) else { throw Self.failure("count out of range") }
        return Int(count)
    }

    func takeRawArray<T: FixedWidthInteger>(_ type: T.Type) throws -> [T] {
        let size = MemoryLayout<T>.size
        let count = try takeCount(elementSize: size)
        var array = [T](repeating: 0, count: count)
        array.withUnsafeMutableBytes { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count * size)])) }
        offset += count * size
        if T(littleEndian: 1) != 1 {
            for k in array.indices { array[k] = T(littleEndian: array[k]) }
        }
        return array
    }

    func takeBool() throws -> Bool {
        let byte = try takeRaw(UInt8.self)
        guard byte <= 1 else { throw Self.failure("invalid Bool") }
        return byte == 1
    }

    func take<T: Decodable>(_ type: T.Type) throws -> T {
        // `as!` below only converts a value to the type just compared with.
        if T.self == String.self {
            let count = try takeCount(elementSize: 1)
            let utf8 = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
            guard let string = String(validating: utf8.bindMemory(to: UInt8.self), as: UTF8.self) else {
                throw Self.failure("invalid UTF-8")
            }
            offset += count
            return string as! T
        }
        if T.self == Bool.self { return try takeBool() as! T }
        if T.self == Int.self { return Int(try takeRaw(Int64.self)) as! T }
        if T.self == Int8.self { return try takeRaw(Int8.self) as! T }
        if T.self == Int16.self { return try takeRaw(Int16.self) as! T }
        if T.self == Int32.self { return try takeRaw(Int32.self) as! T }
        if T.self == Int64.self { return try takeRaw(Int64.self) as! T }
        if T.self == UInt.self { return UInt(try takeRaw(UInt64.self)) as! T }
        if T.self == UInt8.self { return try takeRaw(UInt8.self) as! T }
        if T.self == UInt16.self { return try takeRaw(UInt16.self) as! T }
        if T.self == UInt32.self { return try takeRaw(UInt32.self) as! T }
        if T.self == UInt64.self { return try takeRaw(UInt64.self) as! T }
        if T.self == Double.self { return Double(bitPattern: try takeRaw(UInt64.self)) as! T }
        if T.self == Float.self { return Float(bitPattern: try takeRaw(UInt32.self)) as! T }
        if T.self == [UInt8].self { return try takeRawArray(UInt8.self) as! T }
        if T.self == [Int32].self { return try takeRawArray(Int32.self) as! T }
        if T.self == [UInt32].self { return try takeRawArray(UInt32.self) as! T }
        if T.self == [Int64].self { return try takeRawArray(Int64.self) as! T }
        if T.self == [UInt64].self { return try takeRawArray(UInt64.self) as! T }
        if T.self == [Int].self { return try takeRawArray(Int64.self).map { Int($0) } as! T }
        if T.self == [Bool].self {
            let raw = try takeRawArray(UInt8.self)
            guard raw.allSatisfy({ $0 <= 1 }) else { throw Self.failure("invalid Bool") }
            return raw.map { $0 == 1 } as! T
        }
        return try T(from: self)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(KeyedBinaryDecoding<Key>(decoder: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try UnkeyedBinaryDecoding(decoder: self)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleValueBinaryDecoding(decoder: self)
    }
}

struct KeyedBinaryDecoding<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: BinaryDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }
    var allKeys: [Key] { [] }

    func contains(_ key: Key) -> Bool { true }
    /// Reads the presence byte written by `encodeIfPresent`/`encodeNil`: true when the value is nil.
    func decodeNil(forKey key: Key) throws -> Bool { !(try decoder.takeBool()) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try decoder.take(type) }
    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try decoder.container(keyedBy: type)
    }
    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { try decoder.unkeyedContainer() }
    func superDecoder() throws -> any Decoder { decoder }
    func superDecoder(forKey key: Key) throws -> any Decoder { decoder }
}

final class UnkeyedBinaryDecoding: UnkeyedDecodingContainer {
    let decoder: BinaryDecoder
    let count: Int?
    var currentIndex = 0
    var codingPath: [any CodingKey] { decoder.codingPath }
    var isAtEnd: Bool { currentIndex >= count! }

    init(decoder: BinaryDecoder) throws {
        self.decoder = decoder
        count = try decoder.takeCount(elementSize: 1)
    }

    func decodeNil() throws -> Bool {
        throw BinaryDecoder.failure("optionals inside sequences are not supported")
    }
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        guard !isAtEnd else { throw BinaryDecoder.failure("sequence overrun") }
        currentIndex += 1
        return try decoder.take(type)
    }
    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        currentIndex += 1
        return try decoder.container(keyedBy: type)
    }
    func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        currentIndex += 1
        return try decoder.unkeyedContainer()
    }
    func superDecoder() throws -> any Decoder { decoder }
}

struct SingleValueBinaryDecoding: SingleValueDecodingContainer {
    let decoder: BinaryDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { false }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.take(type) }
}
