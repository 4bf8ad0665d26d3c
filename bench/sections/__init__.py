"""The benchmark's sections, one module per measured concern; each measures (in a child process of
its own) and turns its figures into the table's rows. ``bench/run.py --list`` lists them."""

from __future__ import annotations

from harness import Section

from sections import extract, extract_growth, ingest, memory, merge, serve, stores

#: in the order they run
SECTIONS: list[Section] = [
    extract.SECTION,
    extract_growth.SECTION,
    merge.SECTION,
    stores.SECTION,
    serve.SECTION,
    memory.SECTION,
    ingest.SECTION,
]
#: every section a child may be asked to run, the internal ones too
BY_NAME: dict[str, Section] = {s.name: s for s in [*SECTIONS, merge.ONE]}
#: the order of the table's rows (a reader's order: throughput, serving, merge, memory, ingestion, stores)
TABLE: list[Section] = [
    BY_NAME[n] for n in ("extract", "extract-growth", "serve", "merge", "model-memory", "ingest", "stores")
]
