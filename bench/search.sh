#!/usr/bin/env bash
# Search speed (not a test): generates 100,000 Vietnamese articles (ARTICLES to change),
# rebuilds the index from them and prints the reindex time, then runs a fixed mix of 200
# queries (with and without marks, phrases, section and date filters, later pages) PASSES
# times and prints p50/p99 per pass and for each query's best pass.
#
#   bench/search.sh            # 100,000 articles, 5 passes
#   ARTICLES=20000 PASSES=3 bench/search.sh
#   ARTICLES=1000000 PASSES=3 KEEP_INDEX=/var/tmp/search-1m bench/search.sh
#
# KEEP_INDEX=dir keeps the index in dir and, on the next run with the same ARTICLES (and
# DOCS), reuses it instead of rebuilding: a million articles take minutes and 2 GB to index,
# so iterate on query plans against one index built once. THREADS=1 keeps each search on
# one thread (by default a search running alone uses two).
#
# Targets (issue 5): p99 ≤ 20 ms, reindex ≤ 60 s on the 2-core machine.
set -euo pipefail
cd "$(dirname "$0")/.."
articles="${ARTICLES:-100000}"
passes="${PASSES:-5}"
if [ -n "${KEEP_INDEX:-}" ]; then
  dir="$KEEP_INDEX"
  mkdir -p "$dir"
else
  dir="$(mktemp -d)"
  trap 'rm -rf "$dir"' EXIT
fi
cargo build --release --locked -p cong-search --example bench
echo "== cong-search: $articles articles, $passes passes of the query mix ($(nproc) cores)"
target_dir="${CARGO_TARGET_DIR:-target}"
"$target_dir/release/examples/bench" "$articles" "$dir/index" "$passes"
