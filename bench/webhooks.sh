#!/usr/bin/env bash
# Webhook delivery benchmark on this machine: starts `taskgate dev` on free ports (its own broker)
# allowing http callbacks to loopback, then runs bench/webhooks.py twice: at 100 tasks/s for the
# delay from a task's end to its first webhook attempt (p50 / p99), and at RATE tasks/s (default
# 400) for deliveries per second. One local receiver is one host: TASKGATE_WEBHOOK_HOST_CONCURRENCY
# (default 8) bounds its attempts in flight, so raise it to measure the pipeline rather than that limit.
#   usage: bench/webhooks.sh     env: SECONDS_PER_RUN (10), RATE (400), any TASKGATE_* setting
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
SECONDS_PER_RUN=${SECONDS_PER_RUN:-10} RATE=${RATE:-400}
[[ -f $root/launcher/target/taskgate.jar ]] || (cd "$root" && mvn -q -B -DskipTests package)
log=$(mktemp /tmp/taskgate-webhook-bench.XXXX.log)
TASKGATE_WEBHOOK_ALLOW_HTTP=true TASKGATE_HTTP_FETCH_ALLOW_PRIVATE=true TASKGATE_WORKER_CONCURRENCY=${TASKGATE_WORKER_CONCURRENCY:-256} \
  java -Xmx1g -cp "$root/launcher/target/taskgate.jar:$root/launcher/target/lib/*" "$root/bench/FreePortsDev.java" >"$log" 2>&1 &
dev=$!
stop() { kill $dev 2>/dev/null; wait $dev 2>/dev/null || true; rm -f "$log"; }
trap stop EXIT
until grep -q "taskgate ready" "$log"; do
  kill -0 $dev 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 1
done
line=$(grep "taskgate ready" "$log")
url=$(sed -E 's/.*ready: ([^ ]+) .*/\1/' <<<"$line")
token=$(sed -E 's/.*admin-token=([^ ]+) .*/\1/' <<<"$line")
echo "== 100 tasks/s: delay from task end to first attempt"
python3 "$root/bench/webhooks.py" --url "$url" --admin-token "$token" --rate 100 --seconds "$SECONDS_PER_RUN"
echo "== $RATE tasks/s: deliveries per second"
python3 "$root/bench/webhooks.py" --url "$url" --admin-token "$token" --rate "$RATE" --seconds "$SECONDS_PER_RUN" --threads 32
trap - EXIT
stop
