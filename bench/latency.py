#!/usr/bin/env python3
"""Sequential request latency against a running Taskgate: N POSTs of one task, each on a kept-alive
connection, optionally holding the request with `Prefer: wait`. Prints p50 / p90 / p99 / max in ms."""
import argparse
import http.client
import json
import time
import urllib.parse


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--task", default="echo.run")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--wait", type=int, default=10, help="Prefer: wait=N; 0 to not wait")
    args = parser.parse_args()

    target = urllib.parse.urlparse(args.url)
    conn = http.client.HTTPConnection(target.hostname, target.port, timeout=40)
    headers = {"Authorization": "Bearer " + args.token, "Content-Type": "application/json"}
    if args.wait:
        headers["Prefer"] = "wait=%d" % args.wait
    body = json.dumps({"input": {"msg": "latency probe"}})
    expected = 200 if args.wait else 202
    samples, unexpected = [], {}
    for _ in range(args.count):
        start = time.perf_counter()
        conn.request("POST", "/__runner/task/" + args.task, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        samples.append((time.perf_counter() - start) * 1000)
        if response.status != expected:
            unexpected[response.status] = unexpected.get(response.status, 0) + 1
    samples.sort()

    def pct(p):
        return samples[min(len(samples) - 1, int(round(p / 100 * len(samples))) - 1)]

    print("%s x%d sequential (Prefer: wait=%d): p50 %.1f ms  p90 %.1f ms  p99 %.1f ms  max %.1f ms  unexpected %s"
          % (args.task, args.count, args.wait, pct(50), pct(90), pct(99), samples[-1], unexpected or "none"))


if __name__ == "__main__":
    main()
