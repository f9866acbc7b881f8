#!/usr/bin/env bash
# The README's test command: installs missing system libraries and test tools (headless chromium,
# networkx), then builds and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash Scripts/setup.sh --test-tools
swift test
