#!/usr/bin/env bash
# Tool benchmark on this machine: starts `taskgate dev` on free ports (its own broker) allowing
# tools to reach loopback, then, each time with wrk POSTing tasks for DURATION seconds and counting
# from the first POST until the workers have finished every task ingress accepted (as
# bench/pipeline.sh does; an accept rate alone would hide a backlog):
#   1. sleep.run of 100 ms: tasks per second, and the peak of tasks running at once in the worker
#      (taskgate_worker_in_flight, sampled every 20 ms);
#   2. http_fetch.get of a small page from a local server (python3 -m http.server), the dev worker alone;
#   3. the same with a second `taskgate worker` process in the pool, joining the dev broker
#      (kafka= of the ready line); says how many tasks each worker ran.
#   usage: bench/tools.sh     env: DURATION (10), CONNECTIONS (16), DRAIN_TIMEOUT (600), any TASKGATE_* setting
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
DURATION=${DURATION:-10} CONNECTIONS=${CONNECTIONS:-16} DRAIN_TIMEOUT=${DRAIN_TIMEOUT:-600}
command -v wrk >/dev/null || { echo "tools.sh needs wrk (../shared/bench/compare.sh installs it)" >&2; exit 1; }
(cd "$root" && ./taskgate --version >/dev/null)   # builds the launcher when it is stale
jar="$root/launcher/target/taskgate.jar"
work=$(mktemp -d /tmp/taskgate-tools-bench.XXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
json_field() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
pids=()
stop() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do timeout 30 tail --pid="$pid" -f /dev/null 2>/dev/null || kill -9 "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap stop EXIT

mkdir -p "$work/www"
head -c 2048 /dev/zero | tr '\0' 'a' >"$work/www/page.html"
page_port=$(free_port)
python3 -m http.server "$page_port" --bind 127.0.0.1 --directory "$work/www" >/dev/null 2>&1 &
pids+=($!)

export TASKGATE_HTTP_FETCH_ALLOW_PRIVATE=true
TASKGATE_POLICY_FILE="$root/bench/policy.yaml" java -Xmx1g -cp "$jar:$root/launcher/target/lib/*" "$root/bench/FreePortsDev.java" \
  >"$work/dev.log" 2>&1 &
pids+=($!)
until grep -q "taskgate ready" "$work/dev.log"; do
  kill -0 "${pids[1]}" 2>/dev/null || { cat "$work/dev.log" >&2; exit 1; }
  sleep 1
done
line=$(grep "taskgate ready" "$work/dev.log")
url=$(sed -E 's/.*ready: ([^ ]+) .*/\1/' <<<"$line")
admin=$(sed -E 's/.*admin-token=([^ ]+) .*/\1/' <<<"$line")
kafka=$(sed -E 's/.*kafka=([^ ]+).*/\1/' <<<"$line")
agent=$(curl -sf -X POST "$url/api/agents" -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
  -d '{"name": "tools-bench", "tools": ["http_fetch", "sleep"], "actions": ["*"]}' | json_field id)
token=$(curl -sf -X POST "$url/api/agents/$agent/tokens" -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
  -d '{"tools": ["http_fetch", "sleep"], "actions": ["*"], "expires_in": 3600}' | json_field token)

metric() { curl -sf "$1/metrics" | awk -v name="$2" 'index($0, name) == 1 { sum += $NF } END { printf "%d", sum }'; }
ran() { local sum=0 m; for m in "$@"; do sum=$((sum + $(metric "$m" taskgate_worker_tasks_seconds_count))); done; echo "$sum"; }

# run TASK BODY WORKER_URL...: wrk for DURATION, then waits until the workers ran every accepted task.
run() {
  local task=$1 body=$2; shift 2
  cat >"$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"input": $body}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $token"
LUA
  local accepted_before run_before start accepted deadline elapsed_ms m
  accepted_before=$(metric "$url" taskgate_ingress_tasks_accepted_total)
  run_before=$(ran "$@")
  declare -A each_before
  for m in "$@"; do each_before[$m]=$(metric "$m" taskgate_worker_tasks_seconds_count); done
  start=$(date +%s%N)
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 30s -s "$work/post.lua" "$url/__runner/task/$task" \
    | awk '/Requests\/sec/ {printf "  accepted under load: %s req/s\n", $2} /Non-2xx/ {print "  " $0}'
  accepted=$(( $(metric "$url" taskgate_ingress_tasks_accepted_total) - accepted_before ))
  deadline=$((SECONDS + DRAIN_TIMEOUT))
  until (( $(ran "$@") - run_before >= accepted )); do
    ((SECONDS < deadline)) || { echo "workers did not finish $accepted tasks within ${DRAIN_TIMEOUT} s" >&2; exit 1; }
    sleep 0.2
  done
  elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
  echo "  $task: $accepted tasks accepted and run in $elapsed_ms ms: $(( accepted * 1000 / elapsed_ms )) tasks/s"
  for m in "$@"; do echo "    worker $m ran $(( $(metric "$m" taskgate_worker_tasks_seconds_count) - ${each_before[$m]} ))"; done
}

sample_in_flight() {
  local peak=0 now
  while [[ ! -f $work/stop-sampling ]]; do
    now=$(metric "$url" taskgate_worker_in_flight)
    ((now > peak)) && peak=$now && echo "$peak" >"$work/peak"
    sleep 0.02
  done
}

echo "== warm-up"
DURATION=3 run echo.run '{"n": 1}' "$url" >/dev/null
echo "== sleep.run 100 ms, one worker (TASKGATE_WORKER_CONCURRENCY ${TASKGATE_WORKER_CONCURRENCY:-64})"
echo 0 >"$work/peak"; rm -f "$work/stop-sampling"
sample_in_flight &
sampler=$!
run sleep.run '{"ms": 100}' "$url"
touch "$work/stop-sampling"; wait $sampler
echo "  peak of sleep.run tasks running at once in the worker: $(cat "$work/peak")"

fetch='{"url": "http://127.0.0.1:'$page_port'/page.html"}'
echo "== http_fetch.get, one worker"
run http_fetch.get "$fetch" "$url"

# Its start-up access check waits 30 s for the broker; on a loaded machine that can pass, so try thrice.
worker_port=$(free_port)
for attempt in 1 2 3; do
  TASKGATE_KAFKA_BOOTSTRAP=$kafka TASKGATE_WORKER_PORT=$worker_port TASKGATE_DATA_DIR="$work/worker2" \
    java -Xmx512m -jar "$jar" worker >"$work/worker2.log" 2>&1 &
  worker=$!
  until curl -sf "http://127.0.0.1:$worker_port/health" >/dev/null || ! kill -0 $worker 2>/dev/null; do sleep 0.5; done
  kill -0 $worker 2>/dev/null && break
  echo "  second worker did not start (attempt $attempt): $(tail -1 "$work/worker2.log")" >&2
  ((attempt < 3)) || exit 1
done
pids+=($worker)
echo "== http_fetch.get, two workers (the second a process of its own)"
run http_fetch.get "$fetch" "$url" "http://127.0.0.1:$worker_port"
