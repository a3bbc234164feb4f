#!/usr/bin/env bash
# A real Prometheus scrapes a real node: starts `cong serve --demo` with /metrics on its own
# loopback address, a Prometheus server (Debian's package) that scrapes it every second, sends
# a few page views, then asks Prometheus' own API what it has stored. Prints the samples;
# fails when Prometheus has not scraped the node within 60 s.
#
#   CONG_BIN   the binary (default target/debug/cong, the one the tests built)
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${CONG_BIN:-target/debug/cong}"
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
site="$(free_port)"; metrics="$(free_port)"; prom="$(free_port)"

(cd "$work" && CONG_METRICS__LISTEN="127.0.0.1:$metrics" CONG_SITE__MEDIA_DIR="$work/media" \
  CONG_SITE__SEARCH_DIR="$work/search" exec "$OLDPWD/$bin" serve --demo --listen "127.0.0.1:$site" \
  --database "sqlite://$work/cong.db" >"$work/cong.out" 2>"$work/cong.err") &
pids+=($!)
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$site/healthz" >/dev/null 2>&1 && break; sleep 0.3; done
curl -fsS "http://127.0.0.1:$site/healthz" >/dev/null || { cat "$work/cong.err"; echo "cong did not start" >&2; exit 1; }

cat >"$work/prometheus.yml" <<YML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: cong
    static_configs:
      - targets: ["127.0.0.1:$metrics"]
YML
promtool check config "$work/prometheus.yml" >/dev/null
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
  --web.listen-address="127.0.0.1:$prom" --log.level=warn >"$work/prom.log" 2>&1 &
pids+=($!)

ua='Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36'
for path in / / /chuyen-muc/tin-tuc-su-kien /khong-co; do
  curl -s -o /dev/null -A "$ua" "http://127.0.0.1:$site$path"
done

query() { curl -fsS --get "http://127.0.0.1:$prom/api/v1/query" --data-urlencode "query=$1"; }
value() { python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else "")'; }
for _ in $(seq 1 60); do
  up="$(query 'up{job="cong"}' 2>/dev/null | value 2>/dev/null || true)"
  pages="$(query 'sum(cong_http_requests_total{job="cong",group="home"})' 2>/dev/null | value 2>/dev/null || true)"
  [ "$up" = 1 ] && [ -n "$pages" ] && [ "$pages" != 0 ] && break
  sleep 1
done
if [ "${up:-}" != 1 ] || [ -z "${pages:-}" ]; then
  echo "Prometheus did not scrape the node (up=${up:-none})" >&2
  cat "$work/prom.log" >&2
  exit 1
fi
echo "Prometheus $(prometheus --version 2>&1 | head -n1 | awk '{print $3}') scraped cong at 127.0.0.1:$metrics:"
cat >"$work/show.py" <<'PY'
import json, sys
for r in json.load(sys.stdin)["data"]["result"]:
    labels = ",".join(k + "=" + v for k, v in sorted(r["metric"].items()) if k not in ("instance", "job"))
    print("    {" + labels + "} " + r["value"][1])
PY
for q in 'up{job="cong"}' 'sum by (group, status) (cong_http_requests_total)' \
         'cong_page_cache_total' 'cong_ready' 'process_resident_memory_bytes'; do
  echo "  $q"
  query "$q" | python3 "$work/show.py"
done
