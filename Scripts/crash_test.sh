#!/usr/bin/env bash
# Kill harness: SIGKILL `gazette tag` at random moments, re-run it, and check that the store equals
# the one an uninterrupted run writes (no article missing, no mention/topic/text doubled or stale,
# `PRAGMA integrity_check` ok, foreign keys consistent).
#
#   Scripts/crash_test.sh [TRIALS] [ARTICLES]      defaults: 20 trials, 3000 articles
#
# Env: GAZETTE (binary, default .build/release/gazette, built if missing), SEED (default 1),
#      KEEP=1 keeps the work directory. Needs python3 (article generator) and the sqlite3 shell.
# Each trial starts from an empty store, kills 1–3 runs at random moments, then runs to completion
# and compares. A kill moment is drawn after the run has started tagging (its row appears in
# `runs`, i.e. the pipeline is loaded), uniform over 1.1 × the tagging time of the uninterrupted
# run, so kills land between and inside batch commits; the config is the shipped Pipeline.yaml with
# batchSize 50, for more commit boundaries to hit.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
trials="${1:-20}"
articles="${2:-3000}"
seed="${SEED:-1}"
gazette="${GAZETTE:-$root/.build/release/gazette}"
if [[ ! -x "$gazette" ]]; then swift build -c release --package-path "$root" --product gazette >&2; fi
work="$(mktemp -d /tmp/gazette-crash.XXXXXX)"
[[ "${KEEP:-0}" == 1 ]] || trap 'rm -rf "$work"' EXIT

# Articles written for this test from gazetteer names and filler words: .txt, .html and .jsonl
# files (20 lines each), deterministic for a seed.
python3 - "$work/in" "$articles" "$seed" <<'PY'
import json, os, random, sys
out, count, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(seed)
names = ["Berlin", "Paris", "London", "Moscow", "Tokyo", "Washington", "Beijing", "Nairobi", "Brazil",
         "Tony Blair", "Gordon Brown", "Vladimir Putin", "Angela Merkel", "George W. Bush", "NATO",
         "United Nations", "European Union", "World Bank", "Kyoto Protocol", "Microsoft", "Germany",
         "France", "India", "Chile", "Manchester", "Kenya", "Iraq", "Pakistan", "Bank of England"]
words = ("the minister said talks on the budget trade deal would continue next week while officials "
         "warned that growth shares markets election vote court league match season film music").split()
def body():
    sentences = []
    for _ in range(rng.randint(3, 12)):
        s = [rng.choice(words) for _ in range(rng.randint(6, 18))]
        for _ in range(rng.randint(0, 3)):
            s.insert(rng.randrange(len(s) + 1), rng.choice(names))
        sentences.append(" ".join(s).capitalize() + ".")
    return " ".join(sentences)
made = 0
folder = 0
while made < count:
    d = os.path.join(out, f"d{folder:03d}")
    os.makedirs(d, exist_ok=True)
    folder += 1
    for i in range(40):
        if made >= count: break
        kind = rng.random()
        title = f"Report {made}: " + rng.choice(names)
        if kind < 0.6:
            open(os.path.join(d, f"a{made}.txt"), "w").write(f"{title}\n\n{body()}\n")
            made += 1
        elif kind < 0.85:
            open(os.path.join(d, f"a{made}.html"), "w").write(
                f"<html><head><title>{title}</title></head><body><p>{body()}</p><p>{body()}</p></body></html>")
            made += 1
        else:
            lines = []
            for _ in range(min(20, count - made)):
                lines.append(json.dumps({"id": f"w{made}", "title": f"Wire {made}", "date": "2005-03-0%d" % rng.randint(1, 9), "text": body()}))
                made += 1
            open(os.path.join(d, f"w{made}.jsonl"), "w").write("\n".join(lines) + "\n")
PY

dump() {
    # Everything an article's tags consist of, by stable keys (ids may differ between stores).
    sqlite3 "$1" <<'SQL'
.mode list
SELECT 'A', key, path, line, source_id, content_hash, pipeline_hash, title, date, size FROM articles ORDER BY key;
SELECT 'M', a.key, e.key, e.name, e.type, m.start, m."end", m.surface FROM mentions m JOIN articles a ON a.id = m.article_id JOIN entities e ON e.id = m.entity_id ORDER BY 2, 6, 3;
SELECT 'K', a.key, e.key, x.mentions FROM article_entities x JOIN articles a ON a.id = x.article_id JOIN entities e ON e.id = x.entity_id ORDER BY 2, 3;
SELECT 'T', a.key, t.label, t.score FROM topics t JOIN articles a ON a.id = t.article_id ORDER BY 2, 3;
SELECT 'X', a.key, length(x.text), hex(substr(x.text, 1, 64)) FROM article_texts x JOIN articles a ON a.id = x.article_id ORDER BY 2;
SELECT 'E', key, name, type FROM entities ORDER BY key;
SQL
}
runs_in() {
    # Never let the sqlite3 shell create the store: only read an existing file.
    if [[ -f "$1" ]]; then sqlite3 "$1" 'SELECT count(*) FROM runs;' 2> /dev/null || echo 0; else echo 0; fi
}
check_store() {
    local ok fk
    ok="$(sqlite3 "$1" 'PRAGMA integrity_check;')"
    fk="$(sqlite3 "$1" 'PRAGMA foreign_key_check;')"
    [[ "$ok" == ok && -z "$fk" ]] || { echo "integrity_check: $ok; foreign_key_check: $fk" >&2; return 1; }
}

cd "$work"
sed -e "s#directory: Gazetteers#directory: $root/Gazetteers#" -e "s#model: Models/#model: $root/Models/#" \
    -e "s#batchSize: [0-9]*#batchSize: 50#" "$root/Pipeline.yaml" > Pipeline.yaml
grep -q "batchSize: 50" Pipeline.yaml || { echo "crash_test: could not set batchSize: 50 in a copy of Pipeline.yaml" >&2; exit 1; }
start=$(date +%s.%N)
"$gazette" tag in --db ref.sqlite --quiet > ref.out
reference_seconds=$(python3 -c "import time; print(round(time.time() - $start, 3))")
check_store ref.sqlite
dump ref.sqlite > ref.dump
echo "reference: $(cat ref.out)"
# The summary's seconds cover listing, tagging and writing; the rest of the wall time is loading.
tagging_seconds=$(sed -E 's/.*topics; ([0-9.]+) s,.*/\1/' ref.out)
load_seconds=$(python3 -c "print(max(0.0, $reference_seconds - $tagging_seconds))")
echo "reference wall time ${reference_seconds}s (loading ${load_seconds}s, tagging ${tagging_seconds}s); $(grep -c '^A' ref.dump) articles, $(grep -c '^M' ref.dump) mentions, $(grep -c '^T' ref.dump) topics"

RANDOM=$seed
failures=0 kills=0 midrun=0
for trial in $(seq 1 "$trials"); do
    rm -f trial.sqlite trial.sqlite-wal trial.sqlite-shm
    for k in $(seq 1 $((RANDOM % 3 + 1))); do
        delay=$(python3 -c "import random; random.seed($seed * 1000 + $trial * 10 + $k); print(round(random.uniform(0, 1.1 * $tagging_seconds), 3))")
        runs_before=$(runs_in trial.sqlite)
        "$gazette" tag in --db trial.sqlite --quiet > /dev/null 2>&1 &
        pid=$!
        while kill -0 "$pid" 2> /dev/null && [[ "$(runs_in trial.sqlite)" == "$runs_before" ]]; do sleep 0.02; done
        sleep "$delay"
        kills=$((kills + 1))
        if kill -0 "$pid" 2> /dev/null; then
            kill -KILL "$pid" 2> /dev/null && midrun=$((midrun + 1)) || true
        fi
        wait "$pid" 2> /dev/null || true
        stored=$( [[ -f trial.sqlite ]] && sqlite3 trial.sqlite 'SELECT count(*) FROM articles;' 2>/dev/null || echo 0)
        echo "trial $trial kill $k ${delay}s into tagging: $stored articles committed in all"
    done
    "$gazette" tag in --db trial.sqlite --quiet > trial.out 2> trial.err || { echo "trial $trial: re-run failed: $(cat trial.err)"; failures=$((failures + 1)); continue; }
    if ! check_store trial.sqlite; then echo "trial $trial: store check failed"; failures=$((failures + 1)); continue; fi
    dump trial.sqlite > trial.dump
    if cmp -s ref.dump trial.dump; then
        echo "trial $trial: re-run ($(cut -d';' -f1 trial.out)) equals the uninterrupted run"
    else
        echo "trial $trial: DIFFERS from the uninterrupted run:"; diff ref.dump trial.dump | head -20
        failures=$((failures + 1))
    fi
done
echo "summary: $trials trials, $kills kills ($midrun while gazette was running), $failures failures"
[[ $failures == 0 ]]
