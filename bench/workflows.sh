#!/usr/bin/env bash
# Workflows and state benchmark (bench/workflows.py): starts `taskgate dev` with the benchmark
# policy and a second ingress instance on the same broker, then measures a ten-step fan-out/fan-in
# echo.run workflow (runs/s, p50/p99 POST -> end) and state PUT on one instance, GET on the other.
#   env: RUNS (200), CONCURRENCY (8), STATE_COUNT (300)
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
work=$(mktemp -d /tmp/taskgate-wf-bench.XXXX)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null && { wait "$pid" 2>/dev/null || true; }; done; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
json_field() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
await_line() {  # file pattern pid
  local deadline=$((SECONDS + 180))
  until grep -q "$2" "$1"; do
    kill -0 "$3" 2>/dev/null || { cat "$1" "$1.err" >&2; echo "exited before ready" >&2; exit 1; }
    ((SECONDS < deadline)) || { echo "not ready in 180 s" >&2; exit 1; }
    sleep 0.2
  done
}

(cd "$root" && ./taskgate --version >/dev/null)
# Build once: a `taskgate` started later must not rebuild under a running one.
touch "$root/launcher/target/taskgate.jar"
port=$(free_port)
: >"$work/dev.out"; : >"$work/second.out"
# taskgate dev takes Kafka's default port 9092 when it is free; hold it while dev starts, so the
# benchmark's broker lands on a free port and never on one another taskgate dev may want.
python3 -c 'import socket,time; s=socket.socket(); s.bind(("127.0.0.1",9092)); s.listen(); time.sleep(600)' 2>/dev/null &
holder=$!
pids+=("$holder")
TASKGATE_DATA_DIR="$work/data" TASKGATE_PORT=$port TASKGATE_AUDIT_PORT=$(free_port) \
  TASKGATE_POLICY_FILE="$root/bench/policy.yaml" "$root/taskgate" dev >"$work/dev.out" 2>"$work/dev.out.err" &
dev=$!
pids+=("$dev")
await_line "$work/dev.out" '^taskgate ready:' "$dev"
kill "$holder" 2>/dev/null || true
line=$(grep '^taskgate ready:' "$work/dev.out")
url=$(awk '{print $3}' <<<"$line"); admin=$(sed -E 's/.*admin-token=([^ ]+).*/\1/' <<<"$line")
kafka=$(sed -E 's/.*kafka=([^ ]+).*/\1/' <<<"$line")
hmac=$(grep TASKGATE_TOKEN_HMAC_SECRET "$work/data/dev-secrets.properties" | cut -d= -f2-)

port2=$(free_port)
TASKGATE_DATA_DIR="$work/second" TASKGATE_PORT=$port2 TASKGATE_KAFKA_BOOTSTRAP=$kafka TASKGATE_ADMIN_TOKEN=$admin \
  TASKGATE_TOKEN_HMAC_SECRET=$hmac "$root/taskgate" ingress >"$work/second.out" 2>"$work/second.out.err" &
second=$!
pids+=("$second")
until curl -sf "http://127.0.0.1:$port2/health" >/dev/null; do
  kill -0 "$second" 2>/dev/null || { cat "$work/second.out.err" >&2; exit 1; }
  sleep 0.5
done

agent=$(curl -s -X POST "$url/api/agents" -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
  -d '{"name": "bench-flows", "tools": ["echo"], "actions": ["run"]}' | json_field id)
token=$(curl -s -X POST "$url/api/agents/$agent/tokens" -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
  -d '{"state": ["bench"], "expires_in": 3600}' | json_field token)
python3 "$root/bench/workflows.py" --url "$url" --url2 "http://127.0.0.1:$port2" --admin "$admin" --token "$token" \
  --runs "${RUNS:-200}" --concurrency "${CONCURRENCY:-8}" --state-count "${STATE_COUNT:-300}"
