#!/usr/bin/env bash
# Tests deploy/nginx/cong.conf: two cong nodes on one PostgreSQL database behind nginx.
# Checks that both nodes serve, that readers are told apart through the proxy (trusted
# X-Forwarded-For), that IPv6 works, and that nginx fails over when a node stops.
# Installs nginx if it is missing (root). PostgreSQL from CONG_TEST_PG_URL.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bin="${CONG_BIN:-$root/target/debug/cong}"
[ -x "$bin" ] || cargo build --quiet --bin cong
pg="${CONG_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432}"

if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  echo "== installing nginx"
  own_policy=0
  # Keep apt from starting the packaged nginx on port 80.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; own_policy=1
  fi
  apt-get -o DPkg::Lock::Timeout=600 -q update >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends nginx-light >/dev/null
  [ "$own_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"

work="$(mktemp -d)"
db="cong_nginx_$$"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
fail() { echo "FAIL $*" >&2; exit 1; }

psql "$pg/postgres" -qc "CREATE DATABASE $db" >/dev/null
url="$pg/$db"
(cd "$work" && "$bin" demo --database "$url" >/dev/null)

p1="$(free_port)"; p2="$(free_port)"; pn="$(free_port)"
for p in "$p1" "$p2"; do
  (cd "$work" && CONG_SERVER__TRUSTED_PROXIES="127.0.0.1/32,::1/128" CONG_STATS__FLUSH_INTERVAL=300ms \
    CONG_SITE__SEARCH_DIR="$work/search-$p" exec "$bin" serve --listen "127.0.0.1:$p" --database "$url" >"$work/node-$p.out" 2>"$work/node-$p.err") &
  pids+=($!)
done
for p in "$p1" "$p2"; do
  for _ in $(seq 1 300); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$p/healthz")" = 200 ] && break
    sleep 0.1
  done
done

# The example, with the test's ports.
sed -e "s/127.0.0.1:8081/127.0.0.1:$p1/; s/127.0.0.1:8082/127.0.0.1:$p2/" \
    -e "s/listen 80;/listen 127.0.0.1:$pn;/; s/listen \[::\]:80;/listen [::1]:$pn;/" \
    deploy/nginx/cong.conf > "$work/cong.conf"
grep -q "127.0.0.1:$p1" "$work/cong.conf" || fail "the example's node addresses changed; update this script"
cat > "$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/error.log warn;
events { worker_connections 256; }
http {
    access_log $work/access.log combined;
    log_format up '\$upstream_addr \$status';
    access_log $work/upstream.log up;
    client_body_temp_path $work/tmp;
    proxy_temp_path $work/tmp;
    include $work/cong.conf;
}
CONF
mkdir -p "$work/tmp"
"$NGINX" -t -q -c "$work/nginx.conf" -p "$work" 2>/dev/null || { "$NGINX" -t -c "$work/nginx.conf" -p "$work"; fail "nginx -t"; }
"$NGINX" -c "$work/nginx.conf" -p "$work"
for _ in $(seq 1 50); do [ -f "$work/nginx.pid" ] && break; sleep 0.1; done
front="http://127.0.0.1:$pn"
UA='Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36'

echo "== requests through nginx reach both nodes"
for i in $(seq 1 20); do
  code="$(curl -s -o /dev/null -w '%{http_code}' -A "$UA" "$front/chuyen-muc/van-ban")"
  [ "$code" = 200 ] || fail "request $i: $code"
done
grep -q "127.0.0.1:$p1 200" "$work/upstream.log" || fail "node 1 served nothing"
grep -q "127.0.0.1:$p2 200" "$work/upstream.log" || fail "node 2 served nothing"
echo "ok   20 requests, both nodes served"

echo "== readers are told apart behind the proxy"
for ip in 127.0.0.21 127.0.0.22 127.0.0.23; do
  curl -s -o /dev/null --interface "$ip" -A "$UA" "$front/" || fail "from $ip"
done
curl -s -o /dev/null -g -A "$UA" "http://[::1]:$pn/" || fail "IPv6 through nginx"
sleep 1.5
today="$(curl -s -A 'Googlebot/2.1 (+http://www.google.com/bot.html)' "$front/" | sed -n 's/.*data-stat="today">\([0-9.]*\)<.*/\1/p')"
# 127.0.0.1 (the first 20 requests), three more IPv4 readers, one IPv6 reader.
[ "$today" = 5 ] || fail "visits today through nginx: $today, want 5"
echo "ok   five readers counted as five visits (X-Forwarded-For from nginx, IPv4 and IPv6)"

echo "== a stopped node is skipped"
kill -TERM "${pids[0]}"; wait "${pids[0]}" 2>/dev/null || true
for i in $(seq 1 10); do
  code="$(curl -s -o /dev/null -w '%{http_code}' -A "$UA" "$front/")"
  [ "$code" = 200 ] || fail "after stopping node 1, request $i: $code"
done
echo "ok   node 1 stopped, every request still answered by node 2"
grep -h -E "panicked|server error" "$work"/node-*.err && fail "a node logged errors"
echo "ok   nginx example works"
