"""Dateline's benchmark suite: one table, each figure next to its reference measured in the same run.

    .venv/bin/python bench/run.py              # everything, 5 to 9 minutes on 2 cores
    .venv/bin/python bench/run.py --quick      # a smoke run of every section (about 2 minutes)
    .venv/bin/python bench/run.py --only merge,serve
    .venv/bin/python bench/run.py --only merge --quick   # one section by name
    .venv/bin/python bench/run.py --list       # the sections and what each measures

Each section (``bench/sections/``: extract, extract-growth, merge, stores, serve, model-memory,
ingest) runs in its own child process, so one cannot warm or slow the next, and gives its own rows;
``bench/harness.py`` holds what they share. A section that reads another's figures (serve reads the
stores it serves) brings it along when selected.

Nothing here is a unit test: figures are ratios measured in one run on one machine, and the targets
are the ones of issue 6. The exit status is 0 whatever the figures (1 only if the harness failed);
``--strict`` makes a missed target exit 2.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/ is not a package

from harness import (
    Results,
    Row,
    code_state,
    log,
    parse_args,
    render_table,
    run_child,
    run_in_child,
    snapshot,
)
from sections import BY_NAME, SECTIONS, TABLE


def selected(only: str | None) -> list[str]:
    """The sections to run, in their order, with the ones they read brought along."""
    names = [s.name for s in SECTIONS]
    wanted = names if not only else [s.strip() for s in only.split(",")]
    unknown = set(wanted) - set(names)
    if unknown:
        raise SystemExit(f"unknown section(s): {', '.join(sorted(unknown))} (see --list)")
    for name in list(wanted):
        for need in BY_NAME[name].needs:
            if need not in wanted:
                wanted.insert(wanted.index(name), need)
    return wanted


def build_rows(res: Results) -> list[Row]:
    rows: list[Row] = []
    for section in TABLE:
        if section.rows is not None:
            rows += section.rows(res)
    return rows


def run_sections(wanted: list[str], args: argparse.Namespace, results: Results, failed: list[str]) -> None:
    """Each section in a child, in order, filling ``results`` (figures by section key) and ``failed``
    as they go, so that an interrupted run still reports what it measured."""
    for name in wanted:
        section = BY_NAME[name]
        if any(BY_NAME[need].key not in results for need in section.needs):
            failed.append(name)
            continue
        result = run_child(section, args)
        if result is None:
            failed.append(name)
        else:
            results[section.key] = result


def report(results: Results, args: argparse.Namespace) -> list[Row]:
    """Print the table (and write --json); the rows, for --strict."""
    meta = results["meta"]
    rows = build_rows(results)
    print()
    print(
        f"Dateline benchmarks ({args.mode}; {meta['code']}; {os.cpu_count()} CPUs; "
        f"{meta['seconds'] / 60:.1f} min; {meta['when']})"
    )
    print(render_table(rows))
    if meta["failed"]:
        print(f"sections that failed: {', '.join(meta['failed'])} (see the log above)")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, default=str))
    return rows


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv, [s.name for s in SECTIONS])
    if args.list:
        for s in SECTIONS:
            needs = f" (runs {', '.join(s.needs)} first)" if s.needs else ""
            print(f"{s.name:15} {s.summary}{needs}")
        return 0
    if args.section:  # a child: run one section, write its JSON
        run_in_child(BY_NAME[args.section], args)
        return 0
    wanted = selected(args.only)
    workdir = tempfile.mkdtemp(prefix="dateline-bench-")
    args.workdir = workdir
    started = time.perf_counter()
    code = code_state()
    if not args.live_code:
        snapshot(Path(workdir) / "code")
    log(f"work folder {workdir}; sections: {', '.join(wanted)}; {code}")
    results: dict[str, Any] = {}
    failed: list[str] = []
    try:
        run_sections(wanted, args, results, failed)
    finally:
        results["meta"] = {
            "seconds": time.perf_counter() - started,
            "cpus": os.cpu_count(),
            "python": sys.version.split()[0],
            "mode": args.mode,
            "failed": failed,
            "when": time.strftime("%Y-%m-%d %H:%M:%S %z"),
            "code": code + ("" if args.live_code else " (snapshot at start)"),
        }
        rows = report(results, args)
        shutil.rmtree(workdir, ignore_errors=True)
    if failed:
        return 1
    if args.strict and any(r[-1] == "FAIL" for r in rows):
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
