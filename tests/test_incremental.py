"""Writes re-merge only what a document touches, and the stored events always equal a full merge,
on SQLite and on PostgreSQL (``backend``).

Random corpora (hypothesis) stress what makes merging non-local: shared actors and places, surnames
that map to one full name or stay ambiguous, day dates a few days apart across a new year, generic
references, and the catch-all "other" type; the real extractor's output on the repo's seeds checks the
same on real mentions.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import Backend
from dateline.merging.archive_parts import _cleared, _Generic, _in_order, _Item, bound
from dateline.merging.cluster import _build_event, merge_mentions
from dateline.merging.generic_pass import _gbound
from dateline.merging.incremental import Archive
from dateline.merging.linking import Cluster, LinkInfo, Probe, fits, link_info, may_interact, partner_terms
from dateline.model import DateValue, Document, DocumentResult, Mention, Published, TextSpan
from dateline.store import Store, canonical_events
from dateline.views.schemas import dump_timeline

ROOT = Path(__file__).resolve().parents[1]

ACTORS = ["Vladimir Putin", "Lyudmila Putin", "Putin", "Russia", "North Korea", "Iran", "Kim Jong Un", "Un"]
PLACES = [None, None, "Kursk", "Pyongyang"]
TYPES = ["visit", "meeting", "statement", "other"]
TRIGGERS = ["visited", "met", "said", "arrived"]
BASE_DAY = date(2023, 12, 20)


def day(offset: int) -> DateValue:
    d = BASE_DAY + timedelta(days=offset)
    return DateValue(d.isoformat(), "day", d, d)


def month(year: int, m: int) -> DateValue:
    start = date(year, m, 1)
    end = (date(year + (m == 12), m % 12 + 1, 1)) - timedelta(days=1)
    return DateValue(f"{year}-{m:02d}", "month", start, end)


def year(y: int) -> DateValue:
    return DateValue(str(y), "year", date(y, 1, 1), date(y, 12, 31))


DATES = st.one_of(
    st.integers(0, 24).map(day),
    st.sampled_from([month(2023, 12), month(2024, 1), month(2024, 6)]),
    st.sampled_from([year(2023), year(2024), year(2025)]),
)


@st.composite
def mentions_of(draw: Any, doc_id: str, topical: bool = False) -> list[Mention]:
    """Up to 4 mentions; ``topical``: every one names Russia (one story: every mention may link)."""
    out = []
    for i in range(draw(st.integers(0, 4))):
        trigger = draw(st.sampled_from(TRIGGERS))
        # now and then two mentions on one trigger (one clause, two dates), as the extractor can give
        start = draw(st.sampled_from([i * 40, 0]))
        actors = tuple(
            dict.fromkeys(
                (["Russia"] if topical else [])
                + draw(st.lists(st.sampled_from(ACTORS), max_size=3, unique=True))
            )
        )
        out.append(
            Mention(
                document_id=doc_id,
                quote=f"quote {i} {trigger}",
                start=start,
                end=start + 20,
                date=draw(DATES),
                date_span=TextSpan("d", start + 1, start + 2),
                trigger=TextSpan(trigger, start + 8, start + 8 + len(trigger)),
                type=draw(st.sampled_from(TYPES)),
                title=draw(st.sampled_from(["Putin visits", "Kim meets Putin", "Talks held", "Russia said"])),
                actors=actors,
                location=draw(st.sampled_from(PLACES)),
                generic=draw(st.booleans().filter(lambda b: True)) if i % 3 == 2 else False,
                # finer kinds and who acted: the penalties and gates that read them move scores too
                subtype=draw(st.sampled_from([None, None, "talks", "visit", "trip", "flood"])),
                agents=tuple(a for a in actors if draw(st.booleans())),
            )
        )
    return out


def document(doc_id: str, version: int) -> Document:
    return Document(id=doc_id, text=f"text of {doc_id} v{version}", published=Published(None, "unknown"))


@st.composite
def operations(draw: Any, topical: bool = False, docs: int = 5) -> list[tuple[str, str, list[Mention]]]:
    ops = []
    for _ in range(draw(st.integers(1, 12))):
        doc_id = f"d{draw(st.integers(0, docs))}"
        kind = draw(st.sampled_from(["add", "add", "add", "delete"]))
        ops.append((kind, doc_id, draw(mentions_of(doc_id, topical)) if kind == "add" else []))
    return ops


def full_merge(store: Store) -> list[Any]:
    """The events of a full merge of the stored mentions (ties in canonical order)."""
    return canonical_events(merge_mentions(store.results()))


def stored(store: Store) -> list[Any]:
    return canonical_events(store.timeline().events)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.one_of(operations(), operations(topical=True)))
def test_random_writes_equal_a_full_merge(backend: Backend, store_location: str | Path, ops: Any) -> None:
    backend.empty(store_location)
    store = Store(store_location)
    versions: dict[str, int] = {}
    for kind, doc_id, mentions in ops:
        if kind == "add":
            versions[doc_id] = versions.get(doc_id, 0) + 1
            store.add(DocumentResult(document(doc_id, versions[doc_id]), mentions))
        else:
            store.delete(doc_id)
        assert stored(store) == full_merge(store), (kind, doc_id)
    assert store.verify() == []
    store.close()


@settings(max_examples=600, deadline=None)
@given(ops=st.one_of(operations(docs=8), operations(topical=True, docs=8)))
def test_the_kept_merge_equals_a_full_merge(ops: Any) -> None:
    """The archive alone (no database), over many more sequences: after every change its events are
    those of a full merge of the same documents."""
    archive = Archive()
    docs: dict[str, DocumentResult] = {}
    versions: dict[str, int] = {}
    for kind, doc_id, mentions in ops:
        if kind == "add":
            versions[doc_id] = versions.get(doc_id, 0) + 1
            docs[doc_id] = DocumentResult(document(doc_id, versions[doc_id]), mentions)
            archive.apply({doc_id: docs[doc_id]})
        else:
            docs.pop(doc_id, None)
            archive.apply({doc_id: None})
        expected = merge_mentions([docs[d] for d in sorted(docs)])
        assert canonical_events(archive.events()) == canonical_events(expected), (kind, doc_id)


@settings(max_examples=150, deadline=None)
@given(batches=st.lists(operations(topical=True, docs=8), min_size=1, max_size=4))
def test_a_batch_of_changes_equals_the_same_changes_one_by_one(batches: Any) -> None:
    """Several documents in one ``apply`` (a batch write) end where applying them in turn does."""
    together, one_by_one = Archive(), Archive()
    docs: dict[str, DocumentResult | None] = {}
    for ops in batches:
        batch: dict[str, DocumentResult | None] = {}
        for kind, doc_id, mentions in ops:
            batch[doc_id] = DocumentResult(document(doc_id, 1), mentions) if kind == "add" else None
        together.apply(batch)
        for doc_id, result in batch.items():
            one_by_one.apply({doc_id: result})
        docs.update(batch)
        expected = canonical_events(merge_mentions([r for _, r in sorted(docs.items()) if r is not None]))
        assert canonical_events(together.events()) == expected
        assert canonical_events(one_by_one.events()) == expected


def test_a_synthetic_story_kept_equals_a_full_merge() -> None:
    """One story as the bench generates it (common actors, many outlets per event, surnames, every
    date precision, generic references): added one document at a time, some replaced or deleted
    again, the archive stays equal to a full merge."""
    import random
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from synthetic import generate

    rng = random.Random(4)
    archive = Archive()
    docs: dict[str, DocumentResult] = {}
    results = generate(3000, seed=4)
    for i, r in enumerate(results):
        docs[r.document.id] = r
        archive.apply({r.document.id: r})
        if i % 5 == 4:
            old = rng.choice(sorted(docs))
            if rng.random() < 0.5:
                archive.apply({old: None})
                docs.pop(old)
            else:
                archive.apply({old: docs[old]})
        if i in (len(results) // 2, len(results) - 1):
            expected = merge_mentions([docs[d] for d in sorted(docs)])
            assert canonical_events(archive.events()) == canonical_events(expected), i


def test_two_events_on_one_trigger_are_both_stored(store_location: str | Path) -> None:
    """Two mentions on one trigger with different dates never share a cluster; their ids differ by the
    date, and the store keeps both, as a full merge does."""
    doc = Document(id="d", text="Exports fell in the first quarter, figures published on 10 June showed.")
    common = dict(
        document_id="d",
        quote=doc.text,
        start=0,
        end=len(doc.text),
        trigger=TextSpan("published", 52, 61),
        type="statement",
        title="figures published",
        actors=("Kestoria",),
        location=None,
    )
    a = Mention(date=month(2024, 1), date_span=TextSpan("d", 1, 2), **common)  # type: ignore[arg-type]
    b = Mention(date=day(172), date_span=TextSpan("d", 3, 4), **common)  # type: ignore[arg-type]
    store = Store(store_location)
    store.add(DocumentResult(doc, [a, b]))
    events = dump_timeline(store.timeline())["events"]
    assert len(events) == 2 and events[0]["id"] != events[1]["id"]
    assert stored(store) == full_merge(store)
    assert store.verify() == []
    assert store.delete("d") and store.timeline().count == 0


def _event_rows(backend: Backend, location: str | Path) -> set[tuple[int, str, str]]:
    """(row key, id, payload) of the stored events: a re-merged event is written again, with a new key."""
    return {tuple(row) for row in backend.sql(location, "SELECT key, id, payload FROM events")}


def _visit(doc: Document, actor: str, offset: int) -> Mention:
    return Mention(
        doc.id,
        doc.text,
        0,
        len(doc.text),
        day(offset),
        TextSpan("d", 0, 1),
        TextSpan("visited", 6, 13),
        "visit",
        doc.text,
        (actor,),
        None,
    )


def test_a_write_rewrites_only_the_events_it_touches(backend: Backend, store_location: str | Path) -> None:
    """Of three stored events, ingesting a report of one rewrites that one only; deleting it again
    restores that one only; the others keep their rows."""
    store = Store(store_location)
    for doc_id, actor, offset in (("a", "Vladimir Putin", 3), ("b", "Iran", 10), ("c", "Japan", 20)):
        doc = Document(id=doc_id, text=f"{actor} visited on day {offset}.")
        store.add(DocumentResult(doc, [_visit(doc, actor, offset)]))
    before = _event_rows(backend, store_location)
    assert len(before) == 3

    d = Document(id="d", text="Vladimir Putin visited, another outlet says.")
    store.add(DocumentResult(d, [_visit(d, "Vladimir Putin", 3)]))
    after = _event_rows(backend, store_location)
    assert len(before - after) == 1 and len(after - before) == 1, "one event rewritten, two untouched"
    [rewritten] = after - before
    assert json.loads(rewritten[2])["sources"] == [["a", 0], ["d", 0]]

    store.delete("d")
    final = _event_rows(backend, store_location)
    assert len(final & after) == 2 and len(final - after) == 1
    assert stored(store) == full_merge(store)
    assert store.verify() == []


@pytest.mark.parametrize(
    ("a", "b", "linked"),
    [
        (("visit", False, 2024, 2024, {"a:Russia"}), ("visit", False, 2024, 2024, {"a:Russia"}), True),
        (("visit", False, 2024, 2024, {"a:Russia"}), ("meeting", False, 2024, 2024, {"a:Russia"}), False),
        (("visit", True, 2024, 2024, {"a:Russia"}), ("meeting", False, 2024, 2024, {"a:Russia"}), True),
        # dates must nest, so their years overlap
        (("visit", False, 2023, 2023, {"a:Russia"}), ("visit", False, 2024, 2024, {"a:Russia"}), False),
        (("visit", False, 2023, 2024, {"a:Russia"}), ("visit", False, 2024, 2024, {"a:Russia"}), True),
        (("visit", False, 2024, 2024, {"s:Putin"}), ("visit", False, 2024, 2024, {"f:Putin"}), True),
        (("visit", False, 2024, 2024, {"f:Korea"}), ("visit", False, 2024, 2024, {"f:Korea"}), False),
        (("visit", False, 2024, 2024, {"p:Kursk"}), ("visit", False, 2024, 2024, {"p:Kursk"}), True),
        (("visit", False, 2024, 2024, set()), ("visit", False, 2024, 2024, set()), False),
        (("visit", False, 2024, 2024, {"t:visit"}), ("visit", False, 2024, 2024, {"t:visit"}), True),
        (("visit", False, 2024, 2024, {"t:visit"}), ("visit", False, 2024, 2024, {"t:meet"}), False),
        (("disaster", False, 2025, 2025, {"n:7.6"}), ("disaster", False, 2025, 2025, {"n:7.6"}), True),
    ],
)
def test_link_rule_table(a: tuple[Any, ...], b: tuple[Any, ...], linked: bool) -> None:
    left, right = LinkInfo(*a[:4], frozenset(a[4])), LinkInfo(*b[:4], frozenset(b[4]))
    assert may_interact(left, right) is linked
    assert may_interact(right, left) is linked


def test_partner_terms_pair_surnames_with_full_names() -> None:
    assert partner_terms({"a:Kim Jong Un", "f:Un", "s:Kim", "p:Seoul"}) == {
        "a:Kim Jong Un",
        "s:Un",
        "f:Kim",
        "p:Seoul",
    }


def test_link_info_of_a_mention() -> None:
    m = Mention(
        "d",
        "q",
        0,
        1,
        month(2023, 12),
        TextSpan("d", 0, 1),
        TextSpan("q", 0, 1),
        "visit",
        "t",
        ("Kim Jong Un", "Kim"),
        "Seoul",
    )
    info = link_info(m)
    assert info.terms == {"a:Kim Jong Un", "f:Un", "a:Kim", "s:Kim", "p:Seoul", "t:q"}
    actorless = link_info(replace(m, actors=(), trigger=TextSpan("visited", 0, 7), quote="d: 36 people died"))
    assert actorless.terms == {"p:Seoul", "t:visit", "n:36"}
    assert (info.first_year, info.last_year) == (2023, 2023)


@pytest.fixture(scope="module")
def seed_results(extractor: Any) -> list[DocumentResult]:
    from dateline.intake.documents import load_documents

    return extractor.extract_many(load_documents([ROOT / "seeds"]))


def test_real_seeds_added_and_deleted_one_by_one(
    store_location: str | Path, seed_results: list[DocumentResult]
) -> None:
    """On the extractor's real output: every intermediate store equals a full merge."""
    store = Store(store_location)
    for result in seed_results:
        store.add(result)
        assert stored(store) == full_merge(store)
    assert store.timeline().count == len(merge_mentions(seed_results))
    for result in reversed(seed_results[::2]):
        store.delete(result.document.id)
        assert stored(store) == full_merge(store)
    assert store.verify() == []


def _report(doc_id: str, trigger: str, subtype: str) -> DocumentResult:
    """One report of a meeting in Kursk on one day, told by ``trigger``, of the finer kind ``subtype``."""
    mention = Mention(
        document_id=doc_id,
        quote=f"quote {trigger}",
        start=0,
        end=20,
        date=day(3),
        date_span=TextSpan("d", 1, 2),
        trigger=TextSpan(trigger, 8, 8 + len(trigger)),
        type="meeting",
        title=f"Officials {trigger}",
        location="Kursk",
        subtype=subtype,
    )
    return DocumentResult(document(doc_id, 1), [mention])


@pytest.mark.parametrize("order", [("a", "c", "b"), ("c", "b", "a"), ("a", "b", "c")])
def test_a_member_that_lifts_a_penalty_moves_a_later_report(order: tuple[str, ...]) -> None:
    """Report "c" ("convened", a summit) scores below the threshold against the event "a" founds ("met", a
    consultation) until "b" ("met", a summit) brings that event c's finer kind: no new word, place or
    day, only the kind, which the kept merge must follow as the full merge does."""
    docs = {"a": _report("a", "met", "consultation"), "b": _report("b", "met", "summit")}
    docs["c"] = _report("c", "convened", "summit")
    archive = Archive()
    for doc_id in order:
        archive.apply({doc_id: docs[doc_id]})
    expected = merge_mentions([docs[d] for d in sorted(docs)])
    assert len(expected) == 1, [e.title for e in expected]
    assert canonical_events(archive.events()) == canonical_events(expected)


def _said(doc_id: str, typ: str, actors: tuple[str, ...], agents: tuple[str, ...]) -> DocumentResult:
    """One report that someone said something on one day, typed ``typ`` (``other``: untyped)."""
    mention = Mention(
        document_id=doc_id,
        quote="Someone said it today.",
        start=0,
        end=22,
        date=day(3),
        date_span=TextSpan("", 0, 0),
        trigger=TextSpan("said", 8, 12),
        type=typ,
        title="Someone said it",
        actors=actors,
        agents=agents,
    )
    return DocumentResult(document(doc_id, 1), [mention])


@pytest.mark.parametrize("agents", [(), ("Kim Jong Un",)])
def test_a_typed_report_follows_what_an_untyped_event_gains(agents: tuple[str, ...]) -> None:
    """A typed report meets an untyped event told by its word on its day: when that event takes in a
    member that names the report's participant, the kept merge moves the report as the full merge
    places it."""
    docs = {
        "a": _said("a", "other", ("Iran", "Russia"), ("Iran",) if agents else ()),
        "c": _said("c", "statement", ("Kim Jong Un",), agents),
        "b": _said("b", "other", ("Kim Jong Un", "Russia"), agents),
    }
    archive = Archive()
    for doc_id in ("a", "c", "b"):
        archive.apply({doc_id: docs[doc_id]})
    expected = merge_mentions([docs[d] for d in sorted(docs)])
    assert canonical_events(archive.events()) == canonical_events(expected)


def test_the_kept_partial_states_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """The archive keeps partial cluster states for the clusters asked last only; a state it let go
    is built again from the members, so the merge stays exact."""
    import random
    import sys

    import dateline.merging.archive as archive_module

    sys.path.insert(0, str(ROOT / "bench"))
    from synthetic import generate

    monkeypatch.setattr(archive_module, "CURSORS", 3)
    rng = random.Random(7)
    archive = Archive()
    docs: dict[str, DocumentResult] = {}
    most = 0
    for r in generate(900, seed=7):
        docs[r.document.id] = r
        archive.apply({r.document.id: r})
        if rng.random() < 0.2:
            old = rng.choice(sorted(docs))
            if rng.random() < 0.5:
                archive.apply({old: docs[old]})
            else:
                archive.apply({old: None})
                del docs[old]
        most = max(most, len(archive.cursors))
    assert 0 < most <= 3
    expected = merge_mentions([docs[d] for d in sorted(docs)])
    assert canonical_events(archive.events()) == canonical_events(expected)


def _met(
    doc_id: str, when: DateValue, location: str | None = None, actors: tuple[str, ...] = ("Russia",)
) -> DocumentResult:
    """One report that (Russia) met someone, dated ``when``."""
    mention = Mention(
        document_id=doc_id,
        quote="Russia met them.",
        start=0,
        end=16,
        date=when,
        date_span=TextSpan("", 0, 0),
        trigger=TextSpan("met", 7, 10),
        type="meeting",
        title="Russia met them",
        actors=actors,
        location=location,
    )
    return DocumentResult(document(doc_id, 1), [mention])


#: a week across the new year: it holds 1 January 2024 but not all of January, and January not it
WEEK = DateValue("2023-W52", "week", date(2023, 12, 28), date(2024, 1, 3))


@pytest.mark.parametrize(
    ("member", "later"),
    [
        (WEEK, None),  # the week kept January out; once it goes, January joins
        (day(12), "Kursk"),  # the event's only place: January (in Kursk, no one named) scored too low
        (day(12), None),  # nothing it goes with lifts a score: January stays where it is
    ],
)
def test_a_member_that_goes_lets_in_what_it_kept_out(member: DateValue, later: str | None) -> None:
    """A member leaving an event can raise the event's score for a later report only through what it
    alone brought: a date the report's does not hold, or the one place (or agents, patients, finer
    kind, type) of the event. The kept merge re-places those reports, as a full merge places them."""
    docs = {
        "a": _met("a", day(12)),
        "b": _met("b", member, None if later is None else "Moscow"),
        "c": _met("c", month(2024, 1), later, () if later else ("Russia",)),
    }
    archive = Archive()
    for doc_id in ("a", "b", "c"):
        archive.apply({doc_id: docs[doc_id]})
    archive.apply({"b": None})
    del docs["b"]
    expected = merge_mentions([docs[d] for d in sorted(docs)])
    assert canonical_events(archive.events()) == canonical_events(expected)
    assert len(expected) == 1


@pytest.mark.parametrize(
    ("member", "place", "events"),
    [
        (WEEK, None, 2),  # a date January does not nest with: January goes
        (day(12), "Moscow", 2),  # the event's first place (January's is Kursk): January goes
        (day(12), None, 1),  # it brings nothing the event lacks: January stays
    ],
)
def test_a_member_that_joins_before_a_later_one_can_move_it(
    member: DateValue, place: str | None, events: int
) -> None:
    """A member joining an event before a later report of another document can lower the event's
    score for it (a date span the report's does not nest with, the event's first place where the
    report names another): the kept merge places the later members again, as a full merge does."""
    docs = {
        "a": _met("a", day(12)),
        # (January names no one: with a place of its own, only the event word ties it)
        "c": _met("c", month(2024, 1), "Kursk" if place else None, () if place else ("Russia",)),
    }
    archive = Archive()
    for doc_id in ("a", "c"):
        archive.apply({doc_id: docs[doc_id]})
    assert len(archive.events()) == 1
    docs["b"] = _met("b", member, place)
    archive.apply({"b": docs["b"]})
    expected = merge_mentions([docs[d] for d in sorted(docs)])
    assert canonical_events(archive.events()) == canonical_events(expected)
    assert len(expected) == events


@st.composite
def scored_mention(draw: Any, doc_id: str) -> Mention:
    """A mention for the score bounds: places with their holders, figures, broader event words."""
    trigger = draw(st.sampled_from(["met", "talks", "summit", "said", "remarks", "attacked", "attack"]))
    actors = tuple(draw(st.lists(st.sampled_from(ACTORS), max_size=3, unique=True)))
    figures = draw(st.lists(st.sampled_from(["36 people", "1,500", "7.6"]), max_size=2))
    quote = " ".join([trigger, *figures])
    return Mention(
        document_id=doc_id,
        quote=quote,
        start=0,
        end=len(quote),
        date=draw(DATES),
        date_span=TextSpan("", 0, 0),
        trigger=TextSpan(trigger, 0, len(trigger)),
        type=draw(st.sampled_from(["meeting", "statement", "combat", "other"])),
        title="t",
        actors=actors,
        location=draw(st.sampled_from([None, "Kursk", "Kursk, Russia", "Sudzha, Kursk, Russia", "Russia"])),
        generic=doc_id == "q" and draw(st.booleans()),
        subtype=draw(st.sampled_from([None, "talks", "visit"])),
        agents=tuple(a for a in actors if draw(st.booleans())),
    )


@settings(max_examples=800, deadline=None)
@given(
    members=st.lists(st.integers(0, 5).flatmap(lambda i: scored_mention(f"m{i}")), min_size=1, max_size=5),
    mention=scored_mention("q"),
)
def test_the_kept_merges_score_bounds_hold(members: list[Mention], mention: Mention) -> None:
    """The bounds the kept merge prunes by (``archive_parts.bound``: a place and the event word or a
    broader one counted once, as ``fits`` counts them; ``_Item.most``; ``generic_pass._gbound``)
    are never below ``fits`` for a cluster holding the keys, and are below linking's own bound when a
    mention names a place with its holders or its word and a broader one."""
    probes = [Probe(m) for m in members]
    cluster, filed = Cluster(probes[0]), set()
    for p in probes:
        filed.update(cluster.gains(p))
        cluster.add(p)
    p = Probe(mention)
    item = _Item(("q", 0), p)
    score = fits(cluster, p)
    assert score <= bound(p, filed, item.most) <= p.unkeyed + sum(w for k, w in p.keys.items() if k in filed)
    assert score <= item.most
    g = _Generic(("q", 0), p)
    assert fits(cluster, p, any_type=True) <= _gbound(g, frozenset(cluster.keys()))


@pytest.mark.parametrize(
    ("location", "trigger", "tight", "loose"),
    [
        # base, actor, place, word: three place parts, one place; its word and the b: key, one word
        ("Sudzha, Kursk, Russia", "met", 1 + 3 + 2 + 3, 1 + 3 + 3 * 2 + 3 + 2),
        # a broader word itself (``unkeyed`` holds it) and the same word
        ("Kursk", "talks", 1 + 3 + 2 + 3, 1 + 2 + 3 + 2 + 3),
        (None, "met", 1 + 3 + 3, 1 + 3 + 3 + 2),
    ],
)
def test_the_kept_merges_bound_counts_once_what_fits_counts_once(
    location: str | None, trigger: str, tight: int, loose: int
) -> None:
    """A meeting in Russia that reports one told by its word and by a broader one ("meeting") hold:
    the bound counts the place and the word once, as ``fits`` does, and ``fits`` reaches it."""

    def met(doc_id: str, word: str) -> Mention:
        return replace(
            _met(doc_id, month(2024, 1), location).mentions[0],
            trigger=TextSpan(word, 7, 7 + len(word)),
        )

    cluster = Cluster(Probe(met("a", "meeting")))
    filed = set()
    for m in (met("a", "meeting"), met("b", trigger)):
        filed.update(cluster.gains(Probe(m)))
        cluster.add(Probe(m))
    p = Probe(met("c", trigger))
    assert bound(p, filed, _Item(("c", 0), p).most) == tight == fits(cluster, p)
    assert p.unkeyed + sum(w for k, w in p.keys.items() if k in filed) == loose


def _slots(c: Cluster) -> dict[str, Any]:
    """A state's summaries, the counters with their order (what an event's ties read)."""
    return {n: list(v.items()) if isinstance(v := getattr(c, n), dict) else v for n in Cluster.__slots__}


@settings(max_examples=300, deadline=None)
@given(
    members=st.lists(st.integers(0, 5).flatmap(lambda i: scored_mention(f"m{i}")), min_size=2, max_size=6),
    others=st.lists(st.integers(0, 5).flatmap(lambda i: scored_mention(f"o{i}")), min_size=1, max_size=4),
    shuffle=st.randoms(use_true_random=False),
)
def test_a_state_built_again_in_place_or_read_in_order_is_the_one_built_in_order(
    members: list[Mention], others: list[Mention], shuffle: Any
) -> None:
    """A partial state built again into one let go (``_cleared``) is the state a new one is, in the
    same containers; a state whose members came out of order, read in order (``_in_order``), gives
    what a state built in order gives: the members, the actors and places in the order first
    counted, and so the same event."""
    probes = [Probe(m) for m in members]
    ordered = Cluster(probes[0])
    for p in probes:
        ordered.add(p)
    used = Cluster(Probe(others[0]))
    for m in others:
        used.add(Probe(m))
    sets = {n: id(v) for n in Cluster.__slots__ if isinstance(v := getattr(used, n), list | set | dict)}
    again = _cleared(used, probes[0])
    for p in probes:
        again.add(p)
    assert _slots(again) == _slots(ordered)
    assert sets == {n: id(getattr(again, n)) for n in sets}
    later = probes[1:]
    shuffle.shuffle(later)  # the core stays first, as in the archive
    unordered = Cluster(probes[0])
    for p in [probes[0], *later]:
        unordered.add(p)
    read = _in_order(unordered, probes)
    assert _slots(read) == _slots(ordered)
    documents = {m.document_id: document(m.document_id, 1) for m in members}
    assert _build_event(read, documents, {}) == _build_event(ordered, documents, {})
