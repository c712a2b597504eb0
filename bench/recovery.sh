#!/usr/bin/env bash
# Recovery time after SIGKILL, repeatably:
#   dev       `taskgate dev` (broker and every service in one JVM) under load, SIGKILL, restart on the
#             same data directory: time to the ready line, and until a new task succeeds end to end.
#   services  each service alone: `taskgate dev` keeps running, and an extra worker, policy-stream,
#             ingress and audit sink join its broker; each in turn is killed with SIGKILL while tasks
#             trickle in, and restarted on its data directory: time to /health 200, and until its
#             work flows again (it ran a task, decided one, answered one, stored an audit record).
# Where the time goes is printed from the logs (timestamped; INFO for the embedded broker and the
# group coordinator): when the broker answered, and which groups waited for members of the dead
# process to time out ("has failed, removing it" is the coordinator expiring a session).
#   usage: bench/recovery.sh [dev] [services]      (both by default)
#   env: TASKS (posted before the kill, 300), ROUNDS (kills per case, 1), KEEP=1 keeps the work dir,
#        TASKGATE_JAR (another build to measure, e.g. one from before a change; default: this checkout's)
# The machine's load changes every figure here: the script prints the load average with each.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
TASKS=${TASKS:-300} ROUNDS=${ROUNDS:-1}
parts=("$@"); ((${#parts[@]})) || parts=(dev services)
work=$(mktemp -d /tmp/taskgate-recovery.XXXX)
jar=${TASKGATE_JAR:-$root/launcher/target/taskgate.jar}
pids=()
cleanup() {
  for p in "${pids[@]}" $(cat "$work"/*.pid 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
  [[ ${KEEP:-0} == 1 ]] && echo "work dir kept: $work" || rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
load() { cut -d' ' -f1-3 /proc/loadavg; }
secs() { awk -v ms="$1" 'BEGIN { printf "%.1f s", ms / 1000 }'; }

# Build once: the timed restarts run the jar itself, never a build.
[[ -n ${TASKGATE_JAR:-} ]] || (cd "$root" && ./taskgate --version >/dev/null)
cat >"$work/logback.xml" <<'XML'
<configuration>
  <statusListener class="ch.qos.logback.core.status.NopStatusListener"/>
  <appender name="text" class="ch.qos.logback.core.ConsoleAppender">
    <target>System.err</target>
    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{30} %msg%n</pattern></encoder>
  </appender>
  <logger name="io.taskgate" level="INFO"/>
  <logger name="org.apache.kafka.coordinator.group.GroupMetadataManager" level="INFO"/>
  <logger name="org.apache.kafka.clients.NetworkClient" level="ERROR"/>
  <logger name="org.apache.kafka.streams.processor.internals.assignment.DefaultStandbyTaskAssignor" level="ERROR"/>
  <root level="WARN"><appender-ref ref="text"/></root>
</configuration>
XML
java_opts="${TASKGATE_JAVA_OPTS:--Xms64m -Xmx512m -XX:+UseSerialGC} -Dlogback.configurationFile=$work/logback.xml"
admin_token="tga_recovery_$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
hmac_secret=$(head -c 32 /dev/urandom | base64 | tr -d '\n')

# run NAME LOG COMMAND... : a Taskgate process in the background (its own pid: no wrapper to kill)
run() {
  local name=$1 log=$2; shift 2
  # shellcheck disable=SC2086
  env TASKGATE_ADMIN_TOKEN="$admin_token" TASKGATE_TOKEN_HMAC_SECRET="$hmac_secret" "${envs[@]}" \
    java $java_opts -jar "$jar" "$@" >>"$log.out" 2>>"$log.err" &
  echo $! >"$work/$name.pid"; pids+=($!)
}
pid_of() { cat "$work/$1.pid"; }

# start_dev NAME LOG: taskgate dev, started again when it fails to (a broker start on a machine
# this busy can outlast its 60 s bound); these starts are not timed.
start_dev() {
  for attempt in 1 2 3; do
    : >"$2.out"; : >"$2.err"
    run "$1" "$2" dev
    wait_ready_line "$2" 180 && return 0
    echo "  (taskgate dev did not start, attempt $attempt: $(grep -m1 'could not start' "$2.out" "$2.err" | cut -c1-160))" >&2
    kill -9 "$(pid_of "$1")" 2>/dev/null || true; wait "$(pid_of "$1")" 2>/dev/null || true
    rm -rf "${envs[0]#TASKGATE_DATA_DIR=}"
  done
  echo "taskgate dev did not start" >&2; exit 1
}

wait_ready_line() { # LOG DEADLINE_S -> 0 when the ready line is printed
  local deadline=$((SECONDS + $2))
  until grep -q '^taskgate ready:' "$1.out" 2>/dev/null; do ((SECONDS < deadline)) || return 1; sleep 0.05; done
}
wait_health() { # URL DEADLINE_S NAME -> 0 when /health answers 200, 1 at the deadline, 2 when the process exited
  local deadline=$((SECONDS + $2))
  until [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$1/health") == 200 ]]; do
    kill -0 "$(pid_of "$3")" 2>/dev/null || return 2
    ((SECONDS < deadline)) || return 1; sleep 0.05; done
}

# until_healthy KIND LOG URL: (re)starts the service until /health answers 200, at most 3 times (on a
# busy machine a start can give up on reaching the broker); prints how many starts failed.
until_healthy() {
  local failed=0
  while :; do
    run "$1" "$2" "$1"
    if wait_health "$3" 300 "$1"; then echo "$failed"; return 0; fi
    failed=$((failed + 1))
    echo "  ($1 did not start: $(grep -m1 'could not start' "$2.out" "$2.err" | cut -c1-160))" >&2
    kill -9 "$(pid_of "$1")" 2>/dev/null || true; wait "$(pid_of "$1")" 2>/dev/null || true
    ((failed < 3)) || { echo "$1 did not start" >&2; exit 1; }
  done
}
metric() { # URL NAME [LABEL_TEXT]: the sum of a metric's samples (those whose line holds LABEL_TEXT)
  curl -sf --max-time 2 "$1/metrics" | awk -v name="$2" -v label="${3:-}" \
    'index($0, name) == 1 && index($0, label) > 0 { sum += $NF } END { printf "%d", sum }'
}

agent_tokens() { # URL N -> N tokens of N agents allowed echo.run, one a line
  python3 - "$1" "$admin_token" "$2" <<'PY'
import json, sys, urllib.request
url, admin, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
def post(path, body):
    req = urllib.request.Request(url + path, json.dumps(body).encode(), method="POST",
        headers={"Authorization": "Bearer " + admin, "Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(req, timeout=30))
for i in range(n):
    agent = post("/api/agents", {"name": f"recovery-{i}", "tools": ["echo"], "actions": ["run"]})["id"]
    print(post(f"/api/agents/{agent}/tokens", {"expires_in": 36000})["token"])
PY
}

post_tasks() { # URL TOKENS_FILE COUNT: COUNT echo.run tasks, 16 at a time, answers tallied
  python3 - "$1" "$2" "$3" <<'PY'
import collections, json, sys, urllib.error, urllib.request
from concurrent.futures import ThreadPoolExecutor
url, tokens, count = sys.argv[1], open(sys.argv[2]).read().split(), int(sys.argv[3])
def post(i):
    req = urllib.request.Request(url + "/__runner/task/echo.run", json.dumps({"input": {"i": i}}).encode(),
        method="POST", headers={"Authorization": "Bearer " + tokens[i % len(tokens)], "Content-Type": "application/json"})
    try:
        return urllib.request.urlopen(req, timeout=15).status
    except urllib.error.HTTPError as e:
        return e.code
    except Exception:
        return "error"
with ThreadPoolExecutor(16) as pool:
    tally = collections.Counter(pool.map(post, range(count)))
print(" ".join(f"{k}:{v}" for k, v in sorted(tally.items(), key=str)))
PY
}

round_trip() { # URL TOKEN DEADLINE_S -> ms until an echo.run with Prefer: wait succeeds
  python3 - "$1" "$2" "$3" <<'PY'
import json, sys, time, urllib.error, urllib.request
url, token, deadline = sys.argv[1], sys.argv[2], time.monotonic() + float(sys.argv[3])
start = time.monotonic()
while time.monotonic() < deadline:
    req = urllib.request.Request(url + "/__runner/task/echo.run", b'{"input":{"probe":true}}', method="POST",
        headers={"Authorization": "Bearer " + token, "Content-Type": "application/json", "Prefer": "wait=5"})
    try:
        body = json.load(urllib.request.urlopen(req, timeout=10))
        if body.get("status") == "succeeded":
            print(int((time.monotonic() - start) * 1000)); sys.exit(0)
    except Exception:
        pass
    time.sleep(0.1)
print(-1); sys.exit(1)
PY
}

trickle() { # URL TOKENS_FILE: ~20 tasks a second, every agent in turn, until killed (its pid in $!)
  python3 - "$1" "$2" >/dev/null 2>&1 <<'PY' &
import json, sys, time, urllib.request
url, tokens = sys.argv[1], open(sys.argv[2]).read().split()
i = 0
while True:
    req = urllib.request.Request(url + "/__runner/task/echo.run", json.dumps({"input": {"t": i}}).encode(), method="POST",
        headers={"Authorization": "Bearer " + tokens[i % len(tokens)], "Content-Type": "application/json"})
    try:
        urllib.request.urlopen(req, timeout=5).read()
    except Exception:
        pass
    i += 1
    time.sleep(0.05)
PY
}

# Where the time went, from a log: seconds after the kill to each milestone logged after it.
breakdown() { # LOG KILL_MS [groups]: with "groups", only what the group coordinator did (the broker's log)
  python3 - "$1.err" "$2" "${3:-all}" <<'PY'
import re, sys, datetime
log, kill_ms, only_groups = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "groups"
day = datetime.datetime.fromtimestamp(kill_ms / 1000).date()
def at(line):
    t = datetime.datetime.combine(day, datetime.time.fromisoformat(line[:12]))
    return (t.timestamp() * 1000 - kill_ms) / 1000
first = broker = None; expired = []; stabilized = {}
for line in open(log, errors="replace"):
    if not re.match(r"\d\d:\d\d:\d\d\.\d{3} ", line) or at(line) < 0:
        continue
    first = first if first is not None else at(line)
    if "Embedded Kafka ready" in line and broker is None:
        broker = at(line)
    m = re.search(r"Member \S+ in group (\S+) has failed, removing it", line)
    if m:
        expired.append((at(line), m.group(1)))
    m = re.search(r"Stabilized group (\S+) generation", line)
    if m and m.group(1) not in stabilized:
        stabilized[m.group(1)] = at(line)
parts = []
if not only_groups:
    parts.append(f"first log line {first:.1f} s" if first is not None else "no log")
if broker is not None and not only_groups:
    parts.append(f"broker ready {broker:.1f} s")
if stabilized:
    parts.append("groups stable " + ", ".join(f"{g.split('-', 1)[-1]} {t:.1f}" for g, t in sorted(stabilized.items(), key=lambda x: x[1])))
parts.append(f"members of the dead process expired by session timeout: {len(expired)}"
             + (f" (last at {max(t for t, _ in expired):.1f} s)" if expired else ""))
print("      " + "; ".join(parts))
PY
}

dev_case() {
  local data="$work/dev-data" log="$work/dev" port aport
  port=$(free_port); aport=$(free_port)
  envs=(TASKGATE_DATA_DIR="$data" TASKGATE_PORT="$port" TASKGATE_AUDIT_PORT="$aport")
  start_dev dev "$log"
  local url="http://127.0.0.1:$port"
  agent_tokens "$url" 6 >"$work/dev-tokens"
  local token; token=$(head -1 "$work/dev-tokens")
  echo "== taskgate dev: SIGKILL under load, restart on the same data directory"
  for round in $(seq "$ROUNDS"); do
    round_trip "$url" "$token" 60 >/dev/null || { echo "no round trip before the kill" >&2; exit 1; }
    local posted; posted=$(post_tasks "$url" "$work/dev-tokens" "$TASKS")
    local killed; killed=$(now_ms)
    kill -9 "$(pid_of dev)"; wait "$(pid_of dev)" 2>/dev/null || true
    : >"$log.out"; : >"$log.err"
    run dev "$log" dev
    wait_ready_line "$log" 300 || { echo "no ready line within 300 s" >&2; exit 1; }
    local ready=$(( $(now_ms) - killed ))
    local trip; trip=$(round_trip "$url" "$token" 300)
    local flowing=$(( $(now_ms) - killed ))
    printf '  round %d: posted %s before SIGKILL; ready line %s, first task succeeded %s after the kill (its round trip %s)   [load %s]\n' \
      "$round" "$posted" "$(secs "$ready")" "$(secs "$flowing")" "$(secs "$trip")" "$(load)"
    breakdown "$log" "$killed"
  done
  kill "$(pid_of dev)"; wait "$(pid_of dev)" 2>/dev/null || true
}

# How each kind of service shows that its work flows again, from its own /metrics: the metric and
# the text its samples must hold (policy-stream's process also runs the workflow coordinator).
flow_metric() {
  case $1 in
    worker) echo taskgate_worker_tasks_seconds_count ;;
    policy) echo 'kafka_stream_thread_process_total taskgate-policy-' ;;
    audit-sink) echo taskgate_audit_records_stored_total ;;
  esac
}

services_case() {
  local data="$work/base-data" log="$work/base" port aport
  port=$(free_port); aport=$(free_port)
  envs=(TASKGATE_DATA_DIR="$data" TASKGATE_PORT="$port" TASKGATE_AUDIT_PORT="$aport")
  start_dev base "$log"
  local url="http://127.0.0.1:$port" kafka
  kafka=$(sed -nE 's/^taskgate ready: .* kafka=([^ ]+).*/\1/p' "$log.out")
  agent_tokens "$url" 12 >"$work/svc-tokens"
  local token; token=$(head -1 "$work/svc-tokens")
  echo "== each service alone: SIGKILL and restart while taskgate dev (broker at $kafka) keeps running"
  trickle "$url" "$work/svc-tokens"
  local trickler=$!; pids+=("$trickler")
  for kind in worker policy ingress audit-sink; do
    local sdata="$work/$kind-data" slog="$work/$kind" sport
    sport=$(free_port)
    envs=(TASKGATE_KAFKA_BOOTSTRAP="$kafka" TASKGATE_DATA_DIR="$sdata" TASKGATE_PORT="$sport" TASKGATE_WORKER_PORT="$sport"
          TASKGATE_POLICY_PORT="$sport" TASKGATE_AUDIT_PORT="$sport" TASKGATE_ADVERTISED_URL="http://127.0.0.1:$sport")
    local surl="http://127.0.0.1:$sport"
    until_healthy "$kind" "$slog" "$surl" >/dev/null
    for round in $(seq "$ROUNDS"); do
      # Let it take part before the kill: it owns partitions and has done work.
      sleep 5
      local killed; killed=$(now_ms)
      kill -9 "$(pid_of "$kind")"; wait "$(pid_of "$kind")" 2>/dev/null || true
      : >"$slog.out"; : >"$slog.err"
      local failed; failed=$(until_healthy "$kind" "$slog" "$surl")
      local healthy=$(( $(now_ms) - killed )) flowing
      if [[ $kind == ingress ]]; then
        round_trip "$surl" "$token" 300 >/dev/null
      else
        local probe deadline=$((SECONDS + 300))
        read -r -a probe <<<"$(flow_metric "$kind")"
        until (( $(metric "$surl" "${probe[@]}") > 0 )); do ((SECONDS < deadline)) || break; sleep 0.1; done
      fi
      flowing=$(( $(now_ms) - killed ))
      printf '  %-10s round %d: /health 200 %s, work flowing %s after the kill%s   [load %s]\n' \
        "$kind" "$round" "$(secs "$healthy")" "$(secs "$flowing")" \
        "$( ((failed == 0)) || echo " (including $failed start(s) that gave up on the broker)")" "$(load)"
      breakdown "$work/base" "$killed" groups
    done
    kill "$(pid_of "$kind")"; wait "$(pid_of "$kind")" 2>/dev/null || true
  done
  kill "$trickler" 2>/dev/null || true
  kill "$(pid_of base)"; wait "$(pid_of base)" 2>/dev/null || true
}

for part in "${parts[@]}"; do
  case $part in
    dev) dev_case ;;
    services) services_case ;;
    *) echo "unknown part: $part (dev, services)" >&2; exit 2 ;;
  esac
done
