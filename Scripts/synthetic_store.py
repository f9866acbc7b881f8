#!/usr/bin/env python3
"""Fills a Gazette tag store with synthetic articles, entities and mentions, to measure exports
(`gazette cooccur`, `gazette find`) at archive scale without any corpus text.

    python3 Scripts/synthetic_store.py /tmp/big.sqlite --gazette .build/release/gazette \
        --articles 100000 --mentions 10

The store's schema is created by `gazette tag` (over one tiny generated article), so the file is a
real Gazette store at the current schema version; rows are then added with Python's sqlite3.
Entity popularity follows a Zipf law (a few entities in many articles, most in few), dates are
spread over 2000-2010, and every article's text holds its mentions in sentences of two or three, so
the sentence window has real boundaries to find. Same seed, same store.
"""
import argparse
import os
import random
import sqlite3
import subprocess
import sys
import tempfile

TYPES = ["person", "place", "organization", "treaty"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("store", help="the SQLite file to create (must not exist)")
    parser.add_argument("--gazette", required=True, help="the gazette binary, to create the schema")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--mentions", type=int, default=10, help="mentions per article")
    parser.add_argument("--entities", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if os.path.exists(args.store):
        sys.exit(f"{args.store}: already exists; give a new path")

    with tempfile.TemporaryDirectory() as directory:
        with open(os.path.join(directory, "seed.txt"), "w", encoding="utf-8") as handle:
            handle.write("Seed article\n\nNothing to see here.\n")
        subprocess.run([args.gazette, "tag", directory, "--db", args.store], check=True, stdout=subprocess.DEVNULL)

    random.seed(args.seed)
    db = sqlite3.connect(args.store)
    db.execute("PRAGMA synchronous = OFF")
    run_id = db.execute("SELECT max(id) FROM runs").fetchone()[0]
    first_entity = (db.execute("SELECT coalesce(max(id), 0) FROM entities").fetchone()[0]) + 1
    db.execute("BEGIN")
    db.executemany(
        "INSERT INTO entities (id, key, name, type) VALUES (?, ?, ?, ?)",
        ((first_entity + i, f"synthetic:{i}", f"Entity{i}", TYPES[i % len(TYPES)]) for i in range(args.entities)))

    # Zipf-like weights: entity i has weight 1 / (i + 1).
    weights = [1.0 / (i + 1) for i in range(args.entities)]
    cumulative = []
    total = 0.0
    for weight in weights:
        total += weight
        cumulative.append(total)

    def article_rows():
        for number in range(args.articles):
            picks = random.choices(range(args.entities), cum_weights=cumulative, k=args.mentions)
            text_parts, mentions, offset = [], [], 0
            for index, entity in enumerate(picks):
                name = f"Entity{entity}"
                lead = "Reports said " if index % 3 == 0 else " met "
                text_parts.append(lead)
                offset += len(lead)
                mentions.append((first_entity + entity, offset, offset + len(name), name))
                text_parts.append(name)
                offset += len(name)
                if index % 3 == 2 or index == len(picks) - 1:
                    text_parts.append(". ")
                    offset += 2
            text = "".join(text_parts)
            year = 2000 + number * 11 // args.articles
            date = f"{year}-{random.randint(1, 12):02d}-{random.randint(1, 28):02d}"
            yield number, date, text, mentions

    article_insert = """
        INSERT INTO articles (key, path, content_hash, pipeline_hash, title, date, size, tagged_at, run_id)
        VALUES (?, ?, ?, 'synthetic', ?, ?, ?, '2026-01-01T00:00:00Z', ?) RETURNING id"""
    mention_rows = []
    count = 0
    for number, date, text, mentions in article_rows():
        key = f"/synthetic/{number}.txt"
        article_id = db.execute(article_insert, (key, key, f"h{number}", f"Synthetic {number}", date,
                                                 len(text.encode()), run_id)).fetchone()[0]
        db.execute("INSERT INTO article_texts (article_id, text) VALUES (?, ?)", (article_id, text))
        seen = set()
        for entity_id, start, end, surface in mentions:
            if (start, entity_id) not in seen:
                seen.add((start, entity_id))
                mention_rows.append((article_id, entity_id, start, end, surface))
        if len(mention_rows) >= 200_000:
            db.executemany('INSERT INTO mentions (article_id, entity_id, start, "end", surface) VALUES (?, ?, ?, ?, ?)', mention_rows)
            count += len(mention_rows)
            mention_rows.clear()
    db.executemany('INSERT INTO mentions (article_id, entity_id, start, "end", surface) VALUES (?, ?, ?, ?, ?)', mention_rows)
    count += len(mention_rows)
    # `article_entities` (one row per entity an article mentions, docs/schema.md), counted from the
    # mentions just written, as `gazette tag` writes it.
    db.execute("""
        INSERT INTO article_entities (entity_id, article_id, mentions)
        SELECT entity_id, article_id, count(*) FROM mentions
        WHERE article_id IN (SELECT id FROM articles WHERE pipeline_hash = 'synthetic')
        GROUP BY entity_id, article_id""")
    db.execute("COMMIT")
    db.close()
    print(f"{args.store}: {args.articles} articles, {args.entities} entities, {count} mentions")


if __name__ == "__main__":
    main()
