#!/usr/bin/env bash
# Search speed (not a test): generates 100,000 Vietnamese articles (ARTICLES to change),
# rebuilds the index from them and prints the reindex time, then runs a fixed mix of 200
# queries (with and without marks, phrases, section and date filters, later pages) PASSES
# times and prints p50/p99 per pass and for each query's best pass.
#
#   bench/search.sh            # 100,000 articles, 5 passes
#   ARTICLES=20000 PASSES=3 bench/search.sh
#
# Targets (issue 5): p99 ≤ 20 ms, reindex ≤ 60 s on the 2-core machine.
set -euo pipefail
cd "$(dirname "$0")/.."
articles="${ARTICLES:-100000}"
passes="${PASSES:-5}"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
cargo build --release --locked -p cong-search --example bench
echo "== cong-search: $articles articles, $passes passes of the query mix ($(nproc) cores)"
target/release/examples/bench "$articles" "$dir/index" "$passes"
