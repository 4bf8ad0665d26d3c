"""Dateline's benchmark suite: one table, each figure next to its reference measured in the same run.

    .venv/bin/python bench/run.py              # everything, 5 to 9 minutes on 2 cores
    .venv/bin/python bench/run.py --quick      # a smoke run of every section (about 2 minutes)
    .venv/bin/python bench/run.py --only merge,serve

Sections (each runs in its own child process, so one cannot warm or slow the next):

* extract: Dateline's documents -> events throughput against a bare ``nlp.pipe`` of the same model on
  the same texts, interleaved chunk by chunk; both counted in tokens of the raw texts.
* extract-growth: one document of article-like prose (``synthetic.article_prose``) of 10k ... 1M
  characters through ``Extractor.extract``, and the growth exponent of its time (log-log least
  squares) against linear growth.
* stores + serve: two stores filled through ``Store.add`` with synthetic mentions (about 1k and 10k
  merged events), each served by gunicorn with the project's gunicorn.conf.py and 2 workers;
  ``GET /v1/timeline`` against ``GET /_bench/static`` (same app, same server, the same bytes
  precomputed) from a separate load process (wrk, else bench/loadgen.py).
* memory: peak RSS (VmHWM) of the gunicorn workers during the serving runs and the shared/private
  split of their memory under preload (smaps_rollup), against a process that only loaded the model.
* merge: ``merge_mentions`` on 1k ... 100k synthetic mentions of one topical corpus, each size in a
  child with a time cap, and the growth exponent (log-log least squares) against linear growth.
* ingest: documents/s of ``dateline ingest`` with 1 and 2 workers (or, when that command is missing,
  ``Extractor.extract_many`` + ``Store.add`` in 1 and 2 processes, labelled as such).

Nothing here is a unit test: figures are ratios measured in one run on one machine, and the targets
are the ones of issue 6. The exit status is 0 whatever the figures (1 only if the harness failed);
``--strict`` makes a missed target exit 2.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
PY = sys.executable
sys.path.insert(0, str(BENCH))

# --- targets (issue 6) ----------------------------------------------------------------------------
T_EXTRACT_RATIO = 0.85
T_SERVE_RATIO = 0.5
T_SERVE_P99_MS = 50.0
T_MERGE_100K_S = 10.0
T_MERGE_EXPONENT = 1.2
T_WORKER_RSS_MB = 400.0
T_EXTRACT_EXPONENT = 1.15  # issue 11

#: (label, mentions, stories, document size) of the serving stores: about 1k and 10k merged events
STORES = {
    "full": [("1k", 1800, 18, (2, 10)), ("10k", 18000, 360, (10, 30))],
    "quick": [("1k", 1800, 18, (2, 10))],
}
MERGE_SIZES = {"full": [1000, 3000, 10000, 30000, 100000], "quick": [1000, 3000, 10000]}
#: characters of prose in the extraction growth figure (quick mode: the same range, fewer points)
GROWTH_SIZES = {
    "full": [10_000, 30_000, 100_000, 300_000, 1_000_000],
    "quick": [10_000, 100_000, 1_000_000],
}


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# --- corpus of real articles ----------------------------------------------------------------------


def base_paths() -> list[Path]:
    """The seed articles and the test articles (files that are not a document, e.g. the gold
    annotations, are skipped)."""
    from dateline.documents import DocumentError, load_file

    paths = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "tests/data/articles").glob("*.json"))
    out = []
    for p in paths:
        try:
            load_file(p)
        except DocumentError:
            continue
        out.append(p)
    return out


def replicated_documents(n: int) -> list[Any]:
    """``n`` documents cycling through the base articles; each copy has its own id and a distinct
    last line, so no cache keyed by text and no duplicate-content check can tell them apart."""
    from dateline.documents import load_file

    base = [load_file(p) for p in base_paths()]
    return [
        replace(
            base[i % len(base)],
            id=f"{base[i % len(base)].id}-b{i:03d}",
            text=_copy_text(base[i % len(base)].text, i),
        )
        for i in range(n)
    ]


def _copy_text(text: str, i: int) -> str:
    return f"{text.rstrip()}\n\nBench copy {i}.\n"


def write_replicated_files(folder: Path, n: int) -> int:
    """The same ``n`` documents as files (.txt for plain articles, .json with their metadata)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = base_paths()
    for i in range(n):
        src = paths[i % len(paths)]
        if src.suffix == ".json":
            data = json.loads(src.read_text(encoding="utf-8"))
            data["id"] = f"{data.get('id', src.stem)}-b{i:03d}"
            data["text"] = _copy_text(data["text"], i)
            (folder / f"{data['id']}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        else:
            text = _copy_text(src.read_text(encoding="utf-8"), i)
            (folder / f"{src.stem}-b{i:03d}.txt").write_text(text, encoding="utf-8")
    return n


# --- section: extraction --------------------------------------------------------------------------


def section_extract(args: argparse.Namespace) -> dict[str, Any]:
    import spacy

    from dateline.extract import Extractor
    from dateline.settings import Settings

    settings = Settings.from_env()
    docs = replicated_documents(args.docs)
    texts = [d.text for d in docs]
    bare = spacy.load(settings.model)
    extractor = Extractor(settings)
    tokens = sum(len(bare.tokenizer(t)) for t in texts)
    # what Dateline hands spaCy: the cleaned text (boilerplate and markup dropped), for the record
    cleaned_tokens = sum(len(bare.tokenizer(extractor.prepare(d)[1].text)) for d in docs)
    # warm both (lazy vocabularies, first-batch allocations), untimed
    list(bare.pipe(texts[:2]))
    extractor.extract_many(docs[:2])

    chunks = max(1, args.extract_chunks)
    size = math.ceil(len(docs) / chunks)
    t_bare = t_dateline = 0.0
    mentions = 0
    for k in range(chunks):
        part = slice(k * size, (k + 1) * size)
        order = ("bare", "dateline") if k % 2 == 0 else ("dateline", "bare")
        for side in order:
            gc.collect()
            start = time.perf_counter()
            if side == "bare":
                for _ in bare.pipe(texts[part]):
                    pass
                t_bare += time.perf_counter() - start
            else:
                results = extractor.extract_many(docs[part])
                t_dateline += time.perf_counter() - start
                mentions += sum(len(r.mentions) for r in results)
        log(f"extract: chunk {k + 1}/{chunks} done (bare {t_bare:.1f} s, dateline {t_dateline:.1f} s)")
    return {
        "documents": len(docs),
        "tokens": tokens,
        "cleaned_tokens": cleaned_tokens,
        "mentions": mentions,
        "bare_s": t_bare,
        "dateline_s": t_dateline,
        "bare_tps": tokens / t_bare,
        "dateline_tps": tokens / t_dateline,
        "ratio": t_bare / t_dateline,
        "bare_pipeline": bare.pipe_names,
        "dateline_pipeline": extractor.nlp.pipe_names,
        "batch_size": settings.batch_size,
    }


def section_extract_growth(args: argparse.Namespace) -> dict[str, Any]:
    """Extraction time of one document of prose per size; a size the fit projects past the cap is
    skipped (the old quadratic extractor took minutes at 1M characters)."""
    from synthetic import article_prose

    from dateline.extract import Extractor
    from dateline.model import Document
    from dateline.settings import Settings

    extractor = Extractor(Settings.from_env())
    extractor.extract(Document(id="warm-up", text=article_prose(5_000, seed=1)))  # untimed
    measured: list[dict[str, Any]] = []
    skipped: list[dict[str, Any]] = []
    for n in GROWTH_SIZES[args.mode]:
        fit = fit_exponent([(m["chars"], m["seconds"]) for m in measured])
        projected = math.exp(fit[1] + fit[0] * math.log(n)) if fit else None
        if projected is not None and projected > args.growth_cap:
            skipped.append({"chars": n, "projected_s": projected})
            log(f"extract-growth: {n:,} characters skipped (projected {projected:.0f} s)")
            continue
        text = article_prose(n)
        gc.collect()
        start, cpu = time.perf_counter(), time.process_time()
        result = extractor.extract(Document(id=f"prose-{n}", text=text))
        seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
        mentions = len(result.mentions)
        measured.append({"chars": len(text), "seconds": seconds, "cpu_seconds": cpu_seconds})
        measured[-1]["mentions"] = mentions
        log(f"extract-growth: {len(text):,} characters -> {mentions} mentions in {seconds:.2f} s")
    fit = fit_exponent([(m["chars"], m["seconds"]) for m in measured])
    cpu_fit = fit_exponent([(m["chars"], m["cpu_seconds"]) for m in measured])
    return {
        "measured": measured,
        "skipped": skipped,
        "exponent": fit[0] if fit else None,
        "cpu_exponent": cpu_fit[0] if cpu_fit else None,
    }


# --- section: stores ------------------------------------------------------------------------------


def _store_events(store: Any) -> int | None:
    """How many merged events the store holds (through whichever read API this version has)."""
    for name in ("timeline", "current"):
        fn = getattr(store, name, None)
        if fn is None:
            continue
        value = fn()
        timeline = value[1] if isinstance(value, tuple) else value
        return len(timeline.events)
    return None


def section_stores(args: argparse.Namespace) -> dict[str, Any]:
    from synthetic import generate

    from dateline.store import Store

    out: dict[str, Any] = {}
    workdir = Path(args.workdir)
    for label, n, stories, doc_size in STORES[args.mode]:
        results = generate(n, seed=1, stories=stories, doc_size=doc_size, actorless=False)
        path = workdir / f"store-{label}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        store = Store(path)
        start = time.perf_counter()
        added = mentions = 0
        tenth = max(1, len(results) // 10)
        first_tenth = last_tenth = 0.0
        truncated = False
        for i, r in enumerate(results):
            t0 = time.perf_counter()
            store.add(r)
            dt = time.perf_counter() - t0
            added += 1
            mentions += len(r.mentions)
            if i < tenth:
                first_tenth += dt
            elif i >= len(results) - tenth:
                last_tenth += dt
            if time.perf_counter() - start > args.store_budget:
                truncated = True
                last_tenth = dt * tenth  # the last add's cost stands in for the last tenth
                break
        seconds = time.perf_counter() - start
        events = _store_events(store)
        out[label] = {
            "path": str(path),
            "documents": added,
            "documents_planned": len(results),
            "mentions": mentions,
            "events": events,
            "seconds": seconds,
            "docs_per_s": added / seconds,
            "ms_per_doc_first_tenth": 1000 * first_tenth / tenth,
            "ms_per_doc_last_tenth": 1000 * last_tenth / tenth,
            "truncated": truncated,
        }
        log(
            f"stores: {label}: {added} documents, {mentions} mentions, {events} events in {seconds:.0f} s"
            + (" (budget reached: partial store)" if truncated else "")
        )
    out["_growth"] = store_growth(workdir / "store-growth.sqlite3", args.growth_budget)
    return out


def store_growth(path: Path, budget: float) -> dict[str, Any]:
    """Store.add on the realistic topical corpus (one story, common actors, actor-less mentions)
    for ``budget`` seconds: the cost of one add early on and once the store has grown."""
    from synthetic import generate

    from dateline.store import Store

    results = generate(20000, seed=2)
    store = Store(path)
    costs: list[float] = []
    mentions = 0
    start = time.perf_counter()
    for r in results:
        t0 = time.perf_counter()
        store.add(r)
        costs.append(time.perf_counter() - t0)
        mentions += len(r.mentions)
        if time.perf_counter() - start > budget:
            break
    k = max(1, min(20, len(costs) // 4))
    out = {
        "documents": len(costs),
        "mentions": mentions,
        "seconds": time.perf_counter() - start,
        "ms_first": 1000 * sum(costs[:k]) / k,
        "ms_last": 1000 * sum(costs[-k:]) / k,
        "window": k,
    }
    log(
        f"stores: growth: {len(costs)} documents ({mentions} mentions) in {out['seconds']:.0f} s; "
        f"{out['ms_first']:.0f} -> {out['ms_last']:.0f} ms per add"
    )
    return out


# --- section: serving -----------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


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
        text = proc.stdout
        if proc.returncode != 0:
            raise RuntimeError(f"wrk failed: {proc.stderr or text}")
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
    cmd = [PY, str(BENCH / "loadgen.py"), url, "--connections", str(connections), "--duration", str(duration)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 120, check=True)
    return json.loads(proc.stdout)


def _children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid:
            out.append(int(entry))
    return out


def _kb_fields(path: str) -> dict[str, int]:
    out: dict[str, int] = {}
    try:
        with open(path) as f:
            for line in f:
                m = re.match(r"(\w+):\s+(\d+) kB", line)
                if m:
                    out[m.group(1)] = int(m.group(2))
    except OSError:
        pass
    return out


def memory_of(pid: int) -> dict[str, float]:
    status = _kb_fields(f"/proc/{pid}/status")
    rollup = _kb_fields(f"/proc/{pid}/smaps_rollup")
    mb = 1024.0
    return {
        "pid": pid,
        "hwm_mb": status.get("VmHWM", 0) / mb,
        "rss_mb": status.get("VmRSS", 0) / mb,
        "pss_mb": rollup.get("Pss", 0) / mb,
        "shared_mb": (rollup.get("Shared_Clean", 0) + rollup.get("Shared_Dirty", 0)) / mb,
        "private_mb": (rollup.get("Private_Clean", 0) + rollup.get("Private_Dirty", 0)) / mb,
    }


class MemorySampler(threading.Thread):
    """Polls the gunicorn workers (recycled ones too) and keeps the highest VmHWM seen."""

    def __init__(self, master: int) -> None:
        super().__init__(daemon=True)
        self.master = master
        self.peak: dict[str, float] = {"hwm_mb": 0.0}
        self.workers_seen: set[int] = set()
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(0.5):
            self.sample()

    def sample(self) -> None:
        for pid in _children(self.master):
            mem = memory_of(pid)
            if not mem["hwm_mb"]:
                continue
            self.workers_seen.add(pid)
            if mem["hwm_mb"] > self.peak["hwm_mb"]:
                self.peak = mem

    def stop(self) -> None:
        self._stop_event.set()
        self.join(timeout=5)
        self.sample()


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


def section_serve(args: argparse.Namespace) -> dict[str, Any]:
    stores = {
        k: v for k, v in json.loads(Path(args.stores_json).read_text()).items() if not k.startswith("_")
    }
    wrk = ensure_wrk(allow_install=not args.no_install)
    if not wrk:
        log("serve: no wrk; using bench/loadgen.py (Python, one process per connection)")
    out: dict[str, Any] = {
        "tool": "wrk" if wrk else "loadgen.py",
        "connections": args.connections,
        "sizes": {},
    }
    for label, info in stores.items():
        port = _free_port()
        logfile = Path(args.workdir) / f"gunicorn-{label}.log"
        base = f"http://127.0.0.1:{port}"
        proc = start_server(info["path"], port, logfile)
        sampler: MemorySampler | None = None
        try:
            t0 = time.perf_counter()
            wait_ready(proc, base + "/_bench/static", 180, logfile)
            log(f"serve: {label}: gunicorn ready in {time.perf_counter() - t0:.1f} s on port {port}")
            sampler = MemorySampler(proc.pid)
            sampler.start()
            with urllib.request.urlopen(base + "/v1/timeline", timeout=60) as r:
                body = r.read()
                page_events = _page_count(body)
            # warm up both workers on both endpoints (each worker builds its own timeline cache)
            for path in ("/_bench/static", "/v1/timeline"):
                done, deadline = 0, time.monotonic() + 90
                while done < 8 and time.monotonic() < deadline:
                    done += run_load(base + path, args.connections, 3, wrk)["requests"]
            runs: dict[str, list[dict[str, Any]]] = {"static": [], "timeline": []}
            order = ["static", "timeline", "timeline", "static"]
            for name in order:
                path = "/_bench/static" if name == "static" else "/v1/timeline"
                runs[name].append(run_load(base + path, args.connections, args.duration, wrk))
            # a last pass on the timeline so the current workers' memory reflects serving it
            run_load(base + "/v1/timeline", args.connections, 3, wrk)
            sampler.stop()
            workers = [memory_of(pid) for pid in _children(proc.pid)]
            master = memory_of(proc.pid)
            result = {
                "store": info,
                "body_bytes": len(body),
                "page_events": page_events,
                "static": _combine(runs["static"]),
                "timeline": _combine(runs["timeline"]),
                "memory": {
                    "peak_worker": sampler.peak,
                    "workers_seen": len(sampler.workers_seen),
                    "workers_now": workers,
                    "master": master,
                },
            }
            result["ratio"] = result["timeline"]["rps"] / result["static"]["rps"]
            out["sizes"][label] = result
            log(
                f"serve: {label}: timeline {result['timeline']['rps']:.1f} req/s p99 "
                f"{result['timeline']['p99_ms']:.1f} ms; static {result['static']['rps']:.1f} req/s; "
                f"worker peak {sampler.peak['hwm_mb']:.0f} MB"
            )
        finally:
            if sampler is not None and sampler.is_alive():
                sampler.stop()
            stop_server(proc)
    return out


def _page_count(body: bytes) -> int | None:
    try:
        data = json.loads(body)
    except ValueError:
        return None
    events = data.get("events") if isinstance(data, dict) else None
    return len(events) if isinstance(events, list) else None


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


# --- section: memory reference --------------------------------------------------------------------


def section_model_memory(args: argparse.Namespace) -> dict[str, Any]:
    """A process that only loads the model (the part of a worker no code change can remove)."""
    import spacy

    from dateline.settings import Settings

    before = memory_of(os.getpid())
    nlp = spacy.load(Settings.from_env().model)
    list(nlp.pipe(["Warm-up: the model parses one sentence on 5 June 2024."]))
    after = memory_of(os.getpid())
    return {"python_mb": before["hwm_mb"], "model_hwm_mb": after["hwm_mb"], "model_rss_mb": after["rss_mb"]}


# --- section: merge -------------------------------------------------------------------------------


def section_merge_one(args: argparse.Namespace) -> dict[str, Any]:
    from synthetic import generate

    from dateline.merge import merge_mentions

    results = generate(args.n, seed=0)
    mentions = sum(len(r.mentions) for r in results)
    gc.collect()
    start = time.perf_counter()
    events = merge_mentions(results)
    seconds = time.perf_counter() - start
    return {
        "n": args.n,
        "documents": len(results),
        "mentions": mentions,
        "events": len(events),
        "seconds": seconds,
    }


def fit_exponent(points: list[tuple[float, float]]) -> tuple[float, float] | None:
    """(k, a) of log t = a + k log n by least squares, or None with fewer than two points."""
    pts = [(math.log(n), math.log(t)) for n, t in points if t > 0]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    sxx = sum((x - mx) ** 2 for x, _ in pts)
    k = sum((x - mx) * (y - my) for x, y in pts) / sxx
    return k, my - k * mx


def section_merge(args: argparse.Namespace) -> dict[str, Any]:
    sizes = MERGE_SIZES[args.mode]
    measured: list[dict[str, Any]] = []
    skipped: list[dict[str, Any]] = []
    for n in sizes:
        fit = fit_exponent([(m["n"], m["seconds"]) for m in measured])
        projected = math.exp(fit[1] + fit[0] * math.log(n)) if fit else None
        if projected is not None and projected > args.merge_cap:
            skipped.append(
                {
                    "n": n,
                    "projected_s": projected,
                    "reason": f"fit projects over the {args.merge_cap:.0f} s cap",
                }
            )
            log(f"merge: {n} mentions skipped (projected {projected:.0f} s)")
            continue
        out = Path(args.workdir) / f"merge-{n}.json"
        cmd = [
            PY,
            __file__,
            "--section",
            "merge-one",
            "--n",
            str(n),
            "--out",
            str(out),
            "--workdir",
            args.workdir,
        ]
        try:
            subprocess.run(cmd, timeout=args.merge_cap + 30, check=True)  # + generating the corpus
            result = json.loads(out.read_text())
        except subprocess.TimeoutExpired:
            skipped.append(
                {"n": n, "projected_s": projected, "reason": f"killed after the cap ({args.merge_cap:.0f} s)"}
            )
            log(f"merge: {n} mentions killed at the cap")
            continue
        if result["seconds"] > args.merge_cap:
            result["over_cap"] = True
        measured.append(result)
        log(f"merge: {n} mentions -> {result['events']} events in {result['seconds']:.2f} s")
        if result["seconds"] > args.merge_cap:
            break
    fit = fit_exponent([(m["n"], m["seconds"]) for m in measured])
    for s in skipped:
        if fit and s.get("projected_s") is None:
            s["projected_s"] = math.exp(fit[1] + fit[0] * math.log(s["n"]))
    return {"measured": measured, "skipped": skipped, "exponent": fit[0] if fit else None}


# --- section: ingestion ---------------------------------------------------------------------------


def _cli_help() -> str | None:
    exe = Path(PY).with_name("dateline")
    cmd = [str(exe)] if exe.exists() else [PY, "-m", "dateline.cli"]
    proc = subprocess.run(
        [*cmd, "ingest", "--help"], capture_output=True, text=True, timeout=120, check=False
    )
    return proc.stdout if proc.returncode == 0 else None


def _fallback_worker(paths: list[str], store: str, queue: Any) -> None:
    from dateline.documents import load_file
    from dateline.extract import Extractor
    from dateline.settings import Settings
    from dateline.store import Store

    added = -1
    try:
        extractor = Extractor(Settings.from_env())
        st = Store(store)
        added = 0
        for result in extractor.extract_many([load_file(Path(p)) for p in paths]):
            added += bool(st.add(result))
    finally:
        queue.put(added)


def section_ingest(args: argparse.Namespace) -> dict[str, Any]:
    folder = Path(args.workdir) / "ingest-docs"
    shutil.rmtree(folder, ignore_errors=True)
    n = write_replicated_files(folder, args.ingest_docs)
    help_text = _cli_help()
    exe = Path(PY).with_name("dateline")
    out: dict[str, Any] = {"documents": n, "runs": {}}
    out["method"] = "dateline ingest" if help_text else "fallback: Extractor.extract_many + Store.add"
    for workers in (1, 2):
        store = Path(args.workdir) / f"ingest-{workers}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{store}{suffix}").unlink(missing_ok=True)
        env = dict(
            os.environ, DATELINE_STORE_PATH=str(store), DATELINE_SEED_PATH="", DATELINE_LOG_LEVEL="warning"
        )
        start = time.perf_counter()
        error = None
        if help_text:
            cmd = [str(exe) if exe.exists() else PY, *([] if exe.exists() else ["-m", "dateline.cli"])]
            cmd += ["ingest", str(folder), "--workers", str(workers)]
            if "--quiet" in help_text:
                cmd.append("--quiet")
            proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=1800, check=False)
            seconds = time.perf_counter() - start
            if proc.returncode != 0:
                lines = [ln for ln in proc.stderr.strip().splitlines() if ln.strip()]
                last = lines[-1] if lines else ""
                error = f"dateline ingest --workers {workers} exited {proc.returncode}: {last}"
                log(f"ingest: {error}; measuring the fallback instead\n{proc.stderr[-3000:]}")
                out["method"] = "fallback after a `dateline ingest` error: Extractor.extract_many + Store.add"
                out.setdefault("errors", []).append(error)
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{store}{suffix}").unlink(missing_ok=True)
                start = time.perf_counter()
        if not help_text or error:
            import multiprocessing as mp

            ctx = mp.get_context("spawn")
            files = sorted(str(p) for p in folder.iterdir())
            queue = ctx.Queue()
            os.environ.update(env)
            procs = [
                ctx.Process(target=_fallback_worker, args=(files[w::workers], str(store), queue))
                for w in range(workers)
            ]
            for p in procs:
                p.start()
            for _ in procs:
                queue.get(timeout=1800)
            for p in procs:
                p.join()
            seconds = time.perf_counter() - start
        from dateline.store import Store

        stored = Store(store).count()
        out["runs"][str(workers)] = {"seconds": seconds, "stored": stored, "docs_per_s": n / seconds}
        log(f"ingest: {workers} worker(s): {n} documents in {seconds:.1f} s ({stored} stored)")
    out["scaling"] = out["runs"]["2"]["docs_per_s"] / out["runs"]["1"]["docs_per_s"]
    return out


# --- the table ------------------------------------------------------------------------------------


def code_state() -> str:
    """The commit measured, and whether the working tree differs from it (read-only git calls)."""

    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", "--no-optional-locks", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
        return done.stdout.strip()

    try:
        rev = git("rev-parse", "--short", "HEAD")
        dirty = git("status", "--porcelain", "--untracked-files=no", "service")
    except (OSError, subprocess.SubprocessError):
        return "commit unknown"
    return f"commit {rev}" + (" + uncommitted changes in service/" if dirty else "")


def _chars(n: int) -> str:
    """10k, 300k, 1M: a text size as the table gives it."""
    return f"{n / 1e6:.0f}M" if n >= 999_000 else f"{round(n / 1000)}k"


def _verdict(ok: bool | None) -> str:
    return "—" if ok is None else ("PASS" if ok else "FAIL")


def build_rows(res: dict[str, Any]) -> list[list[str]]:
    rows: list[list[str]] = []
    ex = res.get("extract")
    if ex:
        rows.append([
            "extraction",
            f"tokens/s, {ex['documents']} docs "
            f"({ex['tokens']:,} tokens; {ex['cleaned_tokens']:,} after clean())",
            f"{ex['dateline_tps']:,.0f}",
            f"{ex['bare_tps']:,.0f} (bare nlp.pipe)",
            f"{ex['ratio']:.2f}",
            f">= {T_EXTRACT_RATIO}",
            _verdict(ex["ratio"] >= T_EXTRACT_RATIO),
        ])  # fmt: skip
    gr = res.get("extract_growth")
    if gr and gr["measured"]:
        base, last = gr["measured"][0], gr["measured"][-1]
        k = gr["exponent"]
        sizes = ", ".join(_chars(m["chars"]) for m in gr["measured"])
        rows.append([
            "extraction",
            f"extraction time growth exponent, 10k → 1M characters of prose (log-log fit over {sizes})",
            f"{k:.2f}" if k is not None else "n/a",
            f"1.00 (linear); CPU time {gr['cpu_exponent']:.2f}" if gr["cpu_exponent"] else "1.00 (linear)",
            "",
            f"<= {T_EXTRACT_EXPONENT}",
            _verdict(k is not None and k <= T_EXTRACT_EXPONENT and not gr["skipped"]),
        ])  # fmt: skip
        linear = base["seconds"] * last["chars"] / base["chars"]
        rows.append([
            "extraction",
            f"one document of {last['chars']:,} characters of prose, s ({last['mentions']:,} mentions)",
            f"{last['seconds']:.1f}",
            f"{linear:.1f} (linear from {_chars(base['chars'])})",
            f"{last['seconds'] / linear:.2f}x",
            "",
            "—",
        ])  # fmt: skip
        for s in gr["skipped"]:
            rows.append([
                "extraction",
                f"{s['chars']:,} characters of prose, s (not run: the fit projects over the cap)",
                f"~{s['projected_s']:,.0f} (fit)",
                "",
                "",
                "",
                "FAIL",
            ])  # fmt: skip
    sv = res.get("serve")
    if sv:
        for label, s in sv["sizes"].items():
            ev = s["store"]["events"]
            tl, st = s["timeline"], s["static"]
            what = f"{ev:,} events" + (" (partial store)" if s["store"]["truncated"] else "")
            rows.append([
                f"serving {label}",
                f"GET /v1/timeline req/s ({what}; {s['body_bytes'] / 1024:,.0f} KiB body)",
                f"{tl['rps']:,.1f}",
                f"{st['rps']:,.1f} (/_bench/static)",
                f"{s['ratio']:.2f}",
                f">= {T_SERVE_RATIO}",
                _verdict(s["ratio"] >= T_SERVE_RATIO),
            ])  # fmt: skip
            rows.append([
                f"serving {label}",
                f"p50 / p99 latency, ms (c={sv['connections']}, {sv['tool']})",
                f"{tl['p50_ms']:,.1f} / {tl['p99_ms']:,.1f}",
                f"{st['p50_ms']:,.1f} / {st['p99_ms']:,.1f}",
                "",
                f"p99 < {T_SERVE_P99_MS:.0f}",
                _verdict(tl["p99_ms"] < T_SERVE_P99_MS and tl["errors"] == 0),
            ])  # fmt: skip
    mg = res.get("merge")
    if mg and mg["measured"]:
        base = mg["measured"][0]
        for m in mg["measured"]:
            linear = base["seconds"] * m["mentions"] / base["mentions"]
            target = m["n"] == 100000
            rows.append([
                "merge",
                f"{m['n'] // 1000}k mentions -> {m['events']:,} events, s",
                f"{m['seconds']:.2f}",
                f"{linear:.2f} (linear from {base['n'] // 1000}k)",
                f"{m['seconds'] / linear:.1f}x",
                f"< {T_MERGE_100K_S:.0f} s" if target else "",
                _verdict(m["seconds"] < T_MERGE_100K_S) if target else "",
            ])  # fmt: skip
        for s in mg["skipped"]:
            linear = base["seconds"] * s["n"] / base["n"]
            proj = s.get("projected_s")
            rows.append([
                "merge",
                f"{s['n'] // 1000}k mentions, s (not completed: {s['reason']})",
                f"~{proj:,.0f} (fit)" if proj else "n/a",
                f"{linear:.2f} (linear from {base['n'] // 1000}k)",
                f"{proj / linear:.0f}x" if proj else "",
                f"< {T_MERGE_100K_S:.0f} s" if s["n"] == 100000 else "",
                "FAIL" if s["n"] == 100000 else "",
            ])  # fmt: skip
        k = mg["exponent"]
        sizes = ", ".join(f"{m['n'] // 1000}k" for m in mg["measured"])
        rows.append([
            "merge",
            f"growth exponent (log-log fit over {sizes})",
            f"{k:.2f}" if k is not None else "n/a",
            "1.00 (linear)",
            "",
            f"<= {T_MERGE_EXPONENT}",
            _verdict(k is not None and k <= T_MERGE_EXPONENT),
        ])  # fmt: skip
    mem = res.get("model_memory")
    if sv:
        peaks = [(label, s["memory"]) for label, s in sv["sizes"].items()]
        label, worst = max(peaks, key=lambda p: p[1]["peak_worker"]["hwm_mb"])
        ref = f"{mem['model_hwm_mb']:,.0f} (process with the model only)" if mem else "n/a"
        hwm = worst["peak_worker"]["hwm_mb"]
        rows.append([
            "memory",
            f"worker peak RSS (VmHWM), MB (serving {label}, {worst['workers_seen']} workers seen)",
            f"{hwm:,.0f}",
            ref,
            f"{hwm / mem['model_hwm_mb']:.2f}" if mem else "",
            f"< {T_WORKER_RSS_MB:.0f} MB",
            _verdict(hwm < T_WORKER_RSS_MB),
        ])  # fmt: skip
        now = worst["workers_now"]
        if now:
            shared = sum(w["shared_mb"] for w in now) / len(now)
            private = sum(w["private_mb"] for w in now) / len(now)
            rss = sum(w["rss_mb"] for w in now) / len(now)
            rows.append([
                "memory",
                "worker shared / private under preload, MB (smaps_rollup, mean)",
                f"{shared:,.0f} / {private:,.0f}",
                f"{rss:,.0f} RSS now; master {worst['master']['rss_mb']:,.0f}",
                f"{shared / rss:.0%} shared" if rss else "",
                "",
                "—",
            ])  # fmt: skip
    ing = res.get("ingest")
    if ing:
        for w in ("1", "2"):
            r = ing["runs"][w]
            rows.append([
                "ingestion",
                f"docs/s, {w} worker{'s' if w == '2' else ''} ({ing['documents']} docs; {ing['method']})",
                f"{r['docs_per_s']:.2f}",
                f"{ing['runs']['1']['docs_per_s']:.2f} (1 worker)" if w == "2" else "",
                f"{ing['scaling']:.2f}" if w == "2" else "",
                "",
                "—",
            ])  # fmt: skip
    stores = res.get("stores")
    if stores:
        g = stores.get("_growth")
        if g:
            rows.append([
                "store build",
                f"Store.add ms/doc, topical corpus, docs 1-{g['window']} vs the last {g['window']} "
                f"({g['documents']:,} docs, {g['mentions']:,} mentions in {g['seconds']:.0f} s)",
                f"{g['ms_last']:,.0f}",
                f"{g['ms_first']:,.0f} (first docs)",
                f"{g['ms_last'] / g['ms_first']:.1f}x",
                "",
                "—",
            ])  # fmt: skip
        for label, s in ((k, v) for k, v in stores.items() if not k.startswith("_")):
            rows.append([
                "store build",
                f"Store.add docs/s ({label} store: {s['documents']:,} docs, {s['mentions']:,} mentions)",
                f"{s['docs_per_s']:.1f}",
                f"{s['ms_per_doc_first_tenth']:.0f} -> {s['ms_per_doc_last_tenth']:.0f} ms/doc"
                " (first -> last tenth)",
                "",
                "",
                "—",
            ])  # fmt: skip
    return rows


def render_table(rows: list[list[str]]) -> str:
    header = ["area", "figure", "Dateline", "reference (same run)", "ratio", "target", "result"]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    line = "+".join("-" * (w + 2) for w in widths)
    out = [" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)), line]
    out += [" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(out)


# --- driver ---------------------------------------------------------------------------------------


def snapshot(folder: Path) -> None:
    """Copy service/ and make every child import Dateline from the copy: all sections then measure
    the same code even while someone edits the working tree during the run."""
    shutil.copytree(ROOT / "service", folder / "service", ignore=shutil.ignore_patterns("__pycache__"))
    path = str(folder / "service")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (path, os.environ.get("PYTHONPATH")) if p)


SECTIONS = {
    "extract": section_extract,
    "extract-growth": section_extract_growth,
    "stores": section_stores,
    "serve": section_serve,
    "model-memory": section_model_memory,
    "merge": section_merge,
    "merge-one": section_merge_one,
    "ingest": section_ingest,
}
ORDER = ["extract", "extract-growth", "merge", "stores", "serve", "model-memory", "ingest"]


def _child(section: str, args: argparse.Namespace, extra: list[str] | None = None) -> dict[str, Any] | None:
    out = Path(args.workdir) / f"{section}.json"
    out.unlink(missing_ok=True)
    cmd = [
        PY,
        __file__,
        "--section",
        section,
        "--out",
        str(out),
        "--workdir",
        args.workdir,
        *_passthrough(args),
    ]
    cmd += extra or []
    start = time.perf_counter()
    proc = subprocess.run(cmd, check=False)
    log(f"{section}: {time.perf_counter() - start:.0f} s")
    if proc.returncode != 0 or not out.exists():
        log(f"{section}: FAILED (exit {proc.returncode})")
        return None
    result: dict[str, Any] = json.loads(out.read_text())
    return result


def _passthrough(args: argparse.Namespace) -> list[str]:
    out = [
        "--docs", str(args.docs), "--extract-chunks", str(args.extract_chunks),
        "--ingest-docs", str(args.ingest_docs), "--duration", str(args.duration),
        "--connections", str(args.connections), "--merge-cap", str(args.merge_cap),
        "--growth-cap", str(args.growth_cap),
        "--store-budget", str(args.store_budget), "--growth-budget", str(args.growth_budget),
        "--mode", args.mode,
    ]  # fmt: skip
    if args.no_install:
        out.append("--no-install")
    return out


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description="Dateline benchmark suite (issue 6): one table of figures and references."
    )
    p.add_argument(
        "--quick", action="store_true", help="a smoke run: fewer documents, shorter loads, smaller sizes"
    )
    p.add_argument("--only", help=f"comma-separated sections among {', '.join(ORDER)} (default: all)")
    p.add_argument("--docs", type=int, default=200, help="documents for the extraction figure (default 200)")
    p.add_argument(
        "--extract-chunks", type=int, default=4, help="interleaved chunks, bare/Dateline alternating"
    )
    p.add_argument(
        "--ingest-docs", type=int, default=40, help="documents for the ingestion figure (default 40)"
    )
    p.add_argument("--duration", type=float, default=6.0, help="seconds per load run (4 runs per store)")
    p.add_argument("--connections", type=int, default=4, help="concurrent connections of the load generator")
    p.add_argument("--merge-cap", type=float, default=60.0, help="seconds allowed to one merge size")
    p.add_argument(
        "--growth-cap", type=float, default=240.0, help="seconds allowed to one size of prose (growth)"
    )
    p.add_argument(
        "--store-budget", type=float, default=240.0, help="seconds allowed to fill one serving store"
    )
    p.add_argument(
        "--growth-budget", type=float, default=40.0, help="seconds of Store.add on the topical corpus"
    )
    p.add_argument(
        "--no-install", action="store_true", help="never apt-get install wrk (use bench/loadgen.py)"
    )
    p.add_argument(
        "--live-code",
        action="store_true",
        help="import service/ as it is during the run (default: a snapshot at start)",
    )
    p.add_argument("--json", help="also write every figure as JSON to this file")
    p.add_argument("--strict", action="store_true", help="exit 2 when a target is missed")
    p.add_argument("--workdir", help=argparse.SUPPRESS)
    p.add_argument("--section", help=argparse.SUPPRESS)
    p.add_argument("--out", help=argparse.SUPPRESS)
    p.add_argument("--n", type=int, help=argparse.SUPPRESS)
    p.add_argument("--stores-json", help=argparse.SUPPRESS)
    p.add_argument("--mode", default=None, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.mode is None:
        args.mode = "quick" if args.quick else "full"
    if args.quick and args.section is None:
        args.docs, args.ingest_docs, args.duration, args.extract_chunks = 20, 8, 2.0, 2
        args.growth_budget = 10.0
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.section:  # a child: run one section, write its JSON
        if args.section != "merge-one":
            import dateline

            log(f"{args.section}: dateline from {Path(dateline.__file__).parent}")
        result = SECTIONS[args.section](args)
        Path(args.out).write_text(json.dumps(result, indent=1, default=str))
        return 0
    wanted = ORDER if not args.only else [s.strip() for s in args.only.split(",")]
    unknown = set(wanted) - set(ORDER)
    if unknown:
        raise SystemExit(f"unknown section(s): {', '.join(sorted(unknown))}")
    if "serve" in wanted and "stores" not in wanted:
        wanted.insert(wanted.index("serve"), "stores")
    workdir = tempfile.mkdtemp(prefix="dateline-bench-")
    args.workdir = workdir
    started = time.perf_counter()
    code = code_state()
    if not args.live_code:
        snapshot(Path(workdir) / "code")
    log(f"work folder {workdir}; sections: {', '.join(wanted)}; {code}")
    results: dict[str, Any] = {}
    failed = []
    try:
        for section in wanted:
            extra = ["--stores-json", str(Path(workdir) / "stores.json")] if section == "serve" else None
            if section == "serve" and "stores" not in results:
                failed.append(section)
                continue
            result = _child(section, args, extra)
            if result is None:
                failed.append(section)
            else:
                results[section.replace("-", "_")] = result
    finally:
        elapsed = time.perf_counter() - started
        results["meta"] = {
            "seconds": elapsed,
            "cpus": os.cpu_count(),
            "python": sys.version.split()[0],
            "mode": args.mode,
            "failed": failed,
            "when": time.strftime("%Y-%m-%d %H:%M:%S %z"),
            "code": code + ("" if args.live_code else " (snapshot at start)"),
        }
        rows = build_rows(results)
        print()
        meta = results["meta"]
        print(
            f"Dateline benchmarks ({args.mode}; {meta['code']}; {os.cpu_count()} CPUs; "
            f"{elapsed / 60:.1f} min; {meta['when']})"
        )
        print(render_table(rows))
        if failed:
            print(f"sections that failed: {', '.join(failed)} (see the log above)")
        if args.json:
            Path(args.json).write_text(json.dumps(results, indent=1, default=str))
        shutil.rmtree(workdir, ignore_errors=True)
    if failed:
        return 1
    if args.strict and any(r[-1] == "FAIL" for r in rows):
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
