import Foundation
import Testing

/// The store comparison that the Spark check relies on, and (on request) the Spark check itself.
@Suite("Spark check and store comparison", .serialized)
struct SparkCheckTests {
    static let compareScript = GazetteProcess.packageRoot.appendingPathComponent("Scripts/compare_stores.py").path
    static let sparkCheck = GazetteProcess.packageRoot.appendingPathComponent("Scripts/spark_check.sh").path
    static let bbc = GazetteProcess.packageRoot.appendingPathComponent("../shared/data/topics/bbc").standardizedFileURL

    func compare(_ expected: String, _ actual: String) throws -> GazetteProcess.Result {
        try Tools.run(Tools.python!, [Self.compareScript, expected, actual, "--gazette", GazetteProcess.binary.path])
    }

    @Test("compare_stores.py: stores of the same articles under other paths are identical; one changed article is not",
          .enabled(if: Tools.python != nil, "needs python3"))
    func compareStores() throws {
        let temp = try TemporaryDirectory()
        let first = try temp.copySamples()
        let second = temp.url.appendingPathComponent("elsewhere")
        try FileManager.default.copyItem(at: first, to: second)
        for (folder, db) in [(first, "a.sqlite"), (second, "b.sqlite")] {
            let tagged = try GazetteProcess.run(["tag", folder.path, "--db", temp.file(db), "--quiet"])
            #expect(tagged.status == 0, "\(tagged.stderr)")
        }
        // Keys and paths differ (other folder), tags do not.
        let same = try compare(temp.file("a.sqlite"), temp.file("b.sqlite"))
        #expect(same.status == 0, "\(same.stdout)\(same.stderr)")
        #expect(same.stdout.contains("identical") && !same.stdout.contains(" 0 mentions"), "\(same.stdout)")

        // One article loses a sentence naming a place: its hash, mentions and the co-occurrences change.
        let article = second.appendingPathComponent("politics/budget-row.txt")
        let text = try String(contentsOf: article, encoding: .utf8)
        let edited = text.replacingOccurrences(of: "in Birmingham ", with: "")
        #expect(edited != text)
        try Data(edited.utf8).write(to: article)
        let retagged = try GazetteProcess.run(["tag", second.path, "--db", temp.file("b.sqlite"), "--quiet"])
        #expect(retagged.status == 0, "\(retagged.stderr)")
        let differs = try compare(temp.file("a.sqlite"), temp.file("b.sqlite"))
        #expect(differs.status == 1, "\(differs.stdout)\(differs.stderr)")
        #expect(differs.stdout.contains("missing from actual:"), "\(differs.stdout)")
        #expect(differs.stdout.contains("entity geonames:2655603"), "Birmingham's counts differ: \(differs.stdout)")
    }

    /// Minutes of work (Spark start-up, a few thousand articles twice): run it with
    /// `GAZETTE_SPARK_CHECK=1 swift test --filter SparkCheckTests`. It uses the binary this test run
    /// built; `bash Scripts/spark_check.sh` alone uses the release build.
    @Test("Spark local[2] tags the BBC articles exactly as gazette tag does (Scripts/spark_check.sh)",
          .enabled(if: ProcessInfo.processInfo.environment["GAZETTE_SPARK_CHECK"] == "1", "set GAZETTE_SPARK_CHECK=1"),
          .enabled(if: FileManager.default.fileExists(atPath: SparkCheckTests.bbc.path), "needs ../shared/data/topics/bbc"))
    func sparkCheck() throws {
        let result = try GazetteProcess.run(
            [Self.sparkCheck], environment: ["GAZETTE": GazetteProcess.binary.path],
            executable: URL(fileURLWithPath: "/bin/bash"))
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("compare_stores.py: identical"), "\(result.stdout)")
        #expect(result.stdout.contains("passed: Spark output equals gazette tag"), "\(result.stdout)")
    }
}
