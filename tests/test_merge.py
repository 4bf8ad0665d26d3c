"""Merging mentions into events, on hand-built mentions (no model): same event across documents, date
refinement, what stays apart, generic references, alternatives, stable ids and order."""

from __future__ import annotations

import random
from datetime import date

import pytest

from dateline.merging.cluster import merge_mentions
from dateline.model import DateValue, Document, DocumentResult, Event, Mention, Published, TextSpan
from dateline.timex.values import calendar_date


def dv(value: str, mod: str | None = None) -> DateValue:
    d = calendar_date(value, mod)
    assert d is not None, value
    return d


def span(text: str, part: str, after: int = 0) -> TextSpan:
    start = text.index(part, after)
    return TextSpan(part, start, start + len(part))


class Doc:
    """A document assembled sentence by sentence, with mentions whose offsets point into its text."""

    def __init__(self, doc_id: str, published: str | None = None) -> None:
        self.id = doc_id
        self.published = published
        self.sentences: list[str] = []
        self.specs: list[dict] = []

    def say(
        self,
        sentence: str,
        *,
        trigger: str,
        date_text: str,
        value: DateValue,
        type_: str,
        actors: tuple[str, ...] = (),
        location: str | None = None,
        generic: bool = False,
    ) -> Doc:
        self.sentences.append(sentence)
        self.specs.append(
            {
                "sentence": sentence,
                "trigger": trigger,
                "date_text": date_text,
                "value": value,
                "type": type_,
                "actors": actors,
                "location": location,
                "generic": generic,
            }
        )
        return self

    def result(self) -> DocumentResult:
        text = " ".join(self.sentences)
        published = (
            Published(date.fromisoformat(self.published), "given")
            if self.published
            else Published(None, "unknown")
        )
        document = Document(id=self.id, text=text, published=published)
        mentions = []
        pos = 0
        for spec in self.specs:
            q = span(text, spec["sentence"], pos)
            pos = q.end
            mentions.append(
                Mention(
                    document_id=self.id,
                    quote=q.text,
                    start=q.start,
                    end=q.end,
                    date=spec["value"],
                    date_span=span(text, spec["date_text"], q.start),
                    trigger=span(text, spec["trigger"], q.start),
                    type=spec["type"],
                    title=spec["sentence"].rstrip("."),
                    actors=spec["actors"],
                    location=spec["location"],
                    generic=spec["generic"],
                )
            )
        return DocumentResult(document, mentions)


PUTIN = ("Vladimir Putin", "Kim Jong Un")


def visit(doc_id: str, value: str = "2024-06-19", date_text: str = "19 June 2024", **kw: object) -> Doc:
    sentence = kw.pop("sentence", f"Putin arrived in Pyongyang on {date_text}.")
    kw.setdefault("actors", ("Vladimir Putin",))
    kw.setdefault("location", "Pyongyang")
    return Doc(doc_id, kw.pop("published", None)).say(  # type: ignore[arg-type]
        sentence,  # type: ignore[arg-type]
        trigger="arrived",
        date_text=date_text,
        value=dv(value),
        type_="visit",
        **kw,  # type: ignore[arg-type]
    )


def sources_of(event: Event) -> list[str]:
    return sorted(s.mention.document_id for s in event.sources)


# --------------------------------------------------------------------------------------------------


def test_same_event_in_three_documents_is_one_event() -> None:
    results = [visit("a").result(), visit("b").result(), visit("c").result()]
    events = merge_mentions(results)
    assert len(events) == 1
    ev = events[0]
    assert sources_of(ev) == ["a", "b", "c"]
    assert ev.source_count == 3
    assert (ev.type, ev.date.date.value, ev.date.display) == ("visit", "2024-06-19", "19 June 2024")
    assert ev.actors == ["Vladimir Putin"]
    assert ev.location == "Pyongyang"
    assert ev.date.alternatives == []


def test_month_and_day_merge_at_the_day() -> None:
    month = visit("a", "2024-06", "June 2024", sentence="In June 2024, Putin arrived in Pyongyang.")
    day = visit("b")
    events = merge_mentions([month.result(), day.result()])
    assert len(events) == 1
    assert events[0].date.date.value == "2024-06-19"
    assert events[0].date.alternatives == []
    assert sources_of(events[0]) == ["a", "b"]


def test_late_month_and_day_inside_it_merge() -> None:
    late = Doc("a").say(
        "Moscow announced a partial mobilisation in late September 2022.",
        trigger="announced",
        date_text="late September 2022",
        value=dv("2022-09", "END"),
        type_="statement",
        actors=("Russia",),
    )
    day = Doc("b").say(
        "Russia announced a partial mobilisation on 21 September 2022.",
        trigger="announced",
        date_text="21 September 2022",
        value=dv("2022-09-21"),
        type_="statement",
        actors=("Russia",),
    )
    events = merge_mentions([late.result(), day.result()])
    assert [e.date.date.value for e in events] == ["2022-09-21"]


def test_different_types_on_the_same_day_stay_apart() -> None:
    doc = Doc("a").say(
        "Putin arrived in Pyongyang on 19 June 2024.",
        trigger="arrived",
        date_text="19 June 2024",
        value=dv("2024-06-19"),
        type_="visit",
        actors=PUTIN,
        location="Pyongyang",
    )
    doc.say(
        "Putin and Kim signed a treaty on 19 June 2024.",
        trigger="signed",
        date_text="19 June 2024",
        value=dv("2024-06-19"),
        type_="agreement",
        actors=PUTIN,
    )
    events = merge_mentions([doc.result()])
    assert sorted(e.type for e in events) == ["agreement", "visit"]


def test_same_type_without_shared_actor_or_place_stays_apart() -> None:
    a = visit("a")
    b = Doc("b").say(
        "Xi arrived in Hanoi on 19 June 2024.",
        trigger="arrived",
        date_text="19 June 2024",
        value=dv("2024-06-19"),
        type_="visit",
        actors=("Xi Jinping",),
        location="Hanoi",
    )
    events = merge_mentions([a.result(), b.result()])
    assert len(events) == 2
    assert sorted(sources_of(e)[0] for e in events) == ["a", "b"]


def test_shared_place_is_enough_to_merge() -> None:
    a = visit("a", actors=("Vladimir Putin",))
    b = visit("b", actors=(), sentence="The Russian leader arrived in Pyongyang on 19 June 2024.")
    events = merge_mentions([a.result(), b.result()])
    assert len(events) == 1


def _other(doc_id: str, sentence: str, trigger: str) -> Doc:
    return Doc(doc_id).say(
        sentence,
        trigger=trigger,
        date_text="March 2024",
        value=dv("2024-03"),
        type_="other",
        actors=("Nordhavn Foods",),
    )


def test_other_type_with_different_words_stays_apart() -> None:
    a = _other("a", "Nordhavn Foods replaced its chief executive in March 2024.", "replaced")
    b = _other("b", "Nordhavn Foods opened a new plant in March 2024.", "opened")
    assert len(merge_mentions([a.result(), b.result()])) == 2


def test_other_type_with_the_same_word_merges() -> None:
    a = _other("a", "Nordhavn Foods replaced its chief executive in March 2024.", "replaced")
    b = _other("b", "In March 2024 Nordhavn Foods replaced its boss.", "replaced")
    assert len(merge_mentions([a.result(), b.result()])) == 1


def _invasion(doc_id: str) -> Doc:
    return Doc(doc_id).say(
        "Russia invaded Ukraine on 24 February 2022.",
        trigger="invaded",
        date_text="24 February 2022",
        value=dv("2022-02-24"),
        type_="combat",
        actors=("Russia", "Ukraine"),
    )


def _generic(doc_id: str, actors: tuple[str, ...]) -> Doc:
    return Doc(doc_id).say(
        "The events since 24 February 2022 changed Europe.",
        trigger="events",
        date_text="24 February 2022",
        value=dv("2022-02-24"),
        type_="other",
        actors=actors,
        generic=True,
    )


def test_generic_mention_joins_the_one_fitting_event() -> None:
    events = merge_mentions([_invasion("a").result(), _generic("g", ("Russia",)).result()])
    assert len(events) == 1
    assert sources_of(events[0]) == ["a", "g"]
    assert events[0].type == "combat"
    assert events[0].title == "Russia invaded Ukraine on 24 February 2022"


def test_generic_mention_is_dropped_when_nothing_fits() -> None:
    events = merge_mentions([_invasion("a").result(), _generic("g", ("China",)).result()])
    assert len(events) == 1
    assert sources_of(events[0]) == ["a"]


def test_generic_mention_alone_is_no_event() -> None:
    assert merge_mentions([_generic("g", ("Russia",)).result()]) == []


def test_generic_mention_is_dropped_when_two_events_fit_equally() -> None:
    statement = Doc("s").say(
        "Russia declared a special military operation on 24 February 2022.",
        trigger="declared",
        date_text="24 February 2022",
        value=dv("2022-02-24"),
        type_="statement",
        actors=("Russia", "Ukraine"),
    )
    events = merge_mentions(
        [_invasion("a").result(), statement.result(), _generic("g", ("Russia",)).result()]
    )
    assert len(events) == 2
    assert all("g" not in sources_of(e) for e in events)


def _summit(doc_id: str, day: str, actors: tuple[str, ...] = PUTIN) -> Doc:
    d = date.fromisoformat(day)
    date_text = f"{d.day} June 2024"
    return Doc(doc_id).say(
        f"Putin and Kim met in Pyongyang on {date_text}.",
        trigger="met",
        date_text=date_text,
        value=dv(day),
        type_="meeting",
        actors=actors,
    )


@pytest.mark.parametrize(
    ("second_day", "actors"),
    [
        ("2024-06-21", PUTIN),  # two shared actors, two days apart
        ("2024-06-20", PUTIN),  # the next day
        ("2024-06-21", ("Vladimir Putin",)),
    ],
)
def test_two_different_days_never_join(second_day: str, actors: tuple[str, ...]) -> None:
    results = [_summit("a", "2024-06-19").result(), _summit("c", second_day, actors).result()]
    assert len(merge_mentions(results)) == 2


def test_the_same_word_on_the_same_day_joins_without_a_shared_name() -> None:
    """ "Administrator X resigned Thursday" and "the resignation of the county's top emergency
    official on Thursday": a role description names nobody; the word (verb or noun) and the day tie
    them."""
    named = Doc("a").say(
        "Administrator Dana Whitlock resigned on Thursday.",
        trigger="resigned",
        date_text="Thursday",
        value=dv("2025-03-13"),
        type_="other",
        actors=("Dana Whitlock",),
    )
    role = Doc("b").say(
        "The resignation of the county's top emergency official on Thursday surprised no one.",
        trigger="resignation",
        date_text="Thursday",
        value=dv("2025-03-13"),
        type_="other",
    )
    assert [sources_of(e) for e in merge_mentions([named.result(), role.result()])] == [["a", "b"]]


def test_other_participants_and_another_place_keep_one_word_apart() -> None:
    xi = Doc("b").say(
        "Xi arrived in Hanoi on 19 June 2024.",
        trigger="arrived",
        date_text="19 June 2024",
        value=dv("2024-06-19"),
        type_="visit",
        actors=("Xi Jinping",),
        location="Hanoi",
    )
    assert len(merge_mentions([visit("a").result(), xi.result()])) == 2


def test_a_shared_figure_ties_two_reports_of_a_type() -> None:
    a = Doc("a").say(
        "A 7.6-magnitude earthquake struck the coast on 2 March 2025.",
        trigger="earthquake",
        date_text="2 March 2025",
        value=dv("2025-03-02"),
        type_="disaster",
    )
    b = Doc("b").say(
        "The 7.6 tremor in March 2025 destroyed the harbour.",
        trigger="tremor",
        date_text="March 2025",
        value=dv("2025-03"),
        type_="disaster",
    )
    assert len(merge_mentions([a.result(), b.result()])) == 1


def test_a_broader_word_joins_its_type_with_a_shared_place() -> None:
    fire = Doc("a").say(
        "A wildfire swept through Corraville on 8 July 2025.",
        trigger="wildfire",
        date_text="8 July 2025",
        value=dv("2025-07-08"),
        type_="disaster",
        location="Corraville",
    )
    disaster = Doc("b").say(
        "The disaster in Corraville began on 8 July 2025.",
        trigger="disaster",
        date_text="8 July 2025",
        value=dv("2025-07-08"),
        type_="disaster",
        location="Corraville",
    )
    assert len(merge_mentions([fire.result(), disaster.result()])) == 1


def test_a_verb_typed_by_its_object_joins_only_its_own_type() -> None:
    oil = Doc("a").say(
        "Russia supplied oil to North Korea in March 2024.",
        trigger="supplied",
        date_text="March 2024",
        value=dv("2024-03"),
        type_="other",
        actors=("Russia", "North Korea"),
    )
    shells = Doc("b").say(
        "North Korea supplied shells to Russia in spring 2024.",
        trigger="supplied",
        date_text="spring 2024",
        value=dv("2024-SP"),
        type_="arms_transfer",
        actors=("North Korea", "Russia"),
    )
    assert len(merge_mentions([oil.result(), shells.result()])) == 2


def test_day_dates_far_apart_stay_apart() -> None:
    results = [_summit("a", "2024-06-01").result(), _summit("c", "2024-06-21").result()]
    assert len(merge_mentions(results)) == 2


def _corpus() -> list[DocumentResult]:
    deployment = Doc("d", "2024-11-08").say(
        "North Korea sent troops to Russia in October 2024.",
        trigger="sent",
        date_text="October 2024",
        value=dv("2024-10"),
        type_="deployment",
        actors=("North Korea",),
        location="Russia",
    )
    return [
        visit("a", published="2024-06-20").result(),
        visit("b", published="2024-06-21").result(),
        _summit("c", "2024-06-19").result(),
        deployment.result(),
        _invasion("e").result(),
        _generic("g", ("Russia",)).result(),
    ]


def test_ids_are_stable_across_runs() -> None:
    first = [e.id for e in merge_mentions(_corpus())]
    second = [e.id for e in merge_mentions(_corpus())]
    assert first == second
    assert len(set(first)) == len(first)
    assert all(i.startswith("ev_") for i in first)


def test_ids_and_order_do_not_depend_on_document_order() -> None:
    expected = [(e.id, sources_of(e)) for e in merge_mentions(_corpus())]
    for seed in range(5):
        shuffled = _corpus()
        random.Random(seed).shuffle(shuffled)
        assert [(e.id, sources_of(e)) for e in merge_mentions(shuffled)] == expected


def test_events_sorted_by_start_then_finer_precision_first() -> None:
    def event(doc_id: str, value: str, actor: str) -> DocumentResult:
        return (
            Doc(doc_id)
            .say(
                f"{actor} signed an accord ({value}).",
                trigger="signed",
                date_text=value,
                value=dv(value),
                type_="agreement",
                actors=(actor,),
            )
            .result()
        )

    results = [
        event("y", "2024", "Chile"),
        event("q", "2024-Q1", "Peru"),
        event("m", "2024-01", "Cuba"),
        event("d", "2024-01-01", "Iran"),
        event("e", "2023-05-01", "Oman"),
        event("w", "2024-W01", "Laos"),
    ]
    events = merge_mentions(results)
    assert [e.date.date.value for e in events] == [
        "2023-05-01",
        "2024-01-01",
        "2024-W01",
        "2024-01",
        "2024-Q1",
        "2024",
    ]


def test_sources_ordered_by_publication() -> None:
    results = [
        visit("late", published="2024-06-25").result(),
        visit("early", published="2024-06-20").result(),
    ]
    events = merge_mentions(results)
    assert [s.document.id for s in events[0].sources] == ["early", "late"]


def test_surname_joins_the_only_full_name_in_the_corpus() -> None:
    full = visit("a")
    short = visit("b", actors=("Putin",), location=None, sentence="Putin arrived on 19 June 2024.")
    events = merge_mentions([full.result(), short.result()])
    assert len(events) == 1
    assert events[0].actors == ["Vladimir Putin"]


def test_surname_shared_by_two_full_names_is_left_alone() -> None:
    full = visit("a")
    other = Doc("o").say(
        "Lyudmila Putin arrived in Berlin on 3 March 2001.",
        trigger="arrived",
        date_text="3 March 2001",
        value=dv("2001-03-03"),
        type_="visit",
        actors=("Lyudmila Putin",),
        location="Berlin",
    )
    short = visit("b", actors=("Putin",), location=None, sentence="Putin arrived on 19 June 2024.")
    events = merge_mentions([full.result(), other.result(), short.result()])
    actors = {a for e in events for a in e.actors}
    assert "Putin" in actors
    assert len(events) == 3


def test_the_collector_pause_is_shared_and_lifted_by_the_last_merge() -> None:
    """Overlapping merges (threads) share one pause of the cycle collector; it ends with the last one,
    and a collector that was off before stays off."""
    import gc

    from dateline.merging.cluster import _cyclic_gc_paused

    assert gc.isenabled()
    first, second = _cyclic_gc_paused(), _cyclic_gc_paused()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert not gc.isenabled(), "the first merge to end must not lift the other's pause"
    second.__exit__(None, None, None)
    assert gc.isenabled()
    gc.disable()
    try:
        with _cyclic_gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
