#!/usr/bin/env python3
"""Webhook delivery against a running Taskgate (ingress with `taskgate webhooks`, e.g. `taskgate dev`
started with TASKGATE_WEBHOOK_ALLOW_HTTP=true and TASKGATE_HTTP_FETCH_ALLOW_PRIVATE=true, so it may
call a receiver on this machine). Creates an agent, starts a local receiver, posts echo.run tasks
with a callback_url at RATE per second for SECONDS, and reports deliveries per second at the
receiver and the delay from each task's terminal event (the webhook's data.updated_at) to the
arrival of its first attempt: p50 / p99 / max in ms. Same clock on both sides: run it on the host.

usage: bench/webhooks.py --url http://127.0.0.1:8080 --admin-token TOKEN [--rate 100] [--seconds 10]
"""
import argparse
import http.client
import http.server
import json
import threading
import time
import urllib.parse
from datetime import datetime


def parse_instant(text):
    # Java writes up to nanoseconds; Python reads microseconds.
    head, _, frac = text.rstrip("Z").partition(".")
    return datetime.fromisoformat(head + "." + (frac + "000000")[:6] + "+00:00").timestamp()


class Receiver(http.server.BaseHTTPRequestHandler):
    arrivals = {}
    lock = threading.Lock()

    def do_POST(self):
        now = time.time()
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        self.send_response(200)
        self.send_header("content-length", "0")
        self.end_headers()
        event = json.loads(body)
        with Receiver.lock:
            Receiver.arrivals.setdefault(self.headers["webhook-id"], (now, parse_instant(event["data"]["updated_at"])))

    def log_message(self, *args):
        pass


def request(conn, method, path, body, headers):
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    response = conn.getresponse()
    return response.status, json.loads(response.read() or b"null")


def post_tasks(url, token, callback, rate, seconds, threads):
    target = urllib.parse.urlparse(url)
    headers = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
    per_thread = rate / threads
    posted = [0] * threads

    def run(index):
        conn = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
        start = time.perf_counter()
        for n in range(int(per_thread * seconds)):
            pause = start + n / per_thread - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            status, _ = request(conn, "POST", "/__runner/task/echo.run",
                                {"input": {"n": n}, "callback_url": callback}, headers)
            if status == 202:
                posted[index] += 1

    workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return sum(posted)


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--admin-token", required=True)
    parser.add_argument("--rate", type=float, default=100)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--drain-timeout", type=int, default=120)
    args = parser.parse_args()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    callback = "http://127.0.0.1:%d/hook" % server.server_address[1]

    target = urllib.parse.urlparse(args.url)
    admin = {"Authorization": "Bearer " + args.admin_token, "Content-Type": "application/json"}
    conn = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
    status, agent = request(conn, "POST", "/api/agents",
                            {"name": "webhook-bench-%d" % time.time(), "tools": ["echo"], "actions": ["*"]}, admin)
    assert status == 201, agent
    status, minted = request(conn, "POST", "/api/agents/%s/tokens" % agent["id"],
                             {"tools": ["echo"], "actions": ["*"], "expires_in": 3600}, admin)
    assert status == 201, minted

    posted = post_tasks(args.url, minted["token"], callback, args.rate, args.seconds, args.threads)
    deadline = time.time() + args.drain_timeout
    while len(Receiver.arrivals) < posted and time.time() < deadline:
        time.sleep(0.2)
    server.shutdown()

    arrivals = sorted(Receiver.arrivals.values())
    delays = [(arrived - ended) * 1000 for arrived, ended in arrivals]
    span = arrivals[-1][0] - arrivals[0][0] if len(arrivals) > 1 else 0
    print("tasks posted            %d at %.0f/s for %d s" % (posted, args.rate, args.seconds))
    print("webhooks received       %d (first attempts)" % len(arrivals))
    print("deliveries per second   %.1f" % (len(arrivals) / span if span else 0))
    print("end -> first attempt    p50 %.0f ms  p99 %.0f ms  max %.0f ms"
          % (percentile(delays, 50), percentile(delays, 99), max(delays)))


if __name__ == "__main__":
    main()
