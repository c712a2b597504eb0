#!/usr/bin/env bash
# End-to-end task throughput against a running Taskgate: wrk POSTs echo.run for DURATION seconds,
# then this waits until the workers have finished every task ingress accepted in that time, and
# reports tasks per second from the first POST to the last task run (accept rate alone hides a
# growing backlog). Counts come from /metrics, so ingress and the worker must share that endpoint
# (as under `taskgate dev`).
#   usage: bench/pipeline.sh URL TOKEN     env: DURATION (10), CONNECTIONS (64), THREADS (2), DRAIN_TIMEOUT (300)
set -euo pipefail
url=$1 token=$2
DURATION=${DURATION:-10} CONNECTIONS=${CONNECTIONS:-64} THREADS=${THREADS:-2} DRAIN_TIMEOUT=${DRAIN_TIMEOUT:-300}
command -v wrk >/dev/null || { echo "pipeline.sh needs wrk (../shared/bench/compare.sh installs it)" >&2; exit 1; }
script=$(mktemp /tmp/taskgate-pipeline.XXXX.lua)
trap 'rm -f "$script"' EXIT
cat >"$script" <<'LUA'
wrk.method = "POST"
wrk.body = '{"input":{"msg":"hello from the benchmark, a short realistic task input"}}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
LUA
metric() { curl -sf "$url/metrics" | awk -v name="$1" 'index($0, name) == 1 { sum += $NF } END { printf "%d", sum }'; }

# Start from an idle pipeline: a backlog left by earlier load would be counted as this run's work.
previous=-1
until (( previous == $(metric taskgate_worker_tasks_seconds_count) )); do
  previous=$(metric taskgate_worker_tasks_seconds_count)
  sleep 1
done

accepted_before=$(metric taskgate_ingress_tasks_accepted_total)
run_before=$(metric taskgate_worker_tasks_seconds_count)
start=$(date +%s%N)
BENCH_TOKEN=$token wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" -s "$script" "$url/__runner/task/echo.run" \
  | awk '/Requests\/sec/ {print "accepted under load: " $2 " req/s"} /Non-2xx/ {print}'
accepted=$(( $(metric taskgate_ingress_tasks_accepted_total) - accepted_before ))
deadline=$((SECONDS + DRAIN_TIMEOUT))
until (( $(metric taskgate_worker_tasks_seconds_count) - run_before >= accepted )); do
  ((SECONDS < deadline)) || { echo "workers did not finish $accepted tasks within ${DRAIN_TIMEOUT} s" >&2; exit 1; }
  sleep 0.2
done
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "end to end: $accepted tasks accepted and run in $elapsed_ms ms: $(( accepted * 1000 / elapsed_ms )) tasks/s"
