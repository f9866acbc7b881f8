#!/usr/bin/env python3
"""Compares the tags of two Gazette stores article by article and exits 1 on any difference.

    python3 Scripts/compare_stores.py EXPECTED.sqlite ACTUAL.sqlite [--gazette PATH]

Articles are matched by content hash (the SHA-256 of the source bytes, which `gazette tag`,
`gazette stream`/`load` and `gazette merge` all keep), so stores written by different routes can be
compared. Compared for every article: source id, title, date; its mentions (entity key, name, type,
start, end, surface); its topics (label, score, exactly). Then for the whole store: the entities that
have mentions (key, name, type, mentions, articles); and, with --gazette, the output of
`gazette entities --json` and of `gazette cooccur --format csv` (article window, every pair).

The name of an article-local entity (key `local:…`, a person or organization found in the article
and missing from the gazetteers) is the surface form of the last article saved with it ("Theo van
Gogh" or "Theo Van Gogh"), so it depends on the order in which articles were stored; those names
are left out of every comparison and the number that differ is reported.

Not compared, because they name where and when a store was written rather than what it says: the
article key (a file path and `#id` for `gazette tag`, `stream:<id>` for `gazette load`), path, line,
size (the source file's for tag, the tag line's for load), pipeline hash (`loaded-from-stream` for
loaded articles), tagged_at, run ids and the runs table, row ids, stored texts (`gazette load`
stores none, so the sentence co-occurrence window is not compared either).
"""
import argparse
import csv
import io
import json
import sqlite3
import subprocess
import sys

ARTICLES = "SELECT id, content_hash, source_id, title, date FROM articles"
MENTIONS = """SELECT m.article_id, e.key, e.name, e.type, m.start, m."end", m.surface
              FROM mentions m JOIN entities e ON e.id = m.entity_id"""
TOPICS = "SELECT article_id, label, score FROM topics"
ENTITIES = """SELECT e.key, e.name, e.type, count(*), count(DISTINCT m.article_id)
              FROM mentions m JOIN entities e ON e.id = m.entity_id GROUP BY e.id"""


def order_dependent_name(key):
    return key.startswith("local:")


def read_store(path):
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    articles, by_id = {}, {}
    duplicates = []
    for row_id, content_hash, source_id, title, date in db.execute(ARTICLES):
        if content_hash in articles:
            duplicates.append(content_hash)
        articles[content_hash] = {"source_id": source_id, "title": title, "date": date,
                                  "mentions": [], "topics": []}
        by_id[row_id] = articles[content_hash]
    for article_id, key, name, *rest in db.execute(MENTIONS):
        by_id[article_id]["mentions"].append((key, None if order_dependent_name(key) else name, *rest))
    for article_id, label, score in db.execute(TOPICS):
        by_id[article_id]["topics"].append((label, score))
    for article in articles.values():
        article["mentions"].sort(key=lambda m: (m[3], m[4], m[0]))  # by start, end, key
        article["topics"].sort()
    entities = {row[0]: row[1:] for row in db.execute(ENTITIES)}
    db.close()
    return articles, entities, duplicates


def run_gazette(gazette, arguments):
    result = subprocess.run([gazette] + arguments, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"compare_stores.py: `{' '.join([gazette] + arguments)}` failed: {result.stderr.strip()}")
    return result.stdout


def without_local_names(command, output):
    """`gazette entities --json` or `cooccur --format csv` output with the order-dependent names of
    article-local entities blanked."""
    if command == "entities":
        lines = []
        for line in output.splitlines():
            entity = json.loads(line)
            if order_dependent_name(entity["key"]):
                entity["name"] = None
            lines.append(json.dumps(entity, sort_keys=True))
        return "\n".join(lines)
    rows = list(csv.reader(io.StringIO(output)))
    if rows:
        header = rows[0]
        pairs = [(header.index("Source"), header.index("SourceName")), (header.index("Target"), header.index("TargetName"))]
        for row in rows[1:]:
            for key_column, name_column in pairs:
                if order_dependent_name(row[key_column]):
                    row[name_column] = ""
    return "\n".join(",".join(row) for row in rows)


class Differences:
    def __init__(self, limit):
        self.count = 0
        self.limit = limit

    def add(self, message):
        self.count += 1
        if self.count <= self.limit:
            print(f"  {message}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("expected", help="the reference store (e.g. from `gazette tag`)")
    parser.add_argument("actual", help="the store to check (e.g. from `gazette load`)")
    parser.add_argument("--gazette", help="the gazette binary, to compare `entities` and `cooccur` output too")
    parser.add_argument("--show", type=int, default=20, help="differences to print (default 20)")
    args = parser.parse_args()

    expected, expected_entities, expected_duplicates = read_store(args.expected)
    actual, actual_entities, actual_duplicates = read_store(args.actual)
    differences = Differences(args.show)
    for name, duplicates in (("expected", expected_duplicates), ("actual", actual_duplicates)):
        for content_hash in duplicates[:5]:
            differences.add(f"{name} store holds content hash {content_hash} more than once")
        differences.count += max(0, len(duplicates) - 5)

    for content_hash in sorted(expected.keys() - actual.keys()):
        differences.add(f"missing from actual: {content_hash} (id {expected[content_hash]['source_id']})")
    for content_hash in sorted(actual.keys() - expected.keys()):
        differences.add(f"not in expected: {content_hash} (id {actual[content_hash]['source_id']})")
    mentions = topics = 0
    for content_hash in sorted(expected.keys() & actual.keys()):
        want, got = expected[content_hash], actual[content_hash]
        label = f"article {want['source_id'] or content_hash}"
        for field in ("source_id", "title", "date", "topics"):
            if want[field] != got[field]:
                differences.add(f"{label}: {field} {want[field]!r} != {got[field]!r}")
        if want["mentions"] != got["mentions"]:
            missing = sorted(set(want["mentions"]) - set(got["mentions"]))[:3]
            extra = sorted(set(got["mentions"]) - set(want["mentions"]))[:3]
            differences.add(f"{label}: {len(want['mentions'])} vs {len(got['mentions'])} mentions; "
                            f"only expected {missing}, only actual {extra}")
        mentions += len(want["mentions"])
        topics += len(want["topics"])

    local_names = 0
    for key in sorted(expected_entities.keys() | actual_entities.keys()):
        want, got = expected_entities.get(key), actual_entities.get(key)
        if order_dependent_name(key) and want and got and want[0] != got[0]:
            local_names += 1
            want, got = want[1:], got[1:]
        if want != got:
            differences.add(f"entity {key}: (name, type, mentions, articles) "
                            f"{expected_entities.get(key)} != {actual_entities.get(key)}")

    outputs = 0
    if args.gazette:
        commands = [["entities", "--top", "1000000000", "--json"], ["cooccur", "--format", "csv"]]
        for command in commands:
            want = without_local_names(command[0], run_gazette(args.gazette, command + ["--db", args.expected]))
            got = without_local_names(command[0], run_gazette(args.gazette, command + ["--db", args.actual]))
            outputs += 1
            if want != got:
                want_lines, got_lines = want.splitlines(), got.splitlines()
                first = next((i for i, (a, b) in enumerate(zip(want_lines, got_lines)) if a != b),
                             min(len(want_lines), len(got_lines)))
                differences.add(f"`gazette {' '.join(command)}`: {len(want_lines)} vs {len(got_lines)} lines, "
                                f"first difference at line {first + 1}")

    summary = (f"{len(expected)} vs {len(actual)} articles, {mentions} mentions, {topics} topics, "
               f"{len(expected_entities)} entities with mentions"
               + (f", {outputs} gazette outputs" if args.gazette else "") + " compared"
               + (f"; {local_names} article-local entities named after another article (order-dependent, "
                  "not a difference)" if local_names else ""))
    if differences.count:
        print(f"compare_stores.py: {differences.count} differences ({summary})")
        sys.exit(1)
    print(f"compare_stores.py: identical ({summary})")


if __name__ == "__main__":
    main()
