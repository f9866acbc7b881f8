import Foundation
import GazetteCore
import GazetteStore

/// `gazette show --html`: one self-contained page (inline CSS, no script, no network) with the
/// article text, each mention highlighted in its type's colour, a legend, and the topics. Hovering a
/// mention shows the canonical name, key and store id (a CSS tooltip, plus the native `title`).
struct ArticlePage {
    let view: ArticleView
    /// The stored text; nil when the store was written without text.
    let text: String?
    let mentions: [StoredMention]

    func html() -> String {
        var page = MarkupWriter()
        page.raw("<!DOCTYPE html>\n")
        page.open("html", [("lang", "en")])
        page.open("head")
        page.void("meta", [("charset", "utf-8")])
        page.void("meta", [("name", "viewport"), ("content", "width=device-width, initial-scale=1")])
        page.element("title", text: (view.title.isEmpty ? view.key : view.title) + " — Gazette")
        page.open("style")
        page.raw(Self.styleSheet)
        for type in EntityType.allCases {
            // Colours are our constants, but they still go through the writer.
            page.text(".\(type.rawValue){--strong:\(type.color);--tint:\(type.tint)}")
        }
        page.close("style")
        page.close("head")
        page.newline()

        page.open("body")
        page.open("header")
        page.element("h1", text: view.title.isEmpty ? view.key : view.title)
        page.element("p", [("class", "meta")], text: [
            view.date ?? "no date", "article \(view.id)", view.key, "\(view.size) bytes",
        ].joined(separator: " · "))
        page.close("header")
        page.newline()

        legend(&page)
        topics(&page)
        body(&page)
        entityTable(&page)
        page.open("footer")
        page.text("Written by gazette show --html. Offsets are Unicode scalars into the stored text.")
        page.close("footer")
        page.close("body")
        page.close("html")
        page.newline()
        return page.output
    }

    private func legend(_ page: inout MarkupWriter) {
        page.open("section", [("class", "legend"), ("aria-label", "Legend")])
        page.open("ul")
        for type in EntityType.allCases {
            let count = view.entities.filter { $0.type == type.rawValue }.count
            page.open("li", [("class", type.rawValue)])
            page.element("span", [("class", "swatch")], text: "")
            page.text("\(type.heading) (\(count))")
            page.close("li")
        }
        page.close("ul")
        page.close("section")
        page.newline()
    }

    private func topics(_ page: inout MarkupWriter) {
        page.open("section", [("class", "topics")])
        page.element("h2", text: "Topics")
        if view.topics.isEmpty {
            page.element("p", text: "No topics.")
        } else {
            page.open("table")
            for topic in view.topics {
                page.open("tr")
                page.element("td", [("class", "label")], text: topic.label)
                page.open("td", [("class", "bar")])
                let percent = max(0, min(100, topic.score * 100))
                page.element("span", [("style", String(format: "width:%.1f%%", percent))], text: "")
                page.close("td")
                page.element("td", [("class", "score")], text: String(format: "%.2f", topic.score))
                page.close("tr")
            }
            page.close("table")
        }
        page.close("section")
        page.newline()
    }

    private func body(_ page: inout MarkupWriter) {
        page.open("article", [("class", "text")])
        guard let text else {
            page.element("p", [("class", "missing")], text: "The store has no text for this article (it was tagged with text storage off), so mentions are listed below only.")
            page.close("article")
            return
        }
        let scalars = Array(text.unicodeScalars)
        var cursor = 0
        for group in Self.nonOverlapping(mentions) where group.start >= cursor && group.end <= scalars.count {
            page.text(String(String.UnicodeScalarView(scalars[cursor..<group.start])))
            let first = group.mentions[0]
            let tip = group.mentions.map { "\($0.entity.name) · \($0.entity.key) · id \($0.entityID)" }
                .joined(separator: "\n")
            page.open("mark", [
                ("class", first.entity.type.rawValue), ("title", tip), ("data-tip", tip),
                ("data-key", first.entity.key),
            ])
            page.text(String(String.UnicodeScalarView(scalars[group.start..<group.end])))
            page.close("mark")
            cursor = group.end
        }
        page.text(String(String.UnicodeScalarView(scalars[cursor...])))
        page.close("article")
        page.newline()
    }

    private func entityTable(_ page: inout MarkupWriter) {
        page.open("section", [("class", "entities")])
        page.element("h2", text: "Entities (\(view.entities.count))")
        page.open("table")
        page.open("tr")
        for heading in ["Entity", "Type", "Key", "Mentions"] { page.element("th", text: heading) }
        page.close("tr")
        for entity in view.entities {
            page.open("tr", [("class", entity.type)])
            page.open("td")
            page.element("span", [("class", "swatch")], text: "")
            page.text(entity.name)
            page.close("td")
            page.element("td", text: entity.type)
            page.element("td", [("class", "key")], text: entity.key)
            page.element("td", [("class", "num")], text: String(entity.mentions))
            page.close("tr")
        }
        page.close("table")
        page.close("section")
        page.newline()
    }

    struct MarkedSpan {
        var start: Int
        var end: Int
        /// The mention that decides the colour first, then any overlapping ones (shown in the tooltip).
        var mentions: [StoredMention]
    }

    /// Mentions as non-overlapping spans: the longest mention at a start wins, and mentions that
    /// overlap it join its tooltip instead of being dropped.
    static func nonOverlapping(_ mentions: [StoredMention]) -> [MarkedSpan] {
        let sorted = mentions.sorted { $0.start != $1.start ? $0.start < $1.start : $0.end > $1.end }
        var spans: [MarkedSpan] = []
        for mention in sorted {
            if var last = spans.last, mention.start < last.end {
                if !last.mentions.contains(where: { $0.entityID == mention.entityID }) {
                    last.mentions.append(mention)
                    spans[spans.count - 1] = last
                }
                continue
            }
            spans.append(MarkedSpan(start: mention.start, end: mention.end, mentions: [mention]))
        }
        return spans
    }

    private static let styleSheet: StaticString = """
        :root{color-scheme:light;font-family:Georgia,'DejaVu Serif',serif;color:#1d1d1f;background:#fbfaf7}
        body{max-width:46rem;margin:2rem auto;padding:0 1.2rem;line-height:1.6}
        header h1{font-size:1.7rem;line-height:1.25;margin:0 0 .3rem}
        .meta,footer,.key{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;font-size:.8rem;color:#666}
        h2{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;font-size:.95rem;text-transform:uppercase;letter-spacing:.05em;color:#444;margin:1.6rem 0 .4rem}
        .legend ul{list-style:none;display:flex;flex-wrap:wrap;gap:.4rem 1.2rem;padding:0;margin:1rem 0;font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;font-size:.85rem}
        .swatch{display:inline-block;width:.9em;height:.9em;border-radius:.2em;background:var(--tint);border:2px solid var(--strong);margin-right:.4em;vertical-align:-.1em}
        .topics table{border-collapse:collapse;font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;font-size:.85rem}
        .topics td{padding:.1rem .5rem .1rem 0}
        .topics .bar{width:12rem}.topics .bar span{display:block;height:.7rem;background:#555;border-radius:.2rem}
        .topics .score{font-variant-numeric:tabular-nums;color:#444}
        article.text{white-space:pre-wrap;font-size:1.08rem;margin:1.4rem 0;padding:1rem 1.2rem;background:#fff;border:1px solid #e4e2dc;border-radius:.4rem}
        mark{position:relative;background:var(--tint);color:inherit;border-bottom:2px solid var(--strong);border-radius:.15em;padding:0 .1em;cursor:help}
        mark:hover::after{content:attr(data-tip);white-space:pre;position:absolute;left:0;top:1.7em;z-index:2;background:#222;color:#fff;font:12px/1.4 'DejaVu Sans',Helvetica,Arial,sans-serif;padding:.3em .5em;border-radius:.3em;box-shadow:0 2px 6px rgba(0,0,0,.3)}
        .entities table{border-collapse:collapse;width:100%;font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;font-size:.85rem}
        .entities th,.entities td{text-align:left;padding:.25rem .4rem;border-bottom:1px solid #e4e2dc}
        .entities .num{text-align:right;font-variant-numeric:tabular-nums}
        .missing{color:#a33}
        footer{margin:2rem 0}

        """
}
