"""ingest: documents/s of ``dateline ingest`` with 1 and 2 workers (or, when that command is missing
or fails, ``Extractor.extract_many`` + ``Store.add`` in 1 and 2 processes, labelled as such)."""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

from corpus import write_replicated_files
from harness import PY, Results, Row, Section, log, remove_sqlite

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
    n = write_replicated_files(folder, args.ingest_docs)
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
    return out


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
            "",
            "—",
        ])  # fmt: skip
    return out


SECTION = Section("ingest", "documents/s of dateline ingest with 1 and 2 workers", measure, rows)
