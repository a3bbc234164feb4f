#!/usr/bin/env bash
# Starts the local MariaDB when it does not answer (services do not survive between sessions;
# the import tests read from it as root on the socket). Idempotent.
set -euo pipefail
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
if ! command -v mysqld >/dev/null && ! command -v mariadbd >/dev/null; then
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -q mariadb-server
fi
if ! $SUDO mysql -uroot -e 'SELECT 1' >/dev/null 2>&1; then
  echo "mariadb: starting"
  $SUDO service mariadb start >/dev/null 2>&1 || $SUDO service mysql start >/dev/null 2>&1 || true
  for _ in $(seq 1 60); do $SUDO mysql -uroot -e 'SELECT 1' >/dev/null 2>&1 && break; sleep 0.5; done
fi
$SUDO mysql -uroot -e 'SELECT 1' >/dev/null || { echo "MariaDB does not answer" >&2; exit 1; }
