#!/bin/sh
# Trains the shipped default topic model, Models/topics-v1.model, on the BBC training split and
# scores it on the BBC test split (full articles, titles only, first sentences only).
# Run from the repository root; needs ../shared/data (see Models/README.md for provenance).
set -eu
DATA=../shared/data/topics
swift build -c release --product gazette
GAZETTE=.build/release/gazette
$GAZETTE train --data "$DATA/bbc" --split "$DATA/bbc-split.tsv" --output Models/topics-v1.model \
    --seed 1 --fragments 6 --naive-bayes 1
for view in full title first-sentence; do
    $GAZETTE eval topics --model Models/topics-v1.model --data "$DATA/bbc" --split "$DATA/bbc-split.tsv" \
        --view "$view"
done
