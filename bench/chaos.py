#!/usr/bin/env python3
"""The chaos run behind bench/chaos.sh (see README, "Chaos run").

One broker (`taskgate broker`), two ingress, two policy-stream, two workers of one pool and the
audit sink, each a process of its own. While a load generator posts tasks round-robin to both
ingress instances, each kind of service is killed with SIGKILL and started again, one instance at
a time (and the broker last, unless --no-broker). Then the load stops, every accepted task is
awaited until it is terminal, and the run is judged: lost tasks, wrong results, tasks run more
than once and why, the rate limit against its exact count, the audit records of every task, and
`taskgate audit verify`. The exit status is 1 when any of them is wrong.

Only the standard library: CI and the development machines have python3 but no pip.
"""
import argparse
import base64
import collections
import concurrent.futures
import http.client
import http.server
import json
import os
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAR = os.path.join(ROOT, "launcher", "target", "taskgate.jar")
TERMINAL = {"succeeded", "failed", "rejected", "cancelled"}
LIMITED_TASK = "sleep.run"


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------------------------------------
# Processes


class Service:
    """One instance of one kind, started again in place after each kill, with a log per start."""

    def __init__(self, kind, index, args, env, logs, ready_marker):
        self.kind, self.index, self.args, self.env, self.logs = kind, index, args, env, logs
        self.ready_marker = ready_marker
        self.proc = None
        self.starts = 0

    @property
    def name(self):
        return f"{self.kind}-{self.index}"

    def start(self):
        self.starts += 1
        base = os.path.join(self.logs, f"{self.name}.{self.starts}")
        self.out_path = base + ".out"
        java_opts = self.env.get("CHAOS_JAVA_OPTS", "").split()
        with open(self.out_path, "w") as out, open(base + ".err", "w") as err:
            self.proc = subprocess.Popen(["java", *java_opts, "-jar", JAR, *self.args], env=self.env, stdout=out,
                                         stderr=err, stdin=subprocess.DEVNULL, start_new_session=True)

    def wait_ready(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with open(self.out_path) as f:
                if self.ready_marker in f.read():
                    return True
            if self.proc.poll() is not None:
                raise SystemExit(f"{self.name} exited with {self.proc.returncode} before it was ready; see {self.out_path[:-4]}.err")
            time.sleep(0.1)
        return False

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()


# ---------------------------------------------------------------------------------------------
# HTTP


class Http:
    """A keep-alive connection per ingress, opened again after any error (the instance may be dead)."""

    def __init__(self, ports, timeout=15):
        self.ports, self.timeout = ports, timeout
        self.connections = {}

    def request(self, port, method, path, body=None, headers=None):
        connection = self.connections.get(port)
        if connection is None:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=self.timeout)
            self.connections[port] = connection
        data = None if body is None else json.dumps(body).encode()
        all_headers = {"Content-Type": "application/json", **(headers or {})}
        try:
            connection.request(method, path, body=data, headers=all_headers)
            response = connection.getresponse()
            payload = response.read()
        except (OSError, http.client.HTTPException) as e:
            connection.close()
            del self.connections[port]
            return None, type(e).__name__
        try:
            parsed = json.loads(payload) if payload else None
        except ValueError:
            parsed = None
        return response.status, parsed


def admin_call(port, admin, method, path, body=None):
    status, reply = Http([port]).request(port, method, path, body, {"Authorization": f"Bearer {admin}"})
    if status not in (200, 201):
        raise SystemExit(f"{method} {path} answered {status}: {reply}")
    return reply


class Counter(http.server.BaseHTTPRequestHandler):
    """The side effect http_fetch.post tasks have outside Taskgate: one hit per run, by nonce."""
    hits = collections.defaultdict(list)
    lock = threading.Lock()

    def do_POST(self):
        nonce = self.path.rsplit("/", 1)[-1]
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with Counter.lock:
            Counter.hits[nonce].append(time.time())
        body = json.dumps({"nonce": nonce}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class CounterServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        """A worker SIGKILLed mid-request resets its connection: expected here, not worth a traceback."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


# ---------------------------------------------------------------------------------------------
# Load


class Load:
    """Posts tasks at a steady rate, round-robin over the ingress instances, and remembers every answer."""

    def __init__(self, ports, token, counter_port, rate, threads):
        self.ports, self.token, self.counter_port = ports, token, counter_port
        self.rate, self.threads = rate, threads
        self.stop_flag = threading.Event()
        self.lock = threading.Lock()
        self.accepted = {}            # task id -> (name, input, nonce)
        self.answers = collections.Counter()
        self.sent = 0

    def run(self):
        workers = [threading.Thread(target=self.loop, args=(i,), daemon=True) for i in range(self.threads)]
        for w in workers:
            w.start()
        return workers

    def loop(self, index):
        client = Http(self.ports)
        interval = self.threads / self.rate
        next_at = time.monotonic() + index / self.rate
        n = 0
        while not self.stop_flag.is_set():
            delay = next_at - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            next_at = max(next_at + interval, time.monotonic() - interval)
            n += 1
            nonce = uuid.uuid4().hex
            if n % 2:
                name, task_input = "echo.run", {"nonce": nonce, "n": n, "text": "chaos " * 8}
            else:
                name = "http_fetch.post"
                task_input = {"url": f"http://127.0.0.1:{self.counter_port}/hit/{nonce}", "body": {"nonce": nonce}}
            port = self.ports[(index + n) % len(self.ports)]
            status, reply = client.request(port, "POST", f"/__runner/task/{name}", {"input": task_input},
                                           {"Authorization": f"Bearer {self.token}"})
            with self.lock:
                self.sent += 1
                if status == 202 and reply and reply.get("task_id"):
                    self.accepted[reply["task_id"]] = (name, task_input, nonce)
                    self.answers["202"] += 1
                else:
                    self.answers[str(status) if status else f"no answer ({reply})"] += 1


class LimitedAgent:
    """Posts one rate-limited task a second; its first LIMIT accepted tasks must be allowed, every later one denied."""

    def __init__(self, ports, token):
        self.ports, self.token = ports, token
        self.stop_flag = threading.Event()
        self.accepted = []
        self.answers = collections.Counter()

    def run(self):
        thread = threading.Thread(target=self.loop, daemon=True)
        thread.start()
        return [thread]

    def loop(self):
        client = Http(self.ports)
        n = 0
        while not self.stop_flag.wait(1.0):
            n += 1
            status, reply = client.request(self.ports[n % len(self.ports)], "POST", f"/__runner/task/{LIMITED_TASK}",
                                           {"input": {"ms": 1}}, {"Authorization": f"Bearer {self.token}"})
            if status == 202 and reply and reply.get("task_id"):
                self.accepted.append(reply["task_id"])
            self.answers[str(status) if status else f"no answer ({reply})"] += 1


# ---------------------------------------------------------------------------------------------
# The run


class Chaos:
    def __init__(self, opts):
        self.opts = opts
        self.work = opts.work or tempfile.mkdtemp(prefix="taskgate-chaos.")
        self.logs = os.path.join(self.work, "logs")
        os.makedirs(self.logs, exist_ok=True)
        self.kills = []               # (time.time(), kind, instance name)
        self.restarts = []            # (kind, instance, seconds from SIGKILL to its ready line)
        self.services = []

    # -- start --------------------------------------------------------------------------------

    def env(self, **extra):
        env = dict(os.environ)
        for key in [k for k in env if k.startswith("TASKGATE_")]:
            del env[key]
        env.update({
            "TASKGATE_KAFKA_BOOTSTRAP": f"127.0.0.1:{self.kafka_port}",
            "TASKGATE_ADMIN_TOKEN": self.admin,
            "TASKGATE_TOKEN_HMAC_SECRET": self.hmac,
            "TASKGATE_POLICY_FILE": self.policy_file,
            "TASKGATE_AUDIT_URL": f"http://127.0.0.1:{self.audit_port}",
            "TASKGATE_HTTP_FETCH_ALLOW_PRIVATE": "true",
            "CHAOS_JAVA_OPTS": self.opts.java_opts,
        })
        env.update({k: str(v) for k, v in extra.items()})
        return env

    def service(self, kind, index, args, ready, **env):
        data_dir = os.path.join(self.work, f"{kind}-{index}")
        os.makedirs(data_dir, exist_ok=True)
        s = Service(kind, index, args, self.env(TASKGATE_DATA_DIR=data_dir, **env), self.logs, ready)
        self.services.append(s)
        return s

    def start(self):
        self.admin = "tga_" + secrets.token_urlsafe(32)
        self.hmac = base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("=")
        self.kafka_port, self.audit_port = free_port(), free_port()
        self.ingress_ports = [free_port(), free_port()]
        self.policy_file = os.path.join(self.work, "policy.yaml")
        with open(self.policy_file, "w") as f:
            f.write("# the chaos run's policy: limits far above the load but one, counted exactly\n"
                    "version: 1\n"
                    "defaults:\n  rate_limit: 100000000/minute\n"
                    "ingress:\n  per_ip_rate_limit: 100000000/minute\n"
                    f"tasks:\n  {LIMITED_TASK}:\n    rate_limit: {self.opts.limit}/hour\n")

        self.broker = self.service("broker", 1, ["broker", "--port", str(self.kafka_port)], "taskgate broker ready")
        self.audit = self.service("audit-sink", 1, ["audit-sink"], "taskgate audit-sink ready",
                                  TASKGATE_AUDIT_PORT=self.audit_port)
        self.policies = [self.service("policy", i, ["policy"], "taskgate policy-stream ready",
                                      TASKGATE_POLICY_PORT=free_port()) for i in (1, 2)]
        self.workers = [self.service("worker", i, ["worker"], "taskgate worker ready",
                                     TASKGATE_WORKER_PORT=free_port()) for i in (1, 2)]
        self.ingresses = [self.service("ingress", i, ["ingress"], "taskgate ingress ready", TASKGATE_PORT=port)
                          for i, port in zip((1, 2), self.ingress_ports)]
        began = time.monotonic()
        self.broker.start()
        self.must_be_ready(self.broker)
        # The audit sink first: it creates the topics, which the others would otherwise race to create.
        self.audit.start()
        self.must_be_ready(self.audit)
        rest = [*self.policies, *self.workers, *self.ingresses]
        for s in rest:
            s.start()
        for s in rest:
            self.must_be_ready(s)
        log(f"all 8 processes ready in {time.monotonic() - began:.1f} s (work dir {self.work})")

    def must_be_ready(self, s):
        if not s.wait_ready(self.opts.ready_timeout):
            raise SystemExit(f"{s.name} not ready within {self.opts.ready_timeout} s; see {s.out_path}")

    def agents(self):
        port = self.ingress_ports[0]
        load = admin_call(port, self.admin, "POST", "/api/agents",
                          {"name": "chaos-load", "tools": ["echo", "http_fetch"], "actions": ["run", "post"]})
        limited = admin_call(port, self.admin, "POST", "/api/agents",
                             {"name": "chaos-limited", "tools": ["sleep"], "actions": ["run"]})
        self.load_agent, self.limited_agent = load["id"], limited["id"]
        self.load_token = admin_call(port, self.admin, "POST", f"/api/agents/{load['id']}/tokens", {"expires_in": 86400})["token"]
        self.limited_token = admin_call(port, self.admin, "POST", f"/api/agents/{limited['id']}/tokens",
                                        {"expires_in": 86400})["token"]
        # Every ingress must know both agents before the load starts, or its first answers are 401s.
        deadline = time.monotonic() + 60
        for p in self.ingress_ports:
            for token in (self.load_token, self.limited_token):
                while Http([p]).request(p, "POST", "/api/validate", None, {"Authorization": f"Bearer {token}"})[0] != 200:
                    if time.monotonic() > deadline:
                        raise SystemExit(f"ingress on {p} does not know the agents after 60 s")
                    time.sleep(0.2)

    # -- chaos --------------------------------------------------------------------------------

    def kill_and_restart(self, *targets):
        """SIGKILL, start again at once, and wait for the ready lines; several at a time when given several."""
        began = time.monotonic()
        for s in targets:
            s.kill()
            self.kills.append((time.time(), s.kind, s.name))
            s.start()
        ready = True
        for s in targets:
            if s.wait_ready(max(1, self.opts.recovery_timeout - (time.monotonic() - began))):
                took = time.monotonic() - began
                self.restarts.append((s.kind, s.name, took))
                log(f"SIGKILL {s.name}: ready again in {took:.1f} s")
            else:
                self.restarts.append((s.kind, s.name, None))
                log(f"SIGKILL {s.name}: NOT ready within {self.opts.recovery_timeout} s")
                ready = False
        return ready

    def chaos(self):
        for round_ in range(self.opts.kills):
            targets = [group[round_ % len(group)] for group in (self.ingresses, self.policies, self.workers, [self.audit])]
            batches = [targets] if self.opts.together else [[s] for s in targets]
            for batch in batches:
                if not self.kill_and_restart(*batch):
                    return False
                time.sleep(self.opts.settle)
        if self.opts.broker:
            if not self.kill_and_restart(self.broker):
                return False
            # The services recover by themselves when the broker returns; wait until every one says so.
            began = time.monotonic()
            deadline = began + self.opts.recovery_timeout
            for s in self.services[1:]:
                while not self.healthy(s):
                    if time.monotonic() > deadline:
                        log(f"{s.name} not healthy {self.opts.recovery_timeout} s after the broker came back")
                        return False
                    time.sleep(0.5)
            log(f"every service healthy {time.monotonic() - began:.1f} s after the broker was ready again")
            time.sleep(self.opts.settle)
        return True

    @staticmethod
    def healthy(s):
        setting = {"ingress": "TASKGATE_PORT", "policy": "TASKGATE_POLICY_PORT", "worker": "TASKGATE_WORKER_PORT",
                   "audit-sink": "TASKGATE_AUDIT_PORT"}[s.kind]
        port = int(s.env[setting])
        return Http([port], timeout=3).request(port, "GET", "/health")[0] == 200

    # -- judging ------------------------------------------------------------------------------

    def await_terminal(self, task_ids, token, deadline):
        """Polls the status view until every task is terminal or the deadline passes; returns the views."""
        views = {}
        pending = list(task_ids)
        local = threading.local()

        def get(task_id):
            client = getattr(local, "client", None) or Http(self.ingress_ports)
            local.client = client
            port = self.ingress_ports[hash(task_id) % 2]
            return task_id, client.request(port, "GET", f"/__runner/tasks/{task_id}", None,
                                           {"Authorization": f"Bearer {token}"})

        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            while pending:
                for task_id, (status, view) in pool.map(get, pending):
                    if status == 200 and view:
                        views[task_id] = view
                pending = [t for t in pending if views.get(t, {}).get("status") not in TERMINAL]
                if not pending or time.monotonic() > deadline:
                    break
                log(f"{len(pending)} accepted tasks not terminal yet")
                time.sleep(2)
        return views, pending

    def audit_rows(self):
        db = os.path.join(self.audit.env["TASKGATE_DATA_DIR"], "audit.db")
        connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
        try:
            return connection.execute("SELECT task_id, agent_id, action, at_us, outcome, event_id FROM audit_records "
                                      "WHERE task_id IS NOT NULL").fetchall()
        finally:
            connection.close()

    def audit_resent_markers(self):
        """Copies of events a service sent again after Kafka's acknowledgement was lost, kept once by the sink."""
        db = os.path.join(self.audit.env["TASKGATE_DATA_DIR"], "audit.db")
        connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
        try:
            return connection.execute("SELECT COUNT(*) FROM audit_records WHERE action = 'audit.resent'").fetchone()[0]
        finally:
            connection.close()

    def audit_by_task(self, expected, deadline):
        """Reads the audit DB until every task has its records (the sink may lag), or the deadline passes.

        Returns the records by task (action -> [(time, outcome)]), each task's agent, and what the expected tasks miss.
        """
        while True:
            by_task = collections.defaultdict(lambda: collections.defaultdict(list))
            agents = {}
            for task_id, agent_id, action, at_us, outcome, event_id in self.audit_rows():
                by_task[task_id][action].append((at_us / 1e6, outcome, event_id))
                agents[task_id] = agent_id
            missing = {t: m for t, m in ((t, missing_actions(by_task.get(t, {}), status))
                                         for t, status in expected.items()) if m}
            if not missing or time.monotonic() > deadline:
                return by_task, agents, missing
            log(f"{len(missing)} tasks still miss audit records; waiting for the sink")
            time.sleep(2)

    def explain_rerun(self, runs):
        """Why a task ran more than once, from the times of its runs; None when nothing explains it."""
        first, last = min(runs), max(runs)
        for (killed_at, kind, _), (_, _, took) in zip(self.kills, self.restarts):
            if kind == "worker" and first - 1 <= killed_at <= last:
                return "worker SIGKILL between its runs (at-least-once)"
            if kind == "broker" and first - 1 <= killed_at <= last:
                return "broker SIGKILL between its runs"
            ready_at = killed_at + (took or 0)
            if kind == "worker" and ready_at - 10 <= last and first <= ready_at + 10:
                return "rebalance as a restarted worker joined (a task still running moved)"
        return None


def missing_actions(actions, status):
    """The audit records a task must have by its end, by action, that it lacks."""
    want = ["task.accepted", "policy.decision"]
    if status == "succeeded":
        want += ["task.started", "task.succeeded"]
    elif status == "failed":
        want += ["task.started", "task.failed"]
    return [a for a in want if not actions.get(a)]


def duplicated_actions(actions):
    """Events that happen once per task whatever happened, found more than once, and any event stored twice
    (the sink keeps an event resent after a lost acknowledgement once, with an audit.resent marker in its place)."""
    once = [a for a in ("task.accepted", "policy.decision") if len(actions.get(a, [])) > 1]
    stored_twice = [a for a, records in actions.items() if len(records) > len({e for _, _, e in records})]
    return sorted(set(once + stored_twice))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--short", action="store_true", help="CI size: one kill per kind, less load, no broker kill")
    p.add_argument("--kills", type=int, help="SIGKILLs per kind (default 3; 1 with --short)")
    p.add_argument("--rate", type=float, help="tasks a second posted by the load (default 60; 30 with --short)")
    p.add_argument("--limit", type=int, help="rate limit of the limited agent per hour (default 120; 20 with --short)")
    p.add_argument("--settle", type=float, help="seconds of load between a service's ready line and the next kill")
    p.add_argument("--together", action="store_true", default=None,
                   help="kill one instance of every kind at once in each round (the default with --short)")
    p.add_argument("--no-broker", dest="broker", action="store_false", default=None, help="do not kill the broker")
    p.add_argument("--ready-timeout", type=float, default=180, help="seconds a first start may take")
    p.add_argument("--recovery-timeout", type=float, default=180, help="seconds a restart may take to its ready line")
    p.add_argument("--drain-timeout", type=float, help="seconds to wait for every accepted task to end (default 600; 180 with --short)")
    p.add_argument("--work", help="work directory (default: a new one under /tmp)")
    p.add_argument("--keep", action="store_true", help="keep the work directory (logs, audit.db) after a passing run")
    p.add_argument("--java-opts", default="-Xms32m -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1",
                   help="JVM options of every process")
    opts = p.parse_args()
    short = opts.short
    opts.kills = opts.kills or (1 if short else 3)
    opts.rate = opts.rate or (30 if short else 60)
    opts.limit = opts.limit or (20 if short else 120)
    opts.settle = opts.settle if opts.settle is not None else (3 if short else 8)
    opts.drain_timeout = opts.drain_timeout or (180 if short else 600)
    opts.broker = (not short) if opts.broker is None else opts.broker
    opts.together = short if opts.together is None else opts.together
    if not os.path.exists(JAR):
        raise SystemExit(f"{JAR} is missing: run ./taskgate --version first (bench/chaos.sh does)")

    counter = CounterServer(("127.0.0.1", 0), Counter)
    threading.Thread(target=counter.serve_forever, daemon=True).start()
    chaos = Chaos(opts)
    ok = False
    try:
        chaos.start()
        chaos.agents()
        ok = run(chaos, opts, counter.server_address[1])
    finally:
        for s in reversed(chaos.services):
            s.stop()
        counter.shutdown()
        if ok and not opts.keep:
            shutil.rmtree(chaos.work, ignore_errors=True)
        else:
            print(f"logs and audit.db kept in {chaos.work}")
    sys.exit(0 if ok else 1)


def run(chaos, opts, counter_port):
    load = Load(chaos.ingress_ports, chaos.load_token, counter_port, opts.rate, threads=8)
    limited = LimitedAgent(chaos.ingress_ports, chaos.limited_token)
    threads = load.run() + limited.run()
    log(f"load: {opts.rate:g} tasks/s round-robin over ingress :{chaos.ingress_ports[0]} and :{chaos.ingress_ports[1]}; "
        f"{LIMITED_TASK} at 1/s against a limit of {opts.limit}/hour")
    began = time.monotonic()
    time.sleep(opts.settle)
    chaos_ok = chaos.chaos()
    load.stop_flag.set()
    limited.stop_flag.set()
    for t in threads:
        t.join(timeout=30)
    load_s = time.monotonic() - began
    log(f"load stopped after {load_s:.0f} s: {load.sent} posted, {len(load.accepted)} accepted")

    # Every task a 202 was given for must end.
    stopped = time.monotonic()
    deadline = stopped + opts.drain_timeout
    views, lost = chaos.await_terminal(list(load.accepted), chaos.load_token, deadline)
    limited_views, limited_lost = chaos.await_terminal(limited.accepted, chaos.limited_token, deadline)
    lost += limited_lost
    drained_s = time.monotonic() - stopped

    # Their audit records. Tasks decided that no 202 was seen for were published by an ingress
    # killed before it answered: they must end too, and are judged beside the others.
    answered = {t: v.get("status") for t, v in {**views, **limited_views}.items() if v.get("status") in TERMINAL}
    by_task, agents, _ = chaos.audit_by_task(answered, time.monotonic() + 120)
    unanswered_load = [t for t, a in agents.items() if a == chaos.load_agent and t not in load.accepted
                       and by_task[t].get("policy.decision")]
    unanswered_limited = [t for t, a in agents.items() if a == chaos.limited_agent and t not in set(limited.accepted)
                          and by_task[t].get("policy.decision")]
    more, more_lost = chaos.await_terminal(unanswered_load, chaos.load_token, deadline)
    more_limited, more_limited_lost = chaos.await_terminal(unanswered_limited, chaos.limited_token, deadline)
    unanswered_views = {**more, **more_limited}
    unanswered_lost = more_lost + more_limited_lost
    expected = dict(answered)
    expected.update({t: v.get("status") for t, v in unanswered_views.items() if v.get("status") in TERMINAL})
    by_task, agents, audit_missing = chaos.audit_by_task(expected, time.monotonic() + 60)
    unanswered = set(unanswered_load) | set(unanswered_limited)
    # The one record an ingress killed between Kafka's acknowledgement of a task and its answer may lose.
    accepted_gap = {t for t, m in audit_missing.items() if t in unanswered and m == ["task.accepted"]}
    audit_missing = {t: m for t, m in audit_missing.items() if t not in accepted_gap}
    audit_duplicated = {t: d for t, d in ((t, duplicated_actions(by_task.get(t, {}))) for t in expected) if d}
    audit_redelivered = chaos.audit_resent_markers()

    # Results.
    by_status = collections.Counter(v.get("status") for v in views.values())
    by_status.update(v.get("status") for v in limited_views.values())
    wrong = []
    for task_id, (name, task_input, nonce) in load.accepted.items():
        view = views.get(task_id)
        if not view or view.get("status") not in TERMINAL:
            continue
        if view.get("status") != "succeeded":
            wrong.append((task_id, f"{view.get('status')}: {view.get('error')}"))
        elif name == "echo.run" and view.get("result") != task_input:
            wrong.append((task_id, f"echo.run result {view.get('result')!r} is not its input"))
        elif name == "http_fetch.post" and (view["result"].get("status") != 200 or nonce not in str(view["result"].get("body"))):
            wrong.append((task_id, f"http_fetch.post result {view.get('result')!r} does not carry its nonce"))

    # The rate limit, from policy-stream's own decisions in the audit (they include tasks whose POST
    # got no answer): exactly LIMIT allowed, every later one denied RATE_LIMITED, and the task views agree.
    decisions = [by_task[t]["policy.decision"][0][1] for t, a in agents.items()
                 if a == chaos.limited_agent and by_task[t].get("policy.decision")]
    allowed_decisions = decisions.count("allowed")
    expected_allowed = min(opts.limit, len(decisions))
    limited_all = {t: v for t, v in {**limited_views, **more_limited}.items() if v.get("status") in TERMINAL}
    limited_status = collections.Counter(v.get("status") for v in limited_all.values())
    limited_reasons = collections.Counter((v.get("error") or {}).get("codeName") for v in limited_all.values()
                                          if v.get("status") == "rejected")
    rate_ok = (allowed_decisions == expected_allowed and limited_status.get("succeeded", 0) == expected_allowed
               and limited_reasons.get("RATE_LIMITED", 0) == len(decisions) - expected_allowed
               and len(limited_all) == len(decisions))

    # Runs: the counting server's hits for http_fetch.post, the task.started and task.succeeded records for every task.
    with Counter.lock:
        hits = {n: list(t) for n, t in Counter.hits.items()}
    reruns = {}
    for task_id in expected:
        records = by_task.get(task_id, {})
        started = list({e: at for at, _, e in records.get("task.started", [])}.values())
        succeeded = list({e: at for at, _, e in records.get("task.succeeded", [])}.values())
        _, _, nonce = load.accepted.get(task_id, (None, None, None))
        side_effects = hits.get(nonce, []) if nonce else []
        runs = max(len(started), len(side_effects), len(succeeded))
        if runs > 1:
            attempts = ((views.get(task_id) or unanswered_views.get(task_id) or {}).get("attempts") or 1)
            why = (f"retried within one run (attempts={attempts})" if len(side_effects) == attempts and len(started) <= 1
                   else chaos.explain_rerun(started + side_effects + succeeded))
            reruns[task_id] = (runs, len(side_effects), why)
    rerun_why = collections.Counter(why or "UNEXPLAINED" for _, _, why in reruns.values())
    unexplained = [t for t, (_, _, why) in reruns.items() if why is None]
    side_effect_twice = sum(1 for _, effects, _ in reruns.values() if effects > 1)

    verify = subprocess.run(["java", "-jar", JAR, "audit", "verify"], env=chaos.audit.env, capture_output=True, text=True)

    # Report.
    answers = collections.Counter(load.answers) + collections.Counter(limited.answers)
    refused = {k: v for k, v in sorted(answers.items()) if k != "202"}
    restarts = collections.defaultdict(list)
    for kind, _, took in chaos.restarts:
        restarts[kind].append("-" if took is None else f"{took:.0f}")
    kills = collections.Counter(k for _, k, _ in chaos.kills)
    unanswered_status = collections.Counter(v.get("status") for v in unanswered_views.values())
    verify_line = (verify.stdout.strip() or verify.stderr.strip()).splitlines()
    lines = [
        "",
        "== chaos run tallies ==",
        "processes: broker, 2 ingress, 2 policy-stream, 2 workers (one pool), audit sink (SQLite)",
        f"SIGKILLs: {len(chaos.kills)} (" + ", ".join(f"{k} x{n}" for k, n in kills.items())
        + ("; one of each kind at once" if opts.together else "; one at a time") + ")",
        "SIGKILL to ready line again, s: " + "; ".join(f"{k} {', '.join(v)}" for k, v in restarts.items()),
        f"load: {load_s:.0f} s at {opts.rate:g} tasks/s (echo.run and http_fetch.post) + {LIMITED_TASK} at 1/s; "
        f"every accepted task terminal {drained_s:.0f} s after the load stopped" if not lost else
        f"load: {load_s:.0f} s at {opts.rate:g} tasks/s",
        f"posted: {sum(answers.values())}",
        f"accepted (202): {answers['202']}",
        f"refused: {sum(refused.values())} {refused}",
        f"terminal by status: {dict(sorted(by_status.items(), key=str))}",
        f"LOST (accepted, never terminal): {len(lost)}",
        f"published although the POST got no answer (ingress SIGKILLed mid-request): {len(unanswered)}, "
        f"terminal {dict(unanswered_status)}, never terminal {len(unanswered_lost)}",
        f"WRONG results (echo.run result not its input, http_fetch.post without its nonce, not succeeded): {len(wrong)}",
        f"run more than once: {len(reruns)} {dict(rerun_why)}; side effect seen twice: {side_effect_twice}; "
        f"UNEXPLAINED: {len(unexplained)}",
        f"rate limit {opts.limit}/hour for one agent: {len(decisions)} decided, {allowed_decisions} allowed, "
        f"{limited_reasons.get('RATE_LIMITED', 0)} RATE_LIMITED, {limited_status.get('succeeded', 0)} succeeded; "
        f"expected exactly {expected_allowed} allowed: " + ("OK" if rate_ok else "WRONG"),
        f"audit: {len(expected)} tasks checked (task.accepted, policy.decision, task.started, task.succeeded); "
        f"MISSING records: {len(audit_missing)}; DUPLICATED: {len(audit_duplicated)}; "
        f"task.accepted missing for {len(accepted_gap)} of the tasks whose POST got no answer (known gap, README); "
        f"copies of an event sent again after a lost acknowledgement, kept once (audit.resent markers): {audit_redelivered}",
        f"taskgate audit verify: exit {verify.returncode}: {verify_line[0] if verify_line else ''}",
    ]
    print("\n".join(lines), flush=True)
    for label, items in (("lost", lost + unanswered_lost), ("wrong", wrong), ("unexplained re-run", unexplained),
                         ("audit missing", list(audit_missing.items())),
                         ("audit duplicated", list(audit_duplicated.items()))):
        for item in items[:10]:
            print(f"  {label}: {item}")
    summary = {"kills": chaos.kills, "restarts": chaos.restarts, "answers": dict(answers), "by_status": dict(by_status),
               "lost": lost + unanswered_lost, "unanswered": sorted(unanswered), "wrong": wrong, "reruns": reruns,
               "audit_missing": audit_missing, "accepted_gap": sorted(accepted_gap),
               "audit_duplicated": audit_duplicated, "verify": verify.stdout + verify.stderr}
    with open(os.path.join(chaos.work, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1, default=str)
    ok = (chaos_ok and not lost and not unanswered_lost and not wrong and not unexplained and rate_ok
          and not audit_missing and not audit_duplicated and verify.returncode == 0)
    print("chaos run: " + ("PASSED" if ok else "FAILED"), flush=True)
    return ok


if __name__ == "__main__":
    main()
