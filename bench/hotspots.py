"""Where the time goes: cProfile summaries of the paths bench/run.py measures.

    .venv/bin/python bench/hotspots.py merge --n 10000        # dateline.merge.merge_mentions
    .venv/bin/python bench/hotspots.py timeline --n 1800      # GET /v1/timeline, in process
    .venv/bin/python bench/hotspots.py extract --docs 40      # Extractor.extract_many
    .venv/bin/python bench/hotspots.py store-add --n 2000     # Store.add into a growing store

Each prints the functions with the most own time and the most cumulative time (``--top`` lines),
the share of the total that the named hot spots take, and writes the raw profile to ``--out``
(``.pstats``, readable with ``python -m pstats`` or snakeviz) when given. For a sampling view of a
live gunicorn worker: ``py-spy record -o flame.svg --pid <worker pid>`` (py-spy is in the dev extra).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def _report(prof: cProfile.Profile, wall: float, top: int, out: str | None) -> None:
    if out:
        prof.dump_stats(out)
    buf = io.StringIO()
    stats = pstats.Stats(prof, stream=buf)
    total = stats.total_tt  # type: ignore[attr-defined]
    print(f"wall {wall:.2f} s, profiled {total:.2f} s")
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    print(buf.getvalue())


def profile_merge(args: argparse.Namespace) -> None:
    from synthetic import generate

    from dateline.merging.cluster import merge_mentions

    results = generate(args.n, seed=0)
    prof = cProfile.Profile()
    start = time.perf_counter()
    prof.enable()
    events = merge_mentions(results)
    prof.disable()
    print(f"{args.n} mentions -> {len(events)} events")
    _report(prof, time.perf_counter() - start, args.top, args.out)


def _store(n: int) -> Path:
    """A serving store as bench/run.py builds it (named actors, one story per 100 mentions)."""
    from synthetic import generate

    from dateline.store import Store

    path = Path(tempfile.mkdtemp(prefix="dateline-profile-")) / "store.sqlite3"
    store = Store(path)
    doc_size = (2, 10) if n < 5000 else (10, 30)
    for r in generate(n, seed=1, stories=max(1, n // 100), doc_size=doc_size, actorless=False):
        store.add(r)
    return path


def profile_timeline(args: argparse.Namespace) -> None:
    from dateline.api import create_app

    path = _store(args.n)
    app = create_app({"DATELINE_STORE_PATH": str(path), "DATELINE_SEED_PATH": "", "DATELINE_REEXTRACT": "0"})
    client = app.test_client()
    first = time.perf_counter()
    body = client.get(args.path).data
    print(f"first request (cold cache) {time.perf_counter() - first:.3f} s, {len(body)} bytes")
    prof = cProfile.Profile()
    start = time.perf_counter()
    prof.enable()
    for _ in range(args.requests):
        client.get(args.path)
    prof.disable()
    wall = time.perf_counter() - start
    print(f"{args.requests} warm requests: {1000 * wall / args.requests:.1f} ms each")
    _report(prof, wall, args.top, args.out)


def profile_extract(args: argparse.Namespace) -> None:
    from corpus import replicated_documents

    from dateline.events.extractor import Extractor
    from dateline.settings import Settings

    docs = replicated_documents(args.docs)
    extractor = Extractor(Settings.from_env())
    extractor.extract_many(docs[:2])
    prof = cProfile.Profile()
    start = time.perf_counter()
    prof.enable()
    extractor.extract_many(docs)
    prof.disable()
    _report(prof, time.perf_counter() - start, args.top, args.out)


def profile_store_add(args: argparse.Namespace) -> None:
    from synthetic import generate

    from dateline.store import Store

    results = generate(args.n, seed=1, stories=args.stories)
    path = Path(tempfile.mkdtemp(prefix="dateline-profile-")) / "store.sqlite3"
    store = Store(path)
    warm = len(results) * 3 // 4
    for r in results[:warm]:
        store.add(r)
    prof = cProfile.Profile()
    start = time.perf_counter()
    prof.enable()
    for r in results[warm:]:
        store.add(r)
    prof.disable()
    wall = time.perf_counter() - start
    print(
        f"{len(results) - warm} adds into a store of {warm} documents: "
        f"{1000 * wall / (len(results) - warm):.0f} ms each"
    )
    _report(prof, wall, args.top, args.out)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("what", choices=["merge", "timeline", "extract", "store-add"])
    p.add_argument("--n", type=int, default=10000, help="synthetic mentions")
    p.add_argument("--stories", type=int, default=1, help="store-add: unrelated stories in the corpus")
    p.add_argument("--docs", type=int, default=40, help="extract: documents")
    p.add_argument("--requests", type=int, default=20, help="timeline: warm requests profiled")
    p.add_argument("--path", default="/v1/timeline", help="timeline: the URL path")
    p.add_argument("--top", type=int, default=20)
    p.add_argument("--out", help="write the raw profile (.pstats) here")
    args = p.parse_args(argv)
    {
        "merge": profile_merge,
        "timeline": profile_timeline,
        "extract": profile_extract,
        "store-add": profile_store_add,
    }[args.what](args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
