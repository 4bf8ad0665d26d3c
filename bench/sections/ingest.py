"""ingest: documents/s of ``dateline ingest`` with 1 and 2 workers (or, when that command is missing
or fails, ``Extractor.extract_many`` + ``Store.add`` in 1 and 2 processes, labelled as such), and of
the job queue on PostgreSQL with 2 ``dateline worker`` processes, on distinct news-like documents
of one story (``synthetic.article_prose``)."""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import shutil
import subprocess
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from corpus import write_prose_files
from harness import PY, Results, Row, Section, log, remove_sqlite, verdict

FALLBACK = "Extractor.extract_many + Store.add"


def _cli() -> list[str]:
    """The ``dateline`` command of this environment."""
    exe = Path(PY).with_name("dateline")
    return [str(exe)] if exe.exists() else [PY, "-m", "dateline.cli"]


def _cli_help() -> str | None:
    proc = subprocess.run(
        [*_cli(), "ingest", "--help"], capture_output=True, text=True, timeout=120, check=False
    )
    return proc.stdout if proc.returncode == 0 else None


def _fallback_worker(paths: list[str], store: str, queue: Any) -> None:
    from dateline.events.extractor import Extractor  # children only (see harness)
    from dateline.intake.documents import load_file
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


def _run_fallback(folder: Path, store: Path, workers: int) -> None:
    """``workers`` spawned processes, each extracting and storing its share of the files."""
    ctx = mp.get_context("spawn")
    files = sorted(str(p) for p in folder.iterdir())
    queue = ctx.Queue()
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


def _run_cli(folder: Path, workers: int, help_text: str, env: dict[str, str]) -> str | None:
    """``dateline ingest``; None when it succeeded, else what went wrong."""
    cmd = [*_cli(), "ingest", str(folder), "--workers", str(workers)]
    if "--quiet" in help_text:
        cmd.append("--quiet")
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=1800, check=False)
    if proc.returncode == 0:
        return None
    lines = [ln for ln in proc.stderr.strip().splitlines() if ln.strip()]
    error = f"dateline ingest --workers {workers} exited {proc.returncode}: {lines[-1] if lines else ''}"
    log(f"ingest: {error}; measuring the fallback instead\n{proc.stderr[-3000:]}")
    return error


def measure(args: argparse.Namespace) -> Results:
    from dateline.store import Store  # children only (see harness)

    folder = Path(args.workdir) / "ingest-docs"
    shutil.rmtree(folder, ignore_errors=True)
    n = write_prose_files(folder, args.ingest_docs)
    help_text = _cli_help()
    out: dict[str, Any] = {"documents": n, "runs": {}}
    out["method"] = "dateline ingest" if help_text else f"fallback: {FALLBACK}"
    for workers in (1, 2):
        store = Path(args.workdir) / f"ingest-{workers}.sqlite3"
        remove_sqlite(store)
        env = dict(
            os.environ, DATELINE_STORE_PATH=str(store), DATELINE_SEED_PATH="", DATELINE_LOG_LEVEL="warning"
        )
        start = time.perf_counter()
        error = _run_cli(folder, workers, help_text, env) if help_text else None
        if error:
            out["method"] = f"fallback after a `dateline ingest` error: {FALLBACK}"
            out.setdefault("errors", []).append(error)
            remove_sqlite(store)
            start = time.perf_counter()
        if not help_text or error:
            os.environ.update(env)
            _run_fallback(folder, store, workers)
        seconds = time.perf_counter() - start
        stored = Store(store).count()
        out["runs"][str(workers)] = {"seconds": seconds, "stored": stored, "docs_per_s": n / seconds}
        log(f"ingest: {workers} worker(s): {n} documents in {seconds:.1f} s ({stored} stored)")
    out["scaling"] = out["runs"]["2"]["docs_per_s"] / out["runs"]["1"]["docs_per_s"]
    out["queue"] = _measure_queue(folder, args.queue_docs or n)
    return out


def _measure_queue(folder: Path, n: int) -> dict[str, Any]:
    """``n`` documents enqueued, then 2 ``dateline worker --burst`` processes against PostgreSQL and
    Redis servers of the tests' kind (``tests/servers.py``), timed from their start until both have
    emptied the queue (loading the model included, as for ``dateline ingest``)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests"))
    try:
        import servers
    except Exception as exc:  # no servers' module: the row says so
        return {"skipped": str(exc)[:80]}
    from dateline.intake.documents import load_file
    from dateline.queue.jobs import JobQueue
    from dateline.settings import Settings
    from dateline.store import Store

    try:
        with servers.postgres() as pg, servers.redis() as rd:
            settings = Settings.from_env(database_url=pg, queue_url=rd, seed_path="")
            Store(pg).close()  # the schema, before the workers race to make it
            queue = JobQueue(settings)
            for path in sorted(folder.iterdir())[:n]:
                queue.enqueue(load_file(path))
            env = dict(
                os.environ, DATELINE_DATABASE_URL=pg, DATELINE_QUEUE_URL=rd, DATELINE_SEED_PATH="",
                DATELINE_LOG_LEVEL="warning", DATELINE_LOG_JSON="0",
            )  # fmt: skip
            start = time.perf_counter()
            errors = _run_workers(env, 2)
            seconds = time.perf_counter() - start
            store = Store(pg)
            stored = store.count()
            problems = store.verify(merge=False)
            store.close()
    except Exception as exc:  # no servers here: the row says so
        log(f"ingest: queue skipped: {exc}")
        return {"skipped": str(exc).splitlines()[0][:80]}
    if stored < n:
        log("ingest: queue: " + "\n".join(errors))
    log(f"ingest: queue, 2 workers: {n} documents in {seconds:.1f} s ({stored} stored)")
    return {
        "documents": n,
        "seconds": seconds,
        "stored": stored,
        "docs_per_s": n / seconds,
        "problems": problems,
    }


def _run_workers(env: dict[str, str], count: int) -> list[str]:
    """``count`` ``dateline worker --burst`` processes run to their end; the tail of each one's log.
    Each log goes to a file: a pipe read only after the other worker ended held the second worker
    once its log (RQ's lines per job, about 100 KB for 150 jobs) filled the pipe's 64 KiB."""
    with ExitStack() as stack:
        logs = [stack.enter_context(tempfile.TemporaryFile()) for _ in range(count)]
        workers = [
            subprocess.Popen(
                [*_cli(), "worker", "--burst", "--name", f"bench-{w}"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=log_file,
            )
            for w, log_file in enumerate(logs)
        ]
        for proc in workers:
            proc.wait(timeout=1800)
        tails = []
        for log_file in logs:
            log_file.seek(0)
            tails.append(log_file.read().decode(errors="replace")[-2000:])
        return tails


def rows(res: Results) -> list[Row]:
    ing = res.get("ingest")
    if not ing:
        return []
    out: list[Row] = []
    for w in ("1", "2"):
        r = ing["runs"][w]
        out.append([
            "ingestion",
            f"docs/s, {w} worker{'s' if w == '2' else ''} ({ing['documents']} docs; {ing['method']})",
            f"{r['docs_per_s']:.2f}",
            f"{ing['runs']['1']['docs_per_s']:.2f} (1 worker)" if w == "2" else "",
            f"{ing['scaling']:.2f}" if w == "2" else "",
            ">= 1.6" if w == "2" else "",
            verdict(ing["scaling"] >= 1.6) if w == "2" else "—",
        ])  # fmt: skip
    q = ing.get("queue")
    if q and "skipped" in q:
        out.append(["ingestion", f"queue, 2 dateline worker processes: {q['skipped']}", "—", "", "", "", "—"])
    elif q:
        two = ing["runs"]["2"]["docs_per_s"]
        ratio = q["docs_per_s"] / two
        out.append([
            "ingestion",
            f"docs/s, queue on PostgreSQL, 2 dateline worker processes ({q['documents']} docs, "
            f"{q['stored']} stored)",
            f"{q['docs_per_s']:.2f}",
            f"{two:.2f} (ingest, 2 workers)",
            f"{ratio:.2f}",
            ">= 0.8",
            verdict(ratio >= 0.8 and q["stored"] == q["documents"]),
        ])  # fmt: skip
    return out


SECTION = Section("ingest", "documents/s of dateline ingest with 1 and 2 workers", measure, rows)
