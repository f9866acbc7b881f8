"""Writes a copy of the BBC articles as other news comes, to time Gazette on input that is not
plain ASCII text files (the BBC files are ASCII/Latin-1 text with straight quotes).

Usage: make_variant.py SOURCE_DIR TARGET_DIR KIND, with KIND one of
  curly    straight quotes made curly (' to U+2019, " to U+201C/U+201D in turn) and " - " made an
           em dash (U+2014): how most English web news is typeset;
  accents  "e" made "é" in a quarter of the words and "a" made "à" in a twentieth (seeded, so the
           same files each time): about the density of accented letters in French or Spanish news,
           in words that the gazetteer and the topic model mostly do not know;
  cp1252   as curly, written in Windows-1252 instead of UTF-8: how older news archives are encoded
           (Gazette reads a file that is not valid UTF-8 as Windows-1252, with a warning);
  html     each article as a news web page (.html): head with styles, scripts and a description,
           a navigation bar, the title as <h1>, a byline, the paragraphs as <p>, a "most read"
           list and a footer: about four bytes of markup for each byte of text.
Files are written under the same relative paths, in UTF-8 but for cp1252."""
import html
import os
import random
import sys

source, target, kind = sys.argv[1], sys.argv[2], sys.argv[3]
if kind not in ("curly", "cp1252", "accents", "html"):
    sys.exit(f"unknown kind {kind!r}: curly, cp1252, accents or html")

NAVIGATION = "".join(f'<li class="nav-item"><a href="/section/{i}" class="nav-link">Section {i}</a></li>' for i in range(40))
SCRIPT = ('<script type="text/javascript">window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}'
          'gtag("js",new Date());gtag("config","UA-000000-1");var x={"a":1,"b":[1,2,3],"c":"</p>"};</script>') * 6
STYLE = "<style>.a{color:#333;font-family:Helvetica,Arial,sans-serif}.b{margin:0 auto;max-width:960px}</style>" * 8
MOST_READ = "".join(f'<li><a href="/a/{i}">Another story headline number {i}</a></li>' for i in range(10))


def news_page(text):
    lines = text.split("\n")
    title, paragraphs = lines[0], [line for line in lines[1:] if line.strip()]
    description = html.escape(paragraphs[0][:150] if paragraphs else "")
    return ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>' + html.escape(title) + " - News</title>"
            + '<meta name="description" content="' + description + '">' + STYLE + SCRIPT + "</head><body>"
            + "<header><nav><ul>" + NAVIGATION + "</ul></nav></header><main><article><h1>" + html.escape(title) + "</h1>"
            + '<div class="byline">By <a href="/staff">Staff reporter</a> &middot; <time datetime="2005-03-01">1 March 2005</time></div>'
            + "".join("<p>" + html.escape(paragraph) + "</p>" for paragraph in paragraphs)
            + "</article><aside><h2>Most read</h2><ol>" + MOST_READ + "</ol></aside></main>"
            + "<footer><p>&copy; 2005 News Ltd</p>" + SCRIPT + "</footer></body></html>")

generator = random.Random(1)
for directory, subdirs, names in os.walk(source):
    subdirs.sort()
    for name in sorted(names):
        if not name.endswith(".txt"):
            continue
        text = open(os.path.join(directory, name), "rb").read().decode("latin-1")
        if kind in ("curly", "cp1252"):
            text = text.replace("'", "\u2019")
            pieces = text.split('"')
            text = pieces[0] + "".join(("\u201c" if i % 2 == 0 else "\u201d") + piece for i, piece in enumerate(pieces[1:]))
            text = text.replace(" - ", " \u2014 ")
        elif kind == "html":
            text = news_page(text)
            name = name[: -len(".txt")] + ".html"
        else:
            words = []
            for word in text.split(" "):
                if generator.random() < 0.25:
                    word = word.replace("e", "\u00e9", 1)
                if generator.random() < 0.05:
                    word = word.replace("a", "\u00e0", 1)
                words.append(word)
            text = " ".join(words)
        path = os.path.join(target, os.path.relpath(directory, source), name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="cp1252" if kind == "cp1252" else "utf-8", errors="replace") as handle:
            handle.write(text)
