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
