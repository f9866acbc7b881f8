import CICU
import Testing

/// `gazette_normalize_run` keeps the form of each one-code-point segment it has made (below
/// U+3000); these tests hold it to ICU's own, segment by segment (`gazette_normalize_run_uncached`).
@Suite struct NormalizeRunCacheTests {
    /// The bytes and source offsets of one run, through the cache or not.
    private func normalizeRun(_ text: String, foldAccents: Bool, cached: Bool) -> (bytes: [UInt8], offsets: [Int32]) {
        let source = Array(text.utf8)
        let capacity = source.count * 18 + 16
        var bytes = [UInt8](repeating: 0, count: capacity)
        var offsets = [Int32](repeating: 0, count: capacity)
        let produced = source.withUnsafeBufferPointer { source in
            bytes.withUnsafeMutableBufferPointer { bytes in
                offsets.withUnsafeMutableBufferPointer { offsets in
                    (cached ? gazette_normalize_run : gazette_normalize_run_uncached)(
                        source.baseAddress, Int32(source.count), foldAccents ? 1 : 0,
                        bytes.baseAddress, offsets.baseAddress, Int32(capacity))
                }
            }
        }
        guard produced >= 0 else { return ([], [produced]) }
        return (Array(bytes.prefix(Int(produced))), Array(offsets.prefix(Int(produced))))
    }

    @Test("every code point the cache keeps gives ICU's form and offsets, alone and beside others",
          arguments: [true, false])
    func cachedFormsAreICUs(foldAccents: Bool) {
        var mismatches = 0
        for value in 0..<0x3000 {
            guard let scalar = Unicode.Scalar(value) else { continue }  // surrogates
            let c = String(Character(scalar))
            // Alone, between ASCII letters, doubled, before a combining mark (then a segment of two
            // code points: ICU's way) and after one, among spaces.
            for text in [c, "a\(c)b", "\(c)\(c)", "A\(c)\u{301}x", "e\u{301}\(c)", " \(c)  ", "\(c)\u{308}"] {
                // Twice through the cache: the first call may make the form, the second reads it.
                let expected = normalizeRun(text, foldAccents: foldAccents, cached: false)
                for _ in 0..<2 where normalizeRun(text, foldAccents: foldAccents, cached: true) != expected {
                    mismatches += 1
                    Issue.record("U+\(String(value, radix: 16)) in \(text.unicodeScalars.map { String($0.value, radix: 16) })")
                }
            }
        }
        #expect(mismatches == 0)
    }
}
