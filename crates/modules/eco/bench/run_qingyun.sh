#!/usr/bin/env bash
# The SensorThings workload of sta_bench.py against a fresh Qingyun server (release build),
# step for step as the django-ogc-sensorthings run in docs/benchmarks.md §6:
# seed, POST with 1 and 4 clients, the latest-of-100-datastreams GET at a few thousand
# observations, CreateObservations up to about 500,000 observations, the GET again.
#
#   crates/modules/eco/bench/run_qingyun.sh            # SQLite in a temporary directory
#   QY_DATABASE_URL=postgres://postgres@127.0.0.1:5432/qy_sta crates/modules/eco/bench/run_qingyun.sh
#                                                       # an empty PostgreSQL database
# Env: SEED (seed: the peers' own step, a partner network of 10 Things with 10 Datastreams each
# created through SensorThings; seed-registry: 10 registry stations fed through their
# datastreams), SECONDS_POST (30), TARGET_OBS (500000), PORT (18400). Everything stays on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/../../../.."
target="${CARGO_TARGET_DIR:-target}"
cargo build --release -q -p qingyun
bin="$target/release/qingyun"
here=crates/modules/eco/bench
# shellcheck source=fresh_server.sh
. "$here/fresh_server.sh"
rm -f /tmp/sta_bench_offset_*"$port"*
run() { python3 "$here/sta_bench.py" "$base" "$@" --header "Authorization: Bearer $token" --server-pid "$pid"; }
count() { curl -sf "$base/Observations?\$top=0&\$count=true" | python3 -c 'import json,sys; print(json.load(sys.stdin)["@iot.count"])'; }

echo "# store: ${QY_DATABASE_URL:-sqlite in $data}"
run "${SEED:-seed}"
run post --seconds "${SECONDS_POST:-30}" --clients 1
run post --seconds "${SECONDS_POST:-30}" --clients 4
echo "# observations before the first GET: $(count)"
run get --n 100
target_obs="${TARGET_OBS:-500000}"
for _ in $(seq 1 20); do
  have=$(count)
  [ "$have" -ge "$target_obs" ] && break
  run dataarray --seconds 60 --batch 1000 --max $((target_obs - have))
done
echo "# observations before the second GET: $(count)"
run get --n 50
echo "# server peak RSS: $(awk '/VmHWM/ {print $2}' /proc/$pid/status) kB"
