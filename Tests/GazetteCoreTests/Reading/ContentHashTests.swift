import Foundation
import Testing
@testable import GazetteCore

@Suite("Content hash of a file")
struct ContentHashTests {
    /// Read a mebibyte at a time, a file hashes as its bytes do, whatever its size falls on.
    @Test("a file's hash is the hash of its bytes", arguments: [0, 1, 4095, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, (3 << 20) + 17])
    func fileHashMatchesBytes(size: Int) throws {
        let folder = try TemporaryDirectory()
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let path = try folder.write("data.bin", bytes: bytes)
        #expect(ContentHash.hexOfFile(atPath: path) == ContentHash.hex(bytes))
    }

    @Test("a known SHA-256 value")
    func knownValue() throws {
        let folder = try TemporaryDirectory()
        let path = try folder.write("abc.txt", "abc")
        #expect(ContentHash.hexOfFile(atPath: path) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("a missing file or a directory has no hash")
    func unreadable() throws {
        let folder = try TemporaryDirectory()
        #expect(ContentHash.hexOfFile(atPath: folder.url.appendingPathComponent("missing.tsv").path) == nil)
        #expect(ContentHash.hexOfFile(atPath: folder.path) == nil)
    }
}
