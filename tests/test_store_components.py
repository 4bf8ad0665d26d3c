"""The store's shortcuts for growing topical stores keep the events equal to a full merge (on SQLite
and PostgreSQL): component labels, the per-instance cache of decoded rows (which another writer or
a failed write must invalidate), and writing only the events that changed."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from conftest import Backend
from dateline.merging.cluster import merge_mentions
from dateline.model import DateValue, Document, DocumentResult, Mention, Published, TextSpan
from dateline.store import Store, canonical_events, remerge

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
    """Each instance caches what it decoded; a write by the other (a new revision) invalidates it."""
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


def test_a_failed_write_leaves_the_cache_as_it_was(
    store_location: Location, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(store_location)
    store.add(_result("d1", [(0, ("Russia",)), (2, ("Russia",))]))

    def fail(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("merge failed")

    with monkeypatch.context() as patch:
        patch.setattr(remerge, "merge_component", fail)
        with pytest.raises(RuntimeError):
            store.add(_result("d1", [(5, ("Iran",))], version=2))  # rolled back, mentions decoded
    store.add(_result("d2", [(0, ("Russia",))]))
    assert [m.actors for m in store.results()[0].mentions] == [("Russia",), ("Russia",)]
    assert _same_as_full_merge(store) and store.verify() == []


def test_unlabelled_mentions_are_labelled_when_the_store_opens(
    backend: Backend, store_location: Location
) -> None:
    """A store migrated from schema 0002 has no component labels: opening it labels them (one closed
    set per label), keeps the events and the revision, and later writes stay exact."""
    store = Store(store_location)
    store.add(_result("d1", [(0, ("Russia",)), (40, ("Chile",))]))
    store.add(_result("d2", [(1, ("Russia",)), (41, ("Peru",))]))
    revision = store.revision()
    store.close()
    backend.sql(store_location, "UPDATE mentions SET component = NULL")
    reopened = Store(store_location)
    assert reopened.revision() == revision
    assert reopened.verify() == []
    labels = backend.sql(store_location, "SELECT DISTINCT component FROM mentions")
    assert len(labels) == 3, "Russia's mentions, Chile's and Peru's: three closed sets"
    reopened.add(_result("d3", [(40, ("Chile", "Peru"))]))
    assert _same_as_full_merge(reopened) and reopened.verify() == []
    assert len(backend.sql(store_location, "SELECT DISTINCT component FROM mentions")) == 2


def test_unchanged_events_keep_their_rows(backend: Backend, store_location: Location) -> None:
    """An add that links to a large component rewrites only the events whose content changed."""
    store = Store(store_location)
    for n in range(10):
        store.add(_result(f"d{n}", [(30 * n, ("Russia",)), (30 * n + 10, ("Russia", "Iran"))]))
    before = {row[0] for row in backend.sql(store_location, "SELECT key FROM events")}
    store.add(_result("late", [(0, ("Russia",))]))  # joins the first event only
    after = {row[0] for row in backend.sql(store_location, "SELECT key FROM events")}
    assert len(before - after) == 1 and len(after - before) == 1
    assert _same_as_full_merge(store) and store.verify() == []


def _labels(backend: Backend, location: Location) -> dict[str, set[int]]:
    """document id -> the component labels of its mentions."""
    out: dict[str, set[int]] = {}
    for doc_id, component in backend.sql(location, "SELECT document_id, component FROM mentions"):
        out.setdefault(doc_id, set()).add(int(component))
    return out


def test_a_document_on_two_stories_leaves_them_two_components(
    backend: Backend, store_location: Location
) -> None:
    """A write re-merges the closures of all its mentions, but labels each closed part on its own:
    a document that reports two unrelated stories must not glue their components together (every
    later write on either story would then re-merge both)."""
    store = Store(store_location)
    store.add(_result("a1", [(0, ("Russia",)), (2, ("Russia", "Iran"))]))
    store.add(_result("b1", [(0, ("Chile",)), (5, ("Chile", "Peru"))]))
    store.add(_result("both", [(1, ("Iran",)), (6, ("Peru",))]))
    labels = _labels(backend, store_location)
    assert len(labels["both"]) == 2
    assert labels["a1"] | labels["b1"] == labels["both"] and not labels["a1"] & labels["b1"]
    store.add(_result("b2", [(4, ("Peru",))]))
    assert _same_as_full_merge(store) and store.verify() == []
    store.delete("both")
    store.add(_result("a2", [(1, ("Iran", "Chile"))]))  # now the stories do meet: one component
    labels = _labels(backend, store_location)
    assert len(labels["a1"] | labels["b1"] | labels["b2"] | labels["a2"]) == 1
    assert _same_as_full_merge(store) and store.verify() == []


def test_an_ambiguous_surname_keeps_its_full_names_in_one_component(
    backend: Backend, store_location: Location
) -> None:
    """ "Kim" stays unmapped (two full names end in it), yet a merge of "Kim" with only "Anna Kim"
    would map it: the part that holds both must hold "Boris Kim" too, though no link reaches him
    (years apart); an unrelated mention of the same document gets a label of its own."""
    store = Store(store_location)
    store.add(_result("anna", [(0, ("Anna Kim",))]))
    store.add(_result("boris", [(800, ("Boris Kim",))]))
    store.add(_result("kim", [(1, ("Kim",)), (1, ("Peru",))]))
    labels = _labels(backend, store_location)
    assert len(labels["anna"] | labels["boris"]) == 1
    assert labels["kim"] - labels["anna"], "Peru's mention is in a component of its own"
    store.add(_result("kim2", [(2, ("Kim", "Anna Kim"))]))
    store.delete("boris")  # "Kim" now maps to "Anna Kim" everywhere
    store.add(_result("peru", [(1, ("Peru",))]))
    assert _same_as_full_merge(store) and store.verify() == []
