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
                // The byte cut, where it is made, is the character cut; it is made for all-ASCII text.
                let end = Array(text.utf8).withUnsafeBufferPointer { ArticleDate.asciiPrefixEnd($0, characters: limit) }
                if let end {
                    #expect(String(decoding: text.utf8.prefix(end), as: UTF8.self) == String(text.prefix(limit)))
                } else {
                    #expect(!text.utf8.allSatisfy { $0 < 0x80 }, "\(text.debugDescription) \(limit)")
                }
            }
        }
    }

    /// `findInText` (bytes, a year test before any token) against the plain definition: the
    /// date `find(in:)` finds in the tokens of the text's first `limit` characters.
    @Test func datelineSearchMatchesTheTokenPath() {
        func reference(_ text: String, _ limit: Int) -> String? {
            ArticleDate.find(in: ArticleDate.tokens(text.prefix(limit)))
        }
        var texts = ["", "2005", "1999-12-31", "March 3, 2005", "3 March 2005", "on 12 May 0999", "12 May 3005",
                     "Sept. 12, 2001", "x12005 March 3, 2005", "2005-02-30", "2004-02-29", "2005 March 3",
                     "LONDON (Reuters) - 21st\r\nMarch\r\n2005", "café March 3, 2005", "March 3, 2005 é",
                     String(repeating: "a", count: 396) + "3 March 2005", String(repeating: "\r\n", count: 199) + "May 1, 2004"]
        var random = SplitMix64(seed: 7)
        let pieces = ["March", "mar.", "May", "SEPT", "3", "21st", "2005", "1999", "0999", "12005", "05", "-", ",", " ", " ",
                      "\r\n", "\n", "(Reuters)", "é", "Москва", "e\u{301}", "2nd", "12", "31", "/", "2004-02-29", "the"]
        for _ in 0..<3000 {
            var text = ""
            for _ in 0..<Int(random.next() % 40) { text += pieces[Int(random.next() % UInt64(pieces.count))] }
            texts.append(text)
        }
        for text in texts {
            for limit in [400, 12, 1, 0] {
                #expect(ArticleDate.findInText(text, limit: limit) == reference(text, limit), "\(text.debugDescription) \(limit)")
            }
        }
        // The random texts must also find dates, or the comparison says little.
        #expect(texts.filter { reference($0, 400) != nil }.count > 300)
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
