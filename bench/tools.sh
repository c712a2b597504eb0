#!/usr/bin/env bash
# Tool benchmark on this machine: starts `taskgate dev` on free ports (its own broker) allowing
# tools to reach loopback, then runs bench/tools.py:
#   1. sleep.run of 100 ms: the peak of tasks one worker runs at once, and the throughput;
#   2. http_fetch.get of a small local page with the dev worker alone;
#   3. the same with a second `taskgate worker` process joining the pool over the dev broker
#      (kafka= of the ready line), reporting how many tasks each worker ran.
# Every figure counts from the first POST until every task is terminal.
#   usage: bench/tools.sh     env: COUNT (3000), SLEEP_COUNT (3000), THREADS (8), any TASKGATE_* setting
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
COUNT=${COUNT:-3000} SLEEP_COUNT=${SLEEP_COUNT:-3000} THREADS=${THREADS:-8}
(cd "$root" && ./taskgate --version >/dev/null)   # builds the launcher when it is stale
cp="$root/launcher/target/taskgate.jar:$root/launcher/target/lib/*"
work=$(mktemp -d /tmp/taskgate-tools-bench.XXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
dev= worker=
stop() {
  [[ -n $worker ]] && { kill "$worker" 2>/dev/null; wait "$worker" 2>/dev/null || true; }
  [[ -n $dev ]] && { kill "$dev" 2>/dev/null; wait "$dev" 2>/dev/null || true; }
  rm -rf "$work"
}
trap stop EXIT
export TASKGATE_HTTP_FETCH_ALLOW_PRIVATE=true
TASKGATE_POLICY_FILE="$root/bench/policy.yaml" java -Xmx1g -cp "$cp" "$root/bench/FreePortsDev.java" >"$work/dev.log" 2>&1 &
dev=$!
until grep -q "taskgate ready" "$work/dev.log"; do
  kill -0 $dev 2>/dev/null || { cat "$work/dev.log" >&2; exit 1; }
  sleep 1
done
line=$(grep "taskgate ready" "$work/dev.log")
url=$(sed -E 's/.*ready: ([^ ]+) .*/\1/' <<<"$line")
token=$(sed -E 's/.*admin-token=([^ ]+) .*/\1/' <<<"$line")
kafka=$(sed -E 's/.*kafka=([^ ]+).*/\1/' <<<"$line")
bench() { python3 "$root/bench/tools.py" --url "$url" --admin-token "$token" --threads "$THREADS" "$@"; }

echo "== warm-up"
bench fetch --count 500 --label "warm-up " >/dev/null
bench sleep --count 500 --ms 10 --label "warm-up " >/dev/null
echo "== sleep.run 100 ms, one worker (TASKGATE_WORKER_CONCURRENCY ${TASKGATE_WORKER_CONCURRENCY:-64})"
bench sleep --count "$SLEEP_COUNT" --ms 100 --metrics "$url/metrics"
echo "== http_fetch.get, one worker"
bench fetch --count "$COUNT" --worker-metrics "$url/metrics"

wport=$(free_port)
TASKGATE_KAFKA_BOOTSTRAP=$kafka TASKGATE_WORKER_PORT=$wport TASKGATE_DATA_DIR="$work/worker2" \
  java -Xmx512m -jar "$root/launcher/target/taskgate.jar" worker >"$work/worker2.log" 2>&1 &
worker=$!
until curl -sf "http://127.0.0.1:$wport/health" >/dev/null; do
  kill -0 $worker 2>/dev/null || { cat "$work/worker2.log" >&2; exit 1; }
  sleep 0.5
done
echo "== http_fetch.get, two workers (the second one a process of its own)"
bench fetch --count 500 --label "warm-up " >/dev/null
bench fetch --count "$COUNT" --worker-metrics "$url/metrics" --worker-metrics "http://127.0.0.1:$wport/metrics"
