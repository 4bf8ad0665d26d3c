"""A small HTTP load generator (the fallback when wrk is not installed).

    python bench/loadgen.py http://127.0.0.1:8000/v1/timeline --connections 4 --duration 10

Runs ``--connections`` processes, each sending GET requests one after another (a new connection
per request: gunicorn's sync workers close it anyway) until ``--duration`` seconds have passed, and
prints one JSON object: requests, errors, duration, requests/s and latency percentiles in ms (exact,
from every request's latency). Bounded in count (``--max-requests``) and time; loopback only.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import sys
import time
from urllib.parse import urlsplit

_LOOPBACK = ("127.", "localhost", "[::1]", "::1")


def _worker(url: str, deadline: float, max_requests: int, timeout: float, out: mp.Queue) -> None:
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    latencies: list[float] = []
    errors = 0
    while time.perf_counter() < deadline and len(latencies) + errors < max_requests:
        start = time.perf_counter()
        try:
            conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=timeout)
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            conn.close()
            if response.status != 200:
                errors += 1
                continue
        except (OSError, http.client.HTTPException):
            errors += 1
            continue
        latencies.append(time.perf_counter() - start)
    out.put((latencies, errors))


def percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return float("nan")
    k = min(len(sorted_values) - 1, max(0, round(q / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[k]


def run(
    url: str, connections: int, duration: float, max_requests: int = 1_000_000, timeout: float = 60.0
) -> dict:
    host = urlsplit(url).hostname or ""
    if not host.startswith(_LOOPBACK):
        raise SystemExit(f"loadgen: only loopback targets are allowed, not {host!r}")
    ctx = mp.get_context("fork")
    out: mp.Queue = ctx.Queue()
    start = time.perf_counter()
    deadline = start + duration
    procs = [
        ctx.Process(target=_worker, args=(url, deadline, max_requests // connections + 1, timeout, out))
        for _ in range(connections)
    ]
    for p in procs:
        p.start()
    latencies: list[float] = []
    errors = 0
    for _ in procs:
        lat, err = out.get(timeout=duration + timeout + 30)
        latencies.extend(lat)
        errors += err
    for p in procs:
        p.join()
    elapsed = time.perf_counter() - start
    latencies.sort()
    return {
        "tool": "loadgen.py",
        "requests": len(latencies),
        "errors": errors,
        "duration": elapsed,
        "rps": len(latencies) / elapsed,
        "p50_ms": percentile(latencies, 50) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--max-requests", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    json.dump(run(args.url, args.connections, args.duration, args.max_requests), sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
