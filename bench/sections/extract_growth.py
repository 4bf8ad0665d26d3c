"""extract-growth: one document of article-like prose (``synthetic.article_prose``) of 10k ... 1M
characters through ``Extractor.extract``, and the growth exponent of its time (log-log least squares)
against linear growth."""

from __future__ import annotations

import argparse
import gc
import time
from typing import Any

from harness import Results, Row, Section, chars, fit_exponent, log, projected, verdict

T_EXTRACT_EXPONENT = 1.15  # issue 11
#: characters of prose per point (quick mode: the same range, fewer points)
GROWTH_SIZES = {
    "full": [10_000, 30_000, 100_000, 300_000, 1_000_000],
    "quick": [10_000, 100_000, 1_000_000],
}


def measure(args: argparse.Namespace) -> Results:
    """Extraction time of one document of prose per size; a size the fit projects past the cap is
    skipped (the old quadratic extractor took minutes at 1M characters)."""
    from synthetic import article_prose  # children only (see harness)

    from dateline.events.extractor import Extractor
    from dateline.model import Document
    from dateline.settings import Settings

    extractor = Extractor(Settings.from_env())
    extractor.extract(Document(id="warm-up", text=article_prose(5_000, seed=1)))  # untimed
    measured: list[dict[str, Any]] = []
    skipped: list[dict[str, Any]] = []
    for n in GROWTH_SIZES[args.mode]:
        projection = projected(fit_exponent([(m["chars"], m["seconds"]) for m in measured]), n)
        if projection is not None and projection > args.growth_cap:
            skipped.append({"chars": n, "projected_s": projection})
            log(f"extract-growth: {n:,} characters skipped (projected {projection:.0f} s)")
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


def rows(res: Results) -> list[Row]:
    gr = res.get("extract_growth")
    if not gr or not gr["measured"]:
        return []
    base, last = gr["measured"][0], gr["measured"][-1]
    k = gr["exponent"]
    sizes = ", ".join(chars(m["chars"]) for m in gr["measured"])
    linear = base["seconds"] * last["chars"] / base["chars"]
    out = [[
        "extraction",
        f"extraction time growth exponent, 10k → 1M characters of prose (log-log fit over {sizes})",
        f"{k:.2f}" if k is not None else "n/a",
        f"1.00 (linear); CPU time {gr['cpu_exponent']:.2f}" if gr["cpu_exponent"] else "1.00 (linear)",
        "",
        f"<= {T_EXTRACT_EXPONENT}",
        verdict(k is not None and k <= T_EXTRACT_EXPONENT and not gr["skipped"]),
    ], [
        "extraction",
        f"one document of {last['chars']:,} characters of prose, s ({last['mentions']:,} mentions)",
        f"{last['seconds']:.1f}",
        f"{linear:.1f} (linear from {chars(base['chars'])})",
        f"{last['seconds'] / linear:.2f}x",
        "",
        "—",
    ]]  # fmt: skip
    for s in gr["skipped"]:
        out.append([
            "extraction",
            f"{s['chars']:,} characters of prose, s (not run: the fit projects over the cap)",
            f"~{s['projected_s']:,.0f} (fit)",
            "",
            "",
            "",
            "FAIL",
        ])  # fmt: skip
    return out


SECTION = Section(
    "extract-growth", "Extractor.extract on 10k ... 1M characters of prose: growth exponent", measure, rows
)
