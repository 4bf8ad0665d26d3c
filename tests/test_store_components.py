"""The store's kept merge (``dateline.merging.incremental.Archive``) keeps the events equal to a full
merge on SQLite and PostgreSQL: when another instance wrote meanwhile (it replays the change log),
when a write failed (the archive is dropped and rebuilt), and it writes only the events that
changed."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from conftest import Backend
from dateline.merging.cluster import merge_mentions
from dateline.model import DateValue, Document, DocumentResult, Mention, Published, TextSpan
from dateline.store import Store, canonical_events, remerge, writes

Location = str | Path


def _mention(doc_id: str, i: int, day: int, actors: tuple[str, ...], trigger: str = "") -> Mention:
    # an event word of each story's own (the same word links two mentions, whatever their actors)
    trigger = trigger or (f"{actors[0].split()[-1].lower()}-talks" if actors else "talks")
    d = date(2024, 3, 1) + timedelta(days=day)
    start = i * 50
    return Mention(
        document_id=doc_id,
        quote=f"quote {i}",
        start=start,
        end=start + 20,
        date=DateValue(d.isoformat(), "day", d, d),
        date_span=TextSpan("d", start + 1, start + 2),
        trigger=TextSpan(trigger, start + 5, start + 5 + len(trigger)),
        type="meeting",
        title=f"{actors[0] if actors else 'Officials'} {trigger}",
        actors=actors,
        location=None,
    )


def _result(doc_id: str, reports: list[tuple[int, tuple[str, ...]]], version: int = 1) -> DocumentResult:
    doc = Document(id=doc_id, text=f"text of {doc_id} v{version}", published=Published(None, "unknown"))
    return DocumentResult(doc, [_mention(doc_id, i, day, actors) for i, (day, actors) in enumerate(reports)])


def _same_as_full_merge(store: Store) -> bool:
    return canonical_events(store.timeline().events) == canonical_events(merge_mentions(store.results()))


def test_two_instances_writing_in_turn_see_each_others_writes(store_location: Location) -> None:
    """Each instance keeps its archive; it replays the other's writes from the change log."""
    a, b = Store(store_location), Store(store_location)
    a.add(_result("d1", [(0, ("Russia",)), (3, ("Russia", "Iran"))]))
    b.add(_result("d2", [(0, ("Russia", "Putin")), (9, ("Iran",))]))
    a.add(_result("d3", [(0, ("Vladimir Putin",))]))  # maps b's "Putin": a must see d2's mentions
    assert _same_as_full_merge(a)
    b.add(_result("d1", [(1, ("Iran",))], version=2))  # b replaces a's document
    a.add(_result("d4", [(1, ("Iran", "Russia"))]))
    assert _same_as_full_merge(a) and _same_as_full_merge(b)
    b.delete("d3")
    a.add(_result("d5", [(0, ("Putin",))]))
    assert _same_as_full_merge(a)
    assert a.verify() == [] and b.verify() == []


def test_a_failed_write_leaves_the_archive_as_it_was(
    store_location: Location, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that fails after the archive followed its change is rolled back, and the archive it
    changed is dropped: the next write works on the stored data."""
    store = Store(store_location)
    store.add(_result("d1", [(0, ("Russia",)), (2, ("Russia",))]))

    def fail(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("storing the events failed")

    with monkeypatch.context() as patch:
        patch.setattr(remerge, "_store_events", fail)
        with pytest.raises(RuntimeError):
            store.add(_result("d1", [(5, ("Iran",))], version=2))  # the archive applied it already
    store.add(_result("d2", [(0, ("Russia",))]))
    assert [m.actors for m in store.results()[0].mentions] == [("Russia",), ("Russia",)]
    assert _same_as_full_merge(store) and store.verify() == []


def test_a_rebuild_logged_by_another_instance_rebuilds_the_archive(
    backend: Backend, store_location: Location
) -> None:
    """A change without a document in the log (every event re-merged elsewhere) cannot be replayed:
    the archive is built again from the stored mentions."""
    a, b = Store(store_location), Store(store_location)
    a.add(_result("d1", [(0, ("Russia",))]))
    b.add(_result("d2", [(0, ("Russia",))]))
    backend.sql(store_location, "UPDATE meta SET revision = revision + 1")
    backend.sql(
        store_location, "INSERT INTO document_changes (revision, document_id) SELECT revision, NULL FROM meta"
    )
    a.add(_result("d3", [(0, ("Russia", "Iran"))]))
    assert _same_as_full_merge(a) and a.verify() == []


def test_each_write_logs_the_documents_it_changed(backend: Backend, store_location: Location) -> None:
    store = Store(store_location)
    store.add(_result("d1", [(0, ("Russia",))]))
    store.add(_result("d2", [(0, ("Russia",))]))
    store.delete("d1")
    rows = backend.sql(store_location, "SELECT revision, document_id FROM document_changes ORDER BY revision")
    assert [doc_id for _, doc_id in rows] == ["d1", "d2", "d1"]
    assert [revision for revision, _ in rows] == sorted({revision for revision, _ in rows})


def _member_rows(backend: Backend, location: Location) -> dict[tuple[str, int], tuple[int, int, str]]:
    """Each member row by mention: its event, position and physical row (a row deleted and inserted
    again gets a new one)."""
    physical = "rowid" if backend.name == "sqlite" else "ctid::text"
    rows = backend.sql(
        location, f"SELECT document_id, seq, event_key, position, {physical} FROM event_members"
    )
    return {(doc_id, seq): (key, position, str(row)) for doc_id, seq, key, position, row in rows}


def _positions_follow_sources(backend: Backend, location: Location) -> bool:
    members = _member_rows(backend, location)
    for key, payload in backend.sql(location, "SELECT key, payload FROM events"):
        sources = [tuple(source) for source in json.loads(payload)["sources"]]
        if [members[source][:2] for source in sources] != [(key, i) for i in range(len(sources))]:
            return False
    return True


def test_unchanged_events_keep_their_rows(backend: Backend, store_location: Location) -> None:
    """An add that links to a large component rewrites only the events whose content changed, and
    the event it grows keeps its key and the rows of its other sources."""
    store = Store(store_location)
    for n in range(10):
        store.add(_result(f"d{n}", [(0, ("Russia",)), (30 * n + 10, ("Russia", "Iran"))]))
    events = "SELECT key, payload FROM events"
    before = dict(backend.sql(store_location, events))
    members = _member_rows(backend, store_location)
    store.add(_result("late", [(0, ("Russia",))]))  # joins the first event only
    after = dict(backend.sql(store_location, events))
    assert set(before) == set(after)
    (grown,) = [key for key in after if after[key] != before[key]]
    now = _member_rows(backend, store_location)
    assert set(now) - set(members) == {("late", 0)} and now[("late", 0)][0] == grown
    assert sum(1 for key, _, _ in members.values() if key == grown) == 10
    assert all(now[mention][::2] == row[::2] for mention, row in members.items())
    assert _positions_follow_sources(backend, store_location)
    assert _same_as_full_merge(store) and store.verify() == []


def _ingested(store: Store) -> list[Any]:
    return canonical_events(store.timeline().events)


def test_a_batch_is_stored_as_one_by_one(backend: Backend, store_location: Location, tmp_path: Path) -> None:
    """``ingest_many``: one transaction and one merge, the same events and outcomes as ``ingest`` one
    document at a time (a repeated id is a conflict, a repeated text a copy of the stored one)."""
    items = [_result(f"d{n}", [(3 * n, ("Russia",)), (3 * n + 1, ("Russia", "Iran"))]) for n in range(6)]
    items.append(_result("d2", [(5, ("Iran",))], version=9))  # another text under an id of the batch
    copy = _result("copy", [(0, ("Russia",))])
    copy.document.text = items[0].document.text
    items.append(copy)
    batch = Store(store_location)
    revision = batch.revision()
    outcomes = batch.ingest_many([(r, None) for r in items])
    assert [getattr(o, "created", type(o).__name__) for o in outcomes] == [True] * 6 + [
        "IdConflictError",
        False,
    ]
    assert batch.revision() - revision == 1, "one write for the batch (the copy adds no address)"
    single = Store(tmp_path / "single.sqlite3")
    for r in items[:6]:
        single.ingest(r)
    assert _ingested(batch) == _ingested(single)
    assert _same_as_full_merge(batch) and batch.verify() == []


def test_a_failing_document_does_not_lose_the_others_of_its_batch(
    store_location: Location, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the batch cannot be written as a whole, each document is stored on its own: the one
    that fails is reported, the others are stored."""
    items = [_result(f"d{n}", [(n, ("Russia",))]) for n in range(4)]
    real = remerge.replace_documents

    def failing(tx: Any, changes: Any) -> None:
        if "d2" in changes:
            raise RuntimeError("d2 cannot be merged")
        real(tx, changes)

    store = Store(store_location)
    with monkeypatch.context() as patch:
        patch.setattr(writes, "replace_documents", failing)
        outcomes = store.ingest_many([(r, None) for r in items])
    assert [type(o).__name__ for o in outcomes] == ["IngestOutcome"] * 2 + ["RuntimeError", "IngestOutcome"]
    assert sorted(d.id for d in store.documents()) == ["d0", "d1", "d3"]
    assert _same_as_full_merge(store) and store.verify() == []


def test_refresh_replays_the_writes_of_others(store_location: Location) -> None:
    """What a queue worker does before forking a work horse: its archive catches up with the writes
    of other processes (from the change log), in a read."""
    a, b = Store(store_location), Store(store_location)
    a.add(_result("d1", [(0, ("Russia",)), (1, ("Russia", "Iran"))]))
    b.add(_result("d2", [(0, ("Russia", "Putin"))]))
    b.delete("d1")
    a.refresh()
    assert a._archive is not None and a._archive[1] == a.revision()
    kept = canonical_events(a._archive[2].events())
    assert kept == canonical_events(merge_mentions(a.results()))
    a.add(_result("d3", [(0, ("Vladimir Putin",))]))
    assert _same_as_full_merge(a) and a.verify() == []
