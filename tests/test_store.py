"""The store on SQLite and on PostgreSQL (every test taking ``backend`` runs on both): exact round
trips, idempotent add, replace, delete, revisions, atomic writes, threads and processes writing at
once, the per-revision timeline cache, schema migrations and verification."""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import fields, replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conftest import Backend
from dateline.model import DateValue, DocumentResult, Mention, Published, TextSpan
from dateline.store import DuplicateContentError, Store, canonical_events, codec, remerge
from dateline.store.database import WAL_CHECKPOINT_PAGES

Results = Callable[[], list[DocumentResult]]
Location = str | Path


def test_mention_payload_covers_every_field() -> None:
    assert tuple(f.name for f in fields(Mention)) == codec.MENTION_FIELDS, (
        "model.Mention changed: update mention_payload, mention_from_payload and MENTION_FIELDS in"
        " store/codec.py"
    )


@pytest.mark.parametrize(
    "mention",
    [
        Mention(
            "d",
            "q “quoted” – ü",
            3,
            9,
            DateValue("2024-SP", "season", date(2024, 3, 1), date(2024, 5, 31), "APPROX"),
            TextSpan("spring 2024", 40, 51),
            TextSpan("met", 5, 8),
            "meeting",
            "T",
            ("A", "B"),
            "Kyiv",
            True,
        ),
        Mention(
            "d",
            "q",
            0,
            1,
            DateValue("198", "decade", date(1980, 1, 1), date(1989, 12, 31)),
            TextSpan("the 1980s", 0, 9),
            TextSpan("q", 0, 1),
            "other",
            "",
        ),
    ],
)
def test_mention_round_trip_is_exact(mention: Mention) -> None:
    back = codec.load_mention(codec.dump_mention(mention))
    assert back == mention
    assert isinstance(back.actors, tuple)
    assert isinstance(back.date, DateValue) and isinstance(back.trigger, TextSpan)


def test_open_creates_parent_and_uses_wal(store_path: Path) -> None:
    store = Store(store_path)
    assert store_path.is_file()
    assert store.is_empty() and store.revision() == 0 and store.timeline().events == []
    with sqlite3.connect(store_path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    # the store's own connections checkpoint the WAL less often than SQLite's default (1,000 pages)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar_one() == WAL_CHECKPOINT_PAGES > 1000


def test_add_and_read_back(store_location: Location, make_results: Results) -> None:
    store = Store(store_location)
    results = make_results()
    assert all(store.add(r) for r in results)
    assert store.revision() == 2
    assert not store.is_empty()
    assert store.results() == sorted(results, key=lambda r: r.document.id)
    assert store.get_document("a-visit") == results[0].document
    assert store.get_document("missing") is None
    assert [d.id for d in store.documents()] == ["a-visit", "b-mobilisation"]
    # a second Store on the same database sees the same data
    assert Store(store_location).results() == store.results()


@pytest.mark.parametrize(
    ("change", "stored", "revision_step"),
    [
        ("nothing", False, 0),
        ("text", True, 1),
        ("published", True, 1),
        ("mentions", True, 1),
        ("no mentions", True, 1),
    ],
)
def test_add_again(
    backend: Backend,
    store_location: Location,
    make_results: Results,
    change: str,
    stored: bool,
    revision_step: int,
) -> None:
    store = Store(store_location)
    original = make_results()[0]
    store.add(original)
    before = store.revision()
    again = make_results()[0]
    if change == "text":
        again.document.text += " Later, more happened."
    elif change == "published":
        again.document.published = Published(date(2024, 6, 21), "stated")
    elif change == "mentions":
        again.mentions[0] = replace(again.mentions[0], type="meeting")
    elif change == "no mentions":
        again.mentions.clear()
    assert store.add(again) is stored
    assert store.revision() == before + revision_step
    assert store.results() == [again]
    assert backend.count(store_location, "documents") == 1
    assert backend.count(store_location, "mentions") == len(again.mentions)


def test_same_text_under_another_id_is_refused(store_location: Location, make_results: Results) -> None:
    store = Store(store_location)
    original = make_results()[0]
    store.add(original)
    copy = make_results()[0]
    copy.document.id = "copy"
    copy.mentions = [replace(m, document_id="copy") for m in copy.mentions]
    with pytest.raises(DuplicateContentError, match="a-visit"):
        store.add(copy)
    assert [d.id for d in store.documents()] == ["a-visit"]
    assert store.revision() == 1


def test_delete_cascades(backend: Backend, store_location: Location, make_results: Results) -> None:
    store = Store(store_location)
    for r in make_results():
        store.add(r)
    assert store.delete("a-visit") is True
    assert store.revision() == 3
    assert store.delete("a-visit") is False
    assert store.revision() == 3
    assert [r.document.id for r in store.results()] == ["b-mobilisation"]
    orphans = "SELECT COUNT(*) FROM mentions WHERE document_id NOT IN (SELECT id FROM documents)"
    assert backend.sql(store_location, orphans)[0][0] == 0
    assert backend.count(store_location, "mentions") == 2
    assert (
        backend.count(store_location, "mention_terms")
        == backend.sql(
            store_location, "SELECT COUNT(*) FROM mention_terms WHERE document_id = 'b-mobilisation'"
        )[0][0]
    )


def _fail_on_second_call(monkeypatch: pytest.MonkeyPatch) -> None:
    real = codec.dump_mention
    calls = {"n": 0}

    def flaky(mention: Mention) -> str:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("payload failure")
        return real(mention)

    monkeypatch.setattr(remerge, "dump_mention", flaky)


def test_failure_in_the_middle_of_add_stores_nothing(
    backend: Backend, store_location: Location, make_results: Results, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(store_location)
    _fail_on_second_call(monkeypatch)
    with pytest.raises(RuntimeError, match="payload failure"):
        store.add(make_results()[0])  # the document row and mention 0 were written, then this failed
    assert store.get_document("a-visit") is None
    assert store.is_empty()
    assert backend.count(store_location, "mentions") == 0
    assert store.revision() == 0


def test_failed_replace_keeps_the_old_version(
    store_location: Location, make_results: Results, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(store_location)
    original = make_results()[0]
    store.add(original)
    newer = make_results()[0]
    newer.document.text += " More."
    _fail_on_second_call(monkeypatch)
    with pytest.raises(RuntimeError):
        store.add(newer)
    assert store.results() == [original]
    assert store.revision() == 1


def test_mention_of_another_document_is_refused(
    backend: Backend, store_location: Location, make_results: Results
) -> None:
    store = Store(store_location)
    a, b = make_results()
    a.mentions.append(b.mentions[0])
    with pytest.raises(ValueError, match="belongs to"):
        store.add(a)
    assert store.is_empty() and backend.count(store_location, "mentions") == 0


def test_concurrent_writers_and_readers(
    backend: Backend, store_location: Location, make_results: Results
) -> None:
    store = Store(store_location)
    template = make_results()[0]
    errors: list[BaseException] = []

    def writer(i: int) -> None:
        try:
            doc = replace(template.document, id=f"doc-{i}", text=f"{template.document.text} #{i}")
            mentions = [replace(m, document_id=doc.id) for m in template.mentions]
            assert store.add(DocumentResult(doc, mentions))
            store.results()
            store.revision()
        except BaseException as exc:  # collected for the main thread
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert store.revision() == 8
    assert len(store.documents()) == 8
    assert backend.count(store_location, "mentions") == 8 * len(template.mentions)
    assert store.verify() == []


def test_timeline_is_merged_and_cached_per_revision(store_location: Location, make_results: Results) -> None:
    from dateline.merging.cluster import merge_mentions

    store = Store(store_location)
    a, b = make_results()
    store.add(a)
    first = store.timeline()
    assert store.timeline() is first, "same revision: cached"
    assert [d.id for d in first.documents] == ["a-visit"]
    store.add(b)
    second = store.timeline()
    assert second is not first
    assert [d.id for d in second.documents] == ["a-visit", "b-mobilisation"]
    assert [e.id for e in second.events] == [e.id for e in merge_mentions(store.results())]
    # a change through another Store object (another process, say) is seen too
    Store(store_location).delete("b-mobilisation")
    assert [d.id for d in store.timeline().documents] == ["a-visit"]


# --- ingest, migration, versions, re-extraction inputs, verification -----------------------------


def test_ingest_is_idempotent_and_never_overwrites(store_location: Location, make_results: Results) -> None:
    from dateline.store import IdConflictError

    store = Store(store_location)
    a = make_results()[0]
    first = store.ingest(a)
    assert first.created and first.document == a.document
    again = store.ingest(make_results()[0])
    assert not again.created and again.document == a.document
    renamed = make_results()[0]
    renamed.document.id = "other-id"
    renamed.mentions = [replace(m, document_id="other-id") for m in renamed.mentions]
    assert store.ingest(renamed).document.id == "a-visit", "same text: the stored document"
    different = make_results()[1]  # another article (no shared address) under the stored id
    different.document.id = "a-visit"
    different.mentions = [replace(m, document_id="a-visit") for m in different.mentions]
    with pytest.raises(IdConflictError, match="a-visit"):
        store.ingest(different)
    assert store.revision() == 1 and store.count() == 1
    assert store.find_by_content(a.document.text) == a.document
    assert store.find_by_content("nothing like it") is None


def test_given_metadata_is_kept_for_re_extraction(store_location: Location, make_results: Results) -> None:
    from dateline.model import Document

    store = Store(store_location)
    result = make_results()[1]
    detected = replace(
        result.document, title="Detected title", published=Published(date(2022, 9, 30), "inferred")
    )
    given = Document(id=detected.id, text=detected.text, url="https://example.org/b")
    store.add(DocumentResult(detected, result.mentions), given=given)
    assert store.get_document(detected.id) == detected
    assert store.inputs() == [given], "what was given, not what the extractor filled in"


def test_store_id_is_stable_and_unique(backend: Backend) -> None:
    first = backend.location()
    a = Store(first)
    assert Store(first).store_id == a.store_id
    assert Store(backend.location()).store_id != a.store_id


def test_extractor_version_is_recorded(store_location: Location) -> None:
    store = Store(store_location)
    assert store.extractor_version() is None
    store.set_extractor_version("0.1.0+abc")
    assert Store(store_location).extractor_version() == "0.1.0+abc"


V1_SCHEMA = """
CREATE TABLE documents (id TEXT PRIMARY KEY, title TEXT, publisher TEXT, url TEXT, published_value TEXT,
    published_basis TEXT NOT NULL DEFAULT 'unknown', text TEXT NOT NULL, content_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL);
CREATE TABLE mentions (document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL, payload TEXT NOT NULL, PRIMARY KEY (document_id, seq));
CREATE TABLE meta (id INTEGER PRIMARY KEY CHECK (id = 1), revision INTEGER NOT NULL);
INSERT INTO meta (id, revision) VALUES (1, 2);
PRAGMA user_version=1;
"""


def test_a_version_1_store_is_migrated(store_path: Path, make_results: Results) -> None:
    """A store written before events were stored opens with its events merged and indexed."""
    from dateline.merging.cluster import merge_mentions
    from dateline.model import Timeline
    from dateline.views.schemas import dump_timeline

    store_path.parent.mkdir(parents=True)
    results = make_results()
    with sqlite3.connect(store_path) as conn:
        conn.executescript(V1_SCHEMA)
        for r in results:
            d = r.document
            conn.execute(
                "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    d.id,
                    d.title,
                    d.publisher,
                    d.url,
                    d.published.value and d.published.value.isoformat(),
                    d.published.basis,
                    d.text,
                    codec.content_hash(d.text),
                    "2024-01-01T00:00:00+00:00",
                ),
            )
            for seq, m in enumerate(r.mentions):
                conn.execute("INSERT INTO mentions VALUES (?, ?, ?)", (d.id, seq, codec.dump_mention(m)))
    store = Store(store_path)
    with sqlite3.connect(store_path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (Store.schema_revision(),)
        ]
    assert store.revision() == 3, "the events were built: one more revision, so caches refresh"
    assert dump_timeline(store.timeline()) == dump_timeline(Timeline(merge_mentions(results)))
    assert store.verify() == []
    assert store.delete("a-visit") and store.verify() == []


def test_a_version_2_store_is_stamped_not_rebuilt(tmp_path: Path, make_results: Results) -> None:
    """A file written by the store before the migrations existed (user_version 2) already has the
    newest schema: it is stamped, and its events are kept as they are."""
    path = tmp_path / "v2.sqlite3"
    store = Store(path)
    for r in make_results():
        store.add(r)
    revision = store.revision()
    store.close()
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE alembic_version")
        conn.execute("PRAGMA user_version=2")
    reopened = Store(path)
    assert reopened.revision() == revision, "nothing re-merged"
    assert reopened.verify() == []
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (Store.schema_revision(),)
        ]


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("PRAGMA user_version=99", "schema version 99"),
        ("UPDATE alembic_version SET version_num = 'f00d'", "schema revision f00d"),
    ],
)
def test_a_newer_schema_is_refused(store_path: Path, damage: str, message: str) -> None:
    from dateline.store import StoreError

    Store(store_path).close()
    with sqlite3.connect(store_path) as conn:
        if damage.startswith("PRAGMA"):
            conn.execute("DROP TABLE alembic_version")
        conn.execute(damage)
    with pytest.raises(StoreError, match=message):
        Store(store_path)


def test_a_newer_schema_is_refused_on_postgresql(databases: Any) -> None:
    from dateline.store import StoreError

    url = databases.create()
    Store(url).close()
    Backend("postgresql", Path(), databases).sql(url, "UPDATE alembic_version SET version_num = 'f00d'")
    with pytest.raises(StoreError, match="schema revision f00d"):
        Store(url)


def test_the_migrations_give_the_declared_schema(backend: Backend, store_location: Location) -> None:
    """The Alembic history and the Core tables the code queries describe the same schema."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from dateline.store.schema import metadata

    store = Store(store_location)
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


@pytest.mark.parametrize(
    ("location", "driver"),
    [
        ("instance/x.sqlite3", "sqlite"),
        ("sqlite:///instance/x.sqlite3", "sqlite"),
        ("postgresql://u:secret@db:5432/dateline", "postgresql+psycopg"),
        ("postgres://u@db/dateline", "postgresql+psycopg"),
        ("postgresql+psycopg://u@db/dateline", "postgresql+psycopg"),
    ],
)
def test_store_locations(location: str, driver: str) -> None:
    from dateline.store.database import database_url, describe

    url = database_url(location)
    assert url.drivername == driver
    assert "secret" not in describe(url)


@pytest.mark.parametrize(
    ("location", "message"),
    [
        ("mysql://u@db/dateline", "unsupported database"),
        ("postgresql+psycopg2://u@db/dateline", "psycopg 3"),
        ("sqlite://", "must be a file"),
    ],
)
def test_unusable_locations_are_refused(location: str, message: str) -> None:
    from dateline.store import StoreError

    with pytest.raises(StoreError, match=message):
        Store(location)


def test_an_unreachable_database_is_a_store_error() -> None:
    from dateline.store import StoreError
    from servers import free_port

    with pytest.raises(StoreError, match="cannot open the store"):
        Store(f"postgresql://nobody@127.0.0.1:{free_port()}/nothing", timeout=2)


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        ("DELETE FROM events", "event sources without an event"),
        ("DELETE FROM event_members", "in no event"),
        ("UPDATE documents SET content_hash = 'x' WHERE id = 'a-visit'", "content hash"),
        ("UPDATE events SET payload = replace(payload, 'Vladimir', 'Forged')", "differ from a full merge"),
        (
            "INSERT INTO events (id, payload) SELECT 'ev_orphan', payload FROM events LIMIT 1",
            "without sources",
        ),
        ("UPDATE mentions SET type = NULL", "without link columns"),
    ],
)
def test_verify_finds_damage(
    backend: Backend, store_location: Location, make_results: Results, damage: str, problem: str
) -> None:
    store = Store(store_location)
    for r in make_results():
        store.add(r)
    assert store.verify() == []
    backend.sql(store_location, damage)
    backend.sql(store_location, "UPDATE meta SET revision = revision + 1")
    assert any(problem in p for p in store.verify()), store.verify()


def test_new_merging_code_re_merges_the_store(
    backend: Backend, store_location: Location, make_results: Results
) -> None:
    """Events and the link index depend on merge.py: a store built by other merging code is rebuilt
    when opened (here: its events lost and its recorded merge version old)."""
    store = Store(store_location)
    for r in make_results():
        store.add(r)
    expected = store.timeline()
    backend.sql(store_location, "DELETE FROM events", foreign_keys=True)
    backend.sql(store_location, "DELETE FROM mention_terms")
    backend.sql(store_location, "UPDATE meta_values SET value = 'old' WHERE key = 'merge_version'")
    assert store.verify() != []
    reopened = Store(store_location)
    assert reopened.revision() == 3
    assert reopened.verify() == []
    assert [e.id for e in reopened.timeline().events] == [e.id for e in expected.events]
    assert Store(store_location).revision() == 3, "the same code: nothing to do"


# --- several processes writing one PostgreSQL store ------------------------------------------------


def _writer_process(url: str, worker: int, count: int, results: list[DocumentResult]) -> None:
    """Add and replace documents that share actors with every other process's, so their re-merges
    touch the same events."""
    store = Store(url)
    for i in range(count):
        template = results[(worker + i) % len(results)]
        doc_id = f"w{worker}-{i}"
        doc = replace(template.document, id=doc_id, text=f"{template.document.text} [{doc_id}]")
        mentions = [replace(m, document_id=doc_id) for m in template.mentions]
        store.add(DocumentResult(doc, mentions))
        if i % 3 == 2:  # now and then a delete, so events lose sources while others gain them
            store.delete(f"w{worker}-{i - 1}")


def test_concurrent_processes_keep_the_merge_correct(databases: Any, make_results: Results) -> None:
    """Four processes write one PostgreSQL store at once: nothing is lost, every write got its own
    revision, and the stored events equal a from-scratch merge."""
    import multiprocessing

    from dateline.merging.cluster import merge_mentions

    url = databases.create()
    store = Store(url)
    start = store.revision()
    workers, count = 4, 6
    context = multiprocessing.get_context("spawn")
    procs = [
        context.Process(target=_writer_process, args=(url, w, count, make_results())) for w in range(workers)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0] * workers
    deletes = workers * (count // 3)
    assert store.count() == workers * count - deletes
    assert store.revision() == start + workers * count + deletes, "one revision per write, none lost"
    assert store.verify() == []
    assert canonical_events(store.timeline().events) == canonical_events(merge_mentions(store.results()))


def test_a_write_looks_rows_up_by_index(store_path: Path, make_results: Results) -> None:
    """Every statement an add or delete runs finds its rows through an index: no full scan of a
    table (``(a, b) IN (VALUES ...)`` scanned the whole mentions table on SQLite)."""
    import sqlalchemy as sa

    store = Store(store_path)
    results = make_results()
    store.add(results[0])
    statements: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, many: bool) -> None:
        if not many and statement.lstrip().upper().startswith(("SELECT", "DELETE", "UPDATE")):
            statements.append((statement, parameters))

    sa.event.listen(store.engine, "before_cursor_execute", record)
    store.add(results[1])
    store.delete("a-visit")
    sa.event.remove(store.engine, "before_cursor_execute", record)
    assert len(statements) > 10
    scans = []
    with store.engine.connect() as conn:
        for statement, parameters in statements:
            plan = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).fetchall()
            scans += [
                (row[-1], statement) for row in plan if re.match(r"SCAN (?!k\b|(\d+ )?CONSTANT ROW)", row[-1])
            ]
    assert scans == []
