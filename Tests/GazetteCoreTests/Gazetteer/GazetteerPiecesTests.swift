import Testing
@testable import GazetteCore

/// The gazetteer build parses each file's rows in pieces on all cores, then takes them in load
/// order. Loading with one piece per file is the row-by-row load; every other piece size must give
/// the same gazetteer, and the same first error.
@Suite struct GazetteerPiecesTests {
    /// Piece sizes from one piece per file (row by row) down to one row a piece.
    static let pieceSizes = [Int.max, 4096, 97, 1]

    /// A file of `rows` rows with what the load has to keep in order: aliases shared by rows far
    /// apart (one pattern, candidates in load order), an entity's repeated alias, case markers,
    /// a type left out by the filter, comments, blank and CRLF lines, non-ASCII names.
    static func source(rows: Int, prefix: String) -> String {
        var lines = ["# generated", "id\ttype\tname\taliases\tprior\tfrom\tto\tcountry"]
        let types = ["place", "person", "organization", "treaty"]
        for row in 0..<rows {
            let type = types[row % types.count]
            let name = row % 7 == 0 ? "Zürich \(prefix)\(row)" : "Name \(prefix)\(row)"
            var aliases = ["Shared \(row % 13)", "=AC\(row % 5)", "!Common", "~any \(row % 3)", "Shared \(row % 13)"]
            if row % 11 == 0 { aliases.append("") }
            let dates = type == "person" ? "\t19\(10 + row % 80)\t20\(10 + row % 15)-0\(1 + row % 9)" : "\t\t"
            lines.append("\(prefix)\(row)\t\(type)\t\(name)\t\(aliases.joined(separator: "|"))\t\(Double(row % 9) / 2)\(dates)\tC\(row % 4)"
                + (row % 17 == 0 ? "\r" : ""))
            if row % 50 == 0 { lines.append(row % 100 == 0 ? "" : "# comment \(row)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func encoded(_ sources: [(path: String, text: String)], types: Set<EntityType>, pieceBytes: Int) throws -> [UInt8] {
        try BinaryCoder.encode(Gazetteer(sources: sources, entityTypes: types, normalizer: TextNormalizer(), pieceBytes: pieceBytes))
    }

    @Test(arguments: [Set(EntityType.allCases), [.place, .person]])
    func pieceSizeDoesNotChangeTheGazetteer(types: Set<EntityType>) throws {
        let sources = [("a.tsv", Self.source(rows: 1200, prefix: "a")), ("b.tsv", Self.source(rows: 300, prefix: "b"))]
        let rowByRow = try Self.encoded(sources, types: types, pieceBytes: Int.max)
        let loaded = try Gazetteer(sources: sources, entityTypes: types, normalizer: TextNormalizer(), pieceBytes: Int.max)
        #expect(loaded.entities.count == (types.count == 4 ? 1500 : 750))
        #expect(loaded.patternCount > loaded.entities.count)
        for size in Self.pieceSizes.dropFirst() {
            #expect(try Self.encoded(sources, types: types, pieceBytes: size) == rowByRow, "piece size \(size)")
        }
        // The public loader (its own piece size) too.
        #expect(try BinaryCoder.encode(Gazetteer(sources: sources, entityTypes: types)) == rowByRow)
    }

    func firstError(_ sources: [(path: String, text: String)], types: Set<EntityType> = Set(EntityType.allCases)) -> [GazetteerError?] {
        Self.pieceSizes.map { size in
            do {
                _ = try Gazetteer(sources: sources, entityTypes: types, normalizer: TextNormalizer(), pieceBytes: size)
                return nil
            } catch {
                return error as? GazetteerError
            }
        }
    }

    @Test func aDuplicateIdFarFromItsFirstRowIsFoundWithBothLines() {
        var text = Self.source(rows: 400, prefix: "a")
        text += "a3\tplace\tAgain\tx\t1\t\t\tC1\n"
        // Counted in bytes: "\r\n" is one `Character`.
        let line = text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).count - 1
        for error in firstError([("mem.tsv", text)]) {
            #expect(error == GazetteerError(file: "mem.tsv", line: line, reason: "duplicate id a3, first defined at mem.tsv:7"))
        }
    }

    @Test func theDuplicateIdCheckComesBeforeThePriorAndAfterTheType() {
        let header = "id\ttype\tname\taliases\tprior\n"
        // Duplicate and bad prior on one row: the duplicate is reported.
        for error in firstError([("mem.tsv", header + "a\tplace\tA\tx\t1\na\tplace\tA\tx\t-1\n")]) {
            #expect(error?.line == 3)
            #expect(error?.reason.hasPrefix("duplicate id a") == true)
        }
        // Duplicate and unknown type on one row: the type is reported.
        for error in firstError([("mem.tsv", header + "a\tplace\tA\tx\t1\na\tplanet\tA\tx\t1\n")]) {
            #expect(error?.line == 3)
            #expect(error?.reason.hasPrefix("unknown type 'planet'") == true)
        }
        // A bad prior on a row of a type left out is still an error.
        for error in firstError([("mem.tsv", header + "a\tplace\tA\tx\t1\nb\tperson\tB\tx\tmany\n")], types: [.place]) {
            #expect(error?.line == 3)
            #expect(error?.reason.hasPrefix("prior 'many'") == true)
        }
    }

    @Test func errorsOfSeveralFilesComeInLoadOrder() {
        let badRow = "id\ttype\tname\taliases\n" + (0..<300).map { "r\($0)\tplace\tR\($0)\tx\n" }.joined() + "late\tplace\t\tx\n"
        let badHeader = "# a comment\nid\ttype\tname\n"
        let good = "id\ttype\tname\taliases\ng\tplace\tG\tx\n"
        // A bad row late in the first file comes before the second file's bad header.
        for error in firstError([("one.tsv", badRow), ("two.tsv", badHeader)]) {
            #expect(error?.file == "one.tsv")
            #expect(error?.line == 302)
            #expect(error?.reason == "empty name for late")
        }
        // A bad header comes before the rows of the files after it.
        for error in firstError([("one.tsv", good), ("two.tsv", badHeader), ("three.tsv", badRow)]) {
            #expect(error?.file == "two.tsv")
            #expect(error?.line == 2)
            #expect(error?.reason.contains("aliases") == true)
        }
        // ... and after every row of the files before it, even the duplicates across files.
        for error in firstError([("one.tsv", good), ("two.tsv", good), ("three.tsv", badHeader)]) {
            #expect(error == GazetteerError(file: "two.tsv", line: 2, reason: "duplicate id g, first defined at one.tsv:2"))
        }
    }
}
