import Foundation
import Testing
@testable import GazetteCore

/// The reader's byte-level shortcuts must give what the Foundation and standard-library calls they
/// replace give, on ASCII and non-ASCII input alike.
@Suite("Reading shortcuts match Foundation")
struct ReadingFastPathTests {
    @Test func pathExtensionMatchesNSString() {
        let paths = ["a.txt", "/x/y/story.HTML", "/x/y.d/story", "/x/.hidden", "/x/.hidden.txt", "file.", "..", ".",
                     "/", "", "a/b.tar.gz", "dir/file.txt/", "dir//", "résumé.jsonl", "/x/y/.../z", "no_ext", "/a.b/"]
        for path in paths {
            #expect(pathExtension(of: path) == (path as NSString).pathExtension, "\(path)")
        }
    }

    @Test func trimmingMatchesFoundation() {
        let lines = ["", " ", "\t \t", "  Title  ", "Title", "\u{00A0}Title\u{00A0}", " \u{301}Title", "Title \u{2003}",
                     "\tMoscow Москва\t", "  \u{3000}東京 ", "a", " a ", "Title\u{0301} "]
        for line in lines {
            #expect(trimmedWhitespace(line[...]) == line.trimmingCharacters(in: .whitespaces), "\(line.debugDescription)")
        }
    }

    @Test func datelinePrefixMatchesStringPrefix() {
        let texts = ["", "abc", "a\r\nb\r\nc", String(repeating: "x", count: 500), String(repeating: "\r\n", count: 300),
                     String(repeating: "a", count: 399) + "e\u{301}tail", String(repeating: "a", count: 400) + "\u{301}tail",
                     String(repeating: "b", count: 200) + "Москва" + String(repeating: "c", count: 300),
                     String(repeating: "d", count: 399) + "\r\n" + "rest"]
        for text in texts {
            for limit in [0, 1, 3, 400] {
                #expect(ArticleDate.prefix(of: text, characters: limit) == text.prefix(limit))
            }
        }
    }

    @Test func monthNamesAndOrdinalsInAnyCase() {
        let expected: [String: Int?] = ["March": 3, "MAR": 3, "sept": 9, "September": 9, "SEPTEMBER": 9, "dec": 12,
                                        "Marc": nil, "Ma": nil, "Septembers": nil, "may": 5, "Mayday": nil, "jUnE": 6]
        for (word, month) in expected {
            #expect(Array(word.utf8).withUnsafeBufferPointer { ArticleDate.month(named: $0) } == month, "\(word)")
        }
        for (name, month) in ArticleDate.months {
            for spelling in [name, name.uppercased(), name.capitalized] {
                #expect(Array(spelling.utf8).withUnsafeBufferPointer { ArticleDate.month(named: $0) } == month, "\(spelling)")
            }
            // One letter changed, added or dropped is no month.
            let changed = String(name.dropLast()) + (name.last == "z" ? "y" : "z")
            for other in [changed, name + "s", String(name.dropFirst())] where ArticleDate.months[other] == nil {
                #expect(Array(other.utf8).withUnsafeBufferPointer { ArticleDate.month(named: $0) } == nil, "\(other)")
            }
        }
        #expect(ArticleDate.findInText("LONDON, 21ST March 2005 (Reuters)") == "2005-03-21")
        #expect(ArticleDate.findInText("on 2Nd DECEMBER 1999 the") == "1999-12-02")
        #expect(ArticleDate.findInText("March 5x 2005") == nil)
    }
}
