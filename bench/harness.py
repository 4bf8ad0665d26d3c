"""The benchmark harness: what every section shares, and nothing any one section measures.

* :class:`Section`: a measured concern (a name, a ``measure`` that runs in a child process and
  returns JSON-able figures, and a ``rows`` that turns every section's figures into table rows);
* running a section in a child (:func:`run_child`) and the command line (:func:`parse_args`);
* timing and memory helpers (:func:`fit_exponent`, :func:`memory_of`, :class:`MemorySampler`);
* the row format (:data:`HEADER`, :func:`verdict`, :func:`chars`, :func:`render_table`);
* the measured code: :func:`snapshot` and the read-only git helper :func:`code_state`.

Sections import Dateline inside their functions only: the parent process never loads it, and each
child imports it from the snapshot (``PYTHONPATH``) rather than from the working tree.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
#: the entry point every child runs (``--section NAME``)
RUN = BENCH / "run.py"
PY = sys.executable

#: one row of the table: area, figure, Dateline, reference (same run), ratio, target, result
Row = list[str]
Results = dict[str, Any]
HEADER = ["area", "figure", "Dateline", "reference (same run)", "ratio", "target", "result"]


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# --- sections -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """One measured concern. ``measure`` runs in a child of its own (so one section cannot warm or
    slow the next); ``rows`` reads the figures of every section that ran (the key of a section's
    figures is :attr:`key`) and returns its rows, none when its figures are missing."""

    name: str
    summary: str
    measure: Callable[[argparse.Namespace], Results]
    rows: Callable[[Results], list[Row]] | None = None
    #: sections whose figures this one reads; they are run first when it is selected
    needs: tuple[str, ...] = ()
    #: run by another section only (not selectable with --only)
    internal: bool = False
    #: a child that does not import Dateline (so no "dateline from" line)
    imports_dateline: bool = True

    @property
    def key(self) -> str:
        """The section's key in the results (and in ``--json``)."""
        return self.name.replace("-", "_")


def result_path(workdir: str | Path, name: str) -> Path:
    """Where the child running section ``name`` writes its figures (JSON)."""
    return Path(workdir) / f"{name}.json"


def child_command(section: str, out: Path, workdir: str, *extra: str) -> list[str]:
    return [PY, str(RUN), "--section", section, "--out", str(out), "--workdir", workdir, *extra]


def run_child(section: Section, args: argparse.Namespace) -> Results | None:
    """Run one section in a child process with the same options; its figures, or None if it failed."""
    out = result_path(args.workdir, section.name)
    out.unlink(missing_ok=True)
    start = time.perf_counter()
    proc = subprocess.run(child_command(section.name, out, args.workdir, *_passthrough(args)), check=False)
    log(f"{section.name}: {time.perf_counter() - start:.0f} s")
    if proc.returncode != 0 or not out.exists():
        log(f"{section.name}: FAILED (exit {proc.returncode})")
        return None
    result: Results = json.loads(out.read_text())
    return result


def run_in_child(section: Section, args: argparse.Namespace) -> None:
    """The child's side: measure one section and write its figures where the parent reads them."""
    if section.imports_dateline:
        import dateline  # here, not at the top: only children load Dateline (from the snapshot)

        log(f"{section.name}: dateline from {Path(dateline.__file__).parent}")
    result = section.measure(args)
    Path(args.out).write_text(json.dumps(result, indent=1, default=str))


# --- command line ---------------------------------------------------------------------------------


def _passthrough(args: argparse.Namespace) -> list[str]:
    out = [
        "--docs", str(args.docs), "--extract-chunks", str(args.extract_chunks),
        "--ingest-docs", str(args.ingest_docs), "--duration", str(args.duration),
        "--connections", str(args.connections), "--merge-cap", str(args.merge_cap),
        "--growth-cap", str(args.growth_cap),
        "--store-budget", str(args.store_budget), "--growth-budget", str(args.growth_budget),
        "--archive-docs", str(args.archive_docs), "--queue-docs", str(args.queue_docs),
        "--mode", args.mode,
    ]  # fmt: skip
    if args.no_install:
        out.append("--no-install")
    return out


def parse_args(argv: list[str] | None, names: list[str]) -> argparse.Namespace:
    """The options of ``bench/run.py``; ``names`` are the sections ``--only`` accepts."""
    p = argparse.ArgumentParser(
        description="Dateline benchmark suite (issue 6): one table of figures and references."
    )
    p.add_argument(
        "--quick", action="store_true", help="a smoke run: fewer documents, shorter loads, smaller sizes"
    )
    p.add_argument(
        "--only", help=f"comma-separated sections among {', '.join(names)} (default: all); see --list"
    )
    p.add_argument("--list", action="store_true", help="list the sections and what each measures")
    p.add_argument("--docs", type=int, default=200, help="documents for the extraction figure (default 200)")
    p.add_argument(
        "--extract-chunks", type=int, default=4, help="interleaved chunks, bare/Dateline alternating"
    )
    p.add_argument(
        "--ingest-docs", type=int, default=300, help="documents for the ingestion figures (default 300)"
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
        "--growth-budget",
        type=float,
        default=900.0,
        help="seconds allowed to fill one topical archive (a cap: the row says when it was reached)",
    )
    p.add_argument(
        "--archive-docs",
        type=int,
        default=10000,
        help="documents of the topical archive Store.add fills, on SQLite and PostgreSQL (default 10000)",
    )
    p.add_argument(
        "--queue-docs",
        type=int,
        default=0,
        help="documents for the queue figure (2 dateline worker processes; default: --ingest-docs)",
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
        args.archive_docs = 1000
    return args


# --- timing and memory ----------------------------------------------------------------------------


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


def projected(fit: tuple[float, float] | None, n: float) -> float | None:
    """The time the fit projects for size ``n`` (None without a fit)."""
    return math.exp(fit[1] + fit[0] * math.log(n)) if fit else None


def children_of(pid: int) -> list[int]:
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
    """Peak and current RSS (status) and the shared/private split (smaps_rollup) of a process, MB."""
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
    """Polls the children of a process (gunicorn's workers, recycled ones too) and keeps the highest
    VmHWM seen."""

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
        for pid in children_of(self.master):
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


def remove_sqlite(path: Path) -> None:
    """A SQLite store and its WAL files, so that a section starts from an empty store."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


# --- the row format -------------------------------------------------------------------------------


def chars(n: int) -> str:
    """10k, 300k, 1M: a text size as the table gives it."""
    return f"{n / 1e6:.0f}M" if n >= 999_000 else f"{round(n / 1000)}k"


def verdict(ok: bool | None) -> str:
    return "—" if ok is None else ("PASS" if ok else "FAIL")


def render_table(rows: list[Row]) -> str:
    widths = [max(len(r[i]) for r in [HEADER, *rows]) for i in range(len(HEADER))]
    line = "+".join("-" * (w + 2) for w in widths)
    out = [" | ".join(h.ljust(w) for h, w in zip(HEADER, widths, strict=True)), line]
    out += [" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(out)


# --- the code measured ----------------------------------------------------------------------------


def snapshot(folder: Path) -> None:
    """Copy service/ and make every child import Dateline from the copy: all sections then measure
    the same code even while someone edits the working tree during the run."""
    shutil.copytree(ROOT / "service", folder / "service", ignore=shutil.ignore_patterns("__pycache__"))
    path = str(folder / "service")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (path, os.environ.get("PYTHONPATH")) if p)


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
