#!/usr/bin/env python3
"""A soak: mixed traffic against one running node for DURATION seconds, sampling its resident
memory, open files and latency every INTERVAL seconds (not a test: it prints figures).

Traffic, all to 127.0.0.1: readers on cached pages (home, sections, articles) and uncached
ones (search results, deep section pages past the cache), searches, an editor saving an
article every few seconds, failing logins, readers with a new random User-Agent each, and
clients that hang up mid-request. Latency is measured by a separate prober (a cached article
and a search, ten times a second), so the load's own queueing does not hide drift.

Usage: soak.py PORT PID DURATION INTERVAL EDITOR_USER EDITOR_PASSWORD ARTICLE_ID
"""
import http.client
import random
import re
import socket
import statistics
import sys
import threading
import time
import urllib.parse

PORT, PID, DURATION, INTERVAL = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
EDITOR, EDITOR_PW, ARTICLE_ID = sys.argv[5], sys.argv[6], int(sys.argv[7])
CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36"
stop = threading.Event()
lock = threading.Lock()
counts = {}          # what each kind of traffic got: kind -> {status: n}
probe = []           # (time, seconds, kind) of prober requests in the current window


def note(kind, status):
    with lock:
        counts.setdefault(kind, {}).setdefault(status, 0)
        counts[kind][status] += 1


def get(conn, path, ua=CHROME, headers=None):
    h = {"User-Agent": ua, "Accept-Encoding": "gzip, br"}
    h.update(headers or {})
    conn.request("GET", path, headers=h)
    r = conn.getresponse()
    body = r.read()
    return r.status, body, r


def connection():
    return http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)


def paths():
    _, body, _ = get(connection(), "/", headers={"Accept-Encoding": "identity"})
    html = body.decode("utf-8", "replace")
    arts = sorted(set(re.findall(r'href="(/bai-viet/[^"#?]+)"', html)))
    secs = sorted(set(re.findall(r'href="(/chuyen-muc/[^"#?/]+)"', html)))
    return arts, secs


ARTICLES, SECTIONS = paths()
WORDS = ["hội nghị", "khoa học", "chuyển đổi số", "doanh nghiệp", "nong nghiep", '"công nghệ cao"',
         "tỉnh", "đề tài", "an toàn thông tin", "cải cách"]


def loop(kind, body):
    def run():
        conn = connection()
        while not stop.is_set():
            try:
                status = body(conn)
                note(kind, status)
            except Exception as e:  # a refused or reset connection: count it, reconnect
                note(kind, type(e).__name__)
                conn.close()
                conn = connection()
                time.sleep(0.05)
    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t


def cached_reader(conn):
    return get(conn, random.choice(ARTICLES + SECTIONS + ["/"]))[0]


def uncached_reader(conn):
    if random.random() < 0.5:
        q = urllib.parse.quote(random.choice(WORDS))
        return get(conn, f"/tim-kiem?q={q}&page={random.randint(1, 3)}")[0]
    return get(conn, f"{random.choice(SECTIONS)}?page={random.randint(2, 40)}")[0]


def random_agent(conn):
    ua = f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) Gecko/{random.getrandbits(48):x} Firefox/{random.randint(90, 140)}.0"
    return get(conn, random.choice(ARTICLES + ["/"]), ua=ua)[0]


def failing_login(conn):
    time.sleep(0.2)
    s, body, r = get(conn, "/dang-nhap", headers={"Accept-Encoding": "identity"})
    cookie = "; ".join(c.split(";")[0] for c in r.headers.get_all("set-cookie") or [])
    token = re.search(rb'name="csrf" value="([^"]+)"', body)
    form = urllib.parse.urlencode({"csrf": token.group(1).decode() if token else "", "username": "quantri",
                                   "password": f"sai-{random.random()}", "next": "/quan-tri"})
    conn.request("POST", "/dang-nhap", body=form, headers={
        "User-Agent": CHROME, "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded",
        "Origin": f"http://127.0.0.1:{PORT}", "Sec-Fetch-Site": "same-origin"})
    r = conn.getresponse()
    r.read()
    return r.status


def hang_up(_conn):
    time.sleep(0.02)
    s = socket.create_connection(("127.0.0.1", PORT), timeout=5)
    path = random.choice(ARTICLES + ["/", "/tim-kiem?q=h%E1%BB%99i"])
    what = random.random()
    if what < 0.5:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: {CHROME}\r\n\r\n".encode())
    else:
        s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-")
    s.close()
    return "hung-up"


class Editor:
    """Logs in once, then saves the same article every few seconds (a new revision each)."""

    def __init__(self):
        self.conn = connection()
        self.cookies = {}

    def request(self, method, path, form=None):
        headers = {"User-Agent": CHROME, "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers.update({"Content-Type": "application/x-www-form-urlencoded",
                            "Origin": f"http://127.0.0.1:{PORT}", "Sec-Fetch-Site": "same-origin"})
        self.conn.request(method, path, body=body, headers=headers)
        r = self.conn.getresponse()
        data = r.read()
        for c in r.headers.get_all("set-cookie") or []:
            k, _, v = c.split(";")[0].partition("=")
            self.cookies[k] = v
        return r.status, data

    def login(self):
        _, page = self.request("GET", "/dang-nhap")
        token = re.search(rb'name="csrf" value="([^"]+)"', page).group(1).decode()
        return self.request("POST", "/dang-nhap", {"csrf": token, "username": EDITOR,
                                                    "password": EDITOR_PW, "next": "/quan-tri"})[0]

    def save(self, n):
        status, page = self.request("GET", f"/quan-tri/bai-viet/{ARTICLE_ID}")
        if status != 200:
            self.login()
            return status
        html = page.decode("utf-8", "replace")
        token = re.search(r'name="csrf" value="([^"]+)"', html).group(1)
        title = re.search(r'name="title"[^>]*value="([^"]*)"', html)
        section = re.search(r'<option value="(\d+)" selected', html)
        form = {"csrf": token, "title": (title.group(1) if title else "Bài thử tải"),
                "section_id": section.group(1) if section else "2",
                "summary": f"Lần lưu {n}", "body_html": f"<p>Nội dung lần lưu {n} lúc {time.time()}.</p>"}
        return self.request("POST", f"/quan-tri/bai-viet/{ARTICLE_ID}", form)[0]


def editor_loop():
    ed = Editor()
    note("editor-login", ed.login())
    n = 0
    while not stop.is_set():
        n += 1
        try:
            note("editor-save", ed.save(n))
        except Exception as e:
            note("editor-save", type(e).__name__)
            ed = Editor()
            ed.login()
        stop.wait(3)


def prober():
    conn = connection()
    art = ARTICLES[0]
    while not stop.is_set():
        for kind, path in (("article", art), ("search", "/tim-kiem?q=h%E1%BB%99i+ngh%E1%BB%8B")):
            t = time.perf_counter()
            try:
                get(conn, path, ua="Mozilla/5.0 (compatible; Googlebot/2.1)")
                with lock:
                    probe.append((kind, time.perf_counter() - t))
            except Exception:
                conn.close()
                conn = connection()
        stop.wait(0.1)


def proc():
    # RssAnon is the heap (what a leak would grow); the rest of VmRSS is mapped files
    # (the binary, tantivy's memory-mapped segments), which come and go as segments merge.
    rss = anon = 0
    with open(f"/proc/{PID}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) * 1024
            elif line.startswith("RssAnon:"):
                anon = int(line.split()[1]) * 1024
    import os
    return rss, anon, len(os.listdir(f"/proc/{PID}/fd"))


def gauges():
    """The tracker's remembered visitors and the page cache's bytes, from /metrics."""
    conn = connection()
    conn.request("GET", "/metrics", headers={"Authorization": "Bearer soak-metrics-token"})
    text = conn.getresponse().read().decode()
    conn.close()
    values = {}
    for line in text.splitlines():
        name, _, value = line.partition(" ")
        if name in ("cong_stats_visitors_remembered", "cong_page_cache_bytes"):
            values[name] = float(value)
    return values.get("cong_stats_visitors_remembered", float("nan")), values.get("cong_page_cache_bytes", float("nan"))


def pct(xs, p):
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * p))]


threads = []
for _ in range(3):
    threads.append(loop("cached", cached_reader))
threads.append(loop("uncached", uncached_reader))
threads.append(loop("random-ua", random_agent))
threads.append(loop("bad-login", failing_login))
threads.append(loop("hang-up", hang_up))
threading.Thread(target=editor_loop, daemon=True).start()
threading.Thread(target=prober, daemon=True).start()

print(f"{'t (s)':>6} {'RSS MB':>7} {'anon MB':>7} {'files':>6} {'visitors':>8} {'cache MB':>8} {'art p50':>8} {'art p99':>8} {'srch p50':>8} {'srch p99':>8} {'req/s':>7}")
rows = []
start = time.time()
last_total = 0
while time.time() - start < DURATION:
    time.sleep(INTERVAL)
    with lock:
        window = probe[:]
        probe.clear()
        total = sum(sum(v for v in c.values()) for c in counts.values())
    rss, anon, files = proc()
    visitors, cache_bytes = gauges()
    art = [s for k, s in window if k == "article"]
    srch = [s for k, s in window if k == "search"]
    row = (time.time() - start, rss / 1e6, files, pct(art, .5) * 1e3, pct(art, .99) * 1e3,
           pct(srch, .5) * 1e3, pct(srch, .99) * 1e3, (total - last_total) / INTERVAL, anon / 1e6, visitors, cache_bytes / 1e6)
    last_total = total
    rows.append(row)
    print(f"{row[0]:6.0f} {row[1]:7.1f} {row[8]:7.1f} {row[2]:6d} {row[9]:8.0f} {row[10]:8.1f} {row[3]:8.2f} {row[4]:8.2f} {row[5]:8.2f} {row[6]:8.2f} {row[7]:7.0f}", flush=True)
stop.set()

print("\nwhat the traffic got (status: count):")
for kind, c in sorted(counts.items()):
    print(f"  {kind:13} " + ", ".join(f"{k}: {v}" for k, v in sorted(c.items(), key=lambda kv: str(kv[0]))))
n = max(1, len(rows) // 6)
first, last = rows[:n], rows[-n:]
def mean(xs): return statistics.fmean(xs) if xs else float("nan")
print("\nfirst vs last sixth of the run:")
print(f"  resident memory  {mean([r[1] for r in first]):7.1f} MB → {mean([r[1] for r in last]):7.1f} MB  (max {max(r[1] for r in rows):.1f})")
print(f"  heap (RssAnon)   {mean([r[8] for r in first]):7.1f} MB → {mean([r[8] for r in last]):7.1f} MB  (max {max(r[8] for r in rows):.1f})")
print(f"  visitors kept    {mean([r[9] for r in first]):7.0f}    → {mean([r[9] for r in last]):7.0f}     (each new User-Agent is one, kept 30 minutes; bound stats.max_visitors)")
print(f"  page cache       {mean([r[10] for r in first]):7.1f} MB → {mean([r[10] for r in last]):7.1f} MB")
print(f"  open files       {mean([r[2] for r in first]):7.1f}    → {mean([r[2] for r in last]):7.1f}     (max {max(r[2] for r in rows)})")
print(f"  article p99      {mean([r[4] for r in first]):7.2f} ms → {mean([r[4] for r in last]):7.2f} ms (ratio {mean([r[4] for r in last]) / mean([r[4] for r in first]):.2f})")
print(f"  search p99       {mean([r[6] for r in first]):7.2f} ms → {mean([r[6] for r in last]):7.2f} ms (ratio {mean([r[6] for r in last]) / mean([r[6] for r in first]):.2f})")
