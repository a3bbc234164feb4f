#!/usr/bin/env bash
# The validators issue 5 adds to scripts/install-test-tools.sh: jing (RELAX NG) with the
# Atom schema of RFC 4287 (Appendix B, as raptor2's Debian source ships it in
# tests/feeds/atom.rnc; the tarball is pinned by its SHA-256), and poppler's pdftotext for
# the print check. Idempotent; writes $TEST_TOOLS_DIR/schemas/atom.rnc.
set -euo pipefail
D="${TEST_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/portal-test-tools}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

missing=()
for p in jing poppler-utils curl; do
  [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = "install ok installed" ] || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
    || { $SUDO apt-get update -q >/dev/null && $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; }
fi

schema="$D/schemas/atom.rnc"
if [ ! -s "$schema" ]; then
  url=http://deb.debian.org/debian/pool/main/r/raptor2/raptor2_2.0.15.orig.tar.gz
  sum=ada7f0ba54787b33485d090d3d2680533520cd4426d2f7fb4782dd4a6a1480ed
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  curl -sSf -o "$tmp/raptor2.tar.gz" "$url"
  echo "$sum  $tmp/raptor2.tar.gz" | sha256sum -c --quiet -
  tar -xzf "$tmp/raptor2.tar.gz" -C "$tmp" raptor2-2.0.15/tests/feeds/atom.rnc
  mkdir -p "$D/schemas"
  mv "$tmp/raptor2-2.0.15/tests/feeds/atom.rnc" "$schema"
fi
grep -q "Atom Format Specification" "$schema"
echo "feed tools: $(jing 2>&1 | head -n1 || true); $(pdftotext -v 2>&1 | head -n1); $schema"
