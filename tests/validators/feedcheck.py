#!/usr/bin/env python3
"""Reads feeds with feedparser (what many real feed readers use) and fails on anything it
flags (bozo), cannot identify, or finds without absolute links and dates.
Usage: feedcheck.py BASE URL...  (every entry's link must start with BASE)"""
import sys

import feedparser

base, urls = sys.argv[1], sys.argv[2:]
failed = 0
for url in urls:
    d = feedparser.parse(url)
    problems = []
    if d.bozo:
        problems.append(f"not well-formed: {d.bozo_exception!r}")
    if d.version not in ("rss20", "atom10"):
        problems.append(f"unrecognised version {d.version!r}")
    if not d.feed.get("title"):
        problems.append("no title")
    for e in d.entries:
        if not e.get("link", "").startswith(base + "/"):
            problems.append(f"entry link not absolute: {e.get('link')!r}")
        if not (e.get("published_parsed") or e.get("updated_parsed")):
            problems.append(f"entry without a date: {e.get('link')!r}")
        if not e.get("title"):
            problems.append(f"entry without a title: {e.get('link')!r}")
    print(f"{'ok  ' if not problems else 'FAIL'} feedparser {feedparser.__version__}: {url}: "
          f"{d.version or '?'}, {len(d.entries)} entries")
    for p in problems[:5]:
        print(f"     {p}")
    failed += bool(problems)
sys.exit(1 if failed else 0)
