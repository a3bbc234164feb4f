#!/usr/bin/env bash
# HTTPS speed (not a test): cong's own TLS (rustls, `server.tls.mode = "files"`) against
# nginx serving the same bytes as a static file over TLS with the same certificate, on
# loopback, both in one run, targets rotated every repetition.
#
#   bench/tls.sh
#   DUR=5 REPS=2 bench/tls.sh
#   KEY=rsa bench/tls.sh                  # RSA 2048 certificate instead of ECDSA P-256
#   CONG_BIN=target/debug/cong TARGETS=nginx DUR=2 REPS=1 bench/tls.sh   # try the script:
#       nginx's side only (cong then runs plain HTTP, only to give its page); no figures
#
# It builds the release binary, makes a self-signed certificate for localhost/127.0.0.1
# with the openssl CLI, starts cong on the demo content (SQLite in bench/work-tls/, made
# afresh each run, `stats.view_dedupe = 0` so every request is a counted view) with HTTPS
# from that certificate, saves cong's reference article page, serves those bytes from nginx
# over TLS (TLS 1.2 and 1.3, h2 and http/1.1 by ALPN, the session settings of
# deploy/nginx/cong-tls.conf), and measures four kinds of load, each DUR s per run:
#
#   h1      HTTP/1.1 keep-alive over TLS: wrk -t2, c=8 and c=64
#   h2      HTTP/2: h2load -t2, c=8 and c=64, 10 concurrent streams per connection (-m 10)
#   resume  a new TLS connection for every request: wrk -t2 with `Connection: close`, c=8 and
#           c=64. wrk keeps each connection's TLS session for the next one (SSL_clear), so
#           these are RESUMED handshakes (TLS 1.3 PSK with a new ECDHE key exchange, no
#           certificate signature): what a returning browser costs.
#   full    FULL handshakes: `openssl s_time -new` (never a resumed session), HS_PROCS
#           processes at once (default 8), each one connection at a time: handshake, one
#           `GET <page> HTTP/1.0` (no Host header: both targets answer it with the page,
#           checked through the bytes read), close. Its figure is connections per second.
#
# and prints, per kind and concurrency, the median over REPS runs of req/s (connections/s for
# `full`), p50/p99 latency (wrk's; h2load's from its per-request log; none for s_time), the
# bytes per answer (a check that both send the same page), errors, and cong ÷ nginx.
# Never asserts a time. Load only ever goes to 127.0.0.1, bounded in time (about
# 2 targets × REPS × 7 runs × DUR s, plus warm-ups: 7.5 minutes at the defaults).
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=${DUR:-10}; REPS=${REPS:-3}; CONNS=${CONNS:-"8 64"}; WARM=${WARM:-2}
HS_PROCS=${HS_PROCS:-8}; KEY=${KEY:-ec}
TARGETS=${TARGETS:-"cong nginx"}
WORK=${WORK:-bench/work-tls}
PORT=18190; TLS_PORT=18191; NGINX_PORT=18193
[[ "$DUR" =~ ^[0-9]+$ && "$DUR" -ge 1 && "$DUR" -le 60 ]] || { echo "DUR must be 1..60 s" >&2; exit 2; }
[[ "$HS_PROCS" =~ ^[0-9]+$ && "$HS_PROCS" -ge 1 && "$HS_PROCS" -le 64 ]] || { echo "HS_PROCS must be 1..64" >&2; exit 2; }
case "$KEY" in ec|rsa) ;; *) echo "KEY must be ec or rsa" >&2; exit 2 ;; esac
for t in $TARGETS; do case "$t" in cong|nginx) ;; *) echo "TARGETS: cong and/or nginx" >&2; exit 2 ;; esac; done

need=""
for t in wrk h2load nginx curl python3 openssl; do
  command -v "$t" >/dev/null && continue
  case "$t" in h2load) need="$need nghttp2-client" ;; *) need="$need $t" ;; esac
done
if [ -n "$need" ]; then
  echo "== installing:$need"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >/dev/null
fi

if [ -n "${CONG_BIN:-}" ]; then
  bin=$(cd "$(dirname "$CONG_BIN")" && pwd)/$(basename "$CONG_BIN")
  echo "== using $bin (not a release build of this tree: figures are only a trial)"
else
  echo "== release build"
  cargo build --release --locked -q
  bin=$PWD/target/release/cong
fi
mkdir -p "$WORK"; WORK=$(cd "$WORK" && pwd)
rm -rf "$WORK"/{cong.db*,media,search,tls,nginx,runs.tsv,h2-*.log}
export CONG_DATABASE__URL="sqlite://$WORK/cong.db"
export CONG_SITE__MEDIA_DIR="$WORK/media" CONG_SITE__SEARCH_DIR="$WORK/search"
export CONG_STATS__VIEW_DEDUPE=0s
"$bin" demo >/dev/null
REF=/bai-viet/hoi-nghi-tap-huan-ve-de-xuat-va-trien-khai-thuc-hien-cac-nhiem-vu-kh-cn-cho-cac-co-quan-khoi-dang

echo "== certificate (self-signed, $KEY) for localhost and 127.0.0.1"
mkdir -p "$WORK/tls"
case "$KEY" in
  ec) keyopt=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1) ;;
  rsa) keyopt=(-newkey rsa:2048) ;;
esac
openssl req -x509 "${keyopt[@]}" -nodes -days 7 -subj /CN=localhost \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  -keyout "$WORK/tls/key.pem" -out "$WORK/tls/cert.pem" 2>/dev/null
CERT=$WORK/tls/cert.pem; KEYFILE=$WORK/tls/key.pem

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$WORK/nginx/nginx.pid" ] && nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -s stop 2>/dev/null || true
}
trap cleanup EXIT

wait_200() {  # url pid log: until the url answers 200 (30 s at most)
  local i
  for i in $(seq 1 600); do
    [ "$(curl -s --cacert "$CERT" -o /dev/null -w '%{http_code}' "$1")" = 200 ] && return 0
    kill -0 "$2" 2>/dev/null || { cat "$3" >&2; echo "cong stopped" >&2; exit 1; }
    sleep 0.05
  done
  return 1
}

if [[ " $TARGETS " == *" cong "* ]]; then
  echo "== cong with HTTPS (server.tls.mode = files) on :$TLS_PORT, plain HTTP on :$PORT"
  CONG_SERVER__TLS__MODE=files CONG_SERVER__TLS__LISTEN="127.0.0.1:$TLS_PORT" \
  CONG_SERVER__TLS__CERT_FILE="$CERT" CONG_SERVER__TLS__KEY_FILE="$KEYFILE" \
  CONG_SERVER__PUBLIC_URL="https://127.0.0.1:$TLS_PORT" \
    "$bin" serve --listen "127.0.0.1:$PORT" > "$WORK/cong.log" 2>&1 &
  CONG_PID=$!; pids+=("$CONG_PID")
  if ! wait_200 "https://127.0.0.1:$TLS_PORT$REF" "$CONG_PID" "$WORK/cong.log"; then
    echo "cong does not answer HTTPS on 127.0.0.1:$TLS_PORT (a build without server.tls?); its log:" >&2
    tail -n 20 "$WORK/cong.log" >&2; exit 1
  fi
  SRC="https://127.0.0.1:$TLS_PORT$REF"
else
  echo "== cong, plain HTTP on :$PORT (only to give its page)"
  CONG_SERVER__PUBLIC_URL="http://127.0.0.1:$PORT" "$bin" serve --listen "127.0.0.1:$PORT" > "$WORK/cong.log" 2>&1 &
  CONG_PID=$!; pids+=("$CONG_PID")
  wait_200 "http://127.0.0.1:$PORT$REF" "$CONG_PID" "$WORK/cong.log" || { echo "cong did not start" >&2; exit 1; }
  SRC="http://127.0.0.1:$PORT$REF"
fi

echo "== nginx serving cong's article page as a static file over TLS (:$NGINX_PORT)"
mkdir -p "$WORK/nginx/html" "$WORK/nginx/logs"
curl -s --cacert "$CERT" -A bench-copy "$SRC" > "$WORK/nginx/html/article.html"
# nginx 1.22 (Debian 12) spells h2 as the `http2` parameter of `listen`; from 1.25.1 on it
# is `http2 on;` (the parameter still works there, with a warning).
cat > "$WORK/nginx/nginx.conf" <<NGINX
worker_processes auto;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 1000000;
  types { text/html html; }
  server {
    listen 127.0.0.1:$NGINX_PORT ssl http2;
    ssl_certificate $CERT;
    ssl_certificate_key $KEYFILE;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_session_cache shared:bench_tls:10m;
    ssl_session_tickets off;
    root $WORK/nginx/html;
  }
}
NGINX
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf"

declare -A URL=([cong]="https://127.0.0.1:$TLS_PORT$REF" [nginx]="https://127.0.0.1:$NGINX_PORT/article.html")
declare -A HOSTPORT=([cong]="127.0.0.1:$TLS_PORT" [nginx]="127.0.0.1:$NGINX_PORT")
declare -A PATHOF=([cong]="$REF" [nginx]="/article.html")
for t in $TARGETS; do
  got=$(curl -s --cacert "$CERT" --http2 -o /dev/null -w '%{http_code} HTTP/%{http_version}' "${URL[$t]}")
  [ "$got" = "200 HTTP/2" ] || { echo "$t over h2: $got" >&2; exit 1; }
  got=$(curl -s --cacert "$CERT" --http1.1 -o /dev/null -w '%{http_code} HTTP/%{http_version}' "${URL[$t]}")
  [ "$got" = "200 HTTP/1.1" ] || { echo "$t over http/1.1: $got" >&2; exit 1; }
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
printf 'kind\ttarget\tconns\trep\trps\tp50_ms\tp99_ms\tbytes\terrors\n' > "$runs"
row() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" | tee -a "$runs"; }

wrk_one() {  # kind target conns rep
  local k=$1 t=$2 c=$3 r=$4 out
  local hdr=(); [ "$k" = resume ] && hdr=(-H 'Connection: close')
  out=$(wrk -t2 -c"$c" -d"${DUR}s" --latency -s "$lua" "${hdr[@]}" "${URL[$t]}" | grep '^BENCH')
  set -- $(echo "$out" | awk '{for(i=2;i<=NF;i++){split($i,kv,"=");v[kv[1]]=kv[2]}
    print v["rps"], v["p50_ms"], v["p99_ms"], v["bpr"], v["errors"]}')
  row "$k" "$t" "$c" "$r" "$1" "$2" "$3" "$4" "$5"
}
h2_one() {  # target conns rep
  local t=$1 c=$2 r=$3 log=$WORK/h2-$1-$2-$3.log out
  out=$(h2load -t2 -c"$c" -m10 -D "$DUR" --log-file="$log" "${URL[$t]}")
  grep -q '^Application protocol: h2$' <<< "$out" || { echo "$out" >&2; echo "h2load did not speak h2 to $t" >&2; exit 1; }
  python3 - "$log" "$out" "$t" "$c" "$r" <<'PY' | tee -a "$runs"
import re, statistics, sys
log, out, t, c, r = sys.argv[1:]
lat = sorted(int(l.split('\t')[2]) / 1000 for l in open(log) if l.strip())
pct = lambda p: lat[min(len(lat) - 1, int(p / 100 * len(lat)))] if lat else float('nan')
rps = float(re.search(r'finished in [\d.]+s, ([\d.]+) req/s', out).group(1))
m = re.search(r'requests: \d+ total, \d+ started, \d+ done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout', out)
ok, errors = int(m.group(1)), sum(int(m.group(i)) for i in (2, 3, 4))
data = int(re.search(r'\((\d+)\) data', out).group(1))
print(f"h2\t{t}\t{c}\t{r}\t{rps:.1f}\t{pct(50):.3f}\t{pct(99):.3f}\t{data / max(ok, 1):.0f}\t{errors}")
PY
  rm -f "$log"
}
full_one() {  # target rep: HS_PROCS s_time processes, each a new session per connection
  local t=$1 r=$2 i t0 t1 n=0 bytes=0 errors=0 cn cb sp=()
  t0=$(date +%s%N)
  for i in $(seq 1 "$HS_PROCS"); do
    openssl s_time -connect "${HOSTPORT[$t]}" -new -time "$DUR" -www "${PATHOF[$t]}" > "$WORK/s_time-$i.out" 2>&1 &
    sp+=($!)
  done
  wait "${sp[@]}"
  t1=$(date +%s%N)
  for i in $(seq 1 "$HS_PROCS"); do
    # "1237 connections in 4 real seconds, 27255 bytes read per connection"
    cn=""; cb=""
    read -r cn cb < <(awk '/connections in .* real seconds/{print $1, $(NF-4)}' "$WORK/s_time-$i.out") || true
    [ -n "$cn" ] || { errors=$((errors + 1)); tail -n 3 "$WORK/s_time-$i.out" >&2; continue; }
    n=$((n + cn)); bytes=$cb
  done
  row full "$t" "$HS_PROCS" "$r" "$(awk -v n=$n -v ns=$((t1 - t0)) 'BEGIN{printf "%.1f", n / (ns / 1e9)}')" - - "$bytes" "$errors"
}

echo "== negotiated (h2load, 1 request)"
for t in $TARGETS; do
  echo "$t: $(h2load -n1 -c1 "${URL[$t]}" | grep -E '^(TLS Protocol|Cipher|Server Temp Key|Application protocol):' | paste -sd ' ' | sed 's/: /=/g')"
done
echo "== warm-up: ${WARM}s of each load per target"
for t in $TARGETS; do
  wrk -t2 -c8 -d"${WARM}s" "${URL[$t]}" >/dev/null
  h2load -t2 -c8 -m10 -D "$WARM" "${URL[$t]}" >/dev/null
done

read -r -a tl <<< "$TARGETS"; n=${#tl[@]}
echo "== ${DUR}s per run, $REPS reps, conns $CONNS (full handshakes: $HS_PROCS s_time processes), targets rotated each rep"
for rep in $(seq 1 "$REPS"); do
  for k in h1 h2 resume full; do
    for c in $CONNS; do
      [ "$k" = full ] && [ "$c" != "${CONNS%% *}" ] && continue   # s_time: one concurrency
      for i in $(seq 0 $((n-1))); do
        t=${tl[$(( (i+rep-1) % n ))]}
        case "$k" in
          h1|resume) wrk_one "$k" "$t" "$c" "$rep" ;;
          h2) h2_one "$t" "$c" "$rep" ;;
          full) full_one "$t" "$rep" ;;
        esac
      done
    done
  done
done
if [[ " $TARGETS " == *" cong "* ]]; then
  echo "cong resident memory after the runs: $(( $(awk '/VmRSS/{print $2}' "/proc/$CONG_PID/status") / 1024 )) MB"
fi
grep -h -E 'panicked|ERROR' "$WORK/cong.log" | head -5 || true

python3 - "$runs" "$TARGETS" "$CONNS" "$HS_PROCS" <<'PY'
import csv, statistics as st, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter='\t'))
targets, conns, hs = sys.argv[2].split(), sys.argv[3].split(), sys.argv[4]
kinds = [("h1", "HTTP/1.1 keep-alive (wrk)", conns), ("h2", "h2, -m 10 (h2load)", conns),
         ("resume", "new connection per request, resumed (wrk, Connection: close)", conns),
         ("full", "full handshake + 1 request (openssl s_time -new), conn/s", [hs])]
med = {}
num = lambda v: float(v) if v not in ("-", "", "nan") else float('nan')
print("| load | conns | target | req/s median [min–max] | p50 ms | p99 ms | bytes/resp | errors |")
print("|---|---|---|---|---|---|---|---|")
for k, label, cs in kinds:
    for c in cs:
        for t in targets:
            rs = [r for r in rows if r['kind'] == k and r['target'] == t and r['conns'] == c]
            if not rs: continue
            rps = [num(r['rps']) for r in rs]; m = st.median(rps); med[k, c, t] = m
            lat = lambda key: (lambda v: "–" if v != v else f"{v:.2f}")(st.median(num(r[key]) for r in rs))
            print(f"| {label} | {c} | {t} | {m:,.0f} [{min(rps):,.0f}–{max(rps):,.0f}] | {lat('p50_ms')} "
                  f"| {lat('p99_ms')} | {st.median(num(r['bytes']) for r in rs):,.0f} | {sum(int(r['errors']) for r in rs)} |")
print()
for k, label, cs in kinds:
    for c in cs:
        if (k, c, "cong") in med and (k, c, "nginx") in med:
            print(f"{k:6} c={c:>2}: cong/nginx {med[k, c, 'cong'] / med[k, c, 'nginx']:.2f}")
PY
