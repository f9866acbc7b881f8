import Foundation
import Testing
import TestSupport
@testable import GazetteCore

/// `HTMLText` against the scanner it replaced (`ReferenceHTMLText`): the same text, title and date
/// on random pages made of the pieces where a byte scanner could go wrong — tags in any case,
/// attributes quoted or not (with `>` and `<` inside quotes), skipped elements, comments, stray `<`
/// and `&`, character references of every kind, line ends, non-ASCII text, and marks that join an
/// `&` or a space into one `Character`.
@Suite struct HTMLTextScannerTests {
    static let pieces = [
        "<p>", "</p>", "<P CLASS=x>", "<div class=\"a > b\">", "</div>", "<br>", "<br/>", "<BR />", "<h1>", "</h1>",
        "<H1 id='t'>", "<title>", "</title>", "<TITLE>", "<body>", "</body>", "<BODY onload=\"f()\">", "<html>",
        "<span>", "</span>", "<a href=\"/x?a=1&amp;b=2\">", "</a>", "<li>", "<td>", "<img src=x alt='a<b'>",
        "<script>var s = \"</p>\";</script>", "<SCRIPT type=text/javascript>if (a < b) {}</script >",
        "<style>p{}</style>", "<noscript><p>no</p></noscript>", "<svg><text>x</text></svg>", "<scripts>",
        "<!-- a comment -->", "<!-- <p> -->", "<!--", "-->", "<!DOCTYPE html>", "<?xml version=\"1.0\"?>",
        "<meta property=\"article:published_time\" content=\"2005-03-01T10:00:00Z\">",
        "<META NAME=\"Date\" CONTENT=\"1 March 2005\">", "<meta name=date content=2004-12-31>",
        "<meta itemprop=\"datePublished\" content=\"2001-09-11\"/>", "<meta content=\"x\" name=\"pubdate\">",
        "<time datetime=\"2003-02-01\">", "<time>", "</time>", "<meta name=\"x&amp;y\" content=\"a&quot;b\">",
        "<", ">", "< p>", "<3", "a<b", "<p", "<a href=\"unterminated", "'", "\"", "=",
        "&amp;", "&AMP;", "&lt;", "&gt;", "&nbsp;", "&rsquo;", "&Eacute;", "&eacute;", "&#8217;", "&#x2019;",
        "&#X201C;", "&#0;", "&#xD800;", "&#1114112;", "&#65;", "&bogus;", "&", "&;", "&#;", "&#x;", "& amp;",
        "&amp", "&" + String(repeating: "a", count: 31) + ";", "&" + String(repeating: "b", count: 32) + ";",
        "&\u{301}amp;", "\u{600}&amp;", "&am\u{301}p;", "&a\r\nmp;", "\r\n", "\r", "\n", "\t", " ", "  ",
        "\u{A0}", "\u{2003}", "é", "e\u{301}", " \u{301}", "“Quote”", "—", "中文", "👍🏽", "Tony Blair", "said.",
        "BRITAIN", "x", "\u{0B}", "\u{0C}", ";", "\u{301}", "\u{200D}", "&#" + String(repeating: "0", count: 29) + "65;",
        "&#" + String(repeating: "0", count: 28) + "65;", "&#6\u{301}5;", "&#x\u{663}1;",
    ]

    static func randomPage(_ generator: inout SplitMix) -> String {
        (0..<Int(generator.next() % 40)).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
    }

    @Test("the byte scanner gives the reference scanner's text, title and date on 30,000 random pages")
    func matchesTheReference() {
        var generator = SplitMix(seed: 30)
        for _ in 0..<30_000 {
            let page = Self.randomPage(&generator)
            let got = HTMLText(parsing: page), expected = ReferenceHTMLText(parsing: page)
            #expect(got.text == expected.text && got.title == expected.title && got.dateValue == expected.dateValue,
                    "\(page.debugDescription)")
        }
    }

    @Test("references decoded on the bytes equal those decoded by Character, or the bytes defer to it")
    func entitiesOnBytesMatchTheCharacterDecoder() {
        var generator = SplitMix(seed: 31)
        var onBytes = 0
        for _ in 0..<30_000 {
            let text = (0..<Int(generator.next() % 12)).map { _ in Self.pieces[Int(generator.next() % UInt64(Self.pieces.count))] }.joined()
            var output: [UInt8] = [0x2A]  // bytes already there stay
            let answered = Array(text.utf8).withUnsafeBufferPointer { HTMLEntities.decode($0, into: &output) }
            if answered {
                onBytes += 1
                #expect(output == [0x2A] + Array(HTMLEntities.decode(text).utf8), "\(text.debugDescription)")
            } else {
                #expect(output == [0x2A], "\(text.debugDescription): left as it was")
            }
        }
        #expect(onBytes > 20_000, "most texts are answered on the bytes")
    }
}
