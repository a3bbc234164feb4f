#!/usr/bin/env bash
# Browser and validator tests against the real binary with the demo content:
# Chromium (playwright-core) for rendering, clicks, keyboard and axe-core; the Nu HTML
# checker (vnu) for validity. Screenshots and reports go to test-artifacts/browser/.
# Needs the tools of scripts/install-test-tools.sh (scripts/test.sh installs them).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
tools="${TEST_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/portal-test-tools}"
# shellcheck disable=SC1091
. "$tools/env.sh"
bin="${CONG_BIN:-$root/target/debug/cong}"
[ -x "$bin" ] || cargo build --quiet --bin cong
out="$root/test-artifacts/browser"
rm -rf "$out" && mkdir -p "$out"
work="$(mktemp -d)"
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

# The back office's people: an administrator, an editor, an author (passwords on stdin).
(cd "$work" && "$bin" demo >/dev/null)
add_user() { printf '%s\n' "$3" | (cd "$work" && "$bin" user add "$1" --role "$2" --display-name "$4" >/dev/null); }
add_user quantri admin 'Đồng hồ cát 2026' 'Quản trị'
add_user bientap editor 'Giấy trắng 2026!' 'Biên tập'
add_user phongvien author 'Bút bi xanh 2026' 'Kiều Diễm'

(cd "$work" && exec "$bin" serve --listen 127.0.0.1:0 >"$work/stdout" 2>"$work/stderr") &
pid=$!
port=""
for _ in $(seq 1 300); do
  port="$(sed -n 's/^cong listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/stdout" | head -n1)"
  [ -n "$port" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/stderr"; echo "cong did not start" >&2; exit 1; }
  sleep 0.1
done
[ -n "$port" ] || { echo "cong did not print its address" >&2; exit 1; }
base="http://127.0.0.1:$port"
for _ in $(seq 1 300); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/healthz")" = 200 ] && break
  sleep 0.1
done
echo "== cong on $base"

echo "== Chromium: rendering, clicks, keyboard, axe-core"
BASE="$base" OUT="$out" timeout 300 node tests/browser/portal.js | tee "$out/browser.txt"

echo "== Chromium: the editorial workflow in the back office, axe-core"
BASE="$base" OUT="$out" timeout 300 node tests/browser/backoffice.js | tee "$out/backoffice.txt"

echo "== Nu HTML checker: zero errors"
ref=/bai-viet/hoi-nghi-tap-huan-ve-de-xuat-va-trien-khai-thuc-hien-cac-nhiem-vu-kh-cn-cho-cac-co-quan-khoi-dang
pages=(/ /chuyen-muc/tin-tuc-su-kien "/chuyen-muc/tin-tuc-su-kien?page=2" "$ref" "$ref?tin-khac=2" /trang/gioi-thieu /chuyen-muc/lien-he /dang-nhap /khong-co)
# The back office too, as the administrator sees it (curl keeps the session cookie).
jar="$work/cookies"
mkdir -p "$out/html"
curl -s -c "$jar" -o "$out/html/admin_dang_nhap.html" "$base/dang-nhap"
token="$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$out/html/admin_dang_nhap.html" | head -n1)"
curl -s -o /dev/null -b "$jar" -c "$jar" --data-urlencode "csrf=$token" --data-urlencode "username=quantri" \
  --data-urlencode "password=Đồng hồ cát 2026" --data-urlencode "next=/quan-tri" "$base/dang-nhap"
admin_pages=(/quan-tri /quan-tri/bai-viet /quan-tri/bai-viet/moi /quan-tri/bai-viet/1 /quan-tri/bai-viet/1/phien-ban \
  /quan-tri/chuyen-muc /quan-tri/trang/1 /quan-tri/anh /quan-tri/anh/1 /quan-tri/nguoi-dung /quan-tri/nhat-ky /quan-tri/tai-khoan /quan-tri/cai-dat)
files=("$out/html/admin_dang_nhap.html")
for p in "${admin_pages[@]}"; do
  f="$out/html/admin$(echo "$p" | tr -c 'a-z0-9\n' '_' | cut -c1-60).html"
  mkdir -p "$out/html"
  curl -s -b "$jar" -o "$f" "$base$p"
  grep -q '<html lang="vi">' "$f" || { echo "FAIL $p did not render for the administrator" >&2; exit 1; }
  files+=("$f")
done
for p in "${pages[@]}"; do
  f="$out/html/$(echo "$p" | tr -c 'a-z0-9\n' '_' | cut -c1-60).html"
  mkdir -p "$out/html"
  curl -s -A 'cong-validator' -o "$f" "$base$p"
  files+=("$f")
done
if timeout 300 java -jar "$VNU_JAR" --errors-only --format gnu "${files[@]}" 2>"$out/vnu.txt"; then
  echo "ok   vnu: ${#files[@]} pages, no errors"
else
  cat "$out/vnu.txt"
  echo "FAIL vnu found errors" >&2
  exit 1
fi
echo "== server log"
if grep -E "panicked|server error" "$work/stderr"; then
  echo "FAIL the server logged errors" >&2
  exit 1
fi
echo "ok   no server errors logged"
