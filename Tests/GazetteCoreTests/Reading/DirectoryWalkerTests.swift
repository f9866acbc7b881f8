import Foundation
import Testing
@testable import GazetteCore

@Suite("Listing input files")
struct DirectoryWalkerTests {
    @Test("lists matching files recursively in sorted order, skipping hidden ones")
    func listsRecursively() throws {
        let dir = try TemporaryDirectory()
        try dir.write("b.txt", "b")
        try dir.write("a/z.html", "z")
        try dir.write("a/y.jsonl", "{}")
        try dir.write("a/notes.md", "no")
        try dir.write(".hidden/x.txt", "x")
        try dir.write("c.TXT", "upper-case extension")
        let listing = DirectoryWalker(extensions: ["txt", "html", "jsonl"]).list(dir.path)
        let names = listing.files.map { String($0.dropFirst(dir.path.count + 1)) }
        #expect(names == ["b.txt", "c.TXT", "a/y.jsonl", "a/z.html"])
        #expect(listing.issues.isEmpty)
    }

    @Test("a symbolic link loop is reported, not followed forever")
    func symlinkLoop() throws {
        let dir = try TemporaryDirectory()
        try dir.write("sub/a.txt", "a")
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/sub/loop", withDestinationPath: dir.path)
        let listing = DirectoryWalker(extensions: ["txt"]).list(dir.path)
        #expect(listing.files.count == 1)
        #expect(listing.issues.contains { $0.message.contains("symbolic link loop") })
    }
}
