"""The event taxonomy: the table is whole and published (README, JSON Schemas), each trigger takes its
type and subtype from its clause (one row per sense), and the subtype travels to the API and the store.

The sentences are short texts of our own, one linguistic case each."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from dateline.events.senses import NONE, OWN, Sense
from dateline.model import EVENT_SUBTYPES, EVENT_TYPES, Document, Event, Published, Timeline
from dateline.store.codec import mention_from_payload, mention_payload
from dateline.taxonomy import markdown_table, subtype_descriptions, taxonomy, type_descriptions
from dateline.views.query import TimelineQuery, matching
from dateline.views.schemas import EventSchema
from dateline.vocab import load

ROOT = Path(__file__).resolve().parents[1]
DATA = load("triggers")

# --------------------------------------------------------------------------------------------------
# the table
# --------------------------------------------------------------------------------------------------


def _specs() -> list[tuple[str, str, str]]:
    """(word, qualifier group, sense spec) of every rule of the qualified words."""
    return [
        (word, group, spec)
        for part in ("qualified_verbs", "qualified_nouns")
        for word, rules in DATA[part].items()
        for group, spec in rules.items()
    ]


def test_the_types_keep_todays_names_and_end_with_other() -> None:
    today = {"agreement", "visit", "meeting", "deployment", "combat", "arms_transfer", "statement"}
    today |= {"sanction", "election", "disaster", "other"}
    assert today <= set(EVENT_TYPES)
    assert EVENT_TYPES[-1] == "other"
    assert len(EVENT_TYPES) == len(set(EVENT_TYPES))


def test_every_type_and_subtype_is_described() -> None:
    for t in taxonomy():
        assert t.description.endswith(".") and t.ace, t.name
        assert t.name == "other" or t.subtypes, t.name
        for s in t.subtypes:
            assert s.description and re.fullmatch(r"[a-z_]+", s.name), (t.name, s.name)
            assert s.triggers or s.in_context, f"{t.name}.{s.name} has no trigger"
    assert set(type_descriptions()) == set(EVENT_TYPES)
    assert set(subtype_descriptions()) == set(EVENT_SUBTYPES)


@pytest.mark.parametrize("part", ["verbs", "nouns"])
def test_a_plain_trigger_names_one_kind(part: str) -> None:
    seen: dict[str, str] = {}
    for typ, entry in DATA["types"].items():
        for sub, words in entry.get("subtypes", {}).items():
            for lemma in words.get(part, ()):
                assert lemma not in seen, f"{lemma!r} is {seen[lemma]} and {typ}.{sub}"
                seen[lemma] = f"{typ}.{sub}"
                assert " " not in lemma, "a trigger is one token"


def test_every_sense_names_a_kind_of_the_table() -> None:
    kinds = {(t.name, s.name) for t in taxonomy() for s in t.subtypes}
    for word, group, spec in _specs():
        if spec in (OWN, NONE, "other"):
            continue
        sense = Sense.parse(spec)
        assert sense.type in EVENT_TYPES, (word, spec)
        assert sense.subtype is None or (sense.type, sense.subtype) in kinds, (word, spec)
        assert group == "default" or group in DATA["qualifiers"], (word, group)


def test_every_qualifier_group_is_used_and_holds_single_words() -> None:
    used = {group for _, group, _ in _specs()}
    assert set(DATA["qualifiers"]) == used - {"default"}
    for group, words in DATA["qualifiers"].items():
        for w in words:
            assert " " not in w and (w == w.lower() or "@" in w), (group, w)


def test_strong_types_are_types() -> None:
    strong = set(DATA["narrative_strong_types"])
    assert strong <= set(EVENT_TYPES) and not strong & {"statement", "other"}


def test_the_readme_publishes_the_table() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert markdown_table() in readme, (
        "README's type table is stale: paste dateline.taxonomy.markdown_table()"
    )


def test_the_json_schema_describes_each_type_and_subtype() -> None:
    from dateline.views.jsonschema import JsonSchemaConverter

    props = JsonSchemaConverter().object(EventSchema)["properties"]
    types = props["type"]
    assert types["enum"] == list(EVENT_TYPES)
    assert [o["const"] for o in types["oneOf"]] == list(EVENT_TYPES)
    assert all(o["description"] for o in types["oneOf"])
    subtypes = props["subtype"]
    assert subtypes["enum"] == [*EVENT_SUBTYPES, None]
    assert subtypes["oneOf"][-1] == {"type": "null"}
    assert {o["const"] for o in subtypes["oneOf"][:-1]} == set(EVENT_SUBTYPES)


# --------------------------------------------------------------------------------------------------
# the kind from the clause: one row per sense
# --------------------------------------------------------------------------------------------------


def kind(text: str, published: str, typ: str, subtype: str | None, *, id: str) -> Any:
    return pytest.param(text, published, typ, subtype, id=id)


# (text, publication date, type, subtype) of the one mention the text holds
SENSES = [
    # strike: labour or attack
    kind("Dock workers went on strike at the country's main ports on 4 March over pay.", "2025-03-10",
         "protest", "strike", id="went-on-strike"),
    kind("The rail union staged a national strike on Monday over pension cuts.", "2025-03-10",
         "protest", "strike", id="union-staged-strike"),
    kind("Russian forces launched a missile strike on the city of Kharkiv on Tuesday.", "2024-11-08",
         "combat", "attack", id="missile-strike"),
    kind("Government troops struck rebel positions near the border on 3 May 2024.", "2024-11-08",
         "combat", "attack", id="troops-struck"),
    # transfer: a player, ownership, arms
    kind("The club completed the transfer of the striker to a rival club on 1 September 2024.", "2024-11-08",
         "sport", "transfer", id="player-transfer"),
    kind("The government transferred ownership of the national airline to a private investor in May 2021.",
         "2024-11-08", "transaction", "transfer", id="ownership-transfer"),
    kind("North Korea transferred thousands of artillery shells to Russia in August 2023.", "2024-11-08",
         "arms_transfer", "delivery", id="arms-transfer"),
    # collapse: talks, a building, a company, a currency
    kind("Peace talks between the two governments collapsed in Geneva on Friday.", "2024-11-10",
         "meeting", "breakdown", id="talks-collapsed"),
    kind("A residential building collapsed in the city centre on Tuesday, trapping dozens.", "2024-11-08",
         "accident", "collapse", id="building-collapsed"),
    kind("The cryptocurrency exchange collapsed in November 2022 after a run on deposits.", "2024-11-08",
         "business", "collapse", id="company-collapsed"),
    kind("The country's currency collapsed against the dollar in April 2022.", "2024-11-08",
         "business", "economy", id="currency-collapsed"),
    # an arrest is justice, never a sanction
    kind("Police arrested the former minister at his home in the capital on Tuesday.", "2024-11-08",
         "justice", "arrest", id="arrested"),
    kind("The opposition leader's arrest in January 2021 drew international condemnation.", "2024-11-08",
         "justice", "arrest", id="arrest-noun"),
    # fire: a wildfire, a building fire, a dismissal
    kind("A wildfire destroyed thousands of acres of forest in the hills on Tuesday.", "2024-11-08",
         "disaster", "wildfire", id="wildfire-destroyed"),
    kind("A fire broke out at a chemical plant on the edge of the city on Tuesday.", "2024-11-08",
         "accident", "fire", id="plant-fire"),
    kind("The board fired the chief executive on Monday after a vote of no confidence.", "2024-11-08",
         "personnel", "dismissal", id="fired-executive"),
    # release: a prisoner or figures
    kind("The authorities released the jailed journalist on 9 May 2024 after a prisoner exchange.",
         "2024-11-08", "justice", "release", id="released-journalist"),
    kind("The statistics agency released the inflation figures on Wednesday.", "2024-11-08",
         "statement", "announcement", id="released-figures"),
    kind("A jury found the former chief executive guilty of fraud on 2 November 2023.", "2024-11-08",
         "justice", "verdict", id="found-guilty"),
    # sign: a decree or a treaty
    kind("The president signed a decree dissolving parliament on Tuesday evening.", "2024-11-08",
         "politics", "decree", id="signed-decree"),
    kind("The two leaders signed a mutual defence treaty in Pyongyang in June 2024.", "2024-11-08",
         "agreement", "treaty", id="signed-treaty"),
    # declare: a winner, an emergency
    kind("The election commission declared the opposition candidate the winner on Sunday.", "2024-11-08",
         "election", "result", id="declared-winner"),
    kind("The government declared a state of emergency across the province on Monday.", "2024-11-08",
         "politics", "emergency", id="declared-emergency"),
    # deaths: a person's, or a disaster's toll
    kind("The former president died in hospital on 3 March 2023 at the age of 91.", "2024-11-08",
         "life", "death", id="died"),
    kind("Heavy floods swept the northern provinces in 2010, when 40 people died.", "2024-11-08",
         "disaster", "flood", id="died-in-floods"),
    kind("The death toll from the earthquake rose to 300 on Tuesday.", "2024-11-08",
         "disaster", "casualties", id="toll-rose"),
    # other kinds
    kind("The central bank raised its benchmark interest rate by half a point on Thursday.", "2024-11-08",
         "business", "rates", id="raised-rates"),
    kind("The club appointed its former captain as head coach on 1 November 2024.", "2024-11-08",
         "personnel", "appointment", id="appointed"),
    kind("The prime minister resigned on Monday after losing a confidence vote.", "2024-11-08",
         "personnel", "resignation", id="resigned"),
    kind("The home side beat the league leaders 3-0 at the national stadium on Saturday.", "2024-11-08",
         "sport", "win", id="beat-score"),
    kind("Portsmouth edged Oxford 2-1 on Tuesday.", "2024-11-08",
         "sport", "win", id="edged-a-side-by-a-score"),
    kind("Bristol thrashed Coventry 4-0 on Saturday.", "2024-11-08", "sport", "win", id="thrashed-a-side"),
    kind("Dock workers voted to strike on Monday.", "2024-11-08", "protest", "strike", id="workers-voted"),
    kind("A powerful tremor struck Peru on Monday.", "2024-11-08", "disaster", "earthquake", id="a-tremor"),
    kind("The board turned down a lower offer in February.", "2024-11-08",
         "statement", "position", id="turned-down-an-offer"),
    kind("Hurricane Rhea made landfall near Tampa on Wednesday.", "2024-11-08",
         "disaster", "storm", id="a-named-storm-made-landfall"),
    kind("A judge on Tuesday ordered Varco Group to pay $2 million in damages.", "2024-11-08",
         "justice", "ruling", id="a-judge-ordered"),
    kind("The president ordered the evacuation of the coast on Tuesday.", "2024-11-08",
         "politics", "decree", id="a-president-ordered"),
    kind("The central bank held interest rates at 5.25% on Thursday.", "2024-11-08",
         "business", "rates", id="held-rates"),
    kind("Ann Reed was confirmed by the Senate on Thursday.", "2024-11-08",
         "personnel", "appointment", id="confirmed-by-a-legislature"),
    kind("Voters in Norland voted in the general election on Sunday.", "2024-11-08",
         "election", "vote", id="voters-voted-in-a-general-election"),
    kind("The Democratic candidate conceded the race to her rival on Wednesday.", "2024-11-08",
         "election", "result", id="a-candidate-conceded"),
    kind("Harwick conceded two goals on Saturday.", "2024-11-08",
         "sport", "goal", id="a-side-conceded-goals"),
    kind("The carmaker recalled 300,000 vehicles over a brake fault on 4 November 2024.", "2024-11-08",
         "business", "recall", id="recalled-vehicles"),
    kind("The company filed for bankruptcy protection in a New York court in November 2022.", "2024-11-08",
         "business", "bankruptcy", id="filed-bankruptcy"),
    kind("Gunmen killed five people at a market in the town on Sunday.", "2024-11-08",
         "crime", "murder", id="gunmen-killed"),
    kind("Protesters marched on parliament on Saturday to demand new elections.", "2024-11-08",
         "protest", "demonstration", id="marched"),
    kind("Parliament passed the budget bill by a large majority on Thursday.", "2024-11-08",
         "politics", "legislation", id="passed-bill"),
    kind("The city council sold the old town hall to a developer in 2019.", "2024-11-08",
         "transaction", "sale", id="sold"),
    kind("The regulator opened a probe into the bank's lending on Thursday.", "2024-11-08",
         "justice", "investigation", id="probe-an-inquiry"),
    kind("A space probe landed on the comet on Thursday.", "2024-11-08",
         "science", "landing", id="probe-a-spacecraft"),
    # go: a trip, or to the polls
    kind("Voters in Poland went to the polls on Sunday in a presidential election.", "2025-06-20",
         "election", "vote", id="went-to-the-polls"),
    # strike down: a ruling, not an attack
    kind("The Supreme Court struck down the law on Thursday.", "2025-06-20",
         "justice", "ruling", id="struck-down-a-law"),
    # clash: protesters and police, or armed forces
    kind("Protesters clashed with police in central Paris on Saturday.", "2025-06-20",
         "protest", "riot", id="protesters-clashed"),
    kind("Troops clashed with rebels near the border on Saturday.", "2025-06-20",
         "combat", "battle", id="troops-clashed"),
    # assault: on a person (a crime) or armed
    kind("A court in Paris convicted the actor of sexual assault in May.", "2025-06-20",
         "justice", "verdict", id="convicted-of-sexual-assault"),
    kind("Police charged him with sexual assault on Monday.", "2025-06-20",
         "justice", "charge", id="charged-with-sexual-assault"),
    kind("Russian forces launched an assault on the town on Monday.", "2025-06-20",
         "combat", "attack", id="an-armed-assault"),
    # a prefix joined by a hyphen keeps the verb whole
    kind("Tom Reyes was re-elected president of the republic on Sunday, beating Ann Vale in a second round.",
         "2025-06-20", "election", "result", id="re-elected"),
    kind("Ann Vale co-founded the startup in 2019.", "2025-06-20",
         "business", "founding", id="co-founded"),
    # explode: a rocket at lift-off, or a weapon
    kind("The company's rocket exploded minutes after lift-off on Thursday.", "2025-06-20",
         "accident", "explosion", id="rocket-exploded-at-lift-off"),
    kind("A rocket exploded near the base on Monday, killing two soldiers.", "2025-06-20",
         "combat", "attack", id="rocket-exploded-at-a-base"),
    # win: approval is a regulator's decision
    kind("The drugmaker won approval from the regulator for its vaccine on Friday.", "2025-06-20",
         "business", "regulation", id="won-approval"),
    # abandon: talks break down
    kind("The two carmakers abandoned merger talks in February.", "2025-06-20",
         "meeting", "breakdown", id="abandoned-talks"),
    kind("The government abandoned the plan in March.", "2025-06-20",
         "statement", "position", id="abandoned-a-plan"),
    # knock out: of a competition, a defeat
    kind("Harwick City were knocked out of the cup on Saturday.", "2025-06-20",
         "sport", "defeat", id="knocked-out-of-the-cup"),
    kind("The storm knocked out power to 20,000 homes on Saturday.", "2025-06-20",
         "disaster", "storm", id="knocked-out-power"),
    # waters that burst, overflow or kill: a flood; people moved to safety: an evacuation
    kind("At least 12 people died when the River Lusk burst its banks on Saturday night.", "2025-06-20",
         "disaster", "flood", id="burst-its-banks"),
    kind("The Lusk river overflowed and killed 12 people on Saturday.", "2025-06-20",
         "disaster", "flood", id="a-river-killed"),
    kind("Gunmen killed 12 people near the river on Saturday.", "2025-06-20",
         "crime", "murder", id="killed-near-a-river"),
    kind("Soldiers moved some 6,000 people to safety on Sunday.", "2025-06-20",
         "disaster", "evacuation", id="moved-to-safety"),
    # results: a company reports or posts its figures; killed without a cause: a death
    kind("Nordbank reported a 24 percent rise in third-quarter profit on Wednesday.", "2025-06-20",
         "business", "results", id="reported-a-rise-in-profit"),
    kind("Nordbank posted quarterly earnings well above forecasts on Wednesday.", "2025-06-20",
         "business", "results", id="posted-earnings"),
    kind("At least 40 people were killed on Tuesday, officials said.", "2025-06-20",
         "life", "death", id="killed-no-cause"),
    # a spacecraft launched, lifting off, landing or docking: science
    kind("The probe lifted off from Kourou in March 2022.", "2025-06-20",
         "science", "launch", id="lifted-off"),
    kind("The agency launched a weather satellite on Wednesday.", "2025-06-20",
         "science", "launch", id="launched-a-satellite"),
    kind("The Kestrel probe touched down on the asteroid on Wednesday.", "2025-06-20",
         "science", "landing", id="touched-down-on-an-asteroid"),
    kind("Regulators launched a probe into Acme on Wednesday.", "2025-06-20",
         "justice", "investigation", id="launched-a-probe-into"),
    # take to the streets: a protest; win a named contest: a win
    kind("Some 80,000 demonstrators took to the streets of Lisbon on Sunday.", "2025-06-20",
         "protest", "demonstration", id="took-to-the-streets"),
    kind("Ruth Ellis won the Boston Marathon on Monday.", "2025-06-20",
         "sport", "win", id="won-a-named-contest"),
    # accept: an offer is a deal, a result a concession
    kind("Alves accepted the result on Sunday night.", "2025-06-20",
         "election", "result", id="accepted-the-result"),
    # recall: goods counted, or named as products, are a recall
    kind("E-bike maker Orvana has recalled 80,000 bikes across Europe, it announced on Thursday.",
         "2025-06-20", "business", "recall", id="recalled-counted-goods"),
    kind("Acme recalled its electric scooters on Thursday.", "2025-06-20",
         "business", "recall", id="recalled-products"),
    # block: a court's is a ruling; overturn: a vehicle's is a crash
    kind("A federal judge in Boston blocked the administration's tariff plan on Thursday.", "2025-06-20",
         "justice", "ruling", id="a-judge-blocked"),
    kind("The Senate blocked the motion on Monday.", "2025-06-20",
         "politics", "legislation", id="a-legislature-blocked"),
    kind("Two people were killed when a tour bus overturned near Perth on Monday.", "2025-06-20",
         "accident", "crash", id="a-bus-overturned"),
    kind("An appeals court overturned the verdict on Monday.", "2025-06-20",
         "justice", "ruling", id="a-verdict-overturned"),
    # sign: a player's contract is a transfer; score: in a match, a goal
    kind("The striker signed a four-year contract with Bayern Munich on Monday.", "2025-06-20",
         "sport", "transfer", id="a-striker-signed-a-contract"),
    kind("Reed scored twice in Sunday's final.", "2025-06-20",
         "sport", "goal", id="scored-in-a-final"),
    # vote: a legislature's on a bill is legislation, else an election's
    kind("Parliament approved the bill in a first vote on April 15.", "2025-06-20",
         "politics", "legislation", id="a-legislature's-vote"),
    kind("Voters went to the polls in a presidential vote on Sunday.", "2025-06-20",
         "election", "vote", id="a-presidential-vote"),
    # walk out: a strike
    kind("Thousands of doctors walked out on Monday in a dispute over pay.", "2025-06-20",
         "protest", "strike", id="walked-out"),
    # a post held since a date was taken then
    kind("Ann Reed, 68, was prime minister since May 2021.", "2025-06-20",
         "personnel", "appointment", id="was-prime-minister-since"),
    kind("Tom Hale has served as mayor since May 2021.", "2025-06-20",
         "personnel", "appointment", id="served-as-mayor-since"),
    # claim: a trophy, or a statement
    kind("Ann Vale claimed the Wimbledon crown on Saturday.", "2025-07-14",
         "sport", "win", id="claimed-a-crown"),
    kind("The company claimed on Monday that the report was false.", "2025-07-14",
         "statement", "position", id="claimed-a-fact"),
    # collapse: into administration is insolvency, not a government
    kind("The energy supplier collapsed into administration in September.", "2025-07-14",
         "business", "bankruptcy", id="collapsed-into-administration"),
    kind("The coalition government collapsed on Monday.", "2025-07-14",
         "politics", "government", id="a-government-collapsed"),
    # a product approved, unveiled; rates ended; trains collided
    kind("The regulator approved the first gene therapy for the disease in December 2023.", "2025-06-20",
         "business", "regulation", id="approved-a-therapy"),
    kind("The company unveiled its first headset on June 5, 2023.", "2025-06-20",
         "business", "launch", id="unveiled-a-product"),
    kind("The central bank ended negative interest rates in March 2024.", "2025-06-20",
         "business", "rates", id="ended-negative-rates"),
    kind("Two trains collided near the city on February 28, 2023, killing 57 people.", "2025-06-20",
         "accident", "crash", id="trains-collided"),
    # open fire: a gunman's shooting, the police's crackdown, an army's attack
    kind("A gunman opened fire at a shopping mall on Thursday, killing eight people.", "2025-06-20",
         "crime", "shooting", id="a-gunman-opened-fire"),
    kind("Police opened fire on protesters in the capital on Tuesday.", "2025-06-20",
         "protest", "crackdown", id="police-opened-fire"),
    kind("Soldiers opened fire on the convoy near the border on Tuesday.", "2025-06-20",
         "combat", "attack", id="soldiers-opened-fire"),
    # a storm battered a coast
    kind("Storm Ciaran battered the northern coast on November 2.", "2025-06-20",
         "disaster", "storm", id="a-storm-battered"),
    # agree: to the kind of agreement it names
    kind("The two sides agreed to a ceasefire on January 15.", "2025-06-20",
         "agreement", "ceasefire", id="agreed-to-a-ceasefire"),
    kind("The two firms agreed a merger deal on Monday.", "2025-06-20",
         "agreement", "deal", id="agreed-a-deal"),
    # talks that fall apart break down; a board rebuffs; regulators probe
    kind("Rescue talks with an investor fell apart on September 3.", "2026-09-08",
         "meeting", "breakdown", id="talks-fell-apart"),
    kind("The talks resumed in Geneva on Monday.", "2026-09-08",
         "meeting", "talks", id="talks-resumed"),
    kind("The board rebuffed the offer in November.", "2026-09-08",
         "statement", "position", id="rebuffed-an-offer"),
    kind("Safety regulators began probing the vehicles in March.", "2026-09-08",
         "justice", "investigation", id="began-probing"),
    kind("The board accepted a takeover offer from its rival on Tuesday.", "2026-09-08",
         "agreement", "deal", id="accepted-an-offer"),
    # go: bust
    kind("The energy supplier went bust in November 2022.", "2025-06-20",
         "business", "bankruptcy", id="went-bust"),
    # exchange: prisoners
    kind("The two countries exchanged 390 prisoners each on Friday.", "2025-06-20",
         "justice", "release", id="exchanged-prisoners"),
    # which event a date dates
    kind("The two leaders attend a reception after their talks in this photo released on 25 April 2019 "
         "by the state news agency.", "2024-11-08", "meeting", "meeting", id="photo-caption"),
    kind("The minister urged the regulator on Monday to reverse its ban on imports.", "2024-11-08",
         "statement", "appeal", id="urged-not-the-ban"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "published", "typ", "subtype"), SENSES)
def test_the_kind_comes_from_the_clause(
    extractor: Any, text: str, published: str, typ: str, subtype: str | None
) -> None:
    doc = Document("doc", text, published=Published(date.fromisoformat(published), "given"))
    found = extractor.extract(doc).mentions
    assert [(m.type, m.subtype) for m in found] == [(typ, subtype)], [
        (m.type, m.subtype, m.trigger.text, m.date.value) for m in found
    ]


# --------------------------------------------------------------------------------------------------
# the subtype in events, queries and the store
# --------------------------------------------------------------------------------------------------


def _with_subtypes(timeline: Timeline, *subtypes: str | None) -> Event:
    """The timeline's first event with its sources' mentions given these subtypes."""
    event = timeline.events[0]
    event.sources = [
        replace(s, mention=replace(s.mention, subtype=sub))
        for s, sub in zip(event.sources, subtypes, strict=True)
    ]
    return event


@pytest.mark.parametrize(
    ("subtypes", "expected"),
    [(("arrival", "arrival"), "arrival"), (("visit", "arrival"), "visit"), ((None, "arrival"), "arrival"),
     ((None, None), None)],
    ids=["agree", "tie-first-source", "one-names-it", "none"],
)  # fmt: skip
def test_an_event_takes_the_subtype_its_sources_name(
    sample_timeline: Timeline, subtypes: tuple[str | None, ...], expected: str | None
) -> None:
    assert _with_subtypes(sample_timeline, *subtypes).subtype == expected


def test_the_subtype_filter(sample_timeline: Timeline) -> None:
    _with_subtypes(sample_timeline, "arrival", "arrival")
    assert [e.id for e in matching(sample_timeline, TimelineQuery(subtypes=("arrival",)))] == ["evt-visit"]
    assert matching(sample_timeline, TimelineQuery(subtypes=("arrest",))) == []
    both = TimelineQuery(types=("visit",), subtypes=("arrival",))
    assert [e.id for e in matching(sample_timeline, both)] == ["evt-visit"]
    assert "subtype" not in TimelineQuery().filters(), "a cursor made before subtypes stays valid"
    assert TimelineQuery(subtypes=("arrival",)).digest() != TimelineQuery().digest()


def test_the_store_keeps_the_subtype(sample_timeline: Timeline) -> None:
    mention = replace(sample_timeline.events[0].sources[0].mention, subtype="arrival")
    payload = mention_payload(mention)
    assert payload["subtype"] == "arrival" and mention_from_payload(payload) == mention
    older = {k: v for k, v in payload.items() if k != "subtype"}  # stored before subtypes existed
    assert mention_from_payload(older).subtype is None


def test_the_api_filters_and_checks_subtypes(client: Any) -> None:
    events = client.get("/v1/timeline").get_json()["events"]
    assert all("subtype" in e for e in events)
    named = sorted({e["subtype"] for e in events if e["subtype"]})
    assert named, "the seeds name some subtypes"
    wanted = named[0]
    body = client.get(f"/v1/timeline?subtype={wanted}").get_json()
    assert body["events"] and all(e["subtype"] == wanted for e in body["events"])
    bad = client.get("/v1/timeline?subtype=picnic")
    assert bad.status_code == 400 and bad.mimetype == "application/problem+json"
    assert "subtype" in bad.get_data(as_text=True)
