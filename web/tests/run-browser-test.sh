#!/usr/bin/env bash
# Starts the demo on a free port with a fresh data dir, runs the Playwright test, stops it.
set -euo pipefail
cd "$(dirname "$0")/../.."
target="${CARGO_TARGET_DIR:-target}"
cargo build -q -p qingyun
data=$(mktemp -d)
port=18080
QY_DATA_DIR="$data" QY_HTTP_ADDR="127.0.0.1:$port" "$target/debug/qingyun" demo >"$data/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 1; done
QY_BASE_URL="http://127.0.0.1:$port" node --test web/tests/
# Memory of the demo server after the test, against the 150 MB target (reported, not asserted).
rss_mb=$(($(awk '/VmRSS/ {print $2}' /proc/$pid/status) / 1024))
echo "demo server resident memory: ${rss_mb} MB of a 150 MB target (ratio $(awk "BEGIN {printf \"%.2f\", $rss_mb/150}"))"
