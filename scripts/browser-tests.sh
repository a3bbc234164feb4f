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

(cd "$work" && exec "$bin" serve --demo --listen 127.0.0.1:0 >"$work/stdout" 2>"$work/stderr") &
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

echo "== Nu HTML checker: zero errors"
ref=/bai-viet/hoi-nghi-tap-huan-ve-de-xuat-va-trien-khai-thuc-hien-cac-nhiem-vu-kh-cn-cho-cac-co-quan-khoi-dang
pages=(/ /chuyen-muc/tin-tuc-su-kien "/chuyen-muc/tin-tuc-su-kien?page=2" "$ref" "$ref?tin-khac=2" /trang/gioi-thieu /chuyen-muc/lien-he /dang-nhap /khong-co)
files=()
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
