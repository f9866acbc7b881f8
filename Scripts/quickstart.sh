#!/usr/bin/env bash
# The README's set-up-and-run command: installs missing system libraries, builds a release binary,
# tags the bundled sample articles with the bundled gazetteers and model, and shows the result.
set -euo pipefail
cd "$(dirname "$0")/.."
bash Scripts/setup.sh
swift build -c release
gazette=.build/release/gazette
db=${GAZETTE_DB:-Samples/gazette.sqlite}
rm -f "$db" "$db-wal" "$db-shm"
"$gazette" tag Samples/articles --db "$db"
echo
"$gazette" show Samples/articles/politics/budget-row.txt --db "$db"
echo
"$gazette" entities --db "$db" --top 10
echo
"$gazette" cooccur --db "$db" --types person,place --min-count 1 | head -n 8
