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
pids=()
demo=""
cleanup() { [ "${#pids[@]}" -gt 0 ] && kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$work" "$work.index" "$work.tls" ${demo:+"$demo"}; }
trap cleanup EXIT

# The back office's people: an administrator, an editor, an author (passwords on stdin).
(cd "$work" && "$bin" demo >/dev/null)
add_user() { printf '%s\n' "$3" | (cd "$work" && "$bin" user add "$1" --role "$2" --display-name "$4" >/dev/null); }
add_user quantri admin 'Đồng hồ cát 2026' 'Quản trị'
add_user bientap editor 'Giấy trắng 2026!' 'Biên tập'
add_user phongvien author 'Bút bi xanh 2026' 'Kiều Diễm'

# start_cong DIR [VAR=value ...]: sets $port and $base.
source "$root/scripts/lib/start-cong.sh"

# A copy of the site with ten URLs to a sitemap, for the sitemap index (before the first
# server writes anything).
cp -a "$work" "$work.index"
start_cong "$work"
echo "== cong on $base"
# The search index is built in the background on first start: wait for it.
for _ in $(seq 1 300); do
  curl -s "$base/tim-kiem?q=hoi+nghi" | grep -q 'class="result-title"' && break
  sleep 0.1
done

echo "== Chromium: rendering, clicks, keyboard, axe-core"
BASE="$base" OUT="$out" timeout 300 node tests/browser/portal.js | tee "$out/browser.txt"

echo "== Chromium: the editorial workflow in the back office, axe-core"
BASE="$base" OUT="$out" timeout 300 node tests/browser/backoffice.js | tee "$out/backoffice.txt"

echo "== Chromium: the rich-text editor (pictures pasted and dropped, a table, a video), axe-core"
BASE="$base" OUT="$out" timeout 300 node tests/browser/editor.js | tee "$out/editor.txt"

echo "== Chromium: the documents library, a download, the back-office document form, axe-core"
BASE="$base" OUT="$out" timeout 300 node tests/browser/documents.js | tee "$out/documents.txt"

echo "== Chromium: autosave, preview, a stale save, the trash, axe-core"
BASE="$base" OUT="$out" timeout 300 node tests/browser/safety.js | tee "$out/safety.txt"

echo "== Chromium: videos (a poster drawn by the browser, the editor's video dialog and picker, playback, the library), axe-core"
BASE="$base" OUT="$out" timeout 300 node tests/browser/video.js | tee "$out/video.txt"

echo "== Chromium: the Góp ý form (the proof-of-work widget under the CSP, keyboard only, a refusal, the receipt), a question asked and tracked, axe-core"
BASE="$base" OUT="$out" timeout 300 node tests/browser/forms.js | tee "$out/forms.txt"

echo "== Chromium: Lấy ý kiến dự thảo (the demo's open draft: the widget, a comment by keyboard alone, the receipt, the moderation page; the closed draft), axe-core"
BASE="$base" OUT="$out" timeout 300 node tests/browser/consultation.js | tee "$out/consultation.txt"

echo "== Chromium: Lịch công tác (the week at 1280 and 360 px, the day view, the date picker by keyboard, print, the back office's week form), axe-core"
BASE="$base" OUT="$out" timeout 300 node tests/browser/schedule.js | tee "$out/schedule.txt"
echo "== Chromium: Cơ cấu tổ chức and Danh bạ (the chart without CSS, the directory by keyboard, 360 px), axe-core"
BASE="$base" OUT="$out" timeout 300 node tests/browser/organisation.js | tee "$out/organisation.txt"

echo "== Chromium: Giao diện (a two-level menu, home blocks and a banner arranged in the back office by keyboard; the menu folded at 360 px opened by keyboard and by touch), axe-core"
BASE="$base" OUT="$out" timeout 300 node tests/browser/arrange.js | tee "$out/arrange.txt"

echo "== Chromium: the reading aids (text size, high contrast, kept without a cookie), every public page at 360 px and 200 % zoom, axe-core"
BASE="$base" OUT="$out" timeout 300 node tests/browser/reading.js | tee "$out/reading.txt"

echo "== Chromium: the English pages (axe-core at 1280 and 360 px, the language switch by keyboard)"
BASE="$base" OUT="$out" timeout 300 node tests/browser/english.js | tee "$out/english.txt"

echo "== Lighthouse: accessibility of the home page in Vietnamese and in English"
if command -v lighthouse >/dev/null || [ -x "$tools/node/node_modules/.bin/lighthouse" ]; then
  lh="$(command -v lighthouse || echo "$tools/node/node_modules/.bin/lighthouse")"
  for p in / /en/; do
    name="lighthouse$(echo "$p" | tr -c 'a-z0-9\n' '_')"
    CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}" timeout 180 "$lh" "$base$p" --quiet --only-categories=accessibility \
      --chrome-flags="--headless=new --no-sandbox --disable-gpu" --output=json --output-path="$out/$name.json" >/dev/null 2>"$out/$name.log" \
      || { cat "$out/$name.log"; echo "FAIL lighthouse did not run on $p" >&2; exit 1; }
    score="$(node -p "Math.round(require('$out/$name.json').categories.accessibility.score * 100)")"
    # The weighted audits that failed, if any, to say why.
    node -e 'const r = require(process.argv[1]); const c = r.categories.accessibility;
      for (const a of c.auditRefs) { const x = r.audits[a.id]; if (a.weight > 0 && x.score !== null && x.score < 1) console.log("     failing: " + a.id + ": " + x.title); }' "$out/$name.json"
    [ "$score" = 100 ] || { echo "FAIL lighthouse accessibility $score on $p" >&2; exit 1; }
    echo "ok   lighthouse accessibility $score on $p"
  done
else
  echo "FAIL lighthouse is not installed (scripts/install-test-tools.sh with WITH_LIGHTHOUSE=1)" >&2; exit 1
fi

echo "== Nu HTML checker: zero errors"
ref=/bai-viet/hoi-nghi-tap-huan-ve-de-xuat-va-trien-khai-thuc-hien-cac-nhiem-vu-kh-cn-cho-cac-co-quan-khoi-dang
# (/bai-viet/le-hoi-hoa-xuan-tinh-nam-2026 is the editor stage's article: figures with their
# picture copies, a table, a video; /bai-viet/hop-bao-cuoi-nam-co-video the video stage's.)
pages=(/bai-viet/le-hoi-hoa-xuan-tinh-nam-2026 /bai-viet/hop-bao-cuoi-nam-co-video /video /thu-vien-anh / /chuyen-muc/tin-tuc-su-kien "/chuyen-muc/tin-tuc-su-kien?page=2" "$ref" "$ref?tin-khac=2" /trang/gioi-thieu /chuyen-muc/lien-he /lien-he /hoi-dap /hoi-dap/1 /hoi-dap/gui "/hoi-dap/tra-cuu?ma=HD-DEMO0001" /lay-y-kien /dang-nhap /khong-co \
  /tim-kiem "/tim-kiem?q=hoi+nghi" "/tim-kiem?q=hoi+nghi&page=2" "/tim-kiem?q=%22hoi+nghi" "/tim-kiem?q=zzzzqqq" \
  /van-ban "/van-ban?page=2" "/van-ban?loai=quyet-dinh&co-quan=ubnd-tinh" "/van-ban?loai=khong-co" /van-ban/544-qd-skhcn \
  /van-ban/45-kh-skhcn "/tim-kiem?q=quy+che&loai=van-ban" \
  /van-ban/du-thao-quyet-dinh-cong-bo-thu-tuc-hanh-chinh /van-ban/du-thao-quy-dinh-quan-ly-do-luong-chat-luong \
  "/lay-y-kien?tinh-trang=dang-lay" "/lay-y-kien?tinh-trang=da-ket-thuc" \
  /lich-cong-tac "/lich-cong-tac?xem=ngay" "/lich-cong-tac?lanh-dao=giam-doc-tran-minh-khoa" \
  /co-cau-to-chuc /co-cau-to-chuc/van-phong-so /co-cau-to-chuc/ban-giam-doc /danh-ba "/danh-ba?q=nguyen&don-vi=ban-giam-doc" /lanh-dao-qua-cac-thoi-ky \
  /en/ /en/chuyen-muc/news /en/trang/introduction /en/trang/contact /en/co-cau-to-chuc /en/co-cau-to-chuc/van-phong-so /en/danh-ba \
  /en/lanh-dao-qua-cac-thoi-ky "/en/tim-kiem?q=science" /en/lich-cong-tac /en/van-ban /en/hoi-dap /en/lien-he /en/khong-co)
# The back office too, as the administrator sees it (curl keeps the session cookie).
jar="$work/cookies"
mkdir -p "$out/html"
curl -s -c "$jar" -o "$out/html/admin_dang_nhap.html" "$base/dang-nhap"
token="$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$out/html/admin_dang_nhap.html" | head -n1)"
curl -s -o /dev/null -b "$jar" -c "$jar" --data-urlencode "csrf=$token" --data-urlencode "username=quantri" \
  --data-urlencode "password=Đồng hồ cát 2026" --data-urlencode "next=/quan-tri" "$base/dang-nhap"
admin_pages=(/quan-tri /quan-tri/bai-viet /quan-tri/bai-viet/moi /quan-tri/bai-viet/1 /quan-tri/bai-viet/1/phien-ban \
  /quan-tri/chuyen-muc /quan-tri/trang/1 /quan-tri/anh /quan-tri/anh/1 /quan-tri/nguoi-dung /quan-tri/nhat-ky /quan-tri/thu-gui /quan-tri/tai-khoan /quan-tri/cai-dat /quan-tri/trang-thanh-phan \
  /quan-tri/van-ban /quan-tri/van-ban/moi /quan-tri/van-ban/1 /quan-tri/van-ban/danh-muc /quan-tri/van-ban/nhap \
  /quan-tri/thung-rac /quan-tri/thong-ke "/quan-tri/thong-ke?so-ngay=365" /quan-tri/video /quan-tri/video/1 \
  /quan-tri/gop-y /quan-tri/gop-y/1 /quan-tri/gop-y/chu-de /quan-tri/du-lieu-ca-nhan /quan-tri/hoi-dap /quan-tri/hoi-dap/linh-vuc /quan-tri/hoi-dap/1 /quan-tri/van-ban/1/lay-y-kien \
  /quan-tri/lich-cong-tac /quan-tri/giao-dien /quan-tri/giao-dien/trang-chu /quan-tri/giao-dien/banner /quan-tri/giao-dien/lien-ket \
  /quan-tri/to-chuc /quan-tri/to-chuc/moi /quan-tri/to-chuc/1 /quan-tri/to-chuc/nguoi /quan-tri/to-chuc/nguoi/moi /quan-tri/to-chuc/nguoi/1)
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
echo "== feeds and sitemaps: feedparser, the RFC 4287 schema (jing), the sitemaps.org XSD (xmllint)"
atom_rnc="$TEST_TOOLS_DIR/schemas/atom.rnc"
[ -s "$atom_rnc" ] || { echo "no Atom schema at $atom_rnc (scripts/install-feed-tools.sh)" >&2; exit 1; }
mkdir -p "$out/feeds"
sections=$(curl -s "$base/sitemap.xml" | grep -o "<loc>$base/chuyen-muc/[^<]*</loc>" | sed "s|<loc>$base||; s|</loc>||")
[ -n "$sections" ] || { echo "FAIL no section in the sitemap" >&2; exit 1; }
feeds=(/rss.xml /atom.xml /en/rss.xml /en/atom.xml)
for s in $sections; do feeds+=("$s/rss.xml" "$s/atom.xml"); done
python3 tests/validators/feedcheck.py "$base" "${feeds[@]/#/$base}"
atoms=()
for f in "${feeds[@]}"; do
  case "$f" in */atom.xml)
    file="$out/feeds/$(echo "$f" | tr -c 'a-z0-9\n' '_').xml"
    curl -sf -o "$file" "$base$f"
    atoms+=("$file");;
  esac
done
# jing's launcher warns about optional jars it does not need; its verdict is the exit code.
if jing -c "$atom_rnc" "${atoms[@]}" 2>/dev/null >"$out/feeds/jing.txt"; then
  echo "ok   jing: ${#atoms[@]} Atom feeds valid against RFC 4287 Appendix B"
else
  cat "$out/feeds/jing.txt"; echo "FAIL Atom feeds do not validate" >&2; exit 1
fi
sitemap_ok() { # $1: URL; the document must be a valid urlset
  curl -sf "$1" -o "$out/feeds/sitemap.xml" \
    && xmllint --noout --nonet --schema "$SITEMAP_XSD" "$out/feeds/sitemap.xml" 2>"$out/feeds/xmllint.txt" \
    || { cat "$out/feeds/xmllint.txt"; echo "FAIL $1 is not a valid sitemap" >&2; exit 1; }
}
sitemap_ok "$base/sitemap.xml"
echo "ok   xmllint: $base/sitemap.xml valid against the sitemaps.org XSD ($(grep -c '<url>' "$out/feeds/sitemap.xml") URLs)"
# The index: its parts against the XSD (no siteindex.xsd ships; the index is checked to be
# well-formed and to name only parts that are served).
main_base="$base"
start_cong "$work.index" CONG_LISTING__SITEMAP_URLS=10
index="$(curl -sf "$base/sitemap.xml")"
echo "$index" | xmllint --noout --nonet - || { echo "FAIL the sitemap index is not well-formed" >&2; exit 1; }
grep -q '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">' <<<"$index" \
  || { echo "FAIL no sitemap index past listing.sitemap_urls" >&2; exit 1; }
parts=$(grep -o '<loc>[^<]*</loc>' <<<"$index" | sed 's|<loc>||; s|</loc>||')
n=0; urls=0
for part in $parts; do
  sitemap_ok "$part"
  n=$((n + 1)); urls=$((urls + $(grep -c '<url>' "$out/feeds/sitemap.xml")))
done
echo "ok   xmllint: the sitemap index names $n parts, each valid, $urls URLs in all"
base="$main_base"

echo "== the three-site demo (serve --demo): Chromium, axe-core and vnu on every site, the switcher"
demo="$(mktemp -d)"
demo_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
(cd "$demo" && exec "$bin" serve --demo --listen "127.0.0.1:$demo_port" >"$demo/stdout" 2>"$demo/stderr") &
pids+=("$!")
at() { curl -s --resolve "$1:$demo_port:127.0.0.1" -o "$3" -w '%{http_code}' "http://$1:$demo_port$2"; }
for _ in $(seq 1 600); do
  [ "$(at stp.localhost / /dev/null)" = 200 ] && break
  sleep 0.1
done
for host in localhost skhcn.localhost stp.localhost; do
  grep -q "address=\"http://$host:$demo_port\"" "$demo/stderr" \
    || { cat "$demo/stderr"; echo "FAIL the start-up log does not print $host's address" >&2; exit 1; }
done
# An account with a role on two sites: a reporter of the portal (site 2), an editor of Sở Tư pháp (3).
printf '%s\n' 'Hai trang một tài khoản 2026' | (cd "$demo" && "$bin" user add nhieutrang --role author --site 2 >/dev/null)
(cd "$demo" && "$bin" user role nhieutrang --site 3 editor >/dev/null)
PORT="$demo_port" OUT="$out" timeout 300 node tests/browser/sites.js | tee "$out/sites.txt"
# The search index is built in the background on first start: wait for it.
for _ in $(seq 1 300); do
  at localhost "/tim-kiem?q=hoi+nghi&pham-vi=tat-ca" "$demo/search.html" >/dev/null
  grep -q "skhcn.localhost:$demo_port/bai-viet/" "$demo/search.html" && break
  sleep 0.1
done
site_files=()
for spec in "localhost / 200" "localhost /chuyen-muc/tin-tu-cac-so-nganh 200" "localhost /tim-kiem?q=hoi+nghi&pham-vi=tat-ca 200" \
  "skhcn.localhost / 200" "skhcn.localhost $ref 200" "stp.localhost / 200" "stp.localhost /chuyen-muc/pho-bien-phap-luat 200" \
  "stp.localhost /tim-kiem?q=phap+luat 200" "nowhere.localhost / 404"; do
  read -r host path want <<<"$spec"
  f="$out/html/site_$(echo "$host$path" | tr -c 'a-z0-9\n' '_' | cut -c1-60).html"
  got="$(at "$host" "$path" "$f")"
  [ "$got" = "$want" ] || { echo "FAIL $host$path answered $got, not $want" >&2; exit 1; }
  site_files+=("$f")
done
grep -q 'Không có trang nào tại địa chỉ này' "$out/html/site_nowhere_localhost_.html" \
  || { echo "FAIL the unknown host got no themed 404" >&2; exit 1; }
grep -q 'href="http://skhcn.localhost:'"$demo_port"'/bai-viet/' "$out/html/site_localhost_tim_kiem_q_hoi_nghi_pham_vi_tat_ca.html" \
  || { echo "FAIL the portal's all-sites search found no article of Sở KH&CN" >&2; exit 1; }
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$demo_port/x")" = 301 ] \
  || { echo "FAIL 127.0.0.1 does not redirect to the portal" >&2; exit 1; }
if timeout 120 java -jar "$VNU_JAR" --errors-only --format gnu "${site_files[@]}" 2>"$out/vnu-sites.txt"; then
  echo "ok   vnu: ${#site_files[@]} pages of three sites and the unknown-host page, no errors"
else
  cat "$out/vnu-sites.txt"; echo "FAIL vnu found errors" >&2; exit 1
fi
cp "$demo/stderr" "$work/demo-stderr"

echo "== the site over HTTPS (server.tls.mode = files, a self-signed certificate): Chromium, axe-core"
tlsdir="$work.tls"
mkdir -p "$tlsdir" && (cd "$tlsdir" && "$bin" demo >/dev/null)
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$tlsdir/key.pem" -out "$tlsdir/cert.pem" 2>/dev/null
(cd "$tlsdir" && exec env CONG_SERVER__TLS__MODE=files CONG_SERVER__TLS__LISTEN=127.0.0.1:0 \
  CONG_SERVER__TLS__CERT_FILE="$tlsdir/cert.pem" CONG_SERVER__TLS__KEY_FILE="$tlsdir/key.pem" \
  "$bin" serve --listen 127.0.0.1:0 >"$tlsdir/stdout" 2>"$tlsdir/stderr") &
pids+=("$!")
tls_port=""; plain_port=""
for _ in $(seq 1 300); do
  tls_port="$(sed -n 's/^cong listening on https:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$tlsdir/stdout" | head -n1)"
  plain_port="$(sed -n 's/^cong redirecting http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$tlsdir/stdout" | head -n1)"
  [ -n "$tls_port" ] && [ -n "$plain_port" ] && break
  sleep 0.1
done
[ -n "$tls_port" ] || { cat "$tlsdir/stderr"; echo "FAIL cong did not start over HTTPS" >&2; exit 1; }
for _ in $(seq 1 300); do
  [ "$(curl -s --cacert "$tlsdir/cert.pem" -o /dev/null -w '%{http_code}' "https://localhost:$tls_port/healthz")" = 200 ] && break
  sleep 0.1
done
BASE="https://localhost:$tls_port" PLAIN="http://localhost:$plain_port" OUT="$out" timeout 300 node tests/browser/https.js | tee "$out/https.txt"
tls_files=()
for p in / "$ref" /dang-nhap; do
  f="$out/html/https_$(echo "$p" | tr -c 'a-z0-9\n' '_' | cut -c1-60).html"
  curl -s --cacert "$tlsdir/cert.pem" -A 'cong-validator' -o "$f" "https://localhost:$tls_port$p"
  tls_files+=("$f")
done
if timeout 120 java -jar "$VNU_JAR" --errors-only --format gnu "${tls_files[@]}" 2>"$out/vnu-https.txt"; then
  echo "ok   vnu: ${#tls_files[@]} pages over HTTPS, no errors"
else
  cat "$out/vnu-https.txt"; echo "FAIL vnu found errors" >&2; exit 1
fi
cp "$tlsdir/stderr" "$work/tls-stderr"

echo "== server log"
if grep -E "panicked|server error" "$work/stderr" "$work.index/stderr" "$work/demo-stderr" "$work/tls-stderr"; then
  echo "FAIL the server logged errors" >&2
  exit 1
fi
echo "ok   no server errors logged"
