#!/usr/bin/env python3
"""Tool throughput against a running Taskgate (bench/tools.sh starts it). Creates an agent, posts
COUNT tasks from THREADS connections as fast as ingress takes them, waits until every one is
terminal, and reports tasks per second from the first POST to the last task's end (its updated_at
in the status view, so polling adds nothing to the figure).

  fetch: http_fetch.get of a small page served by a local server this script starts (the gateway
         must allow private addresses: TASKGATE_HTTP_FETCH_ALLOW_PRIVATE=true).
  sleep: sleep.run of MS milliseconds; samples taskgate_worker_in_flight at --metrics every 10 ms
         for the peak of tasks running at once in that worker.
  --worker-metrics URL (repeatable): /metrics of each worker, to say how many tasks each one ran.

usage: bench/tools.py fetch|sleep --url http://127.0.0.1:8080 --admin-token TOKEN [--count 2000]
"""
import argparse
import http.client
import http.server
import json
import threading
import time
import urllib.parse
import urllib.request
from datetime import datetime

TERMINAL = {"succeeded", "failed", "cancelled"}
PAGE = b"<!doctype html><title>bench</title><p>" + b"a small page for the benchmark " * 30 + b"</p>"


def parse_instant(text):
    # Java writes up to nanoseconds; Python reads microseconds.
    head, _, frac = text.rstrip("Z").partition(".")
    return datetime.fromisoformat(head + "." + (frac + "000000")[:6] + "+00:00").timestamp()


class Page(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    hits = 0
    lock = threading.Lock()

    def do_GET(self):
        with Page.lock:
            Page.hits += 1
        self.send_response(200)
        self.send_header("content-type", "text/html")
        self.send_header("content-length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, *args):
        pass


def request(conn, method, path, body, headers):
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    response = conn.getresponse()
    return response.status, json.loads(response.read() or b"null")


def metric(url, name):
    text = urllib.request.urlopen(url, timeout=10).read().decode()
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith(name))


def in_parallel(threads, work):
    runners = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for runner in runners:
        runner.start()
    for runner in runners:
        runner.join()


def post_tasks(target, token, name, task_input, count, threads):
    headers = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
    ids = [[] for _ in range(threads)]
    refused = [0] * threads

    def run(index):
        conn = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
        for _ in range(index, count, threads):
            status, answer = request(conn, "POST", "/__runner/task/" + name, {"input": task_input}, headers)
            if status == 202:
                ids[index].append(answer["task_id"])
            else:
                refused[index] += 1

    in_parallel(threads, run)
    return [task for chunk in ids for task in chunk], sum(refused)


def await_terminal(target, token, ids, threads, timeout):
    """The last updated_at and the statuses, once every task is terminal."""
    headers = {"Authorization": "Bearer " + token}
    views = {}
    deadline = time.time() + timeout
    pending = list(ids)
    while pending:
        if time.time() > deadline:
            raise SystemExit("%d tasks not terminal within %d s" % (len(pending), timeout))
        still = [[] for _ in range(threads)]

        def run(index):
            conn = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
            for task in pending[index::threads]:
                status, view = request(conn, "GET", "/__runner/tasks/" + task, None, headers)
                if status == 200 and view.get("status") in TERMINAL:
                    views[task] = view
                else:
                    still[index].append(task)

        in_parallel(threads, run)
        pending = [task for chunk in still for task in chunk]
        if pending:
            time.sleep(0.5)
    return views


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["fetch", "sleep"])
    parser.add_argument("--url", required=True)
    parser.add_argument("--admin-token", required=True)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--ms", type=int, default=100)
    parser.add_argument("--metrics", help="/metrics of the worker whose in-flight tasks to sample (sleep)")
    parser.add_argument("--worker-metrics", action="append", default=[])
    parser.add_argument("--label", default="")
    parser.add_argument("--timeout", type=int, default=600)
    args = parser.parse_args()

    target = urllib.parse.urlparse(args.url)
    admin = {"Authorization": "Bearer " + args.admin_token, "Content-Type": "application/json"}
    conn = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
    status, agent = request(conn, "POST", "/api/agents", {"name": "tools-bench-%d" % (time.time() * 1000),
                                                          "tools": ["http_fetch", "sleep"], "actions": ["*"]}, admin)
    assert status == 201, agent
    status, minted = request(conn, "POST", "/api/agents/%s/tokens" % agent["id"],
                             {"tools": ["http_fetch", "sleep"], "actions": ["*"], "expires_in": 3600}, admin)
    assert status == 201, minted
    token = minted["token"]

    if args.mode == "fetch":
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        name, task_input = "http_fetch.get", {"url": "http://127.0.0.1:%d/page" % server.server_address[1]}
    else:
        name, task_input = "sleep.run", {"ms": args.ms}

    ran_before = [metric(url, "taskgate_worker_tasks_seconds_count") for url in args.worker_metrics]
    peak = [0.0]
    sampling = threading.Event()

    def sample():
        while not sampling.is_set():
            peak[0] = max(peak[0], metric(args.metrics, "taskgate_worker_in_flight"))
            time.sleep(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    if args.metrics:
        sampler.start()
    start = time.time()
    ids, refused = post_tasks(target, token, name, task_input, args.count, args.threads)
    posted_s = time.time() - start
    if args.mode == "fetch":
        # Wait on the page's own count first, so status polling does not compete with the run.
        deadline = time.time() + args.timeout
        while Page.hits < len(ids) and time.time() < deadline:
            time.sleep(0.1)
    views = await_terminal(target, token, ids, args.threads, args.timeout)
    sampling.set()
    end = max(parse_instant(view["updated_at"]) for view in views.values())
    outcomes = {}
    for view in views.values():
        outcomes[view["status"]] = outcomes.get(view["status"], 0) + 1
    elapsed = end - start
    print("%s%s: %d tasks posted in %.1f s (%d refused), all terminal %.1f s after the first POST: %.0f tasks/s %s"
          % (args.label, name, len(ids), posted_s, refused, elapsed, len(ids) / elapsed, json.dumps(outcomes)))
    if args.metrics:
        print("%s%s %d ms: peak of tasks running at once in the worker: %d (ideal throughput at that peak %.0f tasks/s)"
              % (args.label, name, args.ms, peak[0], peak[0] * 1000 / args.ms))
    for url, before in zip(args.worker_metrics, ran_before):
        print("%s  worker %s ran %d of them" % (args.label, url, metric(url, "taskgate_worker_tasks_seconds_count") - before))


if __name__ == "__main__":
    main()
