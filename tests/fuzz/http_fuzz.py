"""HTTP fuzzer for cong: hypothesis generates requests against a running node.

Started by scripts/fuzz-http.sh, which starts the node with the demo content and passes:
  BASE          http://127.0.0.1:PORT
  SERVER_LOG    the node's stderr (checked for panics and logged server errors)
  SERVER_PID    the node's process id (checked to be alive)
  DB            the node's SQLite file (PRAGMA integrity_check at the end)
  USERS         role:user:password,… (one account per back-office role)
  FUZZ_SECONDS  time budget for generation (default 180)
  REGRESSIONS   JSON file of cases that failed once, replayed first (new failures added)
  FUZZ_SEED     optional seed for a reproducible run

A case is plain data (method, target, headers, cookie, body; bytes as latin-1 strings) with
the placeholder {{csrf}} for the session's token, so that a failing case can be stored in
REGRESSIONS and replayed on another run, where tokens and sessions differ.

The property: no answer is a 5xx other than the documented 503 with Retry-After, the server
logs no panic and no "server error", and it stays alive. Exits 1 on any failure.
"""

import base64
import html.parser
import json
import os
import random
import socket
import sqlite3
import sys
import time
import urllib.parse
import zlib
import http.client

import hypothesis
from hypothesis import HealthCheck, Phase, given, settings, strategies as st
from hypothesis.errors import Flaky

BASE = os.environ["BASE"]
HOST, PORT = urllib.parse.urlsplit(BASE).hostname, urllib.parse.urlsplit(BASE).port
SERVER_LOG = os.environ["SERVER_LOG"]
SERVER_PID = int(os.environ["SERVER_PID"])
DB = os.environ.get("DB", "")
BUDGET = float(os.environ.get("FUZZ_SECONDS", "180"))
REGRESSIONS = os.environ.get("REGRESSIONS", "")
CSRF = "{{csrf}}"
ROLES = ["anonymous"]  # filled with the back-office roles from USERS


# ------------------------------------------------------------------ raw HTTP


class Answer:
    def __init__(self, status, headers, body, cookies):
        self.status, self.headers, self.body, self.cookies = status, headers, body, cookies

    def header(self, name):
        return self.headers.get(name.lower(), "")


def send(method, target, headers, body=b"", timeout=60):
    """One request on its own connection, bytes as given (no client-side validation).
    Returns an Answer, or None when the server closed without answering."""
    head = "%s %s HTTP/1.1\r\n" % (method, target)
    for k, v in headers:
        head += "%s: %s\r\n" % (k, v)
    if body or method == "POST":
        head += "Content-Length: %d\r\n" % len(body)
    head += "Connection: close\r\n\r\n"
    data = head.encode("latin-1") + body
    with socket.create_connection((HOST, PORT), timeout=timeout) as s:
        try:
            s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may refuse early (413, 414) and close; read what it said
        r = http.client.HTTPResponse(s, method=method)
        try:
            r.begin()
        except (http.client.RemoteDisconnected, ConnectionResetError):
            return None
        try:
            payload = r.read()
        except (http.client.IncompleteRead, ConnectionResetError) as e:
            payload = getattr(e, "partial", b"")
        hs = {k.lower(): v for k, v in r.getheaders()}
        cookies = [v for k, v in r.getheaders() if k.lower() == "set-cookie"]
        return Answer(r.status, hs, payload, cookies)


def cookie_value(answer, name):
    for part in answer.cookies:
        if part.startswith(name + "="):
            return part.split(";", 1)[0].split("=", 1)[1]
    return None


def field_value(html_text, name):
    marker = 'name="%s" value="' % name
    i = html_text.find(marker)
    if i < 0:
        return None
    j = html_text.find('"', i + len(marker))
    return html_text[i + len(marker) : j]


# ------------------------------------------------------------------ sessions


class Session:
    """A role's cookies and CSRF token; logs in again when the session was lost."""

    def __init__(self, role, user=None, password=None):
        self.role, self.user, self.password = role, user, password
        self.cookie, self.csrf = "", ""
        self.renew()

    def renew(self):
        a = send("GET", "/dang-nhap", [("Host", "%s:%d" % (HOST, PORT))])
        pre = cookie_value(a, "cong_pre")
        token = field_value(a.body.decode("utf-8", "replace"), "csrf")
        if not pre or not token:
            raise SystemExit("GET /dang-nhap gave no cong_pre cookie or csrf field")
        if self.role == "anonymous":
            self.cookie, self.csrf = "cong_pre=" + pre, token
            return
        form = urllib.parse.urlencode(
            {"csrf": token, "username": self.user, "password": self.password, "next": "/quan-tri"}
        ).encode()
        a = send(
            "POST",
            "/dang-nhap",
            [
                ("Host", "%s:%d" % (HOST, PORT)),
                ("Cookie", "cong_pre=" + pre),
                ("Content-Type", "application/x-www-form-urlencoded"),
            ],
            form,
        )
        sid = cookie_value(a, "cong_sid") if a else None
        if not a or a.status != 303 or not sid:
            raise SystemExit("login as %s failed: %s" % (self.user, a and a.status))
        self.cookie = "cong_sid=" + sid
        a = send("GET", "/quan-tri/tai-khoan", [("Host", "%s:%d" % (HOST, PORT)), ("Cookie", self.cookie)])
        self.csrf = field_value(a.body.decode("utf-8", "replace"), "csrf") or ""
        if not self.csrf:
            raise SystemExit("no session csrf token for %s" % self.user)

    def alive(self):
        if self.role == "anonymous":
            return True
        a = send("GET", "/quan-tri/tai-khoan", [("Host", "%s:%d" % (HOST, PORT)), ("Cookie", self.cookie)])
        return a is not None and a.status == 200


# ------------------------------------------------------------------ crawl


class Forms(html.parser.HTMLParser):
    """Links and forms of a page: each form as (method, action, enctype, [(name, value, type, options)])."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.forms, self.form, self.select = set(), [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for k in ("href", "src", "action"):
            if a.get(k):
                self.links.add(a[k])
        if tag == "form":
            self.form = [a.get("method", "get").upper(), a.get("action", ""), a.get("enctype", ""), []]
            self.forms.append(self.form)
        elif self.form is not None and tag in ("input", "textarea", "select", "button") and a.get("name"):
            field = [a["name"], a.get("value") or "", a.get("type", tag), []]
            self.form[3].append(field)
            if tag == "select":
                self.select = field
        elif tag == "option" and self.select is not None:
            self.select[3].append(a.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None


def crawl(session, seeds, limit):
    """Pages reachable from seeds on this site, as this role: links and forms."""
    seen, todo, links, forms = set(), list(seeds), set(), {}
    while todo and len(seen) < limit:
        path = todo.pop(0)
        if path in seen:
            continue
        seen.add(path)
        a = send("GET", path, [("Host", "%s:%d" % (HOST, PORT)), ("Cookie", session.cookie)])
        if not a or a.status != 200 or not a.header("content-type").startswith("text/html"):
            continue
        p = Forms()
        p.feed(a.body.decode("utf-8", "replace"))
        for f in p.forms:
            action = f[1] or path
            if f[0] == "POST" and action.startswith("/"):
                forms.setdefault((action, f[2]), f)
        for link in p.links:
            if link.startswith(BASE):
                link = link[len(BASE) :]
            if not link.startswith("/") or link.startswith("//"):
                continue
            link = link.split("#", 1)[0]
            links.add(link)
            # one page of each list is enough: page=N and ids are reached through the rest
            if link not in seen and not link.startswith("/media/") and len(todo) < 4 * limit:
                todo.append(link)
    return sorted(links), sorted(forms.values(), key=lambda f: (f[1], f[2]))


# ------------------------------------------------------------------ what to send


def png(width, height, rows=None):
    def chunk(kind, data):
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")

    raw = rows if rows is not None else b"".join(b"\x00" + b"\x80\x40\x20" * width for _ in range(height))
    ihdr = width.to_bytes(4, "big") + height.to_bytes(4, "big") + b"\x08\x02\x00\x00\x00"
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
IMAGES = {
    "png": png(8, 6),
    "png-bomb": png(60000, 60000, rows=b""),  # a header that claims 3.6 billion pixels
    "png-zero": png(0, 0, rows=b""),
    "gif": GIF,
    "jpeg-header": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9",
    "webp-header": b"RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00" + b"\x00" * 24,
    "svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>',
    "html": b"<html><script>alert(1)</script></html>",
    "empty": b"",
}


def add_real_images(media_dir):
    """JPEG and WebP files the demo wrote: real images of the formats hard to write by hand."""
    for root, _, files in os.walk(media_dir):
        for f in sorted(files):
            ext = f.rsplit(".", 1)[-1].lower()
            key = {"jpg": "jpeg", "jpeg": "jpeg", "webp": "webp"}.get(ext)
            if key and key not in IMAGES:
                with open(os.path.join(root, f), "rb") as fh:
                    data = fh.read()
                if len(data) < 400_000:
                    IMAGES[key] = data


def latin1(b):
    return b.decode("latin-1")


texts = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "1.5",
            "99999999999999999999999",
            "2026-02-30T25:61",
            "1970-01-01T00:00",
            "9999-12-31T23:59",
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "<p>ok <b>bold</b> <a href=\"javascript:alert(1)\">x</a></p>",
            "' OR 1=1--",
            '"; DROP TABLE articles; --',
            "../../etc/passwd",
            "%00",
            "\x00",
            "\ufeff\u202e\u200b",
            "Đồng hồ cát 2026",
            "a" * 5000,
            "ầ" * 3000,
            "https://example.org/x",
            "/quan-tri",
            "//evil.example/",
            "author",
            "editor",
            "draft",
            "published",
            "review",
            "true",
        ]
    ),
)
QUERY_KEYS = ["page", "q", "tin-khac", "trang-thai", "tieu-de", "chuyen-muc", "nguoi-dung", "thao-tac", "tim",
              "details", "next", "csrf", "utm_source", "fbclid", "x"]


@st.composite
def percent_noise(draw, s):
    """Mutates a URL string: broken or odd percent-escapes, slashes, dots, long or odd segments."""
    ops = draw(st.lists(st.integers(0, 11), max_size=3))
    for op in ops:
        i = draw(st.integers(0, len(s)))
        piece = [
            "%", "%G0", "%00", "%FF%FE", "%2F", "%2e%2e/", "//", "/./", "/../", "%C3%28", "%E2%82", ";x=1",
        ][op]
        s = s[:i] + piece + s[i:]
    return s


@st.composite
def segments(draw):
    return draw(
        st.one_of(
            st.from_regex(r"[a-z0-9-]{1,60}", fullmatch=True),
            st.sampled_from(["..", ".", "", "%2e%2e", "index.html", "rss.xml", "sitemap-1.xml", "0", "-1",
                             "99999999999999999999", "a" * 255, "a" * 256, "b" * 1000, "%C3%A1" * 200]),
            st.text(max_size=30).map(lambda t: urllib.parse.quote(t, safe="")),
            # past a file name's 255 bytes, raw or as percent-escapes
            st.tuples(st.sampled_from(["a", "%C3%A1", "-"]), st.integers(1, 1200)).map(lambda p: p[0] * p[1]),
        )
    )


@st.composite
def targets(draw, links, templates):
    """A request target: a link seen on the site or a route with its parameters filled in,
    then mutated; a query string added or replaced."""
    kind = draw(st.integers(0, 3))
    media = [link for link in links if link.startswith("/media/")]
    if kind == 0 and links:
        path = draw(st.sampled_from(links))
    elif kind == 1 and media:
        path = draw(st.sampled_from(media))  # the one route served from the file system
    else:
        t = draw(st.sampled_from(templates))
        while "{" in t:
            a, rest = t.split("{", 1)
            t = a + draw(segments()) + rest.split("}", 1)[1]
        path = t
    how = draw(st.integers(0, 3))
    if how == 1:
        path = path.split("?", 1)[0]
        extra = "/".join(draw(st.lists(segments(), max_size=3)))
        if extra:
            path = path.rstrip("/") + "/" + extra
    elif how == 2:
        # the last segment replaced: a file name in a real folder (/media/2026/…)
        path = path.split("?", 1)[0].rsplit("/", 1)[0] + "/" + draw(segments())
    if draw(st.integers(0, 3)) == 0:
        path = draw(percent_noise(path))
    if draw(st.booleans()):
        pairs = draw(st.lists(st.tuples(st.one_of(st.sampled_from(QUERY_KEYS), texts), texts), max_size=5))
        q = urllib.parse.urlencode(pairs)
        if draw(st.integers(0, 3)) == 0:
            q = draw(percent_noise(q))
        path = path.split("?", 1)[0] + "?" + q
    if not path.startswith("/"):
        path = "/" + path
    # non-ASCII characters go as UTF-8 bytes; control characters stay (hyper refuses them)
    return latin1(path.encode("utf-8"))


def header_values():
    ips = st.one_of(
        st.ip_addresses().map(str),
        st.sampled_from(["unknown", "", "1.2.3.4, 5.6.7.8", "::1", "[::1]:80", "999.1.1.1", "1.2.3.4:5",
                         "2001:db8::1, 10.0.0.1", "x" * 500]),
    )
    text_value = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"),
                         max_size=200)
    return {
        "Host": st.one_of(st.just("%s:%d" % (HOST, PORT)), st.sampled_from(
            ["", "localhost", "example.org", "evil.example:8080", "[::1]", "a" * 300, "xn--bcher-kva.example",
             "127.0.0.1:0", "h\u00e9llo".encode("utf-8").decode("latin-1")]), text_value),
        "Accept-Encoding": st.sampled_from(["gzip", "br", "deflate", "zstd", "*", "gzip;q=0, br;q=0", "br;q=1.0, gzip;q=0.5",
                                            "identity;q=0", "gzip;q=abc", "", "x" * 300]),
        "Range": st.one_of(st.sampled_from(["bytes=0-10", "bytes=-5", "bytes=100-50", "bytes=0-", "bytes=99999999-",
                                            "bytes=0-0,2-3,5-", "bytes=-0", "items=0-1", "bytes=" + ",".join(["1-2"] * 200)]),
                           text_value),
        "If-None-Match": st.one_of(st.sampled_from(['*', 'W/"x"', '"abc"', '"', "W/", ",,,"]), text_value),
        "If-Modified-Since": st.one_of(st.sampled_from(["Thu, 01 Jan 1970 00:00:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT", "yesterday"]),
                                       text_value),
        "User-Agent": st.one_of(st.sampled_from(["Mozilla/5.0 (X11; Linux x86_64) Chrome/130", "Googlebot/2.1", "curl/8.0",
                                                 "", "a" * 8000]), text_value),
        "X-Forwarded-For": ips,
        "X-Forwarded-Proto": st.sampled_from(["https", "http", "ftp", "", "https, http"]),
        "X-Real-IP": ips,
        "Forwarded": st.sampled_from(['for=1.2.3.4;proto=https', 'for="[2001:db8::1]"', "for=", "garbage"]),
        "Accept": st.sampled_from(["text/html", "*/*", "application/json", "", "text/html;q=0"]),
        "Accept-Language": st.sampled_from(["vi", "en-US,en;q=0.9", "*", "x" * 200]),
        "Referer": st.one_of(st.just(BASE + "/"), text_value),
        "Origin": st.sampled_from([BASE, "https://evil.example", "null", ""]),
        "Sec-Fetch-Site": st.sampled_from(["same-origin", "cross-site", "none", "same-site", "x"]),
        "Authorization": st.sampled_from(["Bearer x", "Bearer " + "a" * 500, "Basic Og==", ""]),
        "Content-Type": st.sampled_from(["application/x-www-form-urlencoded", "multipart/form-data", "text/plain",
                                         "multipart/form-data; boundary=", "application/x-www-form-urlencoded; charset=latin1"]),
        "Transfer-Encoding": st.sampled_from(["identity", "chunked, gzip"]),
        "Content-Encoding": st.sampled_from(["gzip", "br"]),
        "Expect": st.sampled_from(["100-continue", "x"]),
    }


@st.composite
def extra_headers(draw):
    hv = header_values()
    names = draw(st.lists(st.sampled_from(sorted(hv)), max_size=4, unique=True))
    hs = [(n, draw(hv[n])) for n in names]
    if draw(st.integers(0, 9)) == 0:
        name = draw(st.from_regex(r"[A-Za-z][A-Za-z0-9-]{0,30}", fullmatch=True))
        hs.append((name, draw(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=100))))
    return hs


@st.composite
def cookies(draw):
    """Mostly the role's own cookies (so that handlers are reached); sometimes none, forged,
    doubled or odd ones."""
    if draw(st.integers(0, 9)) < 7:
        return "session"
    return draw(
        st.one_of(
            st.just("none"),
            st.sampled_from(["cong_sid=x", "cong_sid=", "cong_pre=abc", "cong_sid=" + "a" * 4000, "=;;=",
                             "cong_sid=1; cong_sid=2", "cong_sid=%00", "a=b; c"]),
            st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=100),
        )
    )


def mutate_value(draw, field):
    name, value, kind, options = field
    if name == "csrf":
        return draw(st.sampled_from([CSRF] * 8 + ["", "x", CSRF + "x", "a" * 100]))
    choice = draw(st.integers(0, 4))
    if choice == 0:
        return value
    if choice == 1 and options:
        return draw(st.sampled_from(options))
    return draw(texts)


@st.composite
def form_bodies(draw, form):
    """A form's fields from the real page, their values kept or mutated, some dropped,
    duplicated or added."""
    method, action, enctype, fields = form
    fields = [f for f in fields if f[0] != "totp_role"]  # would lock the fuzzer's roles out
    out = []
    for f in fields:
        if f[0] != "csrf" and draw(st.integers(0, 9)) == 0:
            continue  # dropped
        if f[2] in ("checkbox", "radio") and draw(st.booleans()):
            continue  # unchecked
        out.append([f[0], mutate_value(draw, f)])
        if draw(st.integers(0, 14)) == 0:
            out.append([f[0], draw(texts)])  # repeated
    if draw(st.integers(0, 5)) == 0:
        out.append([draw(st.one_of(st.sampled_from(["action", "id", "status", "role", "section_id", "gallery_caption"]), texts)),
                    draw(texts)])
    if draw(st.integers(0, 6)) == 0:
        i = draw(st.integers(0, len(out)))
        out = out[i:] + out[:i]  # csrf not first
    return out


@st.composite
def multipart_parts(draw, form):
    method, action, enctype, fields = form
    parts = []
    for name, value in draw(form_bodies([method, action, "", [f for f in fields if f[2] != "file"]])):
        parts.append({"name": name, "data": value})
    for f in fields:
        if f[2] != "file" or draw(st.integers(0, 9)) == 0:
            continue
        image = draw(st.sampled_from(sorted(IMAGES)))
        data = IMAGES[image]
        how = draw(st.integers(0, 5))
        if how == 1 and data:
            data = data[: draw(st.integers(0, len(data)))]  # truncated
        elif how == 2 and data:
            b = bytearray(data)
            for _ in range(draw(st.integers(1, 8))):
                i = draw(st.integers(0, len(b) - 1))
                b[i] = draw(st.integers(0, 255))
            data = bytes(b)
        elif how == 3:
            data = data + draw(st.binary(max_size=200))
        filename = draw(
            st.one_of(
                st.just("anh.%s" % image.split("-")[0]),
                st.sampled_from(["", "../../etc/passwd", "a" * 300 + ".png", "ảnh đẹp.jpg", "x.php.png", "con",
                                 "a\"b.png", ".png", "x." + "y" * 200, "%00.png"]),
                st.text(max_size=60),
            )
        )
        ctype = draw(st.sampled_from(["image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml", "text/html",
                                      "application/octet-stream", "", "x/y; z", "image/" + "p" * 200]))
        parts.append({"name": f[0], "filename": latin1(filename.encode("utf-8")), "type": ctype, "data": latin1(data)})
    return parts


@st.composite
def cases(draw, by_role, templates):
    role = draw(st.sampled_from(ROLES))
    links, forms = by_role[role]
    case = {"role": role, "cookie": draw(cookies()), "headers": draw(extra_headers())}
    kind = draw(st.integers(0, 9))
    if kind < 5 or not forms:
        case["method"] = draw(st.sampled_from(["GET"] * 8 + ["HEAD", "POST", "PUT", "OPTIONS", "DELETE", "PATCH"]))
        case["target"] = draw(targets(links, templates))
        return case
    form = draw(st.sampled_from(forms))
    target = form[1]
    if draw(st.integers(0, 7)) == 0:
        target = draw(targets([target], [target]))
    case["method"] = draw(st.sampled_from(["POST"] * 12 + ["GET", "PUT"]))
    case["target"] = target
    if form[2] == "multipart/form-data" or draw(st.integers(0, 19)) == 0:
        case["multipart"] = draw(multipart_parts(form))
        case["boundary"] = draw(st.sampled_from(["----cong-fuzz-7d1", "x", "a" * 80, "----cong-fuzz-7d1"]))
        case["framing"] = draw(st.sampled_from(["ok"] * 6 + ["no-end", "wrong-boundary", "no-type", "lf-only"]))
    else:
        case["form"] = draw(form_bodies(form))
        case["encoding"] = draw(st.sampled_from(["urlencoded"] * 6 + ["raw", "bad-percent"]))
    return case


# ------------------------------------------------------------------ sending a case

SESSIONS = {}
PROTECTED = set()  # actions that would lock the fuzzer out (its own accounts' rows, log out)


def render(case):
    """The bytes of a case, with this run's session and token."""
    sess = SESSIONS[case["role"]]
    sub = lambda s: s.replace(CSRF, sess.csrf)  # noqa: E731
    headers = [("Host", "%s:%d" % (HOST, PORT))]
    for k, v in case["headers"]:
        if k == "Host":
            headers[0] = ("Host", v)
        else:
            headers.append((k, sub(v)))
    c = case["cookie"]
    if c == "session":
        headers.append(("Cookie", sess.cookie))
    elif c != "none":
        headers.append(("Cookie", c))
    body = b""
    if "form" in case:
        pairs = [(k, sub(v)) for k, v in case["form"]]
        enc = case.get("encoding", "urlencoded")
        if enc == "urlencoded":
            body = urllib.parse.urlencode(pairs).encode()
        elif enc == "raw":
            body = "&".join("%s=%s" % p for p in pairs).encode("utf-8")
        else:
            body = (urllib.parse.urlencode(pairs) + "&%zz=%&x=%F").encode()
        if not any(k.lower() == "content-type" for k, _ in headers):
            headers.append(("Content-Type", "application/x-www-form-urlencoded"))
    elif "multipart" in case:
        b = case["boundary"]
        framing = case.get("framing", "ok")
        eol = "\n" if framing == "lf-only" else "\r\n"
        out = b""
        for p in case["multipart"]:
            disp = 'form-data; name="%s"' % p["name"].replace('"', "%22")
            if "filename" in p:
                # file names and contents are bytes (latin-1 strings); text fields are UTF-8
                disp += '; filename="%s"' % p["filename"].replace('"', "%22")
                head = disp.encode("latin-1", "replace")
                data = p["data"].encode("latin-1")
            else:
                head = disp.encode("utf-8")
                data = sub(p["data"]).encode("utf-8")
            out += ("--" + b + eol + "Content-Disposition: ").encode() + head + eol.encode()
            if p.get("type"):
                out += ("Content-Type: " + p["type"] + eol).encode("latin-1", "replace")
            out += eol.encode() + data + eol.encode()
        if framing != "no-end":
            out += ("--" + b + "--" + eol).encode()
        body = out
        declared = "x-other" if framing == "wrong-boundary" else b
        if framing != "no-type" and not any(k.lower() == "content-type" for k, _ in headers):
            headers.append(("Content-Type", "multipart/form-data; boundary=" + declared))
    target = sub(case["target"])
    return case["method"], target, headers, body


def protected(case):
    path = case["target"].split("?", 1)[0]
    return case.get("cookie") == "session" and case["method"] == "POST" and path in PROTECTED


class LogWatch:
    def __init__(self):
        self.pos = os.path.getsize(SERVER_LOG)

    def new_lines(self):
        with open(SERVER_LOG, "rb") as f:
            f.seek(self.pos)
            data = f.read()
        self.pos += len(data)
        return data.decode("utf-8", "replace")


LOG = None
STATS = {"cases": 0, "status": {}, "503": 0, "relogins": 0}
FAILURES = []


def problem(case):
    """Sends a case; returns what is wrong with the answer, or None."""
    if protected(case):
        return None
    method, target, headers, body = render(case)
    try:
        a = send(method, target, headers, body)
    except socket.timeout:
        a = "timeout"
    except OSError as e:
        a = "connection error: %s" % e
    STATS["cases"] += 1
    logged = LOG.new_lines()
    if "panicked" in logged:
        return "panic in the server log: " + logged[logged.find("panicked") - 200 :][:1200]
    if "server error" in logged:
        return "server error logged: " + logged[logged.find("server error") - 300 :][:1200]
    if a is None or isinstance(a, str):
        try:
            os.kill(SERVER_PID, 0)
        except OSError:
            raise SystemExit("the server died on: " + json.dumps(case)[:2000])
        # hyper closes a connection whose request it cannot parse without an answer only
        # for truly broken framing; that is not a server error
        return None if a is None else "no answer: " + a
    STATS["status"][a.status] = STATS["status"].get(a.status, 0) + 1
    if a.status == 503 and a.header("retry-after"):
        STATS["503"] += 1
        return None
    if a.status >= 500:
        return "HTTP %d (%s)" % (a.status, a.body[:200])
    return None


def record(case, why):
    key = json.dumps(case, sort_keys=True)
    if all(json.dumps(c, sort_keys=True) != key for c, _ in FAILURES):
        FAILURES.append((case, why))


# ------------------------------------------------------------------ main


def main():
    global LOG
    seed = int(os.environ.get("FUZZ_SEED") or random.SystemRandom().randrange(2**32))
    print("fuzz: seed %d (FUZZ_SEED=%d replays this run's generation)" % (seed, seed))
    users = [u.split(":", 2) for u in os.environ.get("USERS", "").split(",") if u]
    SESSIONS["anonymous"] = Session("anonymous")
    for role, user, password in users:
        SESSIONS[role] = Session(role, user, password)
        ROLES.append(role)
    media_dir = os.environ.get("MEDIA_DIR")
    if media_dir:
        add_real_images(media_dir)
    LOG = LogWatch()

    # the route list of crates/web/src/routes.rs and crates/web/src/admin/mod.rs
    templates = ["/", "/chuyen-muc/{slug}", "/bai-viet/{slug}", "/trang/{slug}", "/tim-kiem", "/rss.xml", "/atom.xml",
                 "/chuyen-muc/{slug}/rss.xml", "/chuyen-muc/{slug}/atom.xml", "/sitemap.xml", "/robots.txt",
                 "/{sitemap_part}", "/static/{name}", "/healthz", "/metrics", "/media/{path}", "/media/{y}/{name}"]
    here = os.path.dirname(os.path.abspath(__file__))
    admin_rs = os.path.join(here, "..", "..", "crates", "web", "src", "admin", "mod.rs")
    with open(admin_rs, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if (line.startswith("get ") or line.startswith("post ")) and '"' in line:
                templates.append(line.split('"')[1])
    seeds = ["/", "/tim-kiem?q=hoi+nghi", "/sitemap.xml", "/quan-tri", "/quan-tri/tai-khoan"] + [
        t for t in templates if "{" not in t]
    by_role = {}
    t0 = time.time()
    for role, sess in SESSIONS.items():
        links, forms = crawl(sess, seeds, 60)
        by_role[role] = (links, forms)
        print("fuzz: %-9s %3d links, %2d forms" % (role, len(links), len(forms)))
    print("fuzz: crawled in %.1fs" % (time.time() - t0))
    # The fuzzer's own rows in the user list and logging out would end its sessions.
    for role, user, _ in users:
        a = send("GET", "/quan-tri/nguoi-dung", [("Host", "%s:%d" % (HOST, PORT)), ("Cookie", SESSIONS["admin"].cookie)]) \
            if "admin" in SESSIONS else None
        if a and a.status == 200:
            text = a.body.decode("utf-8", "replace")
            i = text.find("<td>%s</td>" % user)
            j = text.find('action="/quan-tri/nguoi-dung/', i)
            if i >= 0 and j >= 0:
                PROTECTED.add(text[j + len('action="') : text.find('"', j + len('action="'))])
    PROTECTED.update(["/dang-xuat", "/quan-tri/tai-khoan/2fa", "/quan-tri/trang-thanh-phan/1"])
    print("fuzz: not sent with the fuzzer's own sessions: " + ", ".join(sorted(PROTECTED)))

    # 1. The regressions: each must pass now.
    regressions = []
    if REGRESSIONS and os.path.exists(REGRESSIONS):
        with open(REGRESSIONS, encoding="utf-8") as f:
            regressions = json.load(f)
    for entry in regressions:
        why = problem(entry["case"])
        if why:
            print("FAIL regression %r: %s" % (entry.get("found", ""), why))
            record(entry["case"], why)
    print("fuzz: %d regressions replayed" % len(regressions))

    # 2. Generation in batches until the budget is spent.
    deadline = time.time() + BUDGET
    strategy = cases(by_role, templates)
    last = {}
    rng = random.Random(seed)
    batches = 0
    while time.time() < deadline:
        batches += 1

        @settings(max_examples=300, deadline=None, database=None, derandomize=False, print_blob=False,
                  suppress_health_check=list(HealthCheck), phases=[Phase.generate, Phase.shrink])
        @given(strategy)
        def prop(case):
            if time.time() > deadline + 60:
                return  # shrinking past the budget: stop sending
            why = problem(case)
            if why:
                last["case"], last["why"] = case, why
                raise AssertionError(why)

        prop = hypothesis.seed(rng.randrange(2**32))(prop)
        try:
            prop()
        except (AssertionError, Flaky, Exception) as e:  # noqa: B014
            if "case" in last:
                print("FAIL %s\n     case: %s" % (last["why"][:600], json.dumps(last["case"], ensure_ascii=True)[:3000]))
                record(last["case"], last["why"])
                last.clear()
            else:
                raise e
        if batches % 5 == 0:
            for role, sess in SESSIONS.items():
                if not sess.alive():
                    STATS["relogins"] += 1
                    sess.renew()

    took = time.time() - t0
    print("fuzz: %d cases in %.0fs (%.0f/s), %d batches, statuses %s, 503 with Retry-After: %d, relogins: %d" % (
        STATS["cases"], took, STATS["cases"] / max(took, 1), batches,
        json.dumps(dict(sorted(STATS["status"].items()))), STATS["503"], STATS["relogins"]))

    # 3. Afterwards: the server answers and the database is intact.
    ok = True
    for path in ("/healthz", "/"):
        a = send("GET", path, [("Host", "%s:%d" % (HOST, PORT))])
        if not a or a.status != 200:
            print("FAIL %s answers %s after the fuzzing" % (path, a and a.status))
            ok = False
    if DB:
        con = sqlite3.connect("file:%s?mode=ro" % DB, uri=True)
        result = con.execute("PRAGMA integrity_check").fetchall()
        con.close()
        if result != [("ok",)]:
            print("FAIL PRAGMA integrity_check: %s" % result[:10])
            ok = False
        else:
            print("fuzz: PRAGMA integrity_check ok")

    if FAILURES:
        known = {json.dumps(e["case"], sort_keys=True) for e in regressions}
        added = 0
        for case, why in FAILURES:
            if json.dumps(case, sort_keys=True) not in known:
                regressions.append({"found": time.strftime("%Y-%m-%d"), "why": why[:300], "case": case})
                added += 1
        if REGRESSIONS and added:
            with open(REGRESSIONS, "w", encoding="utf-8") as f:
                json.dump(regressions, f, indent=1, ensure_ascii=True)
                f.write("\n")
            print("fuzz: %d new failing cases kept in %s" % (added, REGRESSIONS))
        print("FAIL %d failing cases" % len(FAILURES))
        ok = False
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
