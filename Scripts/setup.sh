#!/usr/bin/env bash
# Installs the system libraries Gazette links against, when they are missing (Debian/Ubuntu):
# ICU, SQLite, zlib (gzip-compressed JSON-lines files), and tcmalloc (libgoogle-perftools-dev: the
# `gazette` executable links its static allocator, see Sources/CAllocator/CAllocator.c).
# With --test-tools (what Scripts/test.sh passes) it also installs the tools some tests use.
set -euo pipefail
test_tools=0
[ "${1:-}" = "--test-tools" ] && test_tools=1
if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
missing=()
for package in libicu-dev libsqlite3-dev libgoogle-perftools-dev zlib1g-dev pkg-config; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi

# Tools the inspect tests use when present: a headless chromium renders `show --html` and the network
# picture, networkx reads the GEXF/GraphML exports back. Their tests skip without them, so a failed
# install only warns. Chromium is installed on Debian only (Ubuntu's package is a snap wrapper that
# does not work in containers); measured: about 2 minutes and 350 MB. GAZETTE_SKIP_TEST_TOOLS=1 skips
# both.
if [ "$test_tools" = 1 ] && [ "${GAZETTE_SKIP_TEST_TOOLS:-0}" != 1 ]; then
    if ! command -v chromium >/dev/null 2>&1 && grep -q '^ID=debian' /etc/os-release 2>/dev/null; then
        echo "setup: installing chromium (headless browser for the HTML view tests)"
        { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null; } \
            || echo "setup: warning: chromium was not installed; the browser tests will be skipped"
    fi
    if command -v python3 >/dev/null 2>&1 && ! python3 -c "import networkx" >/dev/null 2>&1; then
        echo "setup: installing networkx for python3 (pip --user; reads the GEXF/GraphML exports back)"
        python3 -m pip install --quiet --user networkx \
            || echo "setup: warning: networkx was not installed; the networkx parse-back test will be skipped"
    fi
fi
