#!/usr/bin/env python3
"""Workflows and state against a running Taskgate with two ingress instances.

1. A ten-step fan-out/fan-in workflow of echo.run (start -> eight in parallel -> join): RUNS runs,
   CONCURRENCY at a time, each POSTed with `Prefer: wait=30` so the answer comes at the run's end.
   Reports runs per second and p50 / p99 of the time from POST to the run's end.
2. State: PUT a key on the first instance, then GET it on the second until the new version shows.
   Reports p50 / p99 of PUT-sent -> visible on the other instance, and of the PUT alone."""
import argparse
import http.client
import json
import threading
import time
import urllib.parse

FAN = "steps:\n  start: {task: echo.run, input: {text: \"${input.text}\"}}\n" + "".join(
    "  s%d: {task: echo.run, needs: [start], input: {part: %d, text: \"${steps.start.result.text}\"}}\n" % (i, i) for i in range(8)
) + "  join: {task: echo.run, needs: [%s], input: {parts: [%s]}}\n" % (
    ", ".join("s%d" % i for i in range(8)), ", ".join("\"${steps.s%d.result.part}\"" % i for i in range(8)))


def connect(url):
    target = urllib.parse.urlparse(url)
    return http.client.HTTPConnection(target.hostname, target.port, timeout=60)


def call(conn, method, path, token, body=None, headers=None, content_type="application/json"):
    all_headers = {"Authorization": "Bearer " + token}
    if body is not None:
        all_headers["Content-Type"] = content_type
    all_headers.update(headers or {})
    conn.request(method, path, body=body, headers=all_headers)
    response = conn.getresponse()
    return response.status, response.getheader("ETag"), response.read()


def pct(samples, p):
    samples = sorted(samples)
    return samples[min(len(samples) - 1, max(0, int(round(p / 100 * len(samples))) - 1))]


def bench_runs(args):
    conn = connect(args.url)
    status, _, body = call(conn, "PUT", "/api/workflows/bench-fan10", args.admin, FAN, content_type="application/yaml")
    assert status in (200, 201), (status, body)
    # Warm-up: the first runs pay for JIT and connection set-up.
    for _ in range(5):
        call(conn, "POST", "/__runner/workflow/bench-fan10", args.token, json.dumps({"input": {"text": "warm"}}), {"Prefer": "wait=30"})
    latencies, failures, lock = [], {}, threading.Lock()
    remaining = [args.runs]

    def worker():
        c = connect(args.url)
        while True:
            with lock:
                if remaining[0] == 0:
                    return
                remaining[0] -= 1
            start = time.perf_counter()
            status, _, body = call(c, "POST", "/__runner/workflow/bench-fan10", args.token,
                                   json.dumps({"input": {"text": "bench"}}), {"Prefer": "wait=30"})
            elapsed = (time.perf_counter() - start) * 1000
            ok = status == 200 and json.loads(body).get("status") == "succeeded"
            with lock:
                if ok:
                    latencies.append(elapsed)
                else:
                    failures[status] = failures.get(status, 0) + 1

    began = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(args.concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - began
    print("workflow fan-out/fan-in, 10 echo.run steps: %d runs, %d at a time: %.1f runs/s; POST->end p50 %.0f ms  p99 %.0f ms"
          "  max %.0f ms; not succeeded %s"
          % (len(latencies), args.concurrency, len(latencies) / wall, pct(latencies, 50), pct(latencies, 99), max(latencies),
             failures or "none"))


def bench_state(args):
    first, second = connect(args.url), connect(args.url2)
    visible, puts = [], []
    for i in range(args.state_count):
        key = "k%d" % (i % 50)
        start = time.perf_counter()
        status, etag, body = call(first, "PUT", "/api/state/bench/" + key, args.token, json.dumps({"value": {"i": i}}))
        assert status == 200, (status, body)
        puts.append((time.perf_counter() - start) * 1000)
        while True:
            status, seen, _ = call(second, "GET", "/api/state/bench/" + key, args.token)
            if status == 200 and seen == etag:
                break
        visible.append((time.perf_counter() - start) * 1000)
    print("state PUT on one instance then GET on another: %d keys written: visible p50 %.1f ms  p99 %.1f ms;"
          " the PUT alone p50 %.1f ms  p99 %.1f ms"
          % (len(visible), pct(visible, 50), pct(visible, 99), pct(puts, 50), pct(puts, 99)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--url2", required=True, help="a second ingress instance on the same broker")
    parser.add_argument("--admin", required=True)
    parser.add_argument("--token", required=True, help="a token allowing echo.run and naming state namespace 'bench'")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--state-count", type=int, default=300)
    args = parser.parse_args()
    bench_runs(args)
    bench_state(args)


if __name__ == "__main__":
    main()
