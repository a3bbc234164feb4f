#!/usr/bin/env bash
# Page speed (not a test): cong's cached pages against nginx serving the same bytes as a
# static file, on loopback, with interleaved, repeated wrk runs at c=8 and c=64.
#
#   bench/pages.sh                         # 1,000,000 generated articles
#   ARTICLES=100000 DUR=5 REPS=2 bench/pages.sh
#   WORDPRESS=1 bench/pages.sh             # also stock WordPress (../shared/bench/anchors)
#
# It builds the release binary, fills a SQLite database (demo content, then `cong generate`,
# then `cong reindex`, kept in bench/work/ for the next run with the same ARTICLES), starts
# cong, saves cong's own article page for nginx, runs wrk, and prints req/s and p50/p99 for
# each target with the ratios the targets of issue 6 are stated in. Then: resident memory,
# cold start to the first 200 with the whole corpus, and the exact count check (dedupe 0,
# distinct visitors: the stored count rises by exactly the number of 200 answers).
# Load only ever goes to 127.0.0.1, bounded in time.
set -euo pipefail
cd "$(dirname "$0")/.."
ARTICLES=${ARTICLES:-1000000}
DUR=${DUR:-10}; REPS=${REPS:-3}; CONNS=${CONNS:-"8 64"}; WARM=${WARM:-3}
CHECK_VIEWS=${CHECK_VIEWS:-20000}
WORK=${WORK:-bench/work}
PORT=18090; NOCACHE_PORT=18091; NGINX_PORT=18093
[[ "$DUR" =~ ^[0-9]+$ && "$DUR" -ge 1 && "$DUR" -le 60 ]] || { echo "DUR must be 1..60 s" >&2; exit 2; }

need=""
for t in wrk nginx curl python3; do command -v "$t" >/dev/null || need="$need $t"; done
if [ -n "$need" ]; then
  echo "== installing:$need"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >/dev/null
fi

echo "== release build"
cargo build --release --locked -q
bin=$PWD/target/release/cong
mkdir -p "$WORK"; WORK=$(cd "$WORK" && pwd)
export CONG_DATABASE__URL="sqlite://$WORK/cong.db"
export CONG_SITE__MEDIA_DIR="$WORK/media" CONG_SITE__SEARCH_DIR="$WORK/search"
export CONG_STATS__VIEW_DEDUPE=0s
if [ "$(cat "$WORK/articles" 2>/dev/null)" != "$ARTICLES" ]; then
  echo "== corpus: demo content + $ARTICLES generated articles"
  rm -rf "$WORK"/{cong.db*,media,search,articles}
  "$bin" demo
  /usr/bin/time -f "generate: %e s wall, %M KB max RSS" "$bin" generate "$ARTICLES"
  /usr/bin/time -f "reindex: %e s wall, %M KB max RSS" "$bin" reindex
  # The cache-less node needs an index of its own (one index, one process).
  rm -rf "$WORK/search-b"; cp -r "$WORK/search" "$WORK/search-b"
  echo "$ARTICLES" > "$WORK/articles"
fi
[ -d "$WORK/search-b" ] || cp -r "$WORK/search" "$WORK/search-b"
ls -l "$WORK/cong.db" | awk '{printf "database: %.0f MB\n", $5/1e6}'

REF=/bai-viet/hoi-nghi-tap-huan-ve-de-xuat-va-trien-khai-thuc-hien-cac-nhiem-vu-kh-cn-cho-cac-co-quan-khoi-dang
read -r BIG_ID BIG_SLUG BIG_N < <(python3 - "$WORK/cong.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(*db.execute("SELECT s.id, s.slug, COUNT(*) n FROM articles a JOIN sections s ON s.id = a.section_id "
                  "WHERE a.status = 'published' GROUP BY s.id ORDER BY n DESC LIMIT 1").fetchone())
PY
)
echo "largest section: $BIG_SLUG ($BIG_N articles; page 5,000 is rows 49,991-50,000)"
ref_id=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT id FROM articles WHERE slug = ?\", (sys.argv[2],)).fetchone()[0])" "$WORK/cong.db" "${REF#/bai-viet/}")
stored_views() {
  python3 -c "import sqlite3,sys; r=sqlite3.connect(sys.argv[1]).execute('SELECT views FROM article_views WHERE article_id = ?', (int(sys.argv[2]),)).fetchone(); print(r[0] if r else 0)" "$WORK/cong.db" "$ref_id"
}

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$WORK/nginx/nginx.pid" ] && nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -s stop 2>/dev/null || true
}
trap cleanup EXIT

start_cong() {  # port, extra env...; sets CONG_PID, and STARTUP: seconds to the first 200 of the article
  local port=$1; shift
  local t0; t0=$(date +%s%N)
  env "$@" "$bin" serve --listen "127.0.0.1:$port" > "$WORK/cong-$port.log" 2>&1 &
  CONG_PID=$!; pids+=("$CONG_PID")
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port$REF")" = 200 ]; do
    kill -0 "$CONG_PID" 2>/dev/null || { cat "$WORK/cong-$port.log" >&2; exit 1; }
    sleep 0.005
  done
  STARTUP=$(awk -v ns=$(( $(date +%s%N) - t0 )) 'BEGIN{printf "%.3f", ns/1e9}')
}
stop_cong() {  # pid: graceful stop, waits for the last flush
  kill -TERM "$1" 2>/dev/null || true; while kill -0 "$1" 2>/dev/null; do sleep 0.05; done
}

echo "== starting cong (cache on, :$PORT) and cong (cache off, :$NOCACHE_PORT)"
start_cong "$PORT" CONG_SERVER__PUBLIC_URL="http://127.0.0.1:$PORT"; MAIN=$CONG_PID
start_cong "$NOCACHE_PORT" CONG_CACHE__ENABLED=false CONG_SITE__SEARCH_DIR="$WORK/search-b" CONG_SERVER__PUBLIC_URL="http://127.0.0.1:$PORT"; NOCACHE=$CONG_PID

echo "== nginx serving cong's article page as a static file (:$NGINX_PORT)"
mkdir -p "$WORK/nginx/html" "$WORK/nginx/logs"
curl -s -A bench-copy "http://127.0.0.1:$PORT$REF" > "$WORK/nginx/html/article.html"
cat > "$WORK/nginx/nginx.conf" <<NGINX
worker_processes auto;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on; tcp_nopush on;
  keepalive_requests 1000000;
  types { text/html html; }
  server { listen 127.0.0.1:$NGINX_PORT; root $WORK/nginx/html; }
}
NGINX
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf"

base=http://127.0.0.1:$PORT
declare -A URL=(
  [nginx_static]="http://127.0.0.1:$NGINX_PORT/article.html"
  [cong_article]="$base$REF"
  [cong_article_br]="$base$REF"
  [cong_article_gzip]="$base$REF"
  [cong_section]="$base/chuyen-muc/$BIG_SLUG"
  [cong_page5000]="$base/chuyen-muc/$BIG_SLUG?page=5000"
  [cong_home]="$base/"
  [nocache_page1]="http://127.0.0.1:$NOCACHE_PORT/chuyen-muc/$BIG_SLUG"
  [nocache_page5000]="http://127.0.0.1:$NOCACHE_PORT/chuyen-muc/$BIG_SLUG?page=5000"
)
declare -A HDR=([cong_article_br]="Accept-Encoding: br, gzip" [cong_article_gzip]="Accept-Encoding: gzip")
TARGETS=${TARGETS:-"nginx_static cong_article cong_article_br cong_article_gzip cong_section cong_page5000 cong_home nocache_page1 nocache_page5000"}
for t in $TARGETS; do
  code=$(curl -s -o /dev/null -w '%{http_code}' ${HDR[$t]:+-H "${HDR[$t]}"} "${URL[$t]}")
  [ "$code" = 200 ] || { echo "$t answered $code" >&2; exit 1; }
done
echo "static copy: $(wc -c < "$WORK/nginx/html/article.html") bytes (cong's live page differs only in its numbers)"

lua=$WORK/report.lua
cat > "$lua" <<'LUA'
done = function(summary, latency, requests)
  local s = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format("BENCH reqs=%d rps=%.1f bpr=%.0f p50_ms=%.3f p99_ms=%.3f errors=%d\n",
    summary.requests, summary.requests / s, summary.bytes / math.max(summary.requests, 1),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.status + e.timeout))
end
LUA
runs=$WORK/runs.tsv
printf 'target\tconns\trep\trps\tp50_ms\tp99_ms\tbytes\terrors\n' > "$runs"
wrk_one() {  # target conns rep
  local t=$1 c=$2 r=$3 out
  out=$(wrk -t2 -c"$c" -d"${DUR}s" --latency -s "$lua" ${HDR[$t]:+-H "${HDR[$t]}"} "${URL[$t]}" | grep '^BENCH')
  echo "$out" | awk -v t="$t" -v c="$c" -v r="$r" '{for(i=2;i<=NF;i++){split($i,kv,"=");v[kv[1]]=kv[2]}
    printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t, c, r, v["rps"], v["p50_ms"], v["p99_ms"], v["bpr"], v["errors"]}' | tee -a "$runs"
}
echo "== wrk: ${DUR}s per run, $REPS reps, conns $CONNS, targets rotated each rep"
for t in $TARGETS; do wrk -t2 -c8 -d"${WARM}s" ${HDR[$t]:+-H "${HDR[$t]}"} "${URL[$t]}" >/dev/null; done
read -r -a tl <<< "$TARGETS"; n=${#tl[@]}
for rep in $(seq 1 "$REPS"); do
  for c in $CONNS; do
    for i in $(seq 0 $((n-1))); do wrk_one "${tl[$(( (i+rep-1) % n ))]}" "$c" "$rep"; done
  done
done
rss_kb=$(awk '/VmRSS/{print $2}' /proc/$MAIN/status)

echo "== exact count check and cold start"
stop_cong "$NOCACHE"
stop_cong "$MAIN"
before=$(stored_views)
start_cong "$PORT" CONG_SERVER__PUBLIC_URL="http://127.0.0.1:$PORT"; MAIN=$CONG_PID; cold=$STARTUP
ok=$(python3 - "http://127.0.0.1:$PORT$REF" "$CHECK_VIEWS" <<'PY'
import http.client, sys, threading, urllib.parse
url, n = urllib.parse.urlsplit(sys.argv[1]), int(sys.argv[2])
threads, ok, lock = 32, [0], threading.Lock()
def worker(k):
    c = http.client.HTTPConnection(url.hostname, url.port)
    for i in range(k, n, threads):
        # A distinct reader each time: a browser User-Agent with a serial number.
        c.request("GET", url.path, headers={"User-Agent": f"Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Reader/{i}"})
        r = c.getresponse(); r.read()
        if r.status == 200:
            with lock: ok[0] += 1
ts = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
[t.start() for t in ts]; [t.join() for t in ts]
print(ok[0])
PY
)
stop_cong "$MAIN"
after=$(stored_views)

python3 - "$runs" "$TARGETS" "$CONNS" <<'PY'
import csv, statistics as st, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter='\t'))
med = {}
print("| target | conns | req/s median [min–max] | p50 ms | p99 ms | bytes/resp | errors |")
print("|---|---|---|---|---|---|---|")
for t in sys.argv[2].split():
    for c in sys.argv[3].split():
        rs = [r for r in rows if r['target'] == t and r['conns'] == c]
        if not rs: continue
        f = lambda k: [float(r[k]) for r in rs]
        rps = f('rps'); m = st.median(rps); med[t, c] = (m, st.median(f('p99_ms')))
        print(f"| {t} | {c} | {m:,.0f} [{min(rps):,.0f}–{max(rps):,.0f}] | {st.median(f('p50_ms')):.2f} "
              f"| {st.median(f('p99_ms')):.2f} | {st.median(f('bytes')):,.0f} | {sum(int(r['errors']) for r in rs)} |")
print()
for c in sys.argv[3].split():
    r = lambda a, b: med[a, c][0] / med[b, c][0] if (a, c) in med and (b, c) in med else float('nan')
    print(f"c={c}: article/nginx {r('cong_article', 'nginx_static'):.2f} (target ≥ 0.8)  "
          f"br/plain {r('cong_article_br', 'cong_article'):.2f}  gzip/plain {r('cong_article_gzip', 'cong_article'):.2f} (≥ 0.7)  "
          f"page5000/section {r('cong_page5000', 'cong_section'):.2f}  uncached page5000/page1 {r('nocache_page5000', 'nocache_page1'):.2f} (≥ 0.8)  "
          f"article p99 {med.get(('cong_article', c), (0, float('nan')))[1]:.2f} ms (≤ 5 at c=64)")
PY
echo "resident memory after the runs: $((rss_kb / 1024)) MB (target ≤ 200)"
echo "cold start to the first 200 of the article: ${cold} s (target ≤ 0.5)"
echo "count check: $ok answers 200 from $CHECK_VIEWS distinct readers; stored views $before → $after (+$((after - before)))" \
  "$([ $((after - before)) = "$ok" ] && echo EXACT || echo MISMATCH)"

if [ "${WORDPRESS:-0}" = 1 ]; then
  echo "== stock WordPress and nginx static (../shared/bench/anchors)"
  DUR=$DUR REPS=$REPS TARGETS="wp_post static_post" ../shared/bench/anchors/run.sh
fi
