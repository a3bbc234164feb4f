#!/usr/bin/env bash
# A real WordPress export for the import tests. Installs Debian's `wordpress` package (PHP on
# the command line, no web server) against the local MariaDB (started when stopped), makes a
# site's content through WordPress's own PHP functions (tests/import/wp-seed.php: categories,
# tags, posts with pictures, a gallery, a caption, a featured image, a sticky post, a draft,
# a scheduled post, pages in a hierarchy, what cong does not take), and exports it with
# WordPress's own exporter (export_wp, as Tools → Export does).
#
#   scripts/wordpress-fixture.sh OUT     writes OUT/export.xml (WXR) and OUT/wp-content/uploads
#
# The database (cong_wp_fixture) and OUT are made anew on every run. The old site's address
# in the export is http://wp.cong-fixture.test (a name that resolves nowhere: pictures come
# from the uploads copy or from a server the test starts).
set -euo pipefail
out="${1:?usage: wordpress-fixture.sh OUT}"
here="$(cd "$(dirname "$0")/.." && pwd)"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
host=wp.cong-fixture.test

pkgs=(wordpress php-cli php-mysql php-xml php-gd php-mbstring mariadb-server)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "wordpress fixture: installing ${missing[*]}"
  # No service starts from the packages (Debian's apache would bind :80): a policy says no.
  own_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
    $SUDO chmod +x /usr/sbin/policy-rc.d
    own_policy=1
  fi
  $SUDO apt-get -o DPkg::Lock::Timeout=600 -q update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -q \
    --no-install-recommends "${missing[@]}"
  [ "$own_policy" = 1 ] && $SUDO rm -f /usr/sbin/policy-rc.d
fi
bash "$here/scripts/mariadb-up.sh"

out="$(mkdir -p "$out" && cd "$out" && pwd)"
rm -rf "$out/wp-content" "$out/export.xml"
mkdir -p "$out/wp-content/uploads"
$SUDO mysql -uroot <<SQL
DROP DATABASE IF EXISTS cong_wp_fixture;
CREATE DATABASE cong_wp_fixture CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'cong_wp'@'localhost' IDENTIFIED BY 'cong_wp_fixture';
GRANT ALL PRIVILEGES ON cong_wp_fixture.* TO 'cong_wp'@'localhost';
FLUSH PRIVILEGES;
SQL
$SUDO tee "/etc/wordpress/config-$host.php" >/dev/null <<PHP
<?php
// The import tests' WordPress (scripts/wordpress-fixture.sh).
define( 'DB_NAME', 'cong_wp_fixture' );
define( 'DB_USER', 'cong_wp' );
define( 'DB_PASSWORD', 'cong_wp_fixture' );
define( 'DB_HOST', 'localhost' );
define( 'DB_CHARSET', 'utf8mb4' );
define( 'DB_COLLATE', '' );
\$table_prefix = 'wp_';
define( 'WP_HOME', 'http://$host' );
define( 'WP_SITEURL', 'http://$host' );
define( 'WP_CONTENT_DIR', '$out/wp-content' );
define( 'WP_CONTENT_URL', 'http://$host/wp-content' );
define( 'DISABLE_WP_CRON', true );
define( 'AUTOMATIC_UPDATER_DISABLED', true );
define( 'WP_HTTP_BLOCK_EXTERNAL', true );
PHP
HTTP_HOST="$host" php "$here/tests/import/wp-seed.php" "$out/export.xml"
n=$(grep -c '<item>' "$out/export.xml")
echo "wordpress fixture: $out/export.xml ($n items), $(find "$out/wp-content/uploads" -type f | wc -l) uploaded files"
