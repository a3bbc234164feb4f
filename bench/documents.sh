#!/usr/bin/env bash
# The documents library at scale (not a test): DOCS documents (10,000), each with a file of
# its own (DOCX written here, about FILE_KB of Vietnamese text each, some words found only in
# the files), imported through `cong documents import` (every file checked, its text read and
# stored), then the search index rebuilt; then cong serves and a sequential client times, on
# loopback, with keep-alive:
#   - the library filtered by two filters (never kept by the page cache: rendered each time),
#   - a search for words found only inside the files (documents only),
#   - the plain library (kept) for comparison.
# Prints the import's rate (documents and MB of file text a second), the reindex time, and
# p50/p90/p99/max per kind of request. Kept in bench/work-documents/ for the next run with
# the same DOCS and FILE_KB.
#
#   bench/documents.sh
#   DOCS=2000 FILE_KB=4 REQUESTS=300 bench/documents.sh
set -euo pipefail
cd "$(dirname "$0")/.."
DOCS=${DOCS:-10000}
FILE_KB=${FILE_KB:-3}
REQUESTS=${REQUESTS:-1000}
WORK=${WORK:-bench/work-documents}
PORT=18120
[[ "$DOCS" =~ ^[0-9]+$ && "$DOCS" -ge 10 && "$DOCS" -le 200000 ]] || { echo "DOCS must be 10..200000" >&2; exit 2; }

echo "== release build"
cargo build --release --locked -q
bin=$PWD/target/release/cong
mkdir -p "$WORK"; WORK=$(cd "$WORK" && pwd)
export CONG_DATABASE__URL="sqlite://$WORK/cong.db"
export CONG_SITE__MEDIA_DIR="$WORK/media" CONG_SITE__SEARCH_DIR="$WORK/search"
if [ "$(cat "$WORK/corpus" 2>/dev/null)" != "$DOCS $FILE_KB" ]; then
  echo "== corpus: the demo, then $DOCS documents with a ${FILE_KB} KB-text DOCX each"
  rm -rf "$WORK"/{cong.db*,media,search,corpus,files,sheet.csv}
  "$bin" demo >/dev/null
  python3 - "$WORK" "$DOCS" "$FILE_KB" <<'PY'
import os, random, sys, zipfile
work, n, kb = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rnd = random.Random(20261206)
words = ("quyết định kế hoạch triển khai nhiệm vụ khoa học công nghệ chuyển đổi số cải cách hành "
         "chính đổi mới sáng tạo tiêu chuẩn đo lường chất lượng sở hữu trí tuệ doanh nghiệp tỉnh "
         "huyện xã ủy ban nhân dân phê duyệt dự toán kinh phí ngân sách nhà nước báo cáo kết quả "
         "thực hiện năm tháng quý giai đoạn phối hợp đơn vị cơ quan tổ chức cá nhân hồ sơ thủ tục "
         "trực tuyến thẩm định nghiệm thu hội đồng tư vấn tuyển chọn giao trực tiếp đề tài dự án").split()
# Rare words, only in files: each appears in about 1 file in 200.
rare = ("thanh long ruột đỏ|phong lan hồ điệp|khí tượng hải văn|rừng ngập mặn|cá bớp lồng bè|"
        "nước mắm truyền thống|điện gió ngoài khơi|muối biển sạch|hạt điều rang|tôm hùm xanh").split("|")
types = ["Quyết định", "Kế hoạch", "Công văn", "Thông báo", "Báo cáo"]
issuers = ["UBND tỉnh", "Sở Khoa học và Công nghệ", "Bộ Khoa học và Công nghệ"]
fields = ["Khoa học và công nghệ", "Chuyển đổi số", "Cải cách hành chính", "Sở hữu trí tuệ"]
os.makedirs(f"{work}/files", exist_ok=True)
TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
         '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
         '<Default Extension="xml" ContentType="application/xml"/>'
         '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
text_bytes = 0
with open(f"{work}/sheet.csv", "w", encoding="utf-8") as sheet:
    sheet.write("Số ký hiệu,Loại văn bản,Cơ quan ban hành,Trích yếu,Ngày ban hành,Lĩnh vực,Tệp\n")
    for i in range(n):
        paras = []
        size = 0
        while size < kb * 1024:
            p = " ".join(rnd.choice(words) for _ in range(40))
            if rnd.random() < 0.05:
                p += " " + rnd.choice(rare)
            paras.append(p + ".")
            size += len(p.encode())
        text_bytes += size
        name = f"van-ban-{i}.docx"
        body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paras)
        with zipfile.ZipFile(f"{work}/files/{name}", "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("[Content_Types].xml", TYPES)
            z.writestr("_rels/.rels", RELS)
            z.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{body}</w:body></w:document>')
        t = types[i % len(types)]
        summary = " ".join(rnd.choice(words) for _ in range(14)).capitalize()
        year = 2015 + i % 12
        sheet.write(f"{i + 1}/{t[:2].upper()}-BENCH,{t},{issuers[i % 3]},{summary},"
                    f"{1 + i % 28:02}/{1 + i % 12:02}/{year},{fields[i % 4]},{name}\n")
print(f"files: {n} DOCX, {text_bytes / 1e6:.1f} MB of text")
open(f"{work}/text-mb", "w").write(f"{text_bytes / 1e6:.1f}")
PY
  start=$(date +%s.%N)
  /usr/bin/time -f "import: %e s wall, %M KB max RSS" "$bin" documents import "$WORK/sheet.csv" --files "$WORK/files" | tail -n 1
  end=$(date +%s.%N)
  python3 -c "import sys; s=float(sys.argv[2])-float(sys.argv[1]); n=int(sys.argv[3]); mb=float(open(sys.argv[4]).read()); print(f'import rate: {n/s:.0f} documents/s, {mb/s:.2f} MB of file text/s')" "$start" "$end" "$DOCS" "$WORK/text-mb"
  /usr/bin/time -f "reindex (articles + documents): %e s wall, %M KB max RSS" "$bin" reindex
  echo "$DOCS $FILE_KB" > "$WORK/corpus"
fi
ls -l "$WORK/cong.db" | awk '{printf "database: %.0f MB\n", $5/1e6}'
du -sm "$WORK/search" | awk '{printf "search index: %s MB\n", $1}'

"$bin" serve --listen "127.0.0.1:$PORT" >"$WORK/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait 2>/dev/null' EXIT
for _ in $(seq 1 600); do
  curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break
  sleep 0.1
done
echo "== $REQUESTS requests of each kind, one at a time, keep-alive ($(nproc) cores)"
python3 - "$PORT" "$REQUESTS" <<'PY'
import http.client, random, statistics, sys, time, urllib.parse
port, n = int(sys.argv[1]), int(sys.argv[2])
rnd = random.Random(7)
c = http.client.HTTPConnection("127.0.0.1", port)
def get(path):
    c.request("GET", path, headers={"User-Agent": "cong-bench"})
    r = c.getresponse(); r.read()
    return r.status
years = list(range(2015, 2027))
kinds = {
    "library, two filters (uncached)": lambda: "/van-ban?loai=quyet-dinh&nam=%d" % rnd.choice(years),
    "library, three filters (uncached)": lambda: "/van-ban?loai=cong-van&co-quan=ubnd-tinh&linh-vuc=chuyen-doi-so",
    "search inside files (documents)": lambda: "/tim-kiem?" + urllib.parse.urlencode({"q": rnd.choice(
        ["thanh long ruột đỏ", "phong lan ho diep", "khí tượng hải văn", "rung ngap man", "cá bớp lồng bè",
         "nước mắm truyền thống", "dien gio ngoai khoi", "hạt điều rang", "tôm hùm xanh", "muối biển sạch"]), "loai": "van-ban"}),
    "library, plain (kept)": lambda: "/van-ban",
}
for name, make in kinds.items():
    for _ in range(20):
        get(make())
    times = []
    for _ in range(n):
        p = make()
        t = time.perf_counter(); s = get(p); times.append((time.perf_counter() - t) * 1000)
        assert s == 200, (p, s)
    times.sort()
    q = lambda f: times[min(len(times) - 1, int(f * len(times)))]
    print(f"{name:36} p50 {q(.5):6.2f} ms  p90 {q(.9):6.2f} ms  p99 {q(.99):6.2f} ms  max {times[-1]:6.2f} ms")
PY
