#!/usr/bin/env bash
# What the tests need besides the test clients: the sqlite3 and psql shells, Node and Java
# (for the browser tools), promtool and a Prometheus server (metrics), the openssl CLI (the
# nginx HTTPS example's test certificate), pebble (Let's Encrypt's ACME test server, with
# pebble-challtestsrv, for the ACME tests), sslscan (what the HTTPS listener accepts, in the
# security scan), and a running
# PostgreSQL that trusts the local test user. Installs what is missing with apt (root or
# sudo), starts PostgreSQL when it is stopped (services do not survive between sessions),
# and sets trust authentication for 127.0.0.1 and ::1 as on the development machines.
# Idempotent: a second run only checks (a second or two).
#
#   CONG_TEST_PG_URL   the server the tests use (default postgres://postgres@127.0.0.1:5432);
#                      when it names another host, nothing is installed or started for it.
set -euo pipefail
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
pg="${CONG_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432}"

need=()
command -v sqlite3 >/dev/null || need+=(sqlite3)
command -v node >/dev/null || need+=(nodejs npm)
command -v java >/dev/null || need+=(default-jre-headless)
command -v promtool >/dev/null && command -v prometheus >/dev/null || need+=(prometheus)
command -v prlimit >/dev/null || need+=(util-linux)
command -v openssl >/dev/null || need+=(openssl)
command -v pebble >/dev/null || need+=(pebble)
command -v sslscan >/dev/null || need+=(sslscan)
command -v curl >/dev/null || need+=(curl)
local_pg=0
case "$pg" in *@127.0.0.1:*|*@localhost:*|*@127.0.0.1/*|*@localhost/*) local_pg=1 ;; esac
if [ "$local_pg" = 1 ]; then
  { [ -d /etc/postgresql ] && ls /etc/postgresql/*/main >/dev/null 2>&1; } || need+=(postgresql)
fi
command -v psql >/dev/null || need+=(postgresql-client)
if [ "${#need[@]}" -gt 0 ]; then
  echo "test services: installing ${need[*]}"
  $SUDO apt-get -o DPkg::Lock::Timeout=600 -q update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -q "${need[@]}"
fi
# Debian starts the packaged Prometheus where a service manager runs; the tests start
# their own on a free port, so a packaged one is left as it is.

if [ "$local_pg" = 1 ]; then
  version="$(ls /etc/postgresql | sort -V | tail -n1)"
  if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    echo "test services: starting PostgreSQL $version"
    $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start
    for _ in $(seq 1 60); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.5; done
  fi
  if ! psql "$pg/postgres" -qAtc 'SELECT 1' >/dev/null 2>&1; then
    echo "test services: trusting local connections of the test user"
    hba="/etc/postgresql/$version/main/pg_hba.conf"
    $SUDO sed -i -E 's/^(host\s+all\s+all\s+127\.0\.0\.1\/32\s+)\S+/\1trust/; s/^(host\s+all\s+all\s+::1\/128\s+)\S+/\1trust/; s/^(local\s+all\s+postgres\s+)\S+/\1trust/' "$hba"
    $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main reload
    sleep 1
  fi
fi
if ! psql "$pg/postgres" -qAtc 'SELECT 1' >/dev/null 2>&1; then
  echo "PostgreSQL does not answer at $pg (set CONG_TEST_PG_URL to a server that trusts its user)" >&2
  exit 1
fi
echo "test services: PostgreSQL $(psql "$pg/postgres" -qAtc 'SHOW server_version'), promtool $(promtool --version 2>&1 | head -n1 | awk '{print $3}')"
