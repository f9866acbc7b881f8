"""Writes a copy of the BBC articles set in the typography of other news, to time Gazette on text
that is not plain ASCII (the BBC files are ASCII/Latin-1 with straight quotes).

Usage: make_variant.py SOURCE_DIR TARGET_DIR KIND, with KIND one of
  curly    straight quotes made curly (' to U+2019, " to U+201C/U+201D in turn) and " - " made an
           em dash (U+2014): how most English web news is typeset;
  accents  "e" made "é" in a quarter of the words and "a" made "à" in a twentieth (seeded, so the
           same files each time): about the density of accented letters in French or Spanish news,
           in words that the gazetteer and the topic model mostly do not know.
Files are written as UTF-8 under the same relative paths."""
import os
import random
import sys

source, target, kind = sys.argv[1], sys.argv[2], sys.argv[3]
if kind not in ("curly", "accents"):
    sys.exit(f"unknown kind {kind!r}: curly or accents")
generator = random.Random(1)
for directory, subdirs, names in os.walk(source):
    subdirs.sort()
    for name in sorted(names):
        if not name.endswith(".txt"):
            continue
        text = open(os.path.join(directory, name), "rb").read().decode("latin-1")
        if kind == "curly":
            text = text.replace("'", "\u2019")
            pieces = text.split('"')
            text = pieces[0] + "".join(("\u201c" if i % 2 == 0 else "\u201d") + piece for i, piece in enumerate(pieces[1:]))
            text = text.replace(" - ", " \u2014 ")
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
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
