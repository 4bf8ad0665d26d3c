"""How outlets word and date one event differently, end to end (extract, then merge): each pattern is
one entry, and the look-alikes that are different events stay apart.

Short texts of our own that reproduce what real multi-outlet coverage does (the issue's splits), not
sentences of any evaluation article.
"""

from __future__ import annotations

from typing import Any

import pytest

from dateline.merging.cluster import merge_mentions
from dateline.model import Document, Event


def _doc(doc_id: str, published: str, text: str) -> Document:
    return Document(id=doc_id, text=text, published=published)


def _timeline(extractor: Any, docs: list[Document]) -> list[Event]:
    return merge_mentions(extractor.extract_many(docs))


def _event_of(events: list[Event], doc_id: str, word: str) -> Event:
    hits = [e for e in events if any(s.document.id == doc_id and word in s.mention.quote for s in e.sources)]
    if len(hits) > 1:  # a sentence that tells two events ("resigned ..., two weeks after the floods")
        own = [e for e in hits if any(s.mention.trigger.text == word for s in e.sources)]
        hits = own or hits
    assert len(hits) == 1, [(e.title, [s.document.id for s in e.sources]) for e in events]
    return hits[0]


#: (name, documents, the (document, word) pairs that must sit in one event)
SAME_EVENT = [
    (
        "a role description and the name, the verb and its noun",
        [
            _doc(
                "named",
                "2025-03-14",
                "Administrator Dana Whitlock resigned Thursday, two weeks after the floods in the valley.",
            ),
            _doc(
                "role",
                "2025-03-14",
                "The county's top emergency management official resigned Thursday amid criticism.",
            ),
            _doc(
                "noun",
                "2025-03-15",
                "The resignation of Dana Whitlock on Thursday left the agency without a head.",
            ),
        ],
        [("named", "resigned"), ("role", "resigned"), ("noun", "resignation")],
    ),
    (
        "a wildfire, a fire and the disaster, by day and by week",
        [
            _doc(
                "day",
                "2025-07-10",
                "A wildfire swept through Corraville on July 8, destroying dozens of homes.",
            ),
            _doc(
                "weekday",
                "2025-07-11",
                "The disaster in Corraville began just after midnight on Tuesday, when a power line fell.",
            ),
            _doc(
                "week",
                "2025-07-18",
                "Residents returned to Corraville, the hill town that a wildfire devastated last week.",
            ),
        ],
        [("day", "wildfire"), ("weekday", "disaster"), ("week", "devastated")],
    ),
    (
        "one kind of happening told by different verbs",
        [
            _doc(
                "raged",
                "2025-09-12",
                "A firestorm raged through the hills on Sept. 9, forcing families to flee.",
            ),
            _doc(
                "levelled",
                "2025-09-13",
                "Crews counted the damage on Saturday, four days after a wind-driven blaze levelled Pelling.",
            ),
        ],
        [("raged", "raged"), ("levelled", "blaze")],
    ),
    (
        "a typed report and an untyped one with the same word",
        [
            _doc(
                "typed", "2025-02-17", "Rovers sacked their coach after Sunday's 3-0 defeat at Halden Town."
            ),
            _doc("untyped", "2025-02-17", "The board met after Sunday's defeat at Halden Town."),
        ],
        [("typed", "3-0 defeat"), ("untyped", "defeat at")],
    ),
    (
        "one outlet names the regulator that acted, another only the buyer it acted on",
        [
            _doc(
                "buyer",
                "2023-04-26",
                "Norway's antitrust watchdog has blocked Acme's $20 billion takeover of games maker Orbit "
                "Games over concerns about cloud gaming.",
            ),
            _doc(
                "regulator",
                "2023-07-14",
                "The deal was blocked in Norway in April by the Norwegian Competition Authority, which "
                "feared for competition in cloud gaming.",
            ),
        ],
        [("buyer", "blocked"), ("regulator", "blocked")],
    ),
    (
        "one article tells a visit by two kinds of one happening (an arrival, a trip)",
        [
            _doc(
                "a",
                "2025-03-11",
                "President Lena Marsh arrived in Tromso on Monday, a week after storms flooded the town. "
                "Marsh and her husband interrupted their vacation in Crete on Monday to fly to Tromso.",
            ),
        ],
        [("a", "arrived"), ("a", "vacation")],
    ),
    (
        "a strike told as walking out and as a walkout",
        [
            _doc(
                "walked",
                "2026-03-17",
                "Train drivers in Deltany walked out on Tuesday in a 48-hour strike over pay.",
            ),
            _doc(
                "walkout",
                "2026-03-19",
                "A two-day stoppage by train drivers in Deltany ended on Thursday. The walkout, which "
                "began on March 17, cancelled about 80% of intercity trains.",
            ),
        ],
        [("walked", "walked"), ("walkout", "walkout")],
    ),
    (
        "a flood told as a river bursting its banks and as it overflowing and killing",
        [
            _doc(
                "burst",
                "2025-09-15",
                "At least 12 people died when the River Lusk burst its banks on Saturday night, flooding "
                "the towns of Harlow and Mere.",
            ),
            _doc("overflowed", "2025-09-16", "The Lusk river overflowed and killed 12 people on Saturday."),
        ],
        [("burst", "burst"), ("overflowed", "overflowed")],
    ),
    (
        "an evacuation told as evacuating and as moving people to safety",
        [
            _doc(
                "evacuated", "2025-09-15", "The army evacuated more than 6,000 residents of Harlow on Sunday."
            ),
            _doc("moved", "2025-09-16", "Soldiers moved some 6,000 people in Harlow to safety on Sunday."),
        ],
        [("evacuated", "evacuated"), ("moved", "moved")],
    ),
    (
        "a sentence told with the convict described and with the convict named",
        [
            _doc(
                "described",
                "2025-03-08",
                "A former mayor of Redbury was jailed for six years on Friday for taking bribes.",
            ),
            _doc(
                "named",
                "2025-03-07",
                "Gareth Pellow was sentenced to six years in prison at Bristol Crown Court on Friday.",
            ),
        ],
        [("described", "jailed"), ("named", "sentenced")],
    ),
    (
        "a recall announced as done and as under way",
        [
            _doc(
                "done",
                "2025-04-03",
                "E-bike maker Orvana has recalled 80,000 bikes across Europe, it announced on Thursday.",
            ),
            _doc(
                "under-way",
                "2025-04-04",
                "Orvana said on Thursday it was recalling 80,000 electric bikes in Europe.",
            ),
        ],
        [("done", "recalled"), ("under-way", "recalling")],
    ),
    (
        "a final told as winning the event by beating the other side and as a victory over it",
        [
            _doc(
                "won",
                "2025-06-09",
                "Ruth Ellis won the French Open on Saturday, beating top seed Mia Kors 6-4 6-3 in the final.",
            ),
            _doc(
                "claimed",
                "2025-06-08",
                "Ruth Ellis claimed her first major title on Saturday with a straight-sets victory over "
                "Mia Kors.",
            ),
        ],
        [("won", "won"), ("claimed", "claimed")],
    ),
    (
        "a launch from its site, told by the spacecraft or by the rocket",
        [
            _doc(
                "satellite",
                "2025-09-19",
                "The weather satellite Vela-2 was launched on a Tern 5 rocket from Corrin on Thursday.",
            ),
            _doc(
                "rocket",
                "2025-09-19",
                "A Tern 5 rocket lifted off from the national spaceport in Corrin on September 18.",
            ),
        ],
        [("satellite", "launched"), ("rocket", "lifted")],
    ),
    (
        "an earthquake and a tremor of one magnitude",
        [
            _doc(
                "quake",
                "2025-02-04",
                "A magnitude 6.9 earthquake struck southern Peru on Monday, killing at least 38 people.",
            ),
            _doc(
                "tremor",
                "2025-02-04",
                "The magnitude 6.9 tremor struck before dawn on Monday, February 3, near Arequipa.",
            ),
        ],
        [("quake", "struck"), ("tremor", "struck")],
    ),
    (
        "a takeover agreed by the buyer, and by the bought in a sentence ending in its attribution",
        [
            _doc(
                "buyer",
                "2025-05-13",
                "Varco Group agreed on Monday to buy Lindell Foods for $8 billion in cash.",
            ),
            _doc(
                "bought",
                "2025-05-13",
                "Frozen food maker Lindell Foods has agreed to be acquired by rival Varco Group in an $8bn "
                "takeover, the companies announced on May 12.",
            ),
        ],
        [("buyer", "agreed"), ("bought", "agreed")],
    ),
]


@pytest.mark.parametrize(("name", "docs", "members"), SAME_EVENT, ids=[row[0] for row in SAME_EVENT])
def test_one_event_however_each_outlet_words_it(
    extractor: Any, name: str, docs: list[Document], members: list[tuple[str, str]]
) -> None:
    events = _timeline(extractor, docs)
    found = {_event_of(events, doc_id, word).id for doc_id, word in members}
    assert len(found) == 1, name


#: (name, documents, the (document, word) pairs that must be different events)
DIFFERENT_EVENTS = [
    (
        "two leaders arriving in two capitals on the same day",
        [
            _doc("a", "2024-06-20", "President Lena Marsh arrived in Oslo on Wednesday for a two-day visit."),
            _doc("b", "2024-06-20", "Prime Minister Tomas Varga arrived in Lisbon on Wednesday for talks."),
        ],
        [("a", "arrived"), ("b", "arrived")],
    ),
    (
        "the same word on two different days",
        [
            _doc("a", "2025-03-14", "Councillor Ana Ribeiro resigned on Monday after the vote."),
            _doc("b", "2025-03-14", "Councillor Ana Ribeiro's deputy resigned on Thursday in protest."),
        ],
        [("a", "Monday"), ("b", "Thursday")],
    ),
    (
        "one kind of happening in two places on two days",
        [
            _doc("a", "2025-09-12", "A wildfire raged through Pelling on Sept. 9, forcing families to flee."),
            _doc("b", "2025-09-12", "A blaze levelled the village of Arnholt on Sept. 10."),
        ],
        [("a", "raged"), ("b", "levelled")],
    ),
    (
        "two speakers at one hearing, one naming the other",
        [
            _doc(
                "a",
                "2024-03-29",
                "A federal judge sentenced Leon Hart to ten years in prison on Thursday for fraud. Judge Ada "
                "Moss said Hart deserved a heavy sentence because he misled the jury. Hart, 41, said he was "
                "sorry about what had happened to his customers.",
            ),
        ],
        [("a", "deserved"), ("a", "sorry")],
    ),
    (
        "two acts of one government on one day, told in one article",
        [
            _doc(
                "a",
                "2024-09-21",
                "Marland imposed an overnight curfew nationwide on Saturday after the vote. It told "
                "residents to stay home. Earlier that day, the cabinet declared Monday a national "
                "holiday.",
            ),
        ],
        [("a", "curfew"), ("a", "holiday")],
    ),
]


@pytest.mark.parametrize(
    ("name", "docs", "members"), DIFFERENT_EVENTS, ids=[row[0] for row in DIFFERENT_EVENTS]
)
def test_look_alikes_stay_apart(
    extractor: Any, name: str, docs: list[Document], members: list[tuple[str, str]]
) -> None:
    events = _timeline(extractor, docs)
    found = {_event_of(events, doc_id, word).id for doc_id, word in members}
    assert len(found) == len(members), name
