#!/usr/bin/env python3
"""Writes the BBC articles of ../shared/data/topics/bbc as JSON-lines files, for the Spark check and
the scaling measurements.

    python3 Scripts/bbc_jsonl.py OUTPUT_DIR [--bbc DIR] [--articles N] [--files K]

Each line is {"id", "title", "date", "text", "category"}: the title is the file's first non-empty
line and the text the whole file (as `gazette tag` reads a .txt file). More than the 2,225 files are
made by distinct copies: copy c of an article gets the id "<category>-<name>-c<c>" and its own date,
so every line has its own content hash. Articles are dealt round-robin into K files
(part-000.jsonl ...), so a Spark job gets several real input splits. The corpus text is written to
OUTPUT_DIR only (a temporary folder), never into the repository.
"""
import argparse
import datetime
import json
import os
import sys


def read_text(path):
    data = open(path, "rb").read()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # One BBC file is Latin-1/Windows-1252; `gazette tag` decodes such files the same way.
        return data.decode("cp1252", errors="replace")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("output", help="folder to write part-NNN.jsonl files into (created; must be empty or missing)")
    parser.add_argument("--bbc", default=os.path.join(here, "..", "..", "shared", "data", "topics", "bbc"),
                        help="the BBC corpus folder (default: ../shared/data/topics/bbc beside the repo)")
    parser.add_argument("--articles", type=int, default=4000, help="lines to write in all (default 4000)")
    parser.add_argument("--files", type=int, default=8, help="number of JSON-lines files (default 8)")
    args = parser.parse_args()

    if not os.path.isdir(args.bbc):
        sys.exit(f"{args.bbc}: no BBC corpus folder here (see ../shared/data/README.md)")
    sources = []
    for category in sorted(os.listdir(args.bbc)):
        folder = os.path.join(args.bbc, category)
        if os.path.isdir(folder):
            sources += [(category, name, os.path.join(folder, name))
                        for name in sorted(os.listdir(folder)) if name.endswith(".txt")]
    if not sources:
        sys.exit(f"{args.bbc}: no .txt articles found")
    os.makedirs(args.output, exist_ok=True)
    if os.listdir(args.output):
        sys.exit(f"{args.output}: not empty; give a new folder")

    handles = [open(os.path.join(args.output, f"part-{index:03d}.jsonl"), "w", encoding="utf-8")
               for index in range(args.files)]
    first_day = datetime.date(2004, 1, 1)
    texts = {}
    written = 0
    for number in range(args.articles):
        copy, index = divmod(number, len(sources))
        category, name, path = sources[index]
        if path not in texts:
            texts[path] = read_text(path)
        text = texts[path]
        title = next((line.strip() for line in text.splitlines() if line.strip()), "")
        record = {"id": f"{category}-{name[:-4]}-c{copy}", "title": title, "text": text, "category": category}
        # Every third article has no date, so both the dated and the undated paths are compared.
        if number % 3:
            record["date"] = (first_day + datetime.timedelta(days=(number * 7 + copy) % 730)).isoformat()
        handles[number % args.files].write(json.dumps(record, ensure_ascii=False) + "\n")
        written += 1
    for handle in handles:
        handle.close()
    print(f"wrote {written} articles ({len(sources)} BBC files, {args.files} files) to {args.output}")


if __name__ == "__main__":
    main()
