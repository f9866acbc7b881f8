#!/usr/bin/env bash
# Builds Gazette's libFuzzer targets and runs them.
#
#   Scripts/fuzz.sh build                 build every target (release, -sanitize=fuzzer)
#   Scripts/fuzz.sh smoke                 6 s per target (36 s in all): a quick check, CI-sized
#   Scripts/fuzz.sh run TARGET SECONDS    one target for SECONDS, e.g. `run FuzzNormalizer 600`
#   Scripts/fuzz.sh full [SECONDS]        every target one after another (default 600 s each), niced
#
# Targets: FuzzTextReader FuzzHTMLReader FuzzJSONLReader FuzzNormalizer FuzzTopicModel FuzzGazetteerStage.
# Corpora grow in Fuzz/corpus/<target> (not committed); seeds come from Fuzz/seeds/<target> and
# inputs that once crashed from Fuzz/regressions/<target>. Crashing inputs land in Fuzz/crashes/
# and the run exits non-zero.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
fuzz="$root/Fuzz"
targets=(FuzzTextReader FuzzHTMLReader FuzzJSONLReader FuzzNormalizer FuzzTopicModel FuzzGazetteerStage)

build() {
    # A build folder made before the main package's manifest changed can miss its new targets
    # ("no such module 'CPrefetch'"); start that one afresh.
    if [ -d "$fuzz/.build" ] && [ "$root/Package.swift" -nt "$fuzz/.build" ]; then
        echo "Package.swift is newer than Fuzz/.build: rebuilding from scratch" >&2
        rm -rf "$fuzz/.build"
    fi
    # Nor does it see a source file added to or removed from the main package ("cannot find
    # 'parallelMap' in scope" after a new file): the list of files is kept with the build folder.
    local files
    files="$(cd "$root" && find Sources -name '*.swift' -o -name '*.c' -o -name '*.cpp' -o -name '*.h' | sort)"
    if [ -d "$fuzz/.build" ] && [ "$files" != "$(cat "$fuzz/.build/gazette-sources.txt" 2>/dev/null)" ]; then
        echo "Gazette's source files changed since Fuzz/.build was made: rebuilding from scratch" >&2
        rm -rf "$fuzz/.build"
    fi
    # -sanitize=fuzzer instruments every Swift module (Gazette's included) for coverage and links
    # libFuzzer's main; -parse-as-library because the targets define no top-level code.
    swift build --package-path "$fuzz" -c release \
        -Xswiftc -sanitize=fuzzer -Xswiftc -parse-as-library >&2
    printf '%s\n' "$files" > "$fuzz/.build/gazette-sources.txt"
}

binary() { echo "$(swift build --package-path "$fuzz" -c release --show-bin-path)/$1"; }

run_one() {
    local target="$1" seconds="$2"
    mkdir -p "$fuzz/corpus/$target" "$fuzz/crashes"
    local seeds=()
    for extra in seeds regressions; do
        if [[ -d "$fuzz/$extra/$target" ]]; then seeds+=("$fuzz/$extra/$target"); fi
    done
    echo "== $target for ${seconds}s" >&2
    # Swift's own crash backtracer would take the trap before libFuzzer saves the crashing input.
    export SWIFT_BACKTRACE=enable=no
    # -rss_limit_mb bounds a run's memory; -max_len 64 KB keeps inputs article-sized.
    "$(binary "$target")" "$fuzz/corpus/$target" "${seeds[@]}" \
        -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=20 \
        -artifact_prefix="$fuzz/crashes/$target-" -print_final_stats=1
}

case "${1:-}" in
    build) build ;;
    smoke) build; for t in "${targets[@]}"; do run_one "$t" 6; done ;;
    run) build; run_one "$2" "${3:-600}" ;;
    full)
        build
        failed=0
        for t in "${targets[@]}"; do nice -n 19 "$0" _run "$t" "${2:-600}" || failed=1; done
        exit $failed ;;
    _run) run_one "$2" "$3" ;;
    *) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
