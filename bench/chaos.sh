#!/usr/bin/env bash
# The chaos run: one broker, two ingress, two policy-stream, two workers and the audit sink, each a
# process of its own; under load each kind is killed with SIGKILL and restarted (three times each,
# then the broker once), and the run ends with tallies: accepted, refused, terminal by status,
# lost, wrong results, tasks run more than once and why, the rate limit against its exact count,
# audit records missing or duplicated per task, and `taskgate audit verify`. Exit 1 when any is wrong.
#   usage: bench/chaos.sh [--short] [--kills N] [--rate R] [--no-broker] [--keep] ...   (--help lists all)
#   --short is CI's: one kill per kind, less load, no broker kill (about 3 minutes on 2 cores).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
(cd "$root" && ./taskgate --version >/dev/null)   # builds the launcher jar when it is missing or stale
exec python3 "$root/bench/chaos.py" "$@"
