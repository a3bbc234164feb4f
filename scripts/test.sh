#!/usr/bin/env bash
# The test command: everything a change must pass, from a fresh machine with the Rust
# toolchain. Installs the test tools first (Chromium, axe-core, vnu, …; idempotent, a few
# seconds when present), then: format, lints, unit and HTTP tests, browser and validator tests.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== test tools"
WITH_LIGHTHOUSE="${WITH_LIGHTHOUSE:-0}" WITH_NIKTO="${WITH_NIKTO:-0}" bash scripts/install-test-tools.sh >/tmp/cong-test-tools.log 2>&1 \
  || { cat /tmp/cong-test-tools.log; echo "installing the test tools failed" >&2; exit 1; }
tail -n 1 /tmp/cong-test-tools.log

echo "== cargo fmt --check"
cargo fmt --all -- --check

echo "== cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

echo "== cargo test (unit and HTTP integration tests)"
cargo test --workspace --locked

echo "== browser and validator tests"
cargo build --locked --bin cong
scripts/browser-tests.sh

echo "== all tests passed"
