import Foundation
import Testing
@testable import GazetteCore

@Suite("Files handed out with what is stored for them")
struct UpcomingFilesTests {
    /// Records the calls; answers at most `answersPerCall` files a call; fails for `failing`.
    final class Lookup: FingerprintLookup, @unchecked Sendable {
        var calls: [[String]] = []
        let answersPerCall: Int
        let failing: Set<String>

        init(answersPerCall: Int = .max, failing: Set<String> = []) {
            self.answersPerCall = answersPerCall
            self.failing = failing
        }

        func fingerprints(ofFiles paths: [String]) throws -> [[String: ArticleFingerprint]] {
            calls.append(paths)
            if let first = paths.first, failing.contains(first) { throw CocoaError(.fileReadCorruptFile) }
            return paths.prefix(answersPerCall).prefix { !failing.contains($0) }.map { path in
                [path: ArticleFingerprint(contentHash: "hash of \(path)", pipelineHash: "p")]
            }
        }

        func fingerprints(ofKeys keys: [String]) throws -> [String: ArticleFingerprint] { [:] }
    }

    func folder(files: Int) throws -> (TemporaryDirectory, [String]) {
        let dir = try TemporaryDirectory()
        let paths = try (0..<files).map { try dir.write(String(format: "%03d.txt", $0), "Article \($0)\n") }
        return (dir, paths)
    }

    func handOut(_ upcoming: inout UpcomingFiles) -> [(String, UpcomingFiles.Stored)] {
        var out: [(String, UpcomingFiles.Stored)] = []
        while let next = upcoming.next() { out.append(next) }
        return out
    }

    @Test("paths are asked 64 at a time, in walk order; each file gets its own answer")
    func chunks() throws {
        let (dir, paths) = try folder(files: 150)
        let lookup = Lookup()
        var upcoming = UpcomingFiles(walk: DirectoryWalker(extensions: ["txt"]).files(under: dir.path), lookup: lookup)
        let out = handOut(&upcoming)
        #expect(out.map(\.0) == paths)
        #expect(lookup.calls.map(\.count) == [64, 64, 22])
        for (path, stored) in out {
            #expect(try stored.get() == [path: ArticleFingerprint(contentHash: "hash of \(path)", pipelineHash: "p")])
        }
        #expect(upcoming.next() == nil)
    }

    @Test("a lookup that answers only the first files is asked again for the rest; one that fails fails one file")
    func partialAnswersAndFailures() throws {
        let (dir, paths) = try folder(files: 70)
        let lookup = Lookup(answersPerCall: 30, failing: [paths[10], paths[65]])
        var upcoming = UpcomingFiles(walk: DirectoryWalker(extensions: ["txt"]).files(under: dir.path), lookup: lookup)
        let out = handOut(&upcoming)
        #expect(out.map(\.0) == paths)
        let failed = out.enumerated().filter { if case .failure = $0.element.1 { true } else { false } }.map(\.offset)
        #expect(failed == [10, 65])
        #expect(lookup.calls.map(\.first) == [paths[0], paths[10], paths[11], paths[41], paths[64], paths[65], paths[66]])
    }

    @Test("JSON-lines files are not asked about (their pieces ask for their articles) and keep their place")
    func jsonLinesFilesAreNotAsked() throws {
        let dir = try TemporaryDirectory()
        var paths: [String] = []
        for index in 0..<80 {
            let name = String(format: "%03d", index) + (index % 3 == 0 ? ".jsonl" : ".txt")
            paths.append(try dir.write(name, index % 3 == 0 ? "{\"text\": \"a\"}\n" : "Article\n"))
        }
        let textFiles = paths.filter { $0.hasSuffix(".txt") }
        let lookup = Lookup(answersPerCall: 20, failing: [textFiles[30]])
        var upcoming = UpcomingFiles(walk: DirectoryWalker(extensions: ["txt", "jsonl"]).files(under: dir.path), lookup: lookup)
        let out = handOut(&upcoming)
        #expect(out.map(\.0) == paths)
        #expect(lookup.calls.flatMap { $0 }.allSatisfy { $0.hasSuffix(".txt") })
        for (path, stored) in out where path.hasSuffix(".jsonl") { #expect(try stored.get().isEmpty) }
        let failed = out.filter { if case .failure = $0.1 { true } else { false } }.map(\.0)
        #expect(failed == [textFiles[30]])
        for (path, stored) in out where path.hasSuffix(".txt") && path != textFiles[30] {
            #expect(try stored.get() == [path: ArticleFingerprint(contentHash: "hash of \(path)", pipelineHash: "p")])
        }
    }
}
