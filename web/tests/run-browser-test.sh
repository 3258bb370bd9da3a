#!/usr/bin/env bash
# End-to-end: starts the demo on a free port with a fresh data dir, runs the Playwright test,
# reports memory, then checks `qingyun audit verify` on the demo database before and after
# one audit row is deleted with the sqlite3 CLI.
set -euo pipefail
cd "$(dirname "$0")/../.."
target="${CARGO_TARGET_DIR:-target}"
cargo build -q -p qingyun
qingyun="$target/debug/qingyun"
data=$(mktemp -d)
port=18080
export QY_DATA_DIR="$data" QY_HTTP_ADDR="127.0.0.1:$port" QY_HJ212_ADDR="127.0.0.1:18212"
"$qingyun" demo >"$data/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 90); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 1; done
if ! curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; then
  echo "the demo server did not start; its log:" >&2
  tail -30 "$data/server.log" >&2
  exit 1
fi
QY_BASE_URL="http://127.0.0.1:$port" node --test web/tests/

# Memory of the demo server after the test, against the 150 MB target (reported, not asserted).
rss_mb=$(($(awk '/VmRSS/ {print $2}' /proc/$pid/status) / 1024))
echo "demo server resident memory: ${rss_mb} MB of a 150 MB target (ratio $(awk "BEGIN {printf \"%.2f\", $rss_mb/150}"))"

echo "== crash test: acknowledged HJ 212 data survives kill -9"
report=$("$qingyun" simulate hj212 --stations 5 --packets 1 --cn 2051 --interval 1 --target 127.0.0.1:18212 2>/dev/null)
echo "simulator: $report"
acked=$(echo "$report" | grep -oE '"acked":[0-9]+' | grep -oE '[0-9]+' || echo 0)
kill -9 $pid
wait $pid 2>/dev/null || true
"$qingyun" serve >"$data/server2.log" 2>&1 &
pid=$!
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 1; done
minute_values=$(curl -sf "http://127.0.0.1:$port/api/v1/eco/latest?period=minute" | grep -o '"factor"' | wc -l)
echo "after kill -9 and restart: $minute_values minute values from $acked acknowledged packets"
if ! [ "${acked:-0}" -ge 5 ] || ! [ "${minute_values:-0}" -ge 40 ]; then
  echo "acknowledged data is missing after the crash" >&2
  exit 1
fi
kill $pid
wait $pid 2>/dev/null || true

echo "== audit verify on the demo database"
"$qingyun" audit verify >/dev/null
rows=$(sqlite3 "$data/qingyun.db" "SELECT COUNT(*) FROM audit_log")
middle=$((rows / 2 + 1))
sqlite3 "$data/qingyun.db" "DELETE FROM audit_log WHERE seq = $middle"
if "$qingyun" audit verify >/dev/null 2>"$data/verify.err"; then
  echo "audit verify passed after row $middle of $rows was deleted" >&2
  exit 1
fi
echo "intact log of $rows rows verified; after deleting row $middle: $(tail -1 "$data/verify.err")"
