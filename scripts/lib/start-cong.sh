# Sourced by the test scripts: start_cong DIR [VAR=value ...] starts "$bin" serve on a free
# loopback port in DIR (settings as environment after it), waits for /healthz, and sets $port
# and $base; the process id is appended to the caller's pids array (it kills them on exit).
start_cong() {
  local dir="$1"; shift
  (cd "$dir" && exec env "$@" "$bin" serve --listen 127.0.0.1:0 >"$dir/stdout" 2>"$dir/stderr") &
  pids+=("$!")
  port=""
  for _ in $(seq 1 300); do
    port="$(sed -n 's/^cong listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$dir/stdout" | head -n1)"
    [ -n "$port" ] && break
    kill -0 "${pids[-1]}" 2>/dev/null || { cat "$dir/stderr"; echo "cong did not start" >&2; exit 1; }
    sleep 0.1
  done
  [ -n "$port" ] || { echo "cong did not print its address" >&2; exit 1; }
  base="http://127.0.0.1:$port"
  for _ in $(seq 1 300); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/healthz")" = 200 ] && break
    sleep 0.1
  done
}
