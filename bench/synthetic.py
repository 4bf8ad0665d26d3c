"""A deterministic synthetic corpus of extraction results, for the merge and serving benchmarks.

``generate(n_mentions, seed)`` returns ``DocumentResult`` objects shaped like what the extractor gives
on real news (calibrated on seeds/ and tests/data/articles/: about 6 mentions per document, a quarter
of them typed ``other``, month and day dates most common, 0 to 5 actors with a few very common ones,
a place on about one mention in five, 2 % generic references):

* a pool of real-world events, each with a type, a true day, 1 to 3 actors drawn from a Zipf-weighted
  pool (countries, organisations, people; a few people share a surname) and sometimes a place;
* most events fall in one 3.5-year window, so dates overlap heavily as the corpus grows (the hard case
  for candidate lookup); the rest are spread over 1960-2021;
* each event is reported by 1 to 20 documents; each report gives the date at its own precision (day,
  a day a few days off, week, month, season, quarter, year, decade), a subset of the actors, people
  sometimes by surname only ("Putin" for "Vladimir Putin"), sometimes an extra common actor, and a
  trigger word of the event's type (10 % of reports are mistyped as ``other``);
* documents hold 2 to 10 reports each, with a unique text whose offsets match every quote, date span
  and trigger, and a publication date after the events they report.

The same ``(n_mentions, seed)`` always gives the same corpus (``random.Random`` seeded with both, no
clock, no hash randomisation). Only :mod:`dateline.model` and the tagger's :func:`calendar_date`
are used, so the generator does not load spaCy.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import cast

from dateline.model import DateValue, Document, DocumentResult, Mention, Published, TextSpan
from dateline.timex.values import calendar_date

#: bump when the corpus changes shape (cached stores are keyed by it)
GENERATOR_VERSION = 1

COUNTRIES = [
    "Russia", "Ukraine", "United States", "China", "North Korea", "Iran", "Israel", "Germany",
    "France", "United Kingdom", "Turkey", "India", "Japan", "South Korea", "Poland", "Syria",
    "Saudi Arabia", "Belarus", "Taiwan", "Pakistan", "Brazil", "Qatar", "Egypt", "Hungary",
    "Italy", "Spain", "Canada", "Australia", "Sweden", "Finland", "Norway", "Denmark", "Georgia",
    "Armenia", "Azerbaijan", "Kazakhstan", "Serbia", "Romania", "Moldova", "Lithuania", "Latvia",
    "Estonia", "Mexico", "Venezuela", "Cuba", "Iraq", "Lebanon", "Jordan", "Libya", "Sudan",
]  # fmt: skip
ORGANISATIONS = [
    "United Nations", "UN Security Council", "NATO", "European Union", "BRICS", "ASEAN", "G7",
    "G20", "International Monetary Fund", "World Bank", "OPEC", "International Atomic Energy Agency",
]  # fmt: skip
REAL_PEOPLE = [
    "Vladimir Putin",
    "Kim Jong Un",
    "Xi Jinping",
    "Joe Biden",
    "Donald Trump",
    "Volodymyr Zelensky",
]
FIRST = [
    "Anna", "Boris", "Carla", "Dmitri", "Elena", "Farid", "Greta", "Hassan", "Ingrid", "Jonas",
    "Katya", "Luis", "Marta", "Nikolai", "Olga", "Pavel", "Rosa", "Sergei", "Tomas", "Yuki",
]  # fmt: skip
LAST = [
    "Andersen", "Baranov", "Costa", "Dahl", "Eriksen", "Fischer", "Garcia", "Holm", "Ivanova",
    "Jensen", "Kowalski", "Lunde", "Moreau", "Novak", "Orlov", "Petrov", "Quist", "Rossi",
    "Silva", "Tanaka", "Ueda", "Varga", "Weber", "Yilmaz", "Zhou",
]  # fmt: skip
CITIES = [
    "Moscow", "Kyiv", "Washington", "Beijing", "Pyongyang", "Tehran", "Berlin", "Paris", "London",
    "Ankara", "New Delhi", "Tokyo", "Seoul", "Warsaw", "Damascus", "Riyadh", "Minsk", "Taipei",
    "Geneva", "Brussels", "Vienna", "Doha", "Cairo", "Istanbul", "Kharkiv", "Odesa", "Donetsk",
    "Bakhmut", "Vladivostok", "Helsinki", "Oslo", "Stockholm", "Tbilisi", "Yerevan", "Baku",
]  # fmt: skip

#: (type, share of events) as the extractor gives them on the calibration corpus
TYPES = [
    ("other", 0.25), ("statement", 0.16), ("agreement", 0.11), ("election", 0.06), ("disaster", 0.06),
    ("visit", 0.08), ("meeting", 0.08), ("combat", 0.08), ("sanction", 0.05), ("deployment", 0.05),
    ("arms_transfer", 0.02),
]  # fmt: skip
VERBS = {
    "agreement": ["signed", "ratified", "agreed", "concluded", "sealed"],
    "visit": ["visited", "travelled", "toured", "flew", "arrived"],
    "meeting": ["met", "conferred", "convened", "hosted", "negotiated"],
    "deployment": ["deployed", "stationed", "dispatched", "redeployed", "mobilized"],
    "combat": ["attacked", "invaded", "bombed", "shelled", "fought"],
    "arms_transfer": ["armed", "supplied", "delivered", "shipped"],
    "statement": ["said", "announced", "declared", "stated", "warned"],
    "sanction": ["sanctioned", "banned", "embargoed", "suspended", "froze"],
    "election": ["elected", "voted", "reelected", "inaugurated"],
    "disaster": ["erupted", "flooded", "collapsed", "crashed", "exploded"],
    "other": [
        "launched", "opened", "closed", "expanded", "reported", "started", "ended", "raised", "cut",
        "built", "released", "arrested", "resigned", "appointed", "founded", "lost", "won", "tested",
        "approved", "rejected", "blocked", "joined", "left", "seized", "returned", "revealed",
    ],
}  # fmt: skip
#: (precision, share of reports)
PRECISIONS = [
    ("day", 0.28), ("near_day", 0.05), ("week", 0.02), ("month", 0.34), ("season", 0.07),
    ("quarter", 0.03), ("year", 0.17), ("decade", 0.04),
]  # fmt: skip
#: how many documents report one event: (count, weight)
REPORTS = [
    (1, 0.45),
    (2, 0.25),
    (3, 0.12),
    (4, 0.05),
    (5, 0.04),
    (6, 0.03),
    (8, 0.03),
    (12, 0.02),
    (20, 0.01),
]
WINDOW = (date(2022, 1, 1), date(2025, 6, 30))
SEASONS = {"WI": 12, "SP": 3, "SU": 6, "FA": 9}
MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip


@dataclass
class _Event:
    type: str
    day: date
    actors: list[str]
    location: str | None
    verb: str
    story: int


def _people(rng: random.Random, n: int) -> list[str]:
    names = list(REAL_PEOPLE)
    seen = set(names)
    while len(names) < n:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"  # some surnames repeat: ambiguous "Lunde"
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def _zipf_weights(n: int, s: float = 1.0) -> list[float]:
    return [1.0 / (i + 1) ** s for i in range(n)]


def _choice(rng: random.Random, table: list[tuple[str, float]] | list[tuple[int, float]]) -> object:
    return rng.choices([k for k, _ in table], weights=[w for _, w in table])[0]


def _date_of(rng: random.Random, day: date, precision: str) -> tuple[DateValue, str]:
    """A report's date for an event on ``day``, at ``precision``, and how the text gives it."""
    y = day.year
    if precision == "near_day":
        day = day + timedelta(days=rng.choice([-5, -3, -2, -1, 1, 2, 3, 5]))
        precision = "day"
    if precision == "day":
        value, text = day.isoformat(), f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    elif precision == "week":
        iy, iw, _ = day.isocalendar()
        value, text = f"{iy:04d}-W{iw:02d}", f"the week of {day.day} {MONTHS[day.month - 1]} {day.year}"
    elif precision == "month":
        value, text = f"{y:04d}-{day.month:02d}", f"{MONTHS[day.month - 1]} {y}"
    elif precision == "season":
        code = {12: "WI", 1: "WI", 2: "WI", 3: "SP", 4: "SP", 5: "SP"}.get(
            day.month, "SU" if day.month < 9 else "FA"
        )
        sy = y - 1 if day.month < 3 else y  # winter 2024 runs December 2024 to February 2025
        value, text = f"{sy:04d}-{code}", f"the {code.lower()} of {sy}"
    elif precision == "quarter":
        value, text = f"{y:04d}-Q{(day.month - 1) // 3 + 1}", f"the quarter of {y}"
    elif precision == "year":
        value, text = f"{y:04d}", str(y)
    else:
        value, text = f"{y // 10:03d}", f"the {y // 10 * 10}s"
    dv = calendar_date(value)
    if dv is None or not (dv.start <= day <= dv.end or precision == "day"):
        dv = calendar_date(f"{y:04d}")  # a season code that does not hold the day: fall back to the year
        text = str(y)
    assert dv is not None
    return dv, text


def _surname(name: str) -> str:
    return name.split()[-1]


_SYLLABLES = ["val", "kes", "mar", "nor", "bal", "tor", "lin", "dra", "ven", "sol", "qua", "zen",
              "ost", "rim", "tal", "gor", "hel", "ada", "bru", "cor"]  # fmt: skip


def _coined(index: int, suffix: str) -> str:
    """A unique made-up proper name for ``index`` ("Kesmarnor", "Valbal-ia" ...)."""
    parts = []
    while True:
        index, r = divmod(index, len(_SYLLABLES))
        parts.append(_SYLLABLES[r])
        if index == 0:
            break
        index -= 1
    parts += ["dor"] * (3 - len(parts))
    return "".join(parts).capitalize() + suffix


def _cast(
    rng: random.Random, story: int, n_mentions: int, stories: int
) -> tuple[list[str], list[str], set[str]]:
    """(actors, places, people) of one story: the shared real-world pool when there is one story, else
    a cast of its own (made-up countries, people and places that no other story shares)."""
    if stories == 1:
        people = _people(rng, min(120 + n_mentions // 200, 400))  # at most 500 first x last names
        actors = COUNTRIES[:10] + REAL_PEOPLE + ORGANISATIONS[:4] + COUNTRIES[10:] + ORGANISATIONS[4:]
        actors += [p for p in people if p not in actors]
        places = CITIES + [f"{rng.choice(LAST)}burg" for _ in range(40)]
        return actors, places, set(people)
    base = story * 4
    countries = [_coined(base + k, "ia") for k in range(2)]
    people = [f"{rng.choice(FIRST)} {_coined(base + k, 'ov')}" for k in range(3)]
    people.append(f"{rng.choice(FIRST)} {_coined(base, 'ov')}")  # two people share a surname
    org = [_coined(story, " Alliance")]
    places = [_coined(base + k, "burg") for k in range(3)]
    return countries + people[:2] + org + people[2:], places, set(people)


def generate(
    n_mentions: int,
    seed: int = 0,
    stories: int = 1,
    doc_size: tuple[int, int] = (2, 10),
    actorless: bool = True,
) -> list[DocumentResult]:
    """About ``n_mentions`` mentions (exactly, unless the last document is short) in documents of 2-10.

    ``stories`` = 1 (the default) gives one topical corpus over a shared cast of real-world actors,
    where a few actors ("Russia") are in a quarter of all mentions: the realistic hard case for
    merging. ``stories`` > 1 splits the events into that many unrelated stories, each with its own
    made-up cast, as in a general news archive; each document reports events of one story.
    ``actorless`` False gives every event and every report at least one actor (no "the bank raised
    rates"): then nothing links two stories, which keeps the store's incremental merge per story.
    """
    key = f"{GENERATOR_VERSION}:{seed}:{n_mentions}:{stories}:{doc_size}" + ("" if actorless else ":named")
    rng = random.Random(f"dateline-bench:{key}")
    casts = [_cast(rng, s, n_mentions, stories) for s in range(stories)]
    weights = [(_zipf_weights(len(a), 1.05), _zipf_weights(len(p), 0.9)) for a, p, _ in casts]
    types = [(t, w) for t, w in TYPES]

    # the events and how many reports each gets, until the reports reach n_mentions
    events: list[_Event] = []
    slots: list[int] = []
    span_days = (WINDOW[1] - WINDOW[0]).days
    while len(slots) < n_mentions:
        story = rng.randrange(stories)
        actors, places, _ = casts[story]
        actor_w, place_w = weights[story]
        etype = str(_choice(rng, types))
        if rng.random() < 0.75:
            day = WINDOW[0] + timedelta(days=rng.randrange(span_days))
        else:
            day = date(1960, 1, 1) + timedelta(days=rng.randrange(365 * 62))
        n_actors = rng.choices([0, 1, 2, 3], weights=[0.08 if actorless else 0.0, 0.37, 0.35, 0.20])[0]
        ev_actors = list(dict.fromkeys(rng.choices(actors, weights=actor_w, k=n_actors)))
        location = rng.choices(places, weights=place_w)[0] if rng.random() < 0.3 else None
        events.append(_Event(etype, day, ev_actors, location, rng.choice(VERBS[etype]), story))
        slots.extend([len(events) - 1] * cast(int, _choice(rng, REPORTS)))
    slots = slots[:n_mentions]
    rng.shuffle(slots)
    if stories > 1:  # an article covers one story: its reports come from that story's events
        slots.sort(key=lambda e: events[e].story)
    chunks: list[list[int]] = []
    i = 0
    while i < len(slots):
        size = rng.randint(*doc_size)
        chunks.append(slots[i : i + size])
        i += size
    rng.shuffle(chunks)  # stories interleave in ingestion order

    results: list[DocumentResult] = []
    for chunk in chunks:
        doc_id = f"syn-{seed}-{len(results):06d}"
        header = f"Synthetic report {doc_id}.\n\n"
        text = header
        mentions: list[Mention] = []
        latest = date(1960, 1, 1)
        for ev_index in chunk:
            ev = events[ev_index]
            generic = rng.random() < 0.02
            precision = "year" if generic else str(_choice(rng, PRECISIONS))
            dv, date_text = _date_of(rng, ev.day, precision)
            latest = max(latest, dv.end)
            etype = "other" if (rng.random() < 0.10 and ev.type != "other") else ev.type
            verb = ev.verb if (etype == ev.type and rng.random() < 0.7) else rng.choice(VERBS[etype])
            names = [a for a in ev.actors if rng.random() < 0.75] or ev.actors[:1]
            actors, _, people = casts[ev.story]
            names = [_surname(a) if a in people and rng.random() < 0.3 else a for a in names]
            if rng.random() < 0.3:
                names.append(rng.choices(actors, weights=weights[ev.story][0])[0])
            names = list(dict.fromkeys(names))
            location = ev.location if ev.location and rng.random() < 0.7 else None
            subject = names[0] if names else "Officials"
            obj = f" with {names[1]}" if len(names) > 1 else ""
            where = f" in {location}" if location else ""
            prefix = "The events since " if generic else ""
            sentence = f"{prefix}{subject} {verb}{obj}{where} in {date_text}"
            extra = "".join(f", {n} said" for n in names[2:])
            sentence += extra + ".\n\n"
            start = len(text)
            t_start = start + len(prefix) + len(subject) + 1
            d_start = start + sentence.index(f" in {date_text}") + 4
            text += sentence
            mentions.append(
                Mention(
                    document_id=doc_id,
                    quote=sentence.rstrip(),
                    start=start,
                    end=start + len(sentence.rstrip()),
                    date=dv,
                    date_span=TextSpan(date_text, d_start, d_start + len(date_text)),
                    trigger=TextSpan(verb, t_start, t_start + len(verb)),
                    type=etype,
                    title=f"{subject} {verb}{obj}".strip(),
                    actors=tuple(names),
                    location=location,
                    generic=generic,
                )
            )
        published = min(latest + timedelta(days=rng.randint(0, 30)), date(2025, 12, 31))
        document = Document(
            id=doc_id,
            text=text,
            title=f"Report {len(results)}",
            publisher=rng.choice(["Wire Service", "Daily Chronicle", "Coastal Herald", "Nordic Times"]),
            url=f"https://news.example.org/{doc_id}",
            published=Published(published, "given"),
        )
        results.append(DocumentResult(document, mentions))
    return results


def article_prose(chars: int, seed: int = 0) -> str:
    """About ``chars`` characters of article-like prose (the extraction growth benchmark's input).

    Paragraphs of 2 to 5 sentences, as a long news article has them: dated reports of events in the
    style of :func:`generate` (day, month, year and relative dates), background and quotes without
    dates, figures and bylines, over the real-world cast. No paragraph repeats (clean() drops repeats),
    and the same ``(chars, seed)`` always gives the same text.
    """
    rng = random.Random(f"dateline-bench-prose:{seed}")
    people = [f"{first} {last}" for first in FIRST for last in LAST]
    cast = COUNTRIES + ORGANISATIONS + REAL_PEOPLE
    types = [t for t in VERBS if t != "other"]
    nouns = ["talks", "agreement", "summit", "offensive", "sanctions", "election", "deal", "inquiry"]
    adjectives = ["new", "long-awaited", "disputed", "second", "bilateral", "regional", "fragile", "final"]
    roles = ["foreign minister", "defence minister", "prime minister", "spokesman", "envoy", "president"]

    def when() -> str:
        day = WINDOW[0] + timedelta(days=rng.randrange((WINDOW[1] - WINDOW[0]).days))
        month = MONTHS[day.month - 1]
        return rng.choice([
            f"on {day.day} {month} {day.year}", f"in {month} {day.year}", f"on {month} {day.day}",
            f"in {day.year}", "last week", "on Tuesday", "two days later", f"in early {day.year}",
            "the following month", "earlier this year",
        ])  # fmt: skip

    def sentence() -> str:
        a, b = rng.sample(cast, 2)
        person, city, noun = rng.choice(people), rng.choice(CITIES), rng.choice(nouns)
        kind = rng.random()
        if kind < 0.35:
            where = f" in {city}" if rng.random() < 0.5 else ""
            return f"{a} {rng.choice(VERBS[rng.choice(types)])} with {b}{where} {when()}, {person} said."
        if kind < 0.55:
            return (
                f"The {rng.choice(adjectives)} {noun} between {a} and {b} had been expected to change "
                f"little, according to analysts in {city}."
            )
        if kind < 0.7:
            return (
                f"\u201cWe will not accept any {noun} that ignores our interests,\u201d {person}, the "
                f"{rng.choice(roles)} of {a}, told reporters."
            )
        if kind < 0.85:
            return (
                f"{rng.randint(2, 900) * 10:,} people were affected, and officials in {city} said the "
                f"figure could rise as the {noun} continued."
            )
        return f"{person} has covered {a} and {b} for {rng.randint(2, 20)} years and wrote about the {noun}."

    paragraphs: list[str] = []
    size = 0
    while size < chars:
        paragraph = " ".join(sentence() for _ in range(rng.randint(2, 5)))
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    return "\n\n".join(paragraphs)[:chars].rsplit(" ", 1)[0] + "."


def check(results: list[DocumentResult]) -> None:
    """Every quote, date span and trigger is the text at its offsets (the store and API rely on it)."""
    for r in results:
        text = r.document.text
        for m in r.mentions:
            assert text[m.start : m.end] == m.quote, (r.document.id, m.quote)
            assert text[m.date_span.start : m.date_span.end] == m.date_span.text, m.date_span
            assert text[m.trigger.start : m.trigger.end] == m.trigger.text, m.trigger


if __name__ == "__main__":
    import sys
    from collections import Counter

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    res = generate(n, stories=int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    check(res)
    ms = [m for r in res for m in r.mentions]
    print(len(res), "documents", len(ms), "mentions")
    print(Counter(m.type for m in ms).most_common())
    print(Counter(m.date.precision for m in ms).most_common())
    print(Counter(len(m.actors) for m in ms).most_common())
    print(Counter(a for m in ms for a in m.actors).most_common(12))
