"""The merger's candidate index never changes what merges: merge_mentions equals a brute-force merge.

merging/cluster.py finds the cluster a mention joins through an index (buckets by key and date;
coarse dates looked up by year or decade; large buckets walked lazily in cluster order) instead of
trying every cluster. The reference below is the plain rule with no index at all: every mention,
finest date first, is scored against every cluster and joins the best one (the first among equals);
a generic reference joins the one best cluster among those that share a key of its members before
the generic pass and a calendar month of its core date. Random corpora crowd few actors, words and
places into a short span of dates, with every precision from a day to a decade, dates across a new
year, neighbouring day dates, surnames, actor-less mentions and two mentions on one trigger, and the
threshold that makes a bucket "large" is varied, so both the exhaustive and the lazy walks are
compared with the reference.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dateline.merging.cluster as merge
from dateline.merging import linking, names
from dateline.model import DateValue, Document, DocumentResult, Mention, Published, TextSpan
from dateline.taxonomy import taxonomy
from dateline.timex.values import calendar_date
from dateline.vocab import load

# --- the reference: the merge rule without an index ------------------------------------------------


@dataclass
class _Ref:
    type: str
    members: list[Mention] = field(default_factory=list)
    types: set[str] = field(default_factory=set)
    actors: Counter[str] = field(default_factory=Counter)
    places: Counter[str] = field(default_factory=Counter)
    dates: set[DateValue] = field(default_factory=set)
    words: set[str] = field(default_factory=set)
    figures: set[str] = field(default_factory=set)
    days: set[date] = field(default_factory=set)
    triggers: set[tuple[str, int]] = field(default_factory=set)
    subtypes: set[str] = field(default_factory=set)

    def add(self, m: Mention) -> None:
        self.members.append(m)
        if m.subtype:
            self.subtypes.add(_folded(m.subtype))
        self.actors.update(m.actors)
        if m.location:
            self.places[m.location] += 1
        self.dates.add(m.date)
        self.words.add(linking.event_word(m.trigger.text))
        self.words |= _kind(m)
        if m.type != "other":
            self.types.add(m.type)
        self.figures.update(linking.figures(m))
        if _single_day(m.date):
            self.days.add(m.date.start)
        self.triggers.add((m.document_id, m.trigger.start))


def _single_day(d: DateValue) -> bool:
    return d.precision == "day" and d.start == d.end


def _folded(subtype: str) -> str:
    """A finer kind as linking compares it: related kinds (data/linking.json's groups) as one."""
    return linking.event_word(subtype)


def _kind(m: Mention) -> set[str]:
    """The subtype as a second event word, when data/linking.json lists it as one happening's kind."""
    return {f"~{m.subtype}"} if m.subtype in load("linking")["kinds"]["subtypes"] else set()


def _untyped_meets(c: _Ref, m: Mention, word: str) -> bool:
    """An untyped report and a typed one: same word and day (a cluster holds one type besides other)."""
    same_day = _single_day(m.date) and m.date.start in c.days
    if not same_day or word not in c.words or "other" not in (c.type, m.type):
        return False
    return m.type == "other" or c.types <= {m.type}


def _nested_places(a: str, b: str) -> bool:
    """One place is the other or holds it, by their comma parts ("Kyiv, Ukraine" and "Ukraine")."""
    return a == b or a.endswith(", " + b) or b.endswith(", " + a)


def _broader(etype: str) -> set[str]:
    return {linking.event_word(w) for w in load("linking")["broader"].get(etype, [])}


def _ref_fits(c: _Ref, m: Mention, any_type: bool = False) -> int:
    """The rule as data/linking.json states it, pair by pair (see merging/linking.py's docstring)."""
    w = linking.weights()
    if (m.document_id, m.trigger.start) in c.triggers:
        return 0
    if not all(o.contains(m.date) or m.date.contains(o) for o in c.dates):
        return 0
    word = linking.event_word(m.trigger.text)
    same_type = c.type == m.type
    wrong_type = not same_type or (m.type == "other" and word not in c.words)
    if not any_type and wrong_type and not _untyped_meets(c, m, word):
        return 0
    same_word = word in c.words or (not any_type and bool(_kind(m) & c.words))
    shared = sum(1 for a in m.actors if a in c.actors)
    same_place = bool(m.location and any(_nested_places(m.location, place) for place in c.places))
    figures = len(linking.figures(m) & c.figures)
    if not (same_word or shared or same_place or figures):
        return 0
    specific = not any_type  # a generic reference names no kind or role of its own
    same_document = any(o.document_id == m.document_id for o in c.members)
    subtype = _folded(m.subtype) if m.subtype else None
    if specific and not same_word and subtype not in c.subtypes and same_document:
        return 0  # one article, another word and kind: another event
    agents = {a for o in c.members for a in o.agents}
    speakers_differ = bool(m.agents and agents and not set(m.agents) & agents)
    if specific and speakers_differ and m.type in load("linking")["speaker_types"]["types"]:
        return 0
    score = w["base"] + w["actor"] * shared + w["place"] * same_place + w["figure"] * figures
    broad = _broader(m.type)
    if same_word:
        score += w["word"]
    elif same_type and (word in broad or bool(broad & c.words)):
        score += w["broader"]
    elif specific and not shared and subtype and c.subtypes and subtype not in c.subtypes:
        score += w["other_kind"]
    if _single_day(m.date) and m.date.start in c.days:
        score += w["same_day"]
    others = {a for o in c.members for a in o.actors if a not in o.agents}
    same_role = not specific or bool(agents and m.agents) or bool(others and set(m.actors) - set(m.agents))
    if m.actors and c.actors and not shared and same_role:
        score += w["other_participants"]
    if m.location and c.places and not same_place:
        score += w["other_place"]
    return score if score >= linking.threshold() else 0


def _keys(m: Mention) -> set[str]:
    keys = {f"a:{a}" for a in m.actors} | {f"w:{linking.event_word(m.trigger.text)}"}
    keys |= {f"n:{n}" for n in linking.figures(m)}
    return keys | ({f"p:{part}" for part in linking.place_parts(m.location)} if m.location else set())


def _months(d: DateValue) -> set[int]:
    return set(range(d.start.year * 12 + d.start.month - 1, d.end.year * 12 + d.end.month))


def reference_merge(results: list[DocumentResult]) -> list[list[Mention]]:
    """The members of each cluster, by trying every cluster for every mention."""
    mentions = [m for r in results for m in r.mentions]
    surnames = names.surname_map(mentions)
    mentions = [
        replace(
            m,
            actors=tuple(dict.fromkeys(surnames.get(a, a) for a in m.actors)),
            agents=tuple(dict.fromkeys(surnames.get(a, a) for a in m.agents)),
        )
        for m in mentions
    ]
    clusters: list[_Ref] = []
    order = sorted(
        (m for m in mentions if not m.generic),
        key=lambda m: (m.date.span_days, m.document_id, m.start, m.trigger.start),
    )
    for m in order:
        best, best_score = None, 0
        for ci, c in enumerate(clusters):
            if (s := _ref_fits(c, m)) > best_score:
                best, best_score = ci, s
        if best is None:
            clusters.append(_Ref(m.type))
            best = len(clusters) - 1
        clusters[best].add(m)
    before = [set().union(*(_keys(m) for m in c.members)) for c in clusters]
    cores = [_months(c.members[0].date) for c in clusters]
    for m in (m for m in mentions if m.generic):
        candidates = [
            ci for ci in range(len(clusters)) if before[ci] & _keys(m) and cores[ci] & _months(m.date)
        ]
        fitting = sorted((s, ci) for ci in candidates if (s := _ref_fits(clusters[ci], m, any_type=True)))
        if len(fitting) == 1 or (fitting and fitting[-1][0] > fitting[-2][0]):
            clusters[fitting[-1][1]].add(m)
    return [c.members for c in clusters]


def _partition(groups: list[list[Mention]]) -> list[list[tuple[Any, ...]]]:
    def ident(m: Mention) -> tuple[Any, ...]:
        return (m.document_id, m.start, m.trigger.start, m.date.value, m.type, m.actors, m.title)

    return sorted(sorted(ident(m) for m in g) for g in groups)


def assert_same_as_reference(results: list[DocumentResult]) -> None:
    events = merge.merge_mentions(results)
    assert _partition([[s.mention for s in e.sources] for e in events]) == _partition(
        reference_merge(results)
    )


# --- random corpora --------------------------------------------------------------------------------

ACTORS = ["Russia", "Ukraine", "Vladimir Putin", "Putin", "Lyudmila Putin", "NATO", "Kim Jong Un", "Un"]
PLACES = ["Kyiv", "Geneva", "Kyiv, Ukraine", "Ukraine", "Lviv, Ukraine"]
TYPES = ["visit", "meeting", "statement", "other"]
#: subtypes: "flood" is a kind that ties like an event word (data/linking.json), "talks" is not;
#: "trip" and "arrival" are related kinds, one kind to linking
SUBTYPES = [None, None, "flood", "talks", "trip", "arrival"]
VERBS = ["visited", "met", "said", "agreed", "signed", "arrived"]
TITLES = ["talks on grain", "grain deal signed", "summit on energy", "energy talks", "border visit"]
BASE = date(2023, 12, 20)


def _date(rng: random.Random) -> DateValue:
    day = BASE + timedelta(days=rng.randrange(0, 60))  # across a new year and a month end
    y, m = day.year, day.month
    value, mod = rng.choice(
        [
            (day.isoformat(), None),
            (day.isoformat(), None),
            (f"{day.isocalendar()[0]}-W{day.isocalendar()[1]:02d}", None),
            (f"{y}-{m:02d}", None),
            (f"{y}-{m:02d}", rng.choice(["START", "END"])),
            ("2023-WI", None),
            (f"{y}-Q{(m - 1) // 3 + 1}", None),
            (f"{y}-H{(m - 1) // 6 + 1}", None),
            (str(y), None),
            (str(y // 10), None),
        ]
    )
    found = calendar_date(value, mod)
    assert found is not None, value
    return found


def random_corpus(rng: random.Random, n_docs: int, per_doc: int = 6) -> list[DocumentResult]:
    """Documents of random mentions over a few weeks around a new year, with few actors and words."""
    results = []
    for d in range(n_docs):
        doc_id = f"d{d:03d}"
        mentions = []
        for i in range(rng.randint(1, per_doc)):
            verb = rng.choice(VERBS)
            start = rng.choice([i * 50, 0])  # now and then two mentions on one trigger
            actors = tuple(dict.fromkeys(rng.choices(ACTORS, k=rng.choice([0, 1, 1, 2, 3]))))
            mentions.append(
                Mention(
                    document_id=doc_id,
                    quote=f"quote {i}",
                    start=start,
                    end=start + 40,
                    date=_date(rng),
                    date_span=TextSpan("d", start + 1, start + 2),
                    trigger=TextSpan(verb, start + 10, start + 10 + len(verb)),
                    type=rng.choice(TYPES),
                    title=f"{actors[0] if actors else 'Officials'} {verb} {rng.choice(TITLES)}",
                    actors=actors,
                    location=rng.choice([None, None, None, *PLACES]),
                    generic=rng.random() < 0.12,
                    subtype=rng.choice(SUBTYPES),
                    agents=tuple(a for a in actors if rng.random() < 0.4),
                )
            )
        document = Document(id=doc_id, text=f"text of {doc_id}", published=Published(None, "unknown"))
        results.append(DocumentResult(document, mentions))
    return results


@pytest.mark.parametrize("lazy", [0, 2, 10**9])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32), n_docs=st.integers(1, 14))
def test_indexed_merge_equals_brute_force(
    monkeypatch: pytest.MonkeyPatch, lazy: int, seed: int, n_docs: int
) -> None:
    """Small corpora, with every bucket walked lazily (0, 2) or every bucket scored exhaustively."""
    monkeypatch.setattr(merge, "_LAZY", lazy)
    assert_same_as_reference(random_corpus(random.Random(seed), n_docs))


@pytest.mark.parametrize("lazy", [0, 3, merge._LAZY])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_crowded_corpus_equals_brute_force(monkeypatch: pytest.MonkeyPatch, lazy: int, seed: int) -> None:
    """Hundreds of mentions of a few actors within weeks: buckets hold many clusters, common actors
    meet rare ones, and the lazy walks must stop exactly where an exhaustive scan would decide."""
    monkeypatch.setattr(merge, "_LAZY", lazy)
    corpus = random_corpus(random.Random(seed), 120, per_doc=8)
    assert sum(len(r.mentions) for r in corpus) > 400
    assert_same_as_reference(corpus)


def report(
    doc_id: str,
    value: str,
    actors: tuple[str, ...],
    *,
    type_: str = "visit",
    place: str | None = None,
    generic: bool = False,
) -> DocumentResult:
    """A document with one mention, told by its type's own word ("visited", "met", "said"), or a
    generic reference ("the events")."""
    doc = Document(id=doc_id, text="x", published=Published(None, "unknown"))
    verb = (
        "events"
        if generic
        else {"visit": "visited", "meeting": "met", "statement": "said"}.get(type_, "began")
    )
    mention = Mention(
        document_id=doc_id,
        quote="q",
        start=0,
        end=1,
        date=calendar_date(value) or pytest.fail(value),
        date_span=TextSpan("d", 0, 1),
        trigger=TextSpan(verb, 0, len(verb)),
        type=type_,
        title=verb,
        actors=actors,
        location=place,
        generic=generic,
    )
    return DocumentResult(doc, [mention])


def groups(corpus: list[DocumentResult]) -> list[list[str]]:
    events = merge.merge_mentions(corpus)
    return sorted(sorted(s.mention.document_id for s in e.sources) for e in events)


def test_the_reference_merges_and_keeps_apart() -> None:
    """The reference is a real merge (so the comparisons above can fail): two reports of one visit
    merge, a visit of other actors a month later stays apart."""
    corpus = [
        report("a", "2024-06-19", ("Russia",)),
        report("b", "2024-06", ("Russia",)),
        report("c", "2024-07-20", ("NATO",)),
    ]
    assert [len(g) for g in reference_merge(corpus)] == [2, 1]
    assert_same_as_reference(corpus)


def test_generic_reference_finds_the_best_event_behind_tied_small_ones(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A tie among the first clusters scored is no tie when a later one scores higher: "NATO" names
    three events (two of NATO alone, one with Russia), "Russia" many, and the generic reference to
    Russia and NATO in 2024 means the one event of both."""
    monkeypatch.setattr(merge, "_LAZY", 3)
    corpus = [
        report("a1", "2024-03-01", ("NATO",), type_="meeting"),
        report("a2", "2024-03-02", ("NATO",), type_="statement"),
        report("a3", "2024-03-03", ("NATO", "Russia"), type_="visit"),
        *(report(f"r{i}", f"2024-04-{i + 10:02d}", ("Russia",), type_=t) for i, t in enumerate(TYPES)),
        report("z", "2024", ("Russia", "NATO"), generic=True),
    ]
    assert ["a3", "z"] in groups(corpus)
    assert_same_as_reference(corpus)


def test_generic_reference_counts_actors_an_earlier_generic_brought(monkeypatch: pytest.MonkeyPatch) -> None:
    """Generic references are placed one after the other, and only the keys an event had before the
    generic pass find it: "g1" brings NATO into the Kyiv visit, but "g2" (NATO, 2024) shares no key of
    the visit's own members, so it meets NATO's own event alone and joins it."""
    monkeypatch.setattr(merge, "_LAZY", 1)
    corpus = [
        report("c", "2024-05-02", ("Russia",), place="Kyiv"),
        report("d", "2024-05-03", ("NATO",), type_="meeting"),
        report("e", "2024-05-04", ("Iran",), type_="statement"),
        report("g1", "2024", ("Russia", "NATO"), place="Kyiv", generic=True),
        report("g2", "2024", ("NATO",), generic=True),
    ]
    assert groups(corpus) == [["c", "g1"], ["d", "g2"], ["e"]]
    assert_same_as_reference(corpus)


def test_every_kind_that_ties_is_a_subtype_of_the_taxonomy() -> None:
    """data/linking.json's kinds name subtypes of data/triggers.json, not words of their own."""
    subtypes = {s.name for t in taxonomy() for s in t.subtypes}
    assert set(load("linking")["kinds"]["subtypes"]) <= subtypes


@pytest.mark.parametrize(
    ("a", "b", "one_place"),
    [
        ("Sri Lanka", "Colombo, Sri Lanka", True),
        ("Lahaina, Maui, Hawaii", "Maui, Hawaii", True),
        ("Kandy, Sri Lanka", "Colombo, Sri Lanka", False),
        ("Georgia", "Tbilisi, Georgia", True),
        ("Lanka", "Sri Lanka", False),
    ],
)
def test_a_place_and_the_place_that_holds_it_are_one_place(a: str, b: str, one_place: bool) -> None:
    assert (a in linking.place_parts(b) or b in linking.place_parts(a)) == one_place
    assert _nested_places(a, b) == one_place
