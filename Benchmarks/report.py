"""Turns the figures Benchmarks/run.sh collected into results.md, results.csv and the README table.
Usage: report.py WORK_DIR RESULTS_MD RESULTS_CSV README"""
import csv
import datetime
import json
import os
import re
import subprocess
import sys

work, results_md, results_csv, readme = sys.argv[1:5]


def load_json(name):
    path = os.path.join(work, name)
    return json.load(open(path)) if os.path.exists(path) else None


def tag_run(name):
    """Summary of one `gazette tag`: parsed from its output line and /usr/bin/time."""
    out = open(os.path.join(work, name + ".out")).read()
    fields = open(os.path.join(work, name + ".time")).read().split("time ")[-1].split()
    wall, user, system, rss_kb = float(fields[0]), float(fields[1]), float(fields[2]), int(fields[3])
    match = re.search(r"tagged (\d+), skipped (\d+).*?; (\d+) mentions.*?; ([\d.]+) s", out)
    tagged, skipped, mentions, run_seconds = int(match[1]), int(match[2]), int(match[3]), float(match[4])
    kept = re.search(r"the topics of (\d+), the mentions of (\d+)", out)
    return {"tagged": tagged, "skipped": skipped, "mentions": mentions, "run_s": run_seconds,
            "wall_s": wall, "cpu_s": user + system, "peak_rss_mb": rss_kb / 1024,
            "kept_topics": int(kept[1]) if kept else 0, "kept_mentions": int(kept[2]) if kept else 0}


stages = load_json("stages.json")
anchors = load_json("anchors.json")
bbc_mb = stages["megabytes"]
runs = {name: tag_run(name) for name in ("bbc", "big", "big-rerun", "big-edit", "big-topics", "big-edit-2", "bbc-jobs1", "big-fast")}
# The feed runs and the memory check (BENCH_SCALE): present when run.sh made them.
for name in ("big-notext", "big-fast-notext", "big-rerun-cold", "big-cold", "big-edit-cold", "feed", "scaled", "scaled-rerun", "feed-scaled"):
    if os.path.exists(os.path.join(work, name + ".time")):
        runs[name] = tag_run(name)
# The fresh 102 MB corpus is tagged several times (big, big-2, …: BENCH_RUNS in run.sh); the run with
# the median wall time stands for all of them, and the note gives their spread.
fresh_runs = [runs["big"]] + [tag_run(name[:-5]) for name in sorted(os.listdir(work), key=lambda n: (len(n), n))
                              if re.fullmatch(r"big-\d+\.time", name)]
by_wall = sorted(fresh_runs, key=lambda run: run["wall_s"])
runs["big"] = dict(by_wall[len(by_wall) // 2])
if len(fresh_runs) > 1:
    runs["big"]["spread"] = (
        f"median of {len(fresh_runs)} fresh runs by wall time (walls {by_wall[0]['wall_s']:.2f}–{by_wall[-1]['wall_s']:.2f} s, "
        f"CPU {min(r['cpu_s'] for r in fresh_runs):.2f}–{max(r['cpu_s'] for r in fresh_runs):.2f} s); ")
big_mb = None
if anchors and "big" in anchors["corpora"]:
    big_mb = anchors["corpora"]["big"]["megabytes"]
else:
    big_mb = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(os.path.join(work, "corpus"))
                 for f in fs if f.endswith(".txt")) / 1e6
scaled_mb = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(os.path.join(work, "corpus-scaled"))
                for f in fs if f.endswith(".txt")) / 1e6
feed_mb = sum(os.path.getsize(os.path.join(work, "feed", f)) for f in os.listdir(os.path.join(work, "feed"))) / 1e6 \
    if os.path.isdir(os.path.join(work, "feed")) else 0
# The scaled feed is deleted after its run (~430 MB): its size is its articles' share of the feed's.
feed_scaled_mb = feed_mb * runs["feed-scaled"]["tagged"] / runs["feed"]["tagged"] if "feed-scaled" in runs and "feed" in runs else 0
sizes = {"feed": feed_mb, "feed-scaled": feed_scaled_mb, "bbc": bbc_mb, "big": big_mb, "big-rerun": big_mb, "big-rerun-cold": big_mb, "big-cold": big_mb, "big-edit-cold": big_mb, "big-edit": big_mb, "big-topics": big_mb, "big-edit-2": big_mb,
         "bbc-jobs1": bbc_mb, "big-fast": big_mb, "big-notext": big_mb, "big-fast-notext": big_mb, "scaled": scaled_mb, "scaled-rerun": scaled_mb}

rows = []  # (measure, value, unit, note)


def row(measure, value, unit, note=""):
    rows.append((measure, value, unit, note))


row("aliases in the gazetteer", stages["aliases"], "", f"{int(stages['patterns'])} distinct normalized patterns, {int(stages['entities'])} entities")
row("gazetteer built from TSV", stages["gazetteer_build_wall_s"], "s wall", f"{stages['gazetteer_build_cpu_s']:.2f} s CPU over all threads (rows are parsed on every core)")
if "gazetteer_cache_load_cpu_s" in stages:
    row("gazetteer loaded from cache", stages["gazetteer_cache_load_cpu_s"], "s CPU", f"{stages['gazetteer_cache_load_wall_s']:.2f} s wall")
row("read (read, hash, decode)", stages["read_mb_per_cpu_s"], "MB/s per core", "BBC set, one thread")
for key in sorted(k for k in stages if k.startswith("stage_")):
    row(f"stage {key[6:-13]}", stages[key], "MB/s per core", "BBC set, one thread")
if "gazetteer_matching_mb_per_cpu_s" in stages:
    row("gazetteer matching alone", stages["gazetteer_matching_mb_per_cpu_s"], "MB/s per core",
        f"BBC set, one thread: the alias matcher without case rules and article resolution, {int(stages['gazetteer_raw_matches'])} raw matches")
stages_fast = load_json("stages-fast.json")
if stages_fast and "stage_gazetteer_mb_per_cpu_s" in stages_fast:
    row("stage gazetteer, articleResolution: false (fast mode)", stages_fast["stage_gazetteer_mb_per_cpu_s"], "MB/s per core",
        "BBC set, one thread: matching, case rules and each hit's best entity, without the article-level pass")
row("all stages", stages["stages_all_mb_per_cpu_s"], "MB/s per core", "BBC set, one thread")
labels = {"bbc": "BBC set (2,225 files)", "big": f"{big_mb:.0f} MB corpus", "big-rerun": f"{big_mb:.0f} MB corpus, unchanged re-run",
          "big-rerun-cold": f"{big_mb:.0f} MB corpus, unchanged re-run with the page cache dropped first (an archive larger than memory)",
          "big-cold": f"{big_mb:.0f} MB corpus, fresh run with the page cache dropped first (read ahead of its files once they are found on disk)",
          "big-edit-cold": f"{big_mb:.0f} MB corpus, re-run after the gazetteer edit no article touches, with the page cache dropped first (the edited gazetteer's cache built before)",
          "big-edit": f"{big_mb:.0f} MB corpus, re-run after a gazetteer edit no article touches (a person without dates added; gazetteer rebuilt)",
          "big-topics": f"{big_mb:.0f} MB corpus, re-run after a topic setting change (topics made again, mentions kept)",
          "big-edit-2": f"{big_mb:.0f} MB corpus, re-run after a gazetteer edit many articles touch (an organization with the alias \"Labour\" added; gazetteer rebuilt)",
          "bbc-jobs1": "BBC set, --jobs 1", "big-fast": f"{big_mb:.0f} MB corpus, articleResolution: false (fast mode)",
          "big-notext": f"{big_mb:.0f} MB corpus, keepText: false (article texts not kept in the store)",
          "big-fast-notext": f"{big_mb:.0f} MB corpus, fast mode and keepText: false",
          "scaled": f"{scaled_mb:.0f} MB corpus into the {big_mb:.0f} MB run's store (memory check: peak RSS against the {big_mb:.0f} MB run)",
          "scaled-rerun": f"{scaled_mb:.0f} MB corpus, unchanged re-run (memory check)",
          "feed": f"the {big_mb:.0f} MB corpus's articles as one JSON-lines file ({feed_mb:.0f} MB)",
          "feed-scaled": f"{feed_scaled_mb:.0f} MB of articles as one JSON-lines file (memory check: peak RSS against the {feed_mb:.0f} MB file)"}
for name, run in runs.items():
    size = sizes[name]
    row(f"gazette tag, {labels[name]}", size / run["wall_s"], "MB/s",
        f"{run.get('spread', '')}{run['wall_s']:.2f} s wall incl. start-up, {run['cpu_s']:.2f} s CPU, {run['tagged']} tagged, "
        f"{run['skipped']} skipped, {(run['tagged'] + run['skipped']) / run['wall_s']:.0f} articles/s, "
        f"peak RSS {run['peak_rss_mb']:.0f} MB"
        + (f"; kept from the previous tagging: the topics of {run['kept_topics']}, the mentions of {run['kept_mentions']}"
           if run["kept_topics"] or run["kept_mentions"] else ""))

if "scaled" in runs:
    row(f"peak RSS, {scaled_mb:.0f} MB corpus ÷ {big_mb:.0f} MB corpus", f"{runs['scaled']['peak_rss_mb'] / runs['big']['peak_rss_mb']:.2f}",
        "x", f"fresh {runs['scaled']['peak_rss_mb']:.0f} / {runs['big']['peak_rss_mb']:.0f} MB; unchanged re-run "
        f"{runs['scaled-rerun']['peak_rss_mb']:.0f} / {runs['big-rerun']['peak_rss_mb']:.0f} MB "
        f"({runs['scaled-rerun']['peak_rss_mb'] / runs['big-rerun']['peak_rss_mb']:.2f}x)")
    if "feed-scaled" in runs and "feed" in runs:
        row(f"peak RSS, one {feed_scaled_mb:.0f} MB JSON-lines file ÷ one {feed_mb:.0f} MB file", f"{runs['feed-scaled']['peak_rss_mb'] / runs['feed']['peak_rss_mb']:.2f}",
            "x", f"{runs['feed-scaled']['peak_rss_mb']:.0f} / {runs['feed']['peak_rss_mb']:.0f} MB (a JSON-lines file is read in pieces of ~1 MiB)")
    wal = os.path.join(work, "scaled.wal")
    if os.path.exists(wal):
        row(f"largest WAL while tagging the {scaled_mb:.0f} MB corpus into the {big_mb:.0f} MB store", int(open(wal).read()) / 1e6,
            "MB", "polled every 50 ms; checkpoints come every ~41 MB of WAL (after the commit that crosses it: one batch can add its pages first), and the writer starts it over after each")


def stored_tags(store):
    """Every stored mention and topic, order aside (to compare runs with different --jobs)."""
    import sqlite3
    connection = sqlite3.connect(os.path.join(work, store + ".sqlite"))
    mentions = connection.execute(
        'SELECT a.key, e.key, m.start, m."end", m.surface FROM mentions m JOIN articles a ON a.id = m.article_id '
        "JOIN entities e ON e.id = m.entity_id ORDER BY 1, 3, 2").fetchall()
    topics = connection.execute(
        "SELECT a.key, t.label, t.score FROM topics t JOIN articles a ON a.id = t.article_id ORDER BY 1, 2").fetchall()
    connection.close()
    return mentions, topics


default_tags, one_job_tags = stored_tags("bbc"), stored_tags("jobs1")
row("BBC set: tags with default jobs = tags with --jobs 1", "yes" if default_tags == one_job_tags else "NO", "",
    f"{len(default_tags[0])} mentions, {len(default_tags[1])} topics compared")
if "big-cold" in runs:
    warm_tags, cold_tags = stored_tags("cold"), stored_tags("coldfresh")
    row(f"{big_mb:.0f} MB corpus: tags of the fresh run from disk = tags of a fresh run from memory", "yes" if warm_tags == cold_tags else "NO", "",
        f"{len(warm_tags[0])} mentions, {len(warm_tags[1])} topics compared")
gazette_big = big_mb / runs["big"]["wall_s"]
gazette_bbc = bbc_mb / runs["bbc"]["wall_s"]
if anchors:
    for corpus, gazette in (("bbc", gazette_bbc), ("big", gazette_big)):
        figures = anchors["corpora"].get(corpus)
        if not figures:
            continue
        for label in ("pyahocorasick", "flashtext"):
            f = figures[label]
            matching = stages.get("gazetteer_matching_mb_per_cpu_s")
            per_core = f"; Gazette matching per core/{label} = {matching / f['mb_per_s']:.1f}x" if matching else ""
            fast_stage = (stages_fast or {}).get("stage_gazetteer_mb_per_cpu_s")
            if fast_stage:
                per_core += f"; Gazette gazetteer stage in fast mode per core/{label} = {fast_stage / f['mb_per_s']:.1f}x"
            # Fast mode does the anchors' job (aliases to entities) plus reading, topics and the store.
            fast = (f"; Gazette tag in fast mode end to end/{label} = {big_mb / runs['big-fast']['wall_s'] / f['mb_per_s']:.1f}x"
                    if corpus == "big" else "")
            if corpus == "big" and "big-fast-notext" in runs:
                fast += (f"; the same without kept texts/{label} = "
                         f"{big_mb / runs['big-fast-notext']['wall_s'] / f['mb_per_s']:.1f}x")
            row(f"{label}, {labels[corpus]}", f["mb_per_s"], "MB/s",
                f"matching only, texts in memory, 1 process; {f['cpu_s']:.1f} s CPU; "
                f"Gazette tag end to end/{label} = {gazette / f['mb_per_s']:.1f}x{fast}{per_core}")
    if "spacy" in anchors:
        s = anchors["spacy"]
        row("spaCy en_core_web_sm NER, nlp.pipe 2 processes", s["mb_per_s"], "MB/s",
            f"{s['articles']} BBC articles, {s['articles_per_s']:.1f} articles/s; Gazette/spaCy = {gazette_bbc / s['mb_per_s']:.0f}x")


def fmt(value):
    if isinstance(value, float):
        return f"{value:.3f}" if value < 1 else f"{value:.2f}" if value < 100 else f"{value:.0f}"
    return str(value)


load = open("/proc/loadavg").read().split()[:3] if os.path.exists("/proc/loadavg") else ["?"]
commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
header = (f"Measured {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, commit {commit}, "
          f"{os.cpu_count()} cores, load average {' '.join(load)} at the end (a shared machine: CPU "
          f"times are the steadier figures). Command: `bash Benchmarks/run.sh`.")
table = ["| measure | value | unit | note |", "|---|---|---|---|"]
table += [f"| {m} | {fmt(v)} | {u} | {n} |" for m, v, u, n in rows]
with open(results_md, "w") as handle:
    handle.write("# Benchmark results\n\n" + header + "\n\n" + "\n".join(table) + "\n")
with open(results_csv, "w", newline="") as handle:
    writer = csv.writer(handle)
    writer.writerow(["measure", "value", "unit", "note"])
    writer.writerows(rows)
text = open(readme).read()
start, end = "<!-- benchmark:start -->", "<!-- benchmark:end -->"
if start in text and end in text:
    before, rest = text.split(start, 1)
    after = rest.split(end, 1)[1]
    text = before + start + "\n" + header + "\n\n" + "\n".join(table) + "\n" + end + after
    open(readme, "w").write(text)
