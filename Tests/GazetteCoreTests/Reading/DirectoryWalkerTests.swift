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

    @Test("the walk gives a directory's files, then its subdirectories', one at a time, as list does; links are followed")
    func walksLazily() throws {
        let dir = try TemporaryDirectory()
        try dir.write("m.txt", "m")
        try dir.write("b/2.txt", "2")
        try dir.write("b/a/1.txt", "1")
        try dir.write("a/3.txt", "3")
        try dir.write("z.txt", "z")
        try dir.write("elsewhere/target.txt", "t")
        let root = dir.path + "/tree"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        for name in ["m.txt", "b", "a", "z.txt"] {
            try FileManager.default.moveItem(atPath: dir.path + "/" + name, toPath: root + "/" + name)
        }
        // A link to a file is a file of the directory; a link to a directory, a subdirectory.
        try FileManager.default.createSymbolicLink(atPath: root + "/k.txt", withDestinationPath: dir.path + "/elsewhere/target.txt")
        try FileManager.default.createSymbolicLink(atPath: root + "/c", withDestinationPath: dir.path + "/elsewhere")
        let walker = DirectoryWalker(extensions: ["txt"])
        var walk = walker.files(under: root)
        var walked: [String] = []
        while let file = walk.next() { walked.append(String(file.dropFirst(root.count + 1))) }
        #expect(walked == ["k.txt", "m.txt", "z.txt", "a/3.txt", "b/2.txt", "b/a/1.txt", "c/target.txt"])
        #expect(walk.next() == nil)
        #expect(walk.issues.isEmpty)
        #expect(walker.list(root).files.map { String($0.dropFirst(root.count + 1)) } == walked)

        // One file named as the root is the walk; a missing root is an issue naming it.
        var single = walker.files(under: root + "/m.txt")
        #expect(single.next() == root + "/m.txt")
        #expect(single.next() == nil)
        var missing = walker.files(under: root + "/none")
        #expect(missing.next() == nil)
        #expect(missing.issues.map(\.path) == [root + "/none"])
    }
}
