#!/usr/bin/env bash
# Taskgate's benchmark harness. Starts `taskgate dev` in a fresh data directory and reports:
#   1. time from start to the ready line, and resident memory when idle;
#   2. echo.run latency with `Prefer: wait` over sequential calls (bench/latency.py);
#   3. end-to-end task throughput: accepted under load and run by the workers (bench/pipeline.sh);
#   4. the 202 accept rate under concurrent load, as a ratio to nginx answering a static 202
#      on the same machine in the same run (../shared/bench/compare.sh; --kafka adds Kafka's
#      own producer limit).
# Absolute numbers drift between runs and machines; report the ratios.
#   env: COUNT (sequential calls, default 1000), DURATION, CONNECTIONS, THREADS (passed to compare.sh)
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
compare="$root/../shared/bench/compare.sh"
COUNT=${COUNT:-1000}
work=$(mktemp -d /tmp/taskgate-bench.XXXX)
dev_pid=
cleanup() { [[ -n $dev_pid ]] && kill "$dev_pid" 2>/dev/null && wait "$dev_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
json_field() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }

(cd "$root" && ./taskgate --version >/dev/null)   # build first, so start-up time excludes the build

port=$(free_port)
: >"$work/dev.out"; : >"$work/dev.err"
start=$(date +%s%N)
TASKGATE_DATA_DIR="$work/data" TASKGATE_PORT=$port TASKGATE_AUDIT_PORT=$(free_port) \
  TASKGATE_POLICY_FILE="$root/bench/policy.yaml" \
  "$root/taskgate" dev >"$work/dev.out" 2>"$work/dev.err" &
dev_pid=$!
deadline=$((SECONDS + 120))
until grep -q '^taskgate ready:' "$work/dev.out"; do
  kill -0 "$dev_pid" 2>/dev/null || { cat "$work/dev.err" >&2; echo "taskgate dev exited" >&2; exit 1; }
  ((SECONDS < deadline)) || { echo "taskgate dev not ready in 120 s" >&2; exit 1; }
  sleep 0.1
done
ready_ms=$(( ($(date +%s%N) - start) / 1000000 ))
line=$(grep '^taskgate ready:' "$work/dev.out")
url=$(awk '{print $3}' <<<"$line"); admin=$(sed -E 's/.*admin-token=([^ ]+).*/\1/' <<<"$line")
java_pid=$(pgrep -P "$dev_pid" java || echo "$dev_pid")
echo "taskgate dev ready in ${ready_ms} ms: $line" | sed -E 's/admin-token=[^ ]+/admin-token=…/'

agent=$(curl -s -X POST "$url/api/agents" -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
  -d '{"name": "bench-bot", "tools": ["echo"], "actions": ["run"]}' | json_field id)
token=$(curl -s -X POST "$url/api/agents/$agent/tokens" -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
  -d '{"expires_in": 3600}' | json_field token)

# Let the JVM settle before reading idle memory.
for _ in 1 2 3 4 5 6 7 8 9 10; do curl -s "$url/health" >/dev/null; sleep 1; done
rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$java_pid/status")
echo "idle resident memory: $((rss_kb / 1024)) MiB (VmRSS of the dev JVM, broker and all services included)"

python3 "$root/bench/latency.py" --url "$url" --token "$token" --count 100 --wait 10 >/dev/null   # warm-up
python3 "$root/bench/latency.py" --url "$url" --token "$token" --count "$COUNT" --wait 10
python3 "$root/bench/latency.py" --url "$url" --token "$token" --count "$COUNT" --wait 0

if [[ -x $compare ]]; then
  bash "$compare" --taskgate "$url" "$token" "$@"
  bash "$root/bench/pipeline.sh" "$url" "$token"
else
  echo "(no $compare: skipping the nginx comparison)"
fi
