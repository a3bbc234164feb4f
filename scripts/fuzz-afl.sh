#!/usr/bin/env bash
# Coverage-guided fuzzing of the parsers that read outside bytes (fuzz/src/lib.rs: form and
# query decoding, the search query, the HTML sanitizer, image headers) with afl++ through
# cargo-afl. Installs the pinned cargo-afl when missing (it builds the AFL++ its afl crate
# matches from the source it ships; Debian's older afl++ package is not needed), builds the
# instrumented targets (fuzz/, outside the workspace), runs each from its seed corpus
# fuzz/corpus/<target>/ for FUZZ_SECONDS (default 60) and copies every crash into
# fuzz/regressions/<target>/, where tests/fuzz_replay.rs (cargo test) replays it from then on.
# Exits 1 when a target crashed. Statistics go to test-artifacts/afl/.
#
#   FUZZ_SECONDS=20 scripts/fuzz-afl.sh            all targets, 20 s each
#   scripts/fuzz-afl.sh sanitize                   one target
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
seconds="${FUZZ_SECONDS:-60}"
cargo_afl_version=0.18.2

if [ "$(cargo afl --version 2>/dev/null | awk '{print $2}')" != "$cargo_afl_version" ]; then
  echo "== cargo install cargo-afl $cargo_afl_version"
  nice cargo install --quiet --locked cargo-afl --version "$cargo_afl_version"
fi
# The AFL++ runtime, once per cargo-afl and Rust version (cargo install usually did it).
if ! cargo afl --version 2>/dev/null | grep -q 'AFL++ version'; then
  echo "== cargo afl config --build"
  nice cargo afl config --build --force >/dev/null
fi

targets=("$@")
[ "${#targets[@]}" -gt 0 ] || targets=(form_query search_query sanitize image_header)
out="$root/test-artifacts/afl"
rm -rf "$out" && mkdir -p "$out"

echo "== cargo afl build (instrumented, fuzz/target/)"
s=$SECONDS
(cd fuzz && nice cargo afl build --release --locked --quiet)
echo "   built in $((SECONDS - s)) s"

# Not a dedicated machine: no CPU binding, no core-dump or frequency tuning, no screen UI.
export AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1
failed=0
for t in "${targets[@]}"; do
  [ -d "fuzz/corpus/$t" ] || { echo "no seed corpus fuzz/corpus/$t" >&2; exit 1; }
  dir="$out/$t"
  rm -rf "$dir"
  # -V: stop after the budget; -t: a case slower than 1 s is a hang, not a crash.
  cargo afl fuzz -V "$seconds" -t 1000 -i "fuzz/corpus/$t" -o "$dir" "fuzz/target/release/$t" \
    >"$dir.log" 2>&1 || { tail -n 30 "$dir.log"; echo "FAIL afl-fuzz did not run $t" >&2; exit 1; }
  stats="$dir/default/fuzzer_stats"
  stat() { sed -n "s/^$1 *: *//p" "$stats"; }
  crashes=0
  mkdir -p "fuzz/regressions/$t"
  for c in "$dir"/default/crashes/id:*; do
    [ -f "$c" ] || continue
    name="$(sha256sum "$c" | cut -c1-16)"
    cp "$c" "fuzz/regressions/$t/$name"
    crashes=$((crashes + 1))
  done
  printf '%-13s %8s execs in %4s s (%s/s), %s paths, %s crashes, %s hangs\n' "$t" "$(stat execs_done)" \
    "$(stat run_time)" "$(stat execs_per_sec)" "$(stat corpus_count)" "$crashes" "$(stat saved_hangs)" | tee -a "$out/summary.txt"
  if [ "$crashes" -gt 0 ]; then
    echo "FAIL $t crashed: kept in fuzz/regressions/$t/ (cargo test --test fuzz_replay replays them)" | tee -a "$out/summary.txt"
    failed=1
  fi
done
exit "$failed"
