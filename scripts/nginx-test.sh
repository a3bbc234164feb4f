#!/usr/bin/env bash
# Tests deploy/nginx/cong.conf: two cong nodes on one PostgreSQL database behind nginx.
# Checks that both nodes serve, that readers are told apart through the proxy (trusted
# X-Forwarded-For), that IPv6 works, and that nginx fails over when a node stops.
# Then deploy/nginx/cong-tls.conf (HTTPS in nginx) in a second nginx before the same nodes,
# with a self-signed certificate made here: port 80 redirects to https but for ACME
# challenges, HTTPS reaches both nodes, h2 and http/1.1 by ALPN, HSTS once, cookies Secure
# (X-Forwarded-Proto), TLS 1.2 and 1.3 accepted and TLS 1.1 refused.
# Installs nginx if it is missing (root); needs openssl (scripts/test-services.sh installs
# it). PostgreSQL from CONG_TEST_PG_URL.
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
  for f in "$work/nginx.pid" "$work/nginx-tls.pid"; do
    [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true
  done
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

echo "== HTTPS in nginx (deploy/nginx/cong-tls.conf)"
command -v openssl >/dev/null || fail "openssl is missing (scripts/test-services.sh installs it)"
tls="$work/tls"; acme="$work/acme"
mkdir -p "$tls" "$acme/.well-known/acme-challenge"
# nginx's workers (not root) read the webroot: let them through mktemp's private folder.
chmod 711 "$work"
# Self-signed, for the name in the example and the loopback addresses the test connects to.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
  -subj /CN=portal.example.gov.vn -addext "subjectAltName=DNS:portal.example.gov.vn,IP:127.0.0.1,IP:::1" \
  -keyout "$tls/key.pem" -out "$tls/cert.pem" 2>/dev/null || fail "openssl req"
pweb="$(free_port)"; ptls="$(free_port)"
sed -e "s/127.0.0.1:8081/127.0.0.1:$p1/; s/127.0.0.1:8082/127.0.0.1:$p2/" \
    -e "s/listen 80;/listen 127.0.0.1:$pweb;/; s/listen \[::\]:80;/listen [::1]:$pweb;/" \
    -e "s/listen 443 ssl http2;/listen 127.0.0.1:$ptls ssl http2;/; s/listen \[::\]:443 ssl http2;/listen [::1]:$ptls ssl http2;/" \
    -e "s#/etc/letsencrypt/live/portal.example.gov.vn/fullchain.pem;#$tls/cert.pem;#" \
    -e "s#/etc/letsencrypt/live/portal.example.gov.vn/privkey.pem;#$tls/key.pem;#" \
    -e "s#root /var/www/acme;#root $acme;#" \
    deploy/nginx/cong-tls.conf > "$work/cong-tls.conf"
for want in "127.0.0.1:$p1 " "127.0.0.1:$p2 " "listen 127.0.0.1:$pweb;" "listen \[::1\]:$pweb;" \
            "listen 127.0.0.1:$ptls ssl" "listen \[::1\]:$ptls ssl" "ssl_certificate  *$tls/cert.pem;" \
            "ssl_certificate_key $tls/key.pem;" "root $acme;"; do
  grep -q "$want" "$work/cong-tls.conf" || fail "cong-tls.conf: no '$want' after substitution; update this script"
done
cat > "$work/nginx-tls.conf" <<CONF
worker_processes 1;
pid $work/nginx-tls.pid;
error_log $work/error-tls.log warn;
events { worker_connections 256; }
http {
    access_log $work/access-tls.log combined;
    log_format up '\$upstream_addr \$status \$server_protocol \$ssl_protocol';
    access_log $work/upstream-tls.log up;
    client_body_temp_path $work/tmp;
    proxy_temp_path $work/tmp;
    include $work/cong-tls.conf;
}
CONF
"$NGINX" -t -q -c "$work/nginx-tls.conf" -p "$work" 2>/dev/null || { "$NGINX" -t -c "$work/nginx-tls.conf" -p "$work"; fail "nginx -t (TLS)"; }
"$NGINX" -c "$work/nginx-tls.conf" -p "$work"
for _ in $(seq 1 50); do [ -f "$work/nginx-tls.pid" ] && break; sleep 0.1; done
plain="http://127.0.0.1:$pweb"; secure="https://127.0.0.1:$ptls"
tcurl() { curl -s --cacert "$tls/cert.pem" "$@"; }

printf "tok-%s" "$$" > "$acme/.well-known/acme-challenge/tok-$$"
got="$(curl -s -w ' %{http_code}' "$plain/.well-known/acme-challenge/tok-$$")"
[ "$got" = "tok-$$ 200" ] || fail "ACME challenge over plain HTTP: '$got'"
code="$(curl -s -o /dev/null -w '%{http_code}' "$plain/.well-known/acme-challenge/missing")"
[ "$code" = 404 ] || fail "a missing ACME token: $code, want 404 (not a redirect)"
echo "ok   port 80 serves ACME challenges from the webroot (404 for an unknown token)"
for path in "/chuyen-muc/van-ban?page=2" "/" "/dang-nhap"; do
  got="$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "$plain$path")"
  [ "$got" = "301 https://127.0.0.1$path" ] || fail "plain HTTP $path: '$got', want 301 to https://127.0.0.1$path"
done
got="$(curl -s -g -o /dev/null -w '%{http_code} %{redirect_url}' "http://[::1]:$pweb/chuyen-muc/van-ban")"
[ "$got" = "301 https://[::1]/chuyen-muc/van-ban" ] || fail "plain HTTP over IPv6: '$got'"
echo "ok   every other plain HTTP request: 301 to https, same host, path and query (IPv4 and IPv6)"

for i in $(seq 1 20); do
  code="$(tcurl -o /dev/null -w '%{http_code}' -A "$UA" "$secure/chuyen-muc/van-ban")"
  [ "$code" = 200 ] || fail "HTTPS request $i: $code"
done
grep -q "127.0.0.1:$p1 200 HTTP/2.0 TLSv1.3" "$work/upstream-tls.log" || fail "HTTPS: node 1 served nothing over h2/TLS 1.3"
grep -q "127.0.0.1:$p2 200 HTTP/2.0 TLSv1.3" "$work/upstream-tls.log" || fail "HTTPS: node 2 served nothing over h2/TLS 1.3"
code="$(tcurl -g -o /dev/null -w '%{http_code}' -A "$UA" "https://[::1]:$ptls/")"
[ "$code" = 200 ] || fail "HTTPS over IPv6: $code"
echo "ok   HTTPS (certificate verified) reaches both nodes: 20 requests, and IPv6"

got="$(tcurl --http2 -o /dev/null -w '%{http_code} %{http_version}' "$secure/")"
[ "$got" = "200 2" ] || fail "curl --http2: '$got', want HTTP/2"
got="$(tcurl --http1.1 -o /dev/null -w '%{http_code} %{http_version}' "$secure/")"
[ "$got" = "200 1.1" ] || fail "curl --http1.1: '$got', want HTTP/1.1"
echo "ok   ALPN: h2 and http/1.1"

hsts="$(tcurl -D - -o /dev/null "$secure/" | tr -d '\r' | grep -i '^strict-transport-security:' || true)"
[ "$hsts" = "strict-transport-security: max-age=31536000" ] || fail "HSTS over HTTPS (once, nginx's): '$hsts'"
hsts="$(tcurl -D - -o /dev/null "$secure/no-such-page-$$" | tr -d '\r' | grep -ci '^strict-transport-security:' || true)"
[ "$hsts" = 1 ] || fail "HSTS on a 404: $hsts headers"
curl -s -D - -o /dev/null "$plain/" | grep -qi '^strict-transport-security' && fail "HSTS over plain HTTP"
echo "ok   HSTS once on every HTTPS answer (cong's copy hidden), none over plain HTTP"

# X-Forwarded-Proto: the login form's cookie is Secure over HTTPS, not through cong.conf's port 80.
cookie="$(tcurl -D - -o /dev/null "$secure/dang-nhap" | tr -d '\r' | grep -i '^set-cookie:' || true)"
case "$cookie" in *"; Secure"*) ;; *) fail "over HTTPS the login form's cookie is not Secure (X-Forwarded-Proto): '$cookie'" ;; esac
cookie="$(curl -s -D - -o /dev/null "$front/dang-nhap" | tr -d '\r' | grep -i '^set-cookie:' || true)"
[ -n "$cookie" ] || fail "the login form set no cookie through cong.conf"
case "$cookie" in *"; Secure"*) fail "over plain HTTP (cong.conf) the login form's cookie is Secure: '$cookie'" ;; esac
echo "ok   X-Forwarded-Proto https: cookies Secure over HTTPS only"

for v in 1.2 1.3; do
  got="$(tcurl -o /dev/null -w '%{http_code}' --tlsv$v --tls-max $v "$secure/")" || true
  [ "$got" = 200 ] || fail "TLS $v: '$got'"
done
# The client is allowed TLS 1.1 (OpenSSL 3 refuses it below security level 0), so the
# refusal checked is the server's: a protocol_version alert.
if err="$(tcurl -S -o /dev/null --ciphers 'DEFAULT@SECLEVEL=0' --tlsv1.1 --tls-max 1.1 "$secure/" 2>&1)"; then
  fail "TLS 1.1 was accepted"
fi
case "$err" in *"protocol version"*) ;; *) fail "TLS 1.1 failed, but not by the server's protocol_version alert: $err" ;; esac
echo "ok   TLS 1.2 and 1.3 accepted, TLS 1.1 refused by nginx (${err##*: })"
grep -E '\[(error|crit|alert|emerg)\]' "$work/error-tls.log" && fail "the HTTPS nginx logged errors"

echo "== a stopped node is skipped"
kill -TERM "${pids[0]}"; wait "${pids[0]}" 2>/dev/null || true
for i in $(seq 1 10); do
  code="$(curl -s -o /dev/null -w '%{http_code}' -A "$UA" "$front/")"
  [ "$code" = 200 ] || fail "after stopping node 1, request $i: $code"
done
echo "ok   node 1 stopped, every request still answered by node 2"
grep -h -E "panicked|server error" "$work"/node-*.err && fail "a node logged errors"
echo "ok   nginx example works"
