#!/usr/bin/env bash
# The test command: everything a change must pass, from a fresh machine with the Rust
# toolchain. Installs and starts what the tests need first (PostgreSQL at CONG_TEST_PG_URL,
# default postgres://postgres@127.0.0.1:5432 with trust authentication; promtool and
# Prometheus; Chromium, axe-core, vnu, nginx, …; idempotent, seconds when present), then:
# format, lints, the unit and HTTP suites on SQLite and again on PostgreSQL, the multi-node
# tests, the nginx example, a real Prometheus scrape, browser and validators, the fuzzers
# (hypothesis over HTTP; afl over the parsers with WITH_AFL=1), and the security scanners (sqlmap, wapiti).
set -euo pipefail
cd "$(dirname "$0")/.."
pg="${CONG_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432}"

echo "== test tools"
WITH_LIGHTHOUSE="${WITH_LIGHTHOUSE:-1}" WITH_NIKTO="${WITH_NIKTO:-0}" bash scripts/install-test-tools.sh >/tmp/cong-test-tools.log 2>&1 \
  || { cat /tmp/cong-test-tools.log; echo "installing the test tools failed" >&2; exit 1; }
tail -n 1 /tmp/cong-test-tools.log
bash scripts/install-feed-tools.sh 2>/dev/null | tail -n 1
CONG_TEST_PG_URL="$pg" bash scripts/test-services.sh

echo "== cargo fmt --check"
cargo fmt --all -- --check

echo "== cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

echo "== cargo test on SQLite (unit, HTTP, multi-node on PostgreSQL)"
cargo test --workspace --locked

echo "== cargo test on PostgreSQL (unit and HTTP again)"
CONG_TEST_BACKEND=postgres cargo test --workspace --locked --lib --bins --test http

# The binary the tests built (target/debug/cong) is the one the scripts below run; a
# separate `cargo build` would resolve features without the dev-dependencies and rebuild.
echo "== nginx in front of two nodes (plain HTTP, and HTTPS in nginx)"
scripts/nginx-test.sh

echo "== a real Prometheus scrapes /metrics"
scripts/prometheus-scrape.sh

echo "== browser and validator tests"
scripts/browser-tests.sh

# hypothesis over every route, logged in as each role (FUZZ_SECONDS, 3 minutes here). The
# afl targets' seeds and crashes were replayed by `cargo test` (tests/fuzz_replay.rs); afl
# itself runs with WITH_AFL=1 (its instrumented build takes 10 to 20 minutes on 2 cores).
echo "== HTTP fuzzer"
# A fixed seed: the same generation every run (a slower machine runs a prefix of it), so the
# test command's verdict does not depend on luck; FUZZ_SEED= (empty) explores a new one.
FUZZ_SEED="${FUZZ_SEED-20261206}" FUZZ_SECONDS="${FUZZ_HTTP_SECONDS:-180}" scripts/fuzz-http.sh

if [ "${WITH_AFL:-0}" = 1 ]; then
  echo "== afl fuzz targets"
  FUZZ_SECONDS="${FUZZ_AFL_SECONDS:-20}" scripts/fuzz-afl.sh
fi

# sqlmap and wapiti against the real binary on loopback (a few minutes); reports in
# test-artifacts/security/.
echo "== security scan"
scripts/security-scan.sh

echo "== all tests passed"
