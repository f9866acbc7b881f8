#!/usr/bin/env bash
# The Spark integration check: tags a few thousand BBC articles (JSON lines) with
# Scripts/spark_tag.py in Spark local mode with 2 workers, stores the result with `gazette load`,
# tags the same files with `gazette tag`, and compares the two stores exhaustively
# (Scripts/compare_stores.py: same articles by content hash, same mentions, topics, entity counts,
# `gazette entities` and `gazette cooccur` output). Exits non-zero on any difference.
#
#   bash Scripts/spark_check.sh
#
# Needs Java 17+ and ../shared/data/topics/bbc. Makes its own venv (Scripts/.venv-spark, with
# pyspark from PyPI) and the release build when they are missing. Corpus text is written to a
# temporary folder only, removed at the end (kept with SPARK_CHECK_KEEP=1).
# Settings (environment): GAZETTE=binary (default .build/release/gazette, built when missing),
# SPARK_CHECK_ARTICLES (default 4000), SPARK_CHECK_VENV (default Scripts/.venv-spark).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ARTICLES="${SPARK_CHECK_ARTICLES:-4000}"
VENV="${SPARK_CHECK_VENV:-$REPO/Scripts/.venv-spark}"
BBC="$REPO/../shared/data/topics/bbc"
PYSPARK_VERSION="4.3.0"
START=$(date +%s%N)

step() { local ms=$(( ($(date +%s%N) - START) / 1000000 )); printf '[spark_check %4d.%01d s] %s\n' $((ms / 1000)) $((ms % 1000 / 100)) "$*"; }
fail() { echo "spark_check: FAILED: $*" >&2; exit 1; }

[ -d "$BBC" ] || fail "$BBC: no BBC corpus here (see ../shared/data/README.md)"
java -version >/dev/null 2>&1 || fail "no java on PATH; Spark needs Java 17 or later (apt-get install openjdk-17-jre-headless)"

if [ ! -x "$VENV/bin/python" ]; then
    step "creating $VENV"
    python3 -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c "import pyspark" 2>/dev/null; then
    step "installing pyspark $PYSPARK_VERSION from PyPI into $VENV"
    "$VENV/bin/pip" install --quiet "pyspark==$PYSPARK_VERSION"
fi

GAZETTE="${GAZETTE:-$REPO/.build/release/gazette}"
if [ ! -x "$GAZETTE" ]; then
    step "building the release binary"
    (cd "$REPO" && swift build -c release)
fi
[ -x "$GAZETTE" ] || fail "$GAZETTE: no gazette binary"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/gazette-spark-check.XXXXXX")"
if [ "${SPARK_CHECK_KEEP:-0}" = 1 ]; then
    echo "spark_check: keeping $WORK"
else
    trap 'rm -rf "$WORK"' EXIT
fi

step "writing $ARTICLES BBC articles as JSON lines"
python3 "$REPO/Scripts/bbc_jsonl.py" "$WORK/articles" --bbc "$BBC" --articles "$ARTICLES" --files 8
# Two lines that are not articles: their error records must come through Spark and be counted.
printf '%s\n' '{"id": "broken-text", "text": 5}' 'this line is not JSON' > "$WORK/articles/broken.jsonl"

step "tagging with Spark (local[2]): Scripts/spark_tag.py"
"$VENV/bin/python" "$REPO/Scripts/spark_tag.py" "$WORK/articles" "$WORK/spark-tags" \
    --gazette "$GAZETTE" --gazette-home "$REPO" --master 'local[2]' 2> "$WORK/spark.log" \
    || { tail -40 "$WORK/spark.log" >&2; fail "spark_tag.py failed (log above)"; }
SUMMARY="$(grep -o 'spark_tag.py: .* records under .*' "$WORK/spark.log" || true)"
echo "$SUMMARY"
PARTS=$(ls "$WORK/spark-tags"/part-* | wc -l)
[ "$PARTS" -ge 2 ] || fail "Spark wrote $PARTS output file(s); expected one per input partition"
echo "$SUMMARY" | grep -q ": $ARTICLES tagged, 2 error records$" \
    || fail "spark_tag.py should report $ARTICLES tagged and 2 error records"
grep -q '"id":"broken-text","line":1,"error":' "$WORK"/spark-tags/part-* \
    || fail "the error record of broken-text is missing from the Spark output"

step "storing the Spark output: gazette load ($PARTS files)"
"$GAZETTE" load "$WORK"/spark-tags/part-* --db "$WORK/spark.sqlite" | tee "$WORK/load.out"
grep -q "^loaded $ARTICLES, unchanged 0, error records 2, unreadable lines 0;" "$WORK/load.out" \
    || fail "gazette load should load $ARTICLES articles and count 2 error records"

step "tagging the same files with gazette tag"
# Exit status 1 is expected: the two broken lines fail; the summary says how many.
set +e
"$GAZETTE" tag "$WORK/articles" --db "$WORK/tag.sqlite" --config "$REPO/Pipeline.yaml" --quiet \
    > "$WORK/tag.out" 2> "$WORK/tag.err"
set -e
cat "$WORK/tag.out"
grep -q "^tagged $ARTICLES, skipped 0, failed 2 articles;" "$WORK/tag.out" \
    || { cat "$WORK/tag.err" >&2; fail "gazette tag should tag $ARTICLES articles and fail 2"; }

step "comparing the stores"
python3 "$REPO/Scripts/compare_stores.py" "$WORK/tag.sqlite" "$WORK/spark.sqlite" --gazette "$GAZETTE" \
    || fail "the Spark store differs from the gazette tag store"
step "passed: Spark output equals gazette tag on $ARTICLES articles"
