import FuzzDriver
import GazetteCore

/// Normalizer and its offset map: the map has one entry per output byte plus the end, never goes
/// backwards, every entry is a scalar boundary inside the original UTF-8, and any normalized range
/// maps back to a range of whole scalars of the original text.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let foldAccents = data[0] & 1 == 1
    let text = String(decoding: UnsafeBufferPointer(start: data + 1, count: size - 1), as: UTF8.self)
    let original = Array(text.utf8)
    let normalized = TextNormalizer(foldAccents: foldAccents).normalize(text)
    let offsets = normalized.sourceOffsets
    precondition(offsets.count == normalized.bytes.count + 1, "one offset per byte plus the end")
    precondition(Int(offsets.last!) == original.count, "the last offset is the original length")
    func isBoundary(_ offset: Int) -> Bool {
        offset == original.count || (offset >= 0 && offset < original.count && original[offset] & 0xC0 != 0x80)
    }
    var previous: Int32 = 0
    for offset in offsets {
        precondition(offset >= previous, "offsets go backwards")
        precondition(isBoundary(Int(offset)), "offset \(offset) is not a scalar boundary of the original")
        previous = offset
    }
    precondition(String(validating: normalized.bytes, as: UTF8.self) != nil, "normalized bytes are UTF-8")
    // Ranges chosen from the input itself, so the fuzzer explores them too.
    let count = normalized.bytes.count
    if count > 0 {
        var seed = UInt64(size)
        for step in 0..<min(8, count) {
            seed = seed &* 6364136223846793005 &+ UInt64(data[step % size])
            let start = Int(seed % UInt64(count))
            let end = start + 1 + Int((seed >> 32) % UInt64(count - start))
            let range = normalized.sourceRange(normalizedStart: start, normalizedEnd: end)
            precondition(range.lowerBound >= 0 && range.upperBound <= original.count && range.lowerBound < range.upperBound,
                         "source range \(range) outside the original (\(original.count) bytes)")
            precondition(isBoundary(range.lowerBound) && isBoundary(range.upperBound), "source range splits a scalar")
        }
    }
    return 0
}

// SwiftPM links an executable's entry point as `FuzzNormalizer_main`; hand control to libFuzzer's driver.
@_cdecl("FuzzNormalizer_main")
public func entryPoint(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runLibFuzzer(argc, argv, fuzz)
}
