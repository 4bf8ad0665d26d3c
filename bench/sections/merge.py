"""merge: ``merge_mentions`` on 1k ... 100k synthetic mentions of one topical corpus, each size in a
child with a time cap (the internal section ``merge-one``), and the growth exponent (log-log least
squares) against linear growth."""

from __future__ import annotations

import argparse
import gc
import json
import subprocess
import time
from pathlib import Path
from typing import Any

from harness import (
    Results,
    Row,
    Section,
    child_command,
    fit_exponent,
    log,
    projected,
    verdict,
)

T_MERGE_100K_S = 10.0  # issue 6
T_MERGE_EXPONENT = 1.2  # issue 6
MERGE_SIZES = {"full": [1000, 3000, 10000, 30000, 100000], "quick": [1000, 3000, 10000]}


def measure_one(args: argparse.Namespace) -> Results:
    """One size (``--n`` mentions), in a child of its own: the time of ``merge_mentions`` alone."""
    from synthetic import generate  # children only (see harness)

    from dateline.merging.cluster import merge_mentions

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


def measure(args: argparse.Namespace) -> Results:
    """Each size in a child with a time cap; a size the fit projects past the cap is skipped, and
    the sizes after one that ran over the cap are not tried."""
    measured: list[dict[str, Any]] = []
    skipped: list[dict[str, Any]] = []
    for n in MERGE_SIZES[args.mode]:
        projection = projected(fit_exponent([(m["n"], m["seconds"]) for m in measured]), n)
        if projection is not None and projection > args.merge_cap:
            skipped.append(
                {
                    "n": n,
                    "projected_s": projection,
                    "reason": f"fit projects over the {args.merge_cap:.0f} s cap",
                }
            )
            log(f"merge: {n} mentions skipped (projected {projection:.0f} s)")
            continue
        out = Path(args.workdir) / f"merge-{n}.json"
        cmd = child_command(ONE.name, out, args.workdir, "--n", str(n))
        try:
            subprocess.run(cmd, timeout=args.merge_cap + 30, check=True)  # + generating the corpus
            result = json.loads(out.read_text())
        except subprocess.TimeoutExpired:
            skipped.append(
                {
                    "n": n,
                    "projected_s": projection,
                    "reason": f"killed after the cap ({args.merge_cap:.0f} s)",
                }
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
            s["projected_s"] = projected(fit, s["n"])
    return {"measured": measured, "skipped": skipped, "exponent": fit[0] if fit else None}


def rows(res: Results) -> list[Row]:
    mg = res.get("merge")
    if not mg or not mg["measured"]:
        return []
    out: list[Row] = []
    base = mg["measured"][0]
    for m in mg["measured"]:
        linear = base["seconds"] * m["mentions"] / base["mentions"]
        target = m["n"] == 100000
        out.append([
            "merge",
            f"{m['n'] // 1000}k mentions -> {m['events']:,} events, s",
            f"{m['seconds']:.2f}",
            f"{linear:.2f} (linear from {base['n'] // 1000}k)",
            f"{m['seconds'] / linear:.1f}x",
            f"< {T_MERGE_100K_S:.0f} s" if target else "",
            verdict(m["seconds"] < T_MERGE_100K_S) if target else "",
        ])  # fmt: skip
    for s in mg["skipped"]:
        linear = base["seconds"] * s["n"] / base["n"]
        proj = s.get("projected_s")
        out.append([
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
    out.append([
        "merge",
        f"growth exponent (log-log fit over {sizes})",
        f"{k:.2f}" if k is not None else "n/a",
        "1.00 (linear)",
        "",
        f"<= {T_MERGE_EXPONENT}",
        verdict(k is not None and k <= T_MERGE_EXPONENT),
    ])  # fmt: skip
    return out


ONE = Section(
    "merge-one", "one merge size (run by merge)", measure_one, internal=True, imports_dateline=False
)
SECTION = Section("merge", "merge_mentions on 1k ... 100k mentions: time and growth exponent", measure, rows)
