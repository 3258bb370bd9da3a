#!/usr/bin/env bash
# The SensorThings POST and latest-value steps with the Rust client (`qingyun bench sta`), as
# docs/benchmarks.md §6 runs them side by side: the peers' `seed` (sta_bench.py), one serial
# warm-up POST per Datastream, POSTs for SECONDS with 1 and then 4 clients, then 50 GETs of
# the latest observation of 100 datastreams.
#
#   crates/modules/eco/bench/side_by_side.sh ours        # a fresh Qingyun server (release build), SQLite
#   QY_DATABASE_URL=postgres://postgres@127.0.0.1:5432/qy_sta crates/modules/eco/bench/side_by_side.sh ours
#                                                         # the same on an empty PostgreSQL database
#   crates/modules/eco/bench/side_by_side.sh http://127.0.0.1:8001/sensorthings/v1.1 PEER_PID
#                                                         # a peer already running with an empty store
#                                                         # (django-ogc-sensorthings: shared/reference/peers.md §2.1)
# Run the two one after the other, alternating, in one session: the machine is noisy.
# Env: SECONDS_POST (20), PORT (18400). Everything stays on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/../../../.."
target="${CARGO_TARGET_DIR:-target}"
here=crates/modules/eco/bench
secs="${SECONDS_POST:-20}"
cargo build --release -q -p qingyun
bin="$target/release/qingyun"
header=()
bearer=()
if [ "${1:-}" = ours ]; then
  # shellcheck source=fresh_server.sh
  . "$here/fresh_server.sh"
  header=(--header "Authorization: Bearer $token")
  bearer=(--bearer "$token")
elif [ $# -eq 2 ]; then
  base="$1"
  pid="$2"
else
  echo "usage: $0 ours | $0 PEER_BASE_URL PEER_PID" >&2
  exit 2
fi
# sta_bench.py keeps a per-server time offset so that reruns send new phenomenonTimes.
rm -f "/tmp/sta_bench_offset_$(printf %s "$base" | sed 's/[^A-Za-z0-9]/_/g')"
python3 "$here/sta_bench.py" "$base" seed "${header[@]}" --server-pid "$pid" | tail -1
python3 "$here/sta_bench.py" "$base" post --max 100 --clients 1 "${header[@]}" --server-pid "$pid" | tail -1
for clients in 1 4; do
  echo "# POST, $clients client(s), $secs s"
  "$bin" bench sta "$base" post --clients "$clients" --seconds "$secs" "${bearer[@]}" --server-pid "$pid" | tail -1
done
echo "# latest observation of 100 datastreams"
"$bin" bench sta "$base" get --n 50 "${bearer[@]}" | tail -1
