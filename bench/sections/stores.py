"""stores: the serving stores, filled through ``Store.add`` with synthetic mentions (about 1k and 10k
merged events; the serve section serves them), and the cost of one ``Store.add`` early on and once
the store has grown to a topical archive of 10,000 documents, on SQLite and PostgreSQL."""

from __future__ import annotations

import argparse
import gc
import time
from pathlib import Path
from typing import Any

from harness import Results, Row, Section, log, remove_sqlite, verdict

#: (label, mentions, stories, document size) of the serving stores: about 1k and 10k merged events
STORES = {
    "full": [("1k", 1800, 18, (2, 10)), ("10k", 18000, 360, (10, 30))],
    "quick": [("1k", 1800, 18, (2, 10))],
}


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


def fill_store(path: Path, results: list[Any], budget: float) -> dict[str, Any]:
    """``Store.add`` of each result until ``budget`` seconds have passed; the figures of the fill."""
    from dateline.store import Store  # children only (see harness)

    remove_sqlite(path)
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
        if time.perf_counter() - start > budget:
            truncated = True
            last_tenth = dt * tenth  # the last add's cost stands in for the last tenth
            break
    seconds = time.perf_counter() - start
    return {
        "path": str(path),
        "documents": added,
        "documents_planned": len(results),
        "mentions": mentions,
        "events": _store_events(store),
        "seconds": seconds,
        "docs_per_s": added / seconds,
        "ms_per_doc_first_tenth": 1000 * first_tenth / tenth,
        "ms_per_doc_last_tenth": 1000 * last_tenth / tenth,
        "truncated": truncated,
    }


def archive_growth(location: str, docs: int, budget: float) -> dict[str, Any]:
    """``Store.add`` of a topical archive (issue 16): ``docs`` documents of one story, every mention
    sharing actors, many outlets per event, aliases and date precisions (``synthetic.generate``),
    one add at a time; the ms of the first and the last 500 adds (a quarter on a short run)."""
    from synthetic import generate  # children only (see harness)

    from dateline.store import Store

    results = generate(docs * 6, seed=2)[:docs]  # about 6 mentions per document
    store = Store(location)
    costs: list[float] = []
    # this process's CPU time too: the machine may be shared (a database server's time is not in it)
    cpu: list[float] = []
    # and the CPU of the cycle collector's full collections, by add: one walks the whole heap (2 s
    # at 10,000 documents) and comes every ~1,300 adds, so a window of 500 holds one or none
    full: list[tuple[int, float]] = []
    began: list[float] = []

    def collector(phase: str, info: dict[str, int]) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            began.append(time.process_time())
        elif began:
            full.append((len(cpu), time.process_time() - began.pop()))

    gc.callbacks.append(collector)
    mentions = 0
    start = time.perf_counter()
    try:
        for r in results:
            t0, c0 = time.perf_counter(), time.process_time()
            store.add(r)
            costs.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
            mentions += len(r.mentions)
            if time.perf_counter() - start > budget:
                break
    finally:
        gc.callbacks.remove(collector)
    k = max(1, min(500, len(costs) // 4))
    out = {
        "documents": len(costs),
        "planned": len(results),
        "mentions": mentions,
        "seconds": time.perf_counter() - start,
        "ms_first": 1000 * sum(costs[:k]) / k,
        "ms_last": 1000 * sum(costs[-k:]) / k,
        "cpu_first": 1000 * sum(cpu[:k]) / k,
        "cpu_last": 1000 * sum(cpu[-k:]) / k,
        "gc_first": 1000 * sum(t for i, t in full if i < k) / k,
        "gc_last": 1000 * sum(t for i, t in full if i >= len(cpu) - k) / k,
        "window": k,
    }
    log(
        f"stores: archive {store.backend}: {len(costs)} documents ({mentions} mentions) in "
        f"{out['seconds']:.0f} s; {out['ms_first']:.1f} -> {out['ms_last']:.1f} ms per add"
    )
    store.close()
    return out


def _postgres_growth(docs: int, budget: float) -> dict[str, Any]:
    """The same archive on a PostgreSQL server of the tests' kind (``tests/servers.py``)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests"))
    try:
        import servers

        with servers.postgres() as url:
            return archive_growth(url, docs, budget)
    except Exception as exc:  # no server here: the row says so
        log(f"stores: archive on PostgreSQL skipped: {exc}")
        return {"skipped": str(exc).splitlines()[0][:80]}


def measure(args: argparse.Namespace) -> Results:
    from synthetic import generate  # children only (see harness)

    out: dict[str, Any] = {}
    workdir = Path(args.workdir)
    for label, n, stories, doc_size in STORES[args.mode]:
        results = generate(n, seed=1, stories=stories, doc_size=doc_size, actorless=False)
        s = out[label] = fill_store(workdir / f"store-{label}.sqlite3", results, args.store_budget)
        log(
            f"stores: {label}: {s['documents']} documents, {s['mentions']} mentions, {s['events']} events "
            f"in {s['seconds']:.0f} s" + (" (budget reached: partial store)" if s["truncated"] else "")
        )
    archive = workdir / "store-archive.sqlite3"
    remove_sqlite(archive)
    out["_archive"] = {
        "SQLite": archive_growth(str(archive), args.archive_docs, args.growth_budget),
        "PostgreSQL": _postgres_growth(args.archive_docs, args.growth_budget),
    }
    return out


def rows(res: Results) -> list[Row]:
    stores = res.get("stores")
    if not stores:
        return []
    out: list[Row] = []
    for backend, g in stores.get("_archive", {}).items():
        if "skipped" in g:
            out.append(["store build", f"Store.add, topical archive on {backend}: {g['skipped']}",
                        "—", "", "", "<= 2.0x", "—"])  # fmt: skip
            continue
        ratio = g["ms_last"] / g["ms_first"]
        partial = "" if g["documents"] == g["planned"] else f" of {g['planned']:,} (budget reached)"
        out.append([
            "store build",
            f"Store.add ms/doc, topical archive on {backend}, the last {g['window']} vs the first "
            f"({g['documents']:,} docs{partial}, {g['mentions']:,} mentions, {g['seconds']:.0f} s"
            + (f"; CPU {g['cpu_first']:.1f} -> {g['cpu_last']:.1f} ms" if "cpu_first" in g else "")
            + (f", full collections {g['gc_first']:.1f} -> {g['gc_last']:.1f}" if "gc_first" in g else "")
            + ")",
            f"{g['ms_last']:,.1f}",
            f"{g['ms_first']:,.1f} (first {g['window']})",
            f"{ratio:.2f}x",
            "<= 2.0x",
            verdict(ratio <= 2.0 and not partial),
        ])  # fmt: skip
    for label, s in ((k, v) for k, v in stores.items() if not k.startswith("_")):
        out.append([
            "store build",
            f"Store.add docs/s ({label} store: {s['documents']:,} docs, {s['mentions']:,} mentions)",
            f"{s['docs_per_s']:.1f}",
            f"{s['ms_per_doc_first_tenth']:.0f} -> {s['ms_per_doc_last_tenth']:.0f} ms/doc"
            " (first -> last tenth)",
            "",
            "",
            "—",
        ])  # fmt: skip
    return out


SECTION = Section(
    "stores", "Store.add into the serving stores (1k, 10k events) and as a store grows", measure, rows
)
