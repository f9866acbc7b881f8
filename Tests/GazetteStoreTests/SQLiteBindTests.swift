import CSQLite3
import Foundation
import Testing

@testable import GazetteStore

/// Texts are bound from the string's own bytes (small, native and empty strings alike) and read
/// back unchanged; the empty string is a text, never NULL.
@Suite struct SQLiteBindTests {
    @Test func textsOfEveryKindRoundTrip() throws {
        let directory = try TemporaryDirectory()
        let connection = try SQLiteConnection(path: directory.path("bind.sqlite"), readOnly: false, busyTimeoutMilliseconds: 1000)
        let large = String(repeating: "Königsberg, Kaliningrad — ", count: 200)
        let texts: [String] = [
            "",                                   // no storage at all
            "Blair",                              // small: kept inside the String value
            "São Tomé and Príncipe",              // native, non-ASCII
            large,                                // large native
            String(large.dropFirst(3).prefix(40)),  // made from a substring
            String(decoding: Data("Ελλάδα".utf8), as: UTF8.self),
            NSString(string: "Bundesrepublik Deutschland") as String,  // through Foundation
        ]
        let statement = try connection.prepare("SELECT ?1, typeof(?1), length(CAST(?1 AS BLOB))", operation: "test")
        for text in texts {
            statement.bind(1, text)
            #expect(try statement.step(operation: "test"))
            #expect(statement.string(0) == text)
            #expect(statement.string(1) == "text")
            #expect(statement.int(2) == text.utf8.count)
            statement.reset()
        }
    }
}
