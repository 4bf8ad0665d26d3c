"""serve: each store of the stores section served by gunicorn with the project's gunicorn.conf.py and
2 workers (``bench_app.py``); ``GET /v1/timeline`` against ``GET /_bench/static`` (same app, same
server, the same bytes precomputed) from a separate load process (wrk, else bench/loadgen.py). The
workers' memory is sampled meanwhile (the memory section's rows)."""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any

from harness import (
    BENCH,
    PY,
    ROOT,
    MemorySampler,
    Results,
    Row,
    Section,
    children_of,
    log,
    memory_of,
    result_path,
    verdict,
)

T_SERVE_RATIO = 0.5  # issue 6
T_SERVE_P99_MS = 50.0  # issue 6
STATIC, TIMELINE = "/_bench/static", "/v1/timeline"


# --- the load generator ---------------------------------------------------------------------------


def ensure_wrk(allow_install: bool) -> str | None:
    path = shutil.which("wrk")
    if path or not allow_install:
        return path
    if os.geteuid() == 0 and shutil.which("apt-get"):
        log("serve: wrk is missing; installing it with apt-get (Debian package 'wrk')")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        for cmd in (
            ["apt-get", "install", "-y", "-q", "wrk"],
            ["apt-get", "update", "-q"],
            ["apt-get", "install", "-y", "-q", "wrk"],
        ):
            subprocess.run(
                cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300, check=False
            )
            if shutil.which("wrk"):
                break
    return shutil.which("wrk")


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


def _ms(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not m:
        raise ValueError(f"cannot read wrk latency {text!r}")
    return float(m.group(1)) * _UNITS[m.group(2)]


def _read_wrk(text: str) -> dict[str, Any]:
    reqs = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)", text)
    pct = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", text, re.M))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if not reqs:
        raise RuntimeError(f"cannot read wrk output:\n{text}")
    n = int(reqs.group(1))
    secs = _ms(reqs.group(2) + reqs.group(3)) / 1000
    errors = int(non2xx.group(1)) if non2xx else 0
    if sock:
        errors += int(sock.group(1)) + int(sock.group(4))  # read errors are the server closing
    return {
        "tool": "wrk",
        "requests": n,
        "errors": errors,
        "duration": secs,
        "rps": n / secs if secs else 0.0,
        "p50_ms": _ms(pct["50"]) if "50" in pct else float("nan"),
        "p99_ms": _ms(pct["99"]) if "99" in pct else float("nan"),
    }


def run_load(url: str, connections: int, duration: float, wrk: str | None) -> dict[str, Any]:
    """One load run from a separate process: wrk when there is one, else bench/loadgen.py."""
    if wrk:
        cmd = [
            wrk,
            "-t1",
            f"-c{connections}",
            f"-d{max(1, round(duration))}s",
            "--timeout",
            "30s",
            "--latency",
            url,
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60, check=False)
        if proc.returncode != 0:
            raise RuntimeError(f"wrk failed: {proc.stderr or proc.stdout}")
        return _read_wrk(proc.stdout)
    cmd = [PY, str(BENCH / "loadgen.py"), url, "--connections", str(connections), "--duration", str(duration)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 120, check=True)
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def _mean(values: list[float]) -> float:
    ok = [v for v in values if not math.isnan(v)]
    return sum(ok) / len(ok) if ok else float("nan")


def _combine(runs: list[dict[str, Any]]) -> dict[str, Any]:
    requests = sum(r["requests"] for r in runs)
    duration = sum(r["duration"] for r in runs)
    return {
        "requests": requests,
        "errors": sum(r["errors"] for r in runs),
        "duration": duration,
        "rps": requests / duration if duration else 0.0,
        "p50_ms": _mean([r["p50_ms"] for r in runs]),
        "p99_ms": max((r["p99_ms"] for r in runs if not math.isnan(r["p99_ms"])), default=float("nan")),
        "runs": runs,
    }


# --- the server -----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(store: str, port: int, logfile: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env.update(
        DATELINE_BIND=f"127.0.0.1:{port}",
        DATELINE_WORKERS="2",
        DATELINE_STORE_PATH=store,
        DATELINE_SEED_PATH="",
        DATELINE_REEXTRACT="0",
        DATELINE_LOG_LEVEL="warning",
    )
    cmd = [
        PY, "-m", "gunicorn", "--config", str(ROOT / "gunicorn.conf.py"),
        "--pythonpath", str(BENCH), "bench_app:create_app()",
    ]  # fmt: skip
    out = open(logfile, "ab")  # noqa: SIM115 (the server's lifetime)
    return subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
    )


def wait_ready(proc: subprocess.Popen[bytes], url: str, timeout: float, logfile: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}; log:\n{logfile.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=60) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"gunicorn not ready after {timeout:.0f} s; log:\n{logfile.read_text()[-3000:]}")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _page_count(body: bytes) -> int | None:
    try:
        data = json.loads(body)
    except ValueError:
        return None
    events = data.get("events") if isinstance(data, dict) else None
    return len(events) if isinstance(events, list) else None


# --- the section ----------------------------------------------------------------------------------


def _load_both(base: str, args: argparse.Namespace, wrk: str | None) -> dict[str, list[dict[str, Any]]]:
    """Warm both endpoints, then load them in turn (static, timeline, timeline, static)."""
    # warm up both workers on both endpoints (each worker builds its own timeline cache)
    for path in (STATIC, TIMELINE):
        done, deadline = 0, time.monotonic() + 90
        while done < 8 and time.monotonic() < deadline:
            done += run_load(base + path, args.connections, 3, wrk)["requests"]
    runs: dict[str, list[dict[str, Any]]] = {"static": [], "timeline": []}
    for name in ["static", "timeline", "timeline", "static"]:
        path = STATIC if name == "static" else TIMELINE
        runs[name].append(run_load(base + path, args.connections, args.duration, wrk))
    # a last pass on the timeline so the current workers' memory reflects serving it
    run_load(base + TIMELINE, args.connections, 3, wrk)
    return runs


def serve_store(
    label: str, info: dict[str, Any], args: argparse.Namespace, wrk: str | None
) -> dict[str, Any]:
    """One store behind gunicorn: the two endpoints' figures and the workers' memory."""
    port = _free_port()
    logfile = Path(args.workdir) / f"gunicorn-{label}.log"
    base = f"http://127.0.0.1:{port}"
    proc = start_server(info["path"], port, logfile)
    sampler: MemorySampler | None = None
    try:
        t0 = time.perf_counter()
        wait_ready(proc, base + STATIC, 180, logfile)
        log(f"serve: {label}: gunicorn ready in {time.perf_counter() - t0:.1f} s on port {port}")
        sampler = MemorySampler(proc.pid)
        sampler.start()
        with urllib.request.urlopen(base + TIMELINE, timeout=60) as r:
            body = r.read()
            page_events = _page_count(body)
        runs = _load_both(base, args, wrk)
        sampler.stop()
        workers = [memory_of(pid) for pid in children_of(proc.pid)]
        result: dict[str, Any] = {
            "store": info,
            "body_bytes": len(body),
            "page_events": page_events,
            "static": _combine(runs["static"]),
            "timeline": _combine(runs["timeline"]),
            "memory": {
                "peak_worker": sampler.peak,
                "workers_seen": len(sampler.workers_seen),
                "workers_now": workers,
                "master": memory_of(proc.pid),
            },
        }
        result["ratio"] = result["timeline"]["rps"] / result["static"]["rps"]
        log(
            f"serve: {label}: timeline {result['timeline']['rps']:.1f} req/s p99 "
            f"{result['timeline']['p99_ms']:.1f} ms; static {result['static']['rps']:.1f} req/s; "
            f"worker peak {sampler.peak['hwm_mb']:.0f} MB"
        )
        return result
    finally:
        if sampler is not None and sampler.is_alive():
            sampler.stop()
        stop_server(proc)


def measure(args: argparse.Namespace) -> Results:
    stores_json = Path(args.stores_json) if args.stores_json else result_path(args.workdir, "stores")
    stores = {k: v for k, v in json.loads(stores_json.read_text()).items() if not k.startswith("_")}
    wrk = ensure_wrk(allow_install=not args.no_install)
    if not wrk:
        log("serve: no wrk; using bench/loadgen.py (Python, one process per connection)")
    return {
        "tool": "wrk" if wrk else "loadgen.py",
        "connections": args.connections,
        "sizes": {label: serve_store(label, info, args, wrk) for label, info in stores.items()},
    }


def rows(res: Results) -> list[Row]:
    sv = res.get("serve")
    if not sv:
        return []
    out: list[Row] = []
    for label, s in sv["sizes"].items():
        ev = s["store"]["events"]
        tl, st = s["timeline"], s["static"]
        what = f"{ev:,} events" + (" (partial store)" if s["store"]["truncated"] else "")
        out.append([
            f"serving {label}",
            f"GET /v1/timeline req/s ({what}; {s['body_bytes'] / 1024:,.0f} KiB body)",
            f"{tl['rps']:,.1f}",
            f"{st['rps']:,.1f} (/_bench/static)",
            f"{s['ratio']:.2f}",
            f">= {T_SERVE_RATIO}",
            verdict(s["ratio"] >= T_SERVE_RATIO),
        ])  # fmt: skip
        out.append([
            f"serving {label}",
            f"p50 / p99 latency, ms (c={sv['connections']}, {sv['tool']})",
            f"{tl['p50_ms']:,.1f} / {tl['p99_ms']:,.1f}",
            f"{st['p50_ms']:,.1f} / {st['p99_ms']:,.1f}",
            "",
            f"p99 < {T_SERVE_P99_MS:.0f}",
            verdict(tl["p99_ms"] < T_SERVE_P99_MS and tl["errors"] == 0),
        ])  # fmt: skip
    return out


SECTION = Section(
    "serve",
    "GET /v1/timeline under load against a precomputed body (gunicorn, wrk)",
    measure,
    rows,
    needs=("stores",),
)
