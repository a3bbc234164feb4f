#!/usr/bin/env bash
# Many sites on one node (not a test): 50 sites and 1,000,000 articles spread over them, on
# loopback, with interleaved, repeated wrk runs.
#
#   bench/sites.sh                         # 50 sites, 1,000,000 generated articles
#   SITES=10 ARTICLES=100000 DUR=5 REPS=2 bench/sites.sh
#
# It builds the release binary, fills a SQLite database (the demo as site 1, then SITES - 1
# sites from `cong site add`, then `cong generate --sites`, whose site 1 section "Tin từ các
# sở, ngành" gathers every other site, then `cong reindex`; kept in bench/work-sites/ for the
# next run with the same figures), starts cong with its page cache and cong without, and has
# nginx serve a component site's article page as a static file. Prints req/s and p50/p99 of:
# that article page on cong (by its site's Host) against nginx; the portal's gathering section
# with the cache and without (page 1, and page 50: its last, as it lists the newest 500);
# then the resident memory of the caching node after it has kept every site's home, section
# pages and twenty articles of each site.
# Load only ever goes to 127.0.0.1, bounded in time.
set -euo pipefail
cd "$(dirname "$0")/.."
SITES=${SITES:-50}
ARTICLES=${ARTICLES:-1000000}
DUR=${DUR:-10}; REPS=${REPS:-3}; CONNS=${CONNS:-"8 64"}; WARM=${WARM:-3}
WORK=${WORK:-bench/work-sites}
PORT=18100; NOCACHE_PORT=18101; NGINX_PORT=18103
[[ "$DUR" =~ ^[0-9]+$ && "$DUR" -ge 1 && "$DUR" -le 60 ]] || { echo "DUR must be 1..60 s" >&2; exit 2; }
[[ "$SITES" =~ ^[0-9]+$ && "$SITES" -ge 2 && "$SITES" -le 500 ]] || { echo "SITES must be 2..500" >&2; exit 2; }

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
host() { echo "s$1.bench.test"; }   # site N's host name (wrk and curl send it as Host)
if [ "$(cat "$WORK/corpus" 2>/dev/null)" != "$SITES $ARTICLES" ]; then
  echo "== corpus: the demo, $((SITES - 1)) more sites, $ARTICLES generated articles over $SITES sites"
  rm -rf "$WORK"/{cong.db*,media,search,search-b,corpus}
  "$bin" demo >/dev/null
  "$bin" site set 1 --address "http://$(host 1):$PORT" >/dev/null
  for n in $(seq 2 "$SITES"); do
    "$bin" site add "Đơn vị thử nghiệm $n" --address "http://$(host "$n"):$PORT" >/dev/null
  done
  /usr/bin/time -f "generate: %e s wall, %M KB max RSS" "$bin" generate "$ARTICLES" --sites "$SITES"
  /usr/bin/time -f "reindex: %e s wall, %M KB max RSS" "$bin" reindex
  echo "$SITES $ARTICLES" > "$WORK/corpus"
fi
[ -d "$WORK/search-b" ] || cp -r "$WORK/search" "$WORK/search-b"
ls -l "$WORK/cong.db" | awk '{printf "database: %.0f MB\n", $5/1e6}'

# A component site's article in the middle of the list, and the portal's gathering section.
COMPONENT=$(( SITES * 3 / 4 ))
read -r ART_SLUG GATHER_SLUG GATHER_N < <(python3 - "$WORK/cong.db" "$COMPONENT" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
slug = db.execute("SELECT slug FROM articles WHERE site_id = ? AND status = 'published' "
                  "ORDER BY published_at DESC LIMIT 1 OFFSET 100", (int(sys.argv[2]),)).fetchone()[0]
g = db.execute("SELECT s.slug, COUNT(*) FROM sections s JOIN section_sources x ON x.section_id = s.id "
               "WHERE s.site_id = 1 GROUP BY s.slug").fetchone()
print(slug, g[0], g[1])
PY
)
echo "component site $COMPONENT ($(host "$COMPONENT")): /bai-viet/$ART_SLUG"
echo "portal gathering section: /chuyen-muc/$GATHER_SLUG, gathering $GATHER_N sites"

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$WORK/nginx/nginx.pid" ] && nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -s stop 2>/dev/null || true
}
trap cleanup EXIT
start_cong() {  # port, extra env...; sets CONG_PID once the component's article answers 200
  local port=$1; shift
  env "$@" "$bin" serve --listen "127.0.0.1:$port" > "$WORK/cong-$port.log" 2>&1 &
  CONG_PID=$!; pids+=("$CONG_PID")
  until [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Host: $(host "$COMPONENT")" "http://127.0.0.1:$port/bai-viet/$ART_SLUG")" = 200 ]; do
    kill -0 "$CONG_PID" 2>/dev/null || { cat "$WORK/cong-$port.log" >&2; exit 1; }
    sleep 0.01
  done
}
echo "== starting cong (cache on, :$PORT) and cong (cache off, :$NOCACHE_PORT)"
start_cong "$PORT"; MAIN=$CONG_PID
start_cong "$NOCACHE_PORT" CONG_CACHE__ENABLED=false CONG_SITE__SEARCH_DIR="$WORK/search-b"; NOCACHE=$CONG_PID

echo "== nginx serving the component's article page as a static file (:$NGINX_PORT)"
mkdir -p "$WORK/nginx/html" "$WORK/nginx/logs"
curl -s -A bench-copy -H "Host: $(host "$COMPONENT")" "http://127.0.0.1:$PORT/bai-viet/$ART_SLUG" > "$WORK/nginx/html/article.html"
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

declare -A URL=(
  [nginx_static]="http://127.0.0.1:$NGINX_PORT/article.html"
  [component_article]="http://127.0.0.1:$PORT/bai-viet/$ART_SLUG"
  [gathering_cached]="http://127.0.0.1:$PORT/chuyen-muc/$GATHER_SLUG"
  [gathering_uncached]="http://127.0.0.1:$NOCACHE_PORT/chuyen-muc/$GATHER_SLUG"
  [gathering_uncached_p50]="http://127.0.0.1:$NOCACHE_PORT/chuyen-muc/$GATHER_SLUG?page=50"
)
declare -A HOST=(
  [nginx_static]="127.0.0.1" [component_article]="$(host "$COMPONENT")"
  [gathering_cached]="$(host 1)" [gathering_uncached]="$(host 1)" [gathering_uncached_p50]="$(host 1)"
)
TARGETS=${TARGETS:-"nginx_static component_article gathering_cached gathering_uncached gathering_uncached_p50"}
for t in $TARGETS; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Host: ${HOST[$t]}" "${URL[$t]}")
  [ "$code" = 200 ] || { echo "$t answered $code" >&2; exit 1; }
done

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
  out=$(wrk -t2 -c"$c" -d"${DUR}s" --latency -s "$lua" -H "Host: ${HOST[$t]}" "${URL[$t]}" | grep '^BENCH')
  echo "$out" | awk -v t="$t" -v c="$c" -v r="$r" '{for(i=2;i<=NF;i++){split($i,kv,"=");v[kv[1]]=kv[2]}
    printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t, c, r, v["rps"], v["p50_ms"], v["p99_ms"], v["bpr"], v["errors"]}' | tee -a "$runs"
}
echo "== wrk: ${DUR}s per run, $REPS reps, conns $CONNS, targets rotated each rep"
for t in $TARGETS; do wrk -t2 -c8 -d"${WARM}s" -H "Host: ${HOST[$t]}" "${URL[$t]}" >/dev/null; done
read -r -a tl <<< "$TARGETS"; n=${#tl[@]}
for rep in $(seq 1 "$REPS"); do
  for c in $CONNS; do
    for i in $(seq 0 $((n-1))); do wrk_one "${tl[$(( (i+rep-1) % n ))]}" "$c" "$rep"; done
  done
done

echo "== every site's pages kept: home, each section's first page, twenty articles of each site"
rss_before=$(awk '/VmRSS/{print $2}' /proc/$MAIN/status)
kept=$(python3 - "$WORK/cong.db" "$PORT" "$SITES" <<'PY'
import http.client, sqlite3, sys, threading
db = sqlite3.connect(sys.argv[1]); port = int(sys.argv[2]); sites = int(sys.argv[3])
work = []
for n in range(1, sites + 1):
    host = f"s{n}.bench.test"
    work.append((host, "/"))
    for (slug,) in db.execute("SELECT slug FROM sections WHERE site_id = ?", (n,)):
        work.append((host, f"/chuyen-muc/{slug}"))
    for (slug,) in db.execute("SELECT slug FROM articles WHERE site_id = ? AND status = 'published' "
                              "ORDER BY published_at DESC LIMIT 20", (n,)):
        work.append((host, f"/bai-viet/{slug}"))
ok, lock = [0], threading.Lock()
def worker(k):
    c = http.client.HTTPConnection("127.0.0.1", port)
    for host, path in work[k::8]:
        c.request("GET", path, headers={"Host": host, "User-Agent": "bench-warm"})
        r = c.getresponse(); r.read()
        if r.status == 200:
            with lock: ok[0] += 1
ts = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
[t.start() for t in ts]; [t.join() for t in ts]
print(ok[0], len(work))
PY
)
rss_after=$(awk '/VmRSS/{print $2}' /proc/$MAIN/status)

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
        rps = f('rps'); m = st.median(rps); med[t, c] = m
        print(f"| {t} | {c} | {m:,.0f} [{min(rps):,.0f}–{max(rps):,.0f}] | {st.median(f('p50_ms')):.2f} "
              f"| {st.median(f('p99_ms')):.2f} | {st.median(f('bytes')):,.0f} | {sum(int(r['errors']) for r in rs)} |")
print()
for c in sys.argv[3].split():
    r = lambda a, b: med[a, c] / med[b, c] if med.get((b, c)) and (a, c) in med else float('nan')
    print(f"c={c}: component article / nginx {r('component_article', 'nginx_static'):.2f}  "
          f"uncached gathering page 50 (its last) / page 1 {r('gathering_uncached_p50', 'gathering_uncached'):.2f}")
PY
read -r kept_ok kept_n <<< "$kept"
echo "pages kept: $kept_ok of $kept_n answered 200; resident memory $((rss_before / 1024)) MB before, $((rss_after / 1024)) MB after"
stop() { kill -TERM "$1" 2>/dev/null || true; while kill -0 "$1" 2>/dev/null; do sleep 0.05; done; }
stop "$NOCACHE"; stop "$MAIN"
