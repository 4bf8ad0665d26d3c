"""The SQLite store: exact round trips, idempotent add, replace, delete, revisions, atomic writes,
threads, and the per-revision timeline cache."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from dataclasses import fields, replace
from datetime import date
from pathlib import Path

import pytest

from dateline import store as store_module
from dateline.model import DateValue, DocumentResult, Mention, Published, TextSpan
from dateline.store import DuplicateContentError, Store

Results = Callable[[], list[DocumentResult]]


def count_rows(path: Path, table: str) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def test_mention_payload_covers_every_field() -> None:
    assert tuple(f.name for f in fields(Mention)) == store_module.MENTION_FIELDS, (
        "model.Mention changed: update mention_payload/mention_from_payload and MENTION_FIELDS in store.py"
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
    back = store_module.load_mention(store_module.dump_mention(mention))
    assert back == mention
    assert isinstance(back.actors, tuple)
    assert isinstance(back.date, DateValue) and isinstance(back.trigger, TextSpan)


def test_open_creates_parent_and_uses_wal(store_path: Path) -> None:
    store = Store(store_path)
    assert store_path.is_file()
    assert store.is_empty() and store.revision() == 0 and store.timeline().events == []
    with sqlite3.connect(store_path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_add_and_read_back(store_path: Path, make_results: Results) -> None:
    store = Store(store_path)
    results = make_results()
    assert all(store.add(r) for r in results)
    assert store.revision() == 2
    assert not store.is_empty()
    assert store.results() == sorted(results, key=lambda r: r.document.id)
    assert store.get_document("a-visit") == results[0].document
    assert store.get_document("missing") is None
    assert [d.id for d in store.documents()] == ["a-visit", "b-mobilisation"]
    # a second Store on the same file sees the same data
    assert Store(store_path).results() == store.results()


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
    store_path: Path, make_results: Results, change: str, stored: bool, revision_step: int
) -> None:
    store = Store(store_path)
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
    assert count_rows(store_path, "documents") == 1
    assert count_rows(store_path, "mentions") == len(again.mentions)


def test_same_text_under_another_id_is_refused(store_path: Path, make_results: Results) -> None:
    store = Store(store_path)
    original = make_results()[0]
    store.add(original)
    copy = make_results()[0]
    copy.document.id = "copy"
    copy.mentions = [replace(m, document_id="copy") for m in copy.mentions]
    with pytest.raises(DuplicateContentError, match="a-visit"):
        store.add(copy)
    assert [d.id for d in store.documents()] == ["a-visit"]
    assert store.revision() == 1


def test_delete_cascades(store_path: Path, make_results: Results) -> None:
    store = Store(store_path)
    for r in make_results():
        store.add(r)
    assert store.delete("a-visit") is True
    assert store.revision() == 3
    assert store.delete("a-visit") is False
    assert store.revision() == 3
    assert [r.document.id for r in store.results()] == ["b-mobilisation"]
    with sqlite3.connect(store_path) as conn:
        orphans = conn.execute(
            "SELECT COUNT(*) FROM mentions WHERE document_id NOT IN (SELECT id FROM documents)"
        ).fetchone()[0]
    assert orphans == 0
    assert count_rows(store_path, "mentions") == 2


def _fail_on_second_call(monkeypatch: pytest.MonkeyPatch) -> None:
    real = store_module.dump_mention
    calls = {"n": 0}

    def flaky(mention: Mention) -> str:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("payload failure")
        return real(mention)

    monkeypatch.setattr(store_module, "dump_mention", flaky)


def test_failure_in_the_middle_of_add_stores_nothing(
    store_path: Path, make_results: Results, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(store_path)
    _fail_on_second_call(monkeypatch)
    with pytest.raises(RuntimeError, match="payload failure"):
        store.add(make_results()[0])  # the document row and mention 0 were written, then this failed
    assert store.get_document("a-visit") is None
    assert store.is_empty()
    assert count_rows(store_path, "mentions") == 0
    assert store.revision() == 0


def test_failed_replace_keeps_the_old_version(
    store_path: Path, make_results: Results, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(store_path)
    original = make_results()[0]
    store.add(original)
    newer = make_results()[0]
    newer.document.text += " More."
    _fail_on_second_call(monkeypatch)
    with pytest.raises(RuntimeError):
        store.add(newer)
    assert store.results() == [original]
    assert store.revision() == 1


def test_mention_of_another_document_is_refused(store_path: Path, make_results: Results) -> None:
    store = Store(store_path)
    a, b = make_results()
    a.mentions.append(b.mentions[0])
    with pytest.raises(ValueError, match="belongs to"):
        store.add(a)
    assert store.is_empty() and count_rows(store_path, "mentions") == 0


def test_concurrent_writers_and_readers(store_path: Path, make_results: Results) -> None:
    store = Store(store_path)
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
    assert count_rows(store_path, "mentions") == 8 * len(template.mentions)


def test_timeline_is_merged_and_cached_per_revision(store_path: Path, make_results: Results) -> None:
    from dateline.merge import merge_mentions

    store = Store(store_path)
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
    Store(store_path).delete("b-mobilisation")
    assert [d.id for d in store.timeline().documents] == ["a-visit"]


# --- ingest, migration, versions, re-extraction inputs, verification -----------------------------


def test_ingest_is_idempotent_and_never_overwrites(store_path: Path, make_results: Results) -> None:
    from dateline.store import IdConflictError

    store = Store(store_path)
    a = make_results()[0]
    first = store.ingest(a)
    assert first.created and first.document == a.document
    again = store.ingest(make_results()[0])
    assert not again.created and again.document == a.document
    renamed = make_results()[0]
    renamed.document.id = "other-id"
    renamed.mentions = [replace(m, document_id="other-id") for m in renamed.mentions]
    assert store.ingest(renamed).document.id == "a-visit", "same text: the stored document"
    different = make_results()[0]
    different.document.text += " And more."
    with pytest.raises(IdConflictError, match="a-visit"):
        store.ingest(different)
    assert store.revision() == 1 and store.count() == 1
    assert store.find_by_content(a.document.text) == a.document
    assert store.find_by_content("nothing like it") is None


def test_given_metadata_is_kept_for_re_extraction(store_path: Path, make_results: Results) -> None:
    from dateline.model import Document

    store = Store(store_path)
    result = make_results()[1]
    detected = replace(
        result.document, title="Detected title", published=Published(date(2022, 9, 30), "inferred")
    )
    given = Document(id=detected.id, text=detected.text, url="https://example.org/b")
    store.add(DocumentResult(detected, result.mentions), given=given)
    assert store.get_document(detected.id) == detected
    assert store.inputs() == [given], "what was given, not what the extractor filled in"


def test_store_id_is_stable_and_unique(tmp_path: Path) -> None:
    a = Store(tmp_path / "a.sqlite3")
    assert Store(tmp_path / "a.sqlite3").store_id == a.store_id
    assert Store(tmp_path / "b.sqlite3").store_id != a.store_id


def test_extractor_version_is_recorded(store_path: Path) -> None:
    store = Store(store_path)
    assert store.extractor_version() is None
    store.set_extractor_version("0.1.0+abc")
    assert Store(store_path).extractor_version() == "0.1.0+abc"


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
    from dateline.merge import merge_mentions
    from dateline.model import Timeline
    from dateline.schemas import dump_timeline

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
                    store_module.content_hash(d.text),
                    "2024-01-01T00:00:00+00:00",
                ),
            )
            for seq, m in enumerate(r.mentions):
                conn.execute(
                    "INSERT INTO mentions VALUES (?, ?, ?)", (d.id, seq, store_module.dump_mention(m))
                )
    store = Store(store_path)
    with sqlite3.connect(store_path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == store_module.SCHEMA_VERSION
    assert store.revision() == 3, "the events were built: one more revision, so caches refresh"
    assert dump_timeline(store.timeline()) == dump_timeline(Timeline(merge_mentions(results)))
    assert store.verify() == []
    assert store.delete("a-visit") and store.verify() == []


def test_a_newer_schema_is_refused(store_path: Path) -> None:
    from dateline.store import StoreError

    Store(store_path)
    with sqlite3.connect(store_path) as conn:
        conn.execute("PRAGMA user_version=99")
    with pytest.raises(StoreError, match="schema version 99"):
        Store(store_path)


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        ("DELETE FROM events", "event sources without an event"),
        ("DELETE FROM event_members", "in no event"),
        ("UPDATE documents SET content_hash = 'x' WHERE id = 'a-visit'", "content hash"),
        ("UPDATE events SET payload = json_set(payload, '$.title', 'forged')", "differ from a full merge"),
        (
            "INSERT INTO events (id, payload) SELECT 'ev_orphan', payload FROM events LIMIT 1",
            "without sources",
        ),
        ("UPDATE mentions SET type = NULL", "without link columns"),
    ],
)
def test_verify_finds_damage(store_path: Path, make_results: Results, damage: str, problem: str) -> None:
    store = Store(store_path)
    for r in make_results():
        store.add(r)
    assert store.verify() == []
    with sqlite3.connect(store_path) as conn:
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.execute(damage)
        conn.execute("UPDATE meta SET revision = revision + 1")
    assert any(problem in p for p in store.verify()), store.verify()


def test_new_merging_code_re_merges_the_store(store_path: Path, make_results: Results) -> None:
    """Events and the link index depend on merge.py: a store built by other merging code is rebuilt
    when opened (here: its events lost and its recorded merge version old)."""
    store = Store(store_path)
    for r in make_results():
        store.add(r)
    expected = store.timeline()
    with sqlite3.connect(store_path) as conn:
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("DELETE FROM events")
        conn.execute("DELETE FROM mention_terms")
        conn.execute("UPDATE meta_values SET value = 'old' WHERE key = 'merge_version'")
    assert store.verify() != []
    reopened = Store(store_path)
    assert reopened.revision() == 3
    assert reopened.verify() == []
    assert [e.id for e in reopened.timeline().events] == [e.id for e in expected.events]
    assert Store(store_path).revision() == 3, "the same code: nothing to do"
