#!/usr/bin/env bash
# A soak (not a test): ten minutes of mixed traffic against one release node on SQLite with
# the demo content plus generated articles, sampling resident memory, open files and latency
# every 10 s (bench/soak.py says what the traffic is). Prints a table and the first-to-last
# comparison: memory and files should stay flat and p99 should not drift.
#
#   bench/soak.sh                                 # 600 s, 20,000 generated articles
#   DURATION=120 INTERVAL=5 ARTICLES=2000 bench/soak.sh
# Load only ever goes to 127.0.0.1, bounded in time.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-600}; INTERVAL=${INTERVAL:-10}; ARTICLES=${ARTICLES:-20000}
PORT=${PORT:-18095}
[[ "$DURATION" =~ ^[0-9]+$ && "$DURATION" -ge 10 && "$DURATION" -le 3600 ]] || { echo "DURATION must be 10..3600 s" >&2; exit 2; }
echo "== release build"
cargo build --release --locked -q
bin=$PWD/target/release/cong
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
# /metrics (token) for the visitors remembered and the page cache's bytes at each sample.
export CONG_METRICS__TOKEN=soak-metrics-token
export CONG_DATABASE__URL="sqlite://$work/cong.db" CONG_SITE__MEDIA_DIR="$work/media" CONG_SITE__SEARCH_DIR="$work/search"
"$bin" demo >/dev/null
"$bin" generate "$ARTICLES" >/dev/null 2>&1
echo 'Giấy trắng 2026!' | "$bin" user add bientap --role editor >/dev/null
article=$(sqlite3 "$work/cong.db" "SELECT id FROM articles WHERE status = 'published' ORDER BY id LIMIT 1 OFFSET 5")
"$bin" serve --listen "127.0.0.1:$PORT" >"$work/out.log" 2>"$work/err.log" &
pid=$!
for _ in $(seq 1 200); do curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
# The first start builds the search index (a few seconds, a few hundred MB for tantivy's
# writer); the soak measures the node at work, so it starts when the index is there.
for _ in $(seq 1 600); do grep -q 'search index built' "$work/err.log" && break; sleep 0.2; done
echo "== soak: $DURATION s against pid $pid (SQLite, demo + $ARTICLES articles, $(nproc) cores shared with the load)"
python3 bench/soak.py "$PORT" "$pid" "$DURATION" "$INTERVAL" bientap 'Giấy trắng 2026!' "$article"
echo "== the node's log: $(grep -c ' WARN ' "$work/err.log" || true) warnings, $(grep -c ' ERROR ' "$work/err.log" || true) errors, $(grep -c panicked "$work/err.log" || true) panics"
grep -E ' (WARN|ERROR) ' "$work/err.log" | sed -E 's/^[^ ]+ +//' | sort | uniq -c | sort -rn | head -n 8 || true
