#!/usr/bin/env bash
# The HTTP fuzzer (tests/fuzz/http_fuzz.py, hypothesis) against the real binary with the demo
# content on a temporary SQLite file, logged in as each back-office role and as nobody.
# Replays tests/fuzz/regressions.json first, then generates requests for FUZZ_SECONDS
# (default 180); fails on any 5xx but a 503 with Retry-After, a panic or "server error" in the
# log, a dead server, or a database that fails PRAGMA integrity_check. A new failing case is
# added to tests/fuzz/regressions.json (commit it with the fix). The log and the summary go to
# test-artifacts/fuzz/. Needs hypothesis from scripts/install-test-tools.sh.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
tools="${TEST_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/portal-test-tools}"
python="$tools/venv/bin/python"
"$python" -c 'import hypothesis' 2>/dev/null || { echo "hypothesis missing: run scripts/install-test-tools.sh" >&2; exit 1; }
bin="${CONG_BIN:-$root/target/debug/cong}"
[ -x "$bin" ] || cargo build --quiet --bin cong
out="$root/test-artifacts/fuzz"
rm -rf "$out" && mkdir -p "$out"
work="$(mktemp -d)"
pids=()
cleanup() { [ "${#pids[@]}" -gt 0 ] && kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

db="$work/cong.db"
export CONG_SITE__MEDIA_DIR="$work/media"
export CONG_SITE__SEARCH_DIR="$work/search"
(cd "$work" && "$bin" demo --database "sqlite://$db" >/dev/null)
# The demo's images are kept in the database; the fuzzer takes real JPEG and WebP files from
# the node's media folder, so they are written there as the node's cache would.
mkdir -p "$work/media"
sqlite3 "$db" "SELECT writefile('$work/media/' || name, bytes) FROM media_files" >/dev/null
pw() { printf 'Fuzz-%s-9' "$(head -c 12 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"; }
users=""
for role in admin editor author; do
  pass="$(pw)"
  echo "$pass" | (cd "$work" && "$bin" user --database "sqlite://$db" add "fuzz$role" --role "$role" >/dev/null)
  users="$users${users:+,}$role:fuzz$role:$pass"
done

# The login throttle would answer 429 to the fuzzer's own logins after its failed ones (it is
# tested by the HTTP tests); raised out of reach. X-Forwarded-* is read from loopback, so the
# fuzzed forwarding headers reach their parser.
source "$root/scripts/lib/start-cong.sh"
start_cong "$work" CONG_DATABASE__URL="sqlite://$db" CONG_AUTH__FREE_FAILURES_PER_ACCOUNT=1000000 \
  CONG_AUTH__FREE_FAILURES_PER_ADDRESS=1000000 CONG_SERVER__TRUSTED_PROXIES=127.0.0.1/32
pid="${pids[-1]}"
# The site's address is this node's: a site the fuzzer creates through the back office then
# leaves it answering here (and the fuzzer's sessions never change this site, http_fuzz.py).
(cd "$work" && "$bin" site --database "sqlite://$db" set 1 --address "$base" >/dev/null)
echo "== cong on $base; fuzzing for ${FUZZ_SECONDS:-180} s"

rc=0
BASE="$base" SERVER_LOG="$work/stderr" SERVER_PID="$pid" DB="$db" USERS="$users" MEDIA_DIR="$work/media" \
  FUZZ_SECONDS="${FUZZ_SECONDS:-180}" REGRESSIONS="$root/tests/fuzz/regressions.json" \
  "$python" tests/fuzz/http_fuzz.py 2>&1 | tee "$out/summary.txt" || rc=$?
[ "${PIPESTATUS[0]}" = 0 ] || rc=1
cp "$work/stderr" "$out/server.log"
kill -0 "$pid" 2>/dev/null || { echo "FAIL the server is not running after the fuzzing" >&2; rc=1; }
if [ "$rc" = 0 ]; then echo "ok   fuzz: no server error, no panic, database intact"; fi
exit "$rc"
