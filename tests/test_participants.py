"""The participants and the place of an event: the clause's own arguments (a pronoun or role
description as the one it names in the article; "the club" never a body of another kind), people,
bodies and places kept apart (a club the small model takes for a place, a seat of government in a
title or acting for its country, a name after "on" or a verb's "of"), the judge of a bare "the
verdict", and the place of the clause, else of the sentence, else the article's dateline. Short texts
of our own."""

from __future__ import annotations

from typing import Any

import pytest

from mentions import mention

# (text, trigger, actors that must be there, actors that must not)
ACTORS = [
    pytest.param(
        "Coach Dan Reed praised the side. Striker Leo Park scored four goals on 3 May 2024.",
        "scored",
        {"Leo Park"},
        {"Dan Reed", "Striker Leo Park"},
        id="never-a-name-of-the-previous-sentence",
    ),
    pytest.param(
        "Dana Whitfield founded the firm in 2015. Police said she was arrested on 3 May 2024.",
        "arrested",
        {"Dana Whitfield"},
        set(),
        id="pronoun-is-the-person-it-stands-for",
    ),
    pytest.param(
        "US District Judge Ann Wells oversaw the case. The judge sentenced Tom Hale on 3 May 2024.",
        "sentenced",
        {"Ann Wells", "Tom Hale"},
        {"United States"},
        id="role-description-through-an-earlier-title",
    ),
    pytest.param(
        "Anna Berg was named the city's top emergency official in 2020. The official resigned on 3 May 2024.",
        "resigned",
        {"Anna Berg"},
        set(),
        id="role-description-through-an-earlier-naming",
    ),
    pytest.param(
        "Maria Lopez founded Lopez Foods in 2010. She sold the company on 3 May 2024.",
        "sold",
        {"Maria Lopez", "Lopez Foods"},
        set(),
        id="definite-description-of-a-body",
    ),
    pytest.param(
        "Joost ten Broek was sacked by Harwick United on 28 October 2024.",
        "sacked",
        {"Joost ten Broek", "Harwick United"},
        {"Erik", "Hag"},
        id="name-particle-and-passive-agent",
    ),
    pytest.param(
        "The Federal Trade Commission sued the firm in May 2023. The FTC lost the case in July 2023.",
        "lost",
        {"Federal Trade Commission"},
        {"FTC"},
        id="acronym-is-the-full-name-the-article-gave",
    ),
    pytest.param(
        "Ann Wells heard the case. Wells sentenced the banker on 3 May 2024.",
        "sentenced",
        {"Ann Wells"},
        {"Wells"},
        id="surname-is-the-full-name-the-article-gave",
    ),
    pytest.param(
        "Lopez Foods's 2022 collapse hurt investors. The company's owner was charged on 3 May 2024.",
        "charged",
        set(),
        {"Lopez Foods's 2022", "2022"},
        id="no-year-or-possessive-as-a-person",
    ),
    pytest.param(
        "The UK's competition watchdog blocked the takeover on 26 April 2023.",
        "blocked",
        set(),
        {"United Kingdom"},
        id="country-of-a-body-is-where-not-who",
    ),
    pytest.param(
        "Russian President Vladimir Putin arrived in Pyongyang on 19 June 2024.",
        "arrived",
        {"Vladimir Putin", "Russia"},
        {"North Korea"},
        id="head-of-state-acts-for-the-country-the-place-is-no-actor",
    ),
    pytest.param(
        "Tom Hale was sworn in as the ninth president by Chief Justice Ann Wells on 23 September 2024.",
        "sworn",
        {"Tom Hale", "Ann Wells"},
        set(),
        id="agent-the-parser-hung-on-the-complement",
    ),
    pytest.param(
        "The election board declared on 22 September 2024 veteran leader Ann Wells as winner.",
        "declared",
        {"Ann Wells"},
        set(),
        id="object-after-a-date-in-apposition",
    ),
    pytest.param(
        "Ann Wells, the leader of the Blue Party's broad front New Power, defeated Tom Hale of the Green"
        " League (GL) on 21 September 2024.",
        "defeated",
        {"Ann Wells", "Tom Hale"},
        {"Blue Party", "New Power", "Green League", "GL"},
        id="apposition-and-affiliation-say-who-not-who-took-part",
    ),
    pytest.param(
        "Vladimir Putin met Kim Jong Un of North Korea on 19 June 2024.",
        "met",
        {"Vladimir Putin", "Kim Jong Un", "North Korea"},
        set(),
        id="a-person-of-a-country-acts-for-it",
    ),
    pytest.param(
        "Luis Prado left Braga in 2020. Zorro Athletic named Luis Prado coach in 2021. Prado has"
        " been appointed as Zorro Athletic manager on 1 November 2024.",
        "appointed",
        {"Luis Prado", "Zorro Athletic"},
        {"Prado"},
        id="untagged-surname-and-the-employer-of-an-as-phrase",
    ),
    pytest.param(
        "The death toll from the Redbury wildfire rose to 64 on 15 August 2023.",
        "rose",
        set(),
        {"Redbury"},
        id="a-hazard-is-named-after-where-not-who",
    ),
    pytest.param(
        "MANCHESTER: The club apologised on 3 November 2024 for its US tour.",
        "apologised",
        set(),
        {"MANCHESTER", "Manchester"},
        id="a-pronoun-never-stands-for-the-dateline",
    ),
    pytest.param(
        "Tom Hale was sworn in as Sri Lanka's president on 23 September 2024.",
        "sworn",
        {"Tom Hale"},
        {"Sri Lanka"},
        id="an-as-phrase-names-no-country",
    ),
    # --- participants and places a clause names indirectly: plural pronouns, described bodies,
    # institutions, a speaker's employer, a body "at" which, a justice event's venue ---
    pytest.param(
        "Ann Reed and Tom Hale toured the plant on Monday. They signed the deal on 3 May 2024.",
        "signed",
        {"Ann Reed", "Tom Hale"},
        set(),
        id="they-is-the-pair-coordinated-before",
    ),
    pytest.param(
        "Ann Reed landed in the morning and toured the site with Tom Hale. They left the city on 3 May 2024.",
        "left",
        {"Ann Reed", "Tom Hale"},
        set(),
        id="they-is-a-person-and-the-one-with-them",
    ),
    pytest.param(
        "Leeds United won the cup in April. They signed a new striker on 3 May 2024.",
        "signed",
        {"Leeds United"},
        set(),
        id="they-is-the-body-named-before",
    ),
    pytest.param(
        "Ann Reed met the fans on Monday. They protested on 3 May 2024.",
        "protested",
        set(),
        {"Ann Reed"},
        id="they-is-nobody-after-a-plural-noun",
    ),
    pytest.param(
        "French President Ana Varga landed on Monday and toured the port with Tom Hale. They paused their"
        " holiday on 3 May 2024.",
        "paused",
        {"Ana Varga", "Tom Hale"},
        {"France"},
        id="a-pronoun-for-a-head-of-state-is-not-the-country",
    ),
    pytest.param(
        "The Competition and Markets Authority opened an inquiry in March. In May, Acme urged the UK"
        " regulator to drop its veto of 3 May 2024.",
        "urged",
        {"Acme", "Competition and Markets Authority"},
        {"United Kingdom"},
        id="described-body-with-a-country-is-the-body-of-that-family",
    ),
    pytest.param(
        "Acme Corp urged Britain's competition watchdog to approve the deal on 3 May 2024.",
        "approve",
        {"Acme Corp"},
        {"United Kingdom"},
        id="described-body-the-article-never-named-is-nobody",
    ),
    pytest.param(
        "Sri Lanka held a vote on Saturday. The government declared a holiday on 3 May 2024.",
        "declared",
        {"Sri Lanka"},
        set(),
        id="the-government-acts-for-the-country",
    ),
    pytest.param(
        "Sri Lanka voted in August. The new parliament was convened on 3 May 2024.",
        "convened",
        {"Sri Lanka"},
        set(),
        id="the-new-parliament-acts-for-the-country",
    ),
    pytest.param(
        "Sonoma county announced the new toll on 3 May 2024.",
        "announced",
        {"Sonoma County"},
        set(),
        id="a-county-that-acts-is-its-government",
    ),
    pytest.param(
        "Ann Reed, administrator of the Federal Aviation Agency, told reporters on 3 May 2024 that the"
        " runway was safe.",
        "told",
        {"Ann Reed", "Federal Aviation Agency"},
        set(),
        id="a-speaker-speaks-for-the-body-she-works-for",
    ),
    pytest.param(
        "Ann Reed, administrator of the Federal Aviation Agency, was arrested on 3 May 2024.",
        "arrested",
        {"Ann Reed"},
        {"Federal Aviation Agency"},
        id="an-arrest-is-not-the-employers-deed",
    ),
    pytest.param(
        "Ann Reed, leader of the Green Party, said on 3 May 2024 that she would run.",
        "said",
        {"Ann Reed"},
        {"Green Party"},
        id="a-leaders-party-is-no-employer",
    ),
    pytest.param(
        "Newcastle Rovers won the cup in 2020. Tom Hale's spell at Newcastle Rovers has come to an end,"
        " the team said on 3 May 2024.",
        "come",
        {"Tom Hale", "Newcastle Rovers"},
        set(),
        id="a-body-at-which",
    ),
    pytest.param(
        "Lena Marsh told reporters at Northolt on 3 May 2024 that the talks would go on.",
        "told",
        {"Lena Marsh"},
        {"Northolt"},
        id="a-place-at-which-is-no-actor",
    ),
    pytest.param(
        "Leeds United won the cup in April. United sacked the coach on 3 May 2024.",
        "sacked",
        {"Leeds United"},
        {"United"},
        id="a-body-by-the-last-word-of-its-name",
    ),
    pytest.param(
        "Mira Sand quit Estoria on 3 May 2024 after six seasons.",
        "quit",
        {"Mira Sand", "Estoria"},
        set(),
        id="the-body-one-leaves-though-taken-for-a-place",
    ),
    pytest.param(
        "Mira Sand quit Estoria in 2023. Their board sued her on 3 May 2024.",
        "sued",
        {"Estoria"},
        set(),
        id="their-for-the-body-one-left",
    ),
    pytest.param(
        "Tom Hale coached Leeds United in the Premier League. The club sacked him on 3 May 2024.",
        "sacked",
        {"Leeds United", "Tom Hale"},
        {"Premier League"},
        id="the-club-is-no-league",
    ),
    pytest.param(
        "Ann Reed has led the Social Farmers Union since 2019. The party expelled Tom Hale on 3 May 2024.",
        "expelled",
        {"Social Farmers Union", "Tom Hale"},
        set(),
        id="the-party-may-be-a-union",
    ),
    pytest.param(
        "Tom Hale runs Northway Capital Group. The bank cut 300 jobs on 3 May 2024.",
        "cut",
        {"Northway Capital Group"},
        set(),
        id="the-bank-may-be-a-group",
    ),
    pytest.param(
        "Kai Lund ran Westbrook Air Group for a decade. The airline cut 300 jobs on 3 May 2024.",
        "cut",
        {"Westbrook Air Group"},
        set(),
        id="the-airline-may-be-a-group",
    ),
    pytest.param(
        "Kremlin spokesman Oleg Marin denied the report on 3 May 2024.",
        "denied",
        {"Oleg Marin", "Kremlin", "Russia"},
        set(),
        id="a-seat-of-government-in-a-title-is-the-office",
    ),
    pytest.param(
        "The White House said on 3 May 2024 that aid was coming.",
        "said",
        {"United States"},
        {"White House"},
        id="a-seat-of-government-acting-is-its-country",
    ),
    pytest.param(
        "Ann Reed spoke on the Northern Star on 3 May 2024.",
        "spoke",
        {"Ann Reed"},
        {"Northern Star"},
        id="a-body-after-on-is-where",
    ),
    pytest.param(
        "Mira Sand spoke of Ravel Corp on 3 May 2024 as a trusted partner.",
        "spoke",
        {"Mira Sand"},
        {"Ravel Corp"},
        id="a-verbs-of-says-what-about",
    ),
    pytest.param(
        "US District Judge Ann Wells heard the case. The verdict on 3 May 2024 shocked Tom Hale.",
        "verdict",
        {"Ann Wells"},
        set(),
        id="the-judge-presides-over-the-verdict",
    ),
    pytest.param(
        "The NATO summit in Vilnius on 11 July 2023 ended with a pledge.",
        "summit",
        {"NATO"},
        set(),
        id="a-known-body-the-model-left-untagged-names-the-summit",
    ),
    pytest.param(
        "Leaders met for a summit in Vale on 3 May 2024, and at the summit Ann Reed warned of risks.",
        "met",
        {"Ann Reed"},
        set(),
        id="who-acts-at-the-event-takes-part",
    ),
    pytest.param(
        "Norland's army shelled the town on 3 May 2024, and at the town hall Ann Reed spoke.",
        "shelled",
        {"Norland"},
        {"Ann Reed"},
        id="who-acts-at-another-place-does-not",
    ),
    pytest.param(
        "Britain's competition watchdog approved the merger on 3 May 2024. The Competition and Markets "
        "Authority said prices would not rise.",
        "approved",
        {"Competition and Markets Authority"},
        set(),
        id="a-described-body-named-further-down",
    ),
    pytest.param(
        "The UK's antitrust watchdog blocked the deal on 3 May 2024. The Competition and Markets "
        "Authority said prices would rise.",
        "blocked",
        {"Competition and Markets Authority"},
        {"United Kingdom"},
        id="a-named-body-acts-itself",
    ),
    pytest.param(
        "South Korea protested. North Korea's leader abandoned the policy of reunification with the "
        "South on 3 May 2024.",
        "abandoned",
        {"North Korea", "South Korea"},
        set(),
        id="a-compass-word-for-the-one-country-it-begins",
    ),
    pytest.param(
        "South Korea and South Africa met in Oslo. Norway held talks with the South on 3 May 2024.",
        "held",
        {"Norway"},
        {"South Korea", "South Africa"},
        id="a-compass-word-for-two-countries-names-none",
    ),
    pytest.param(
        "The Arctic Space Agency's probe lifted off from the Vardø spaceport on 3 May 2024.",
        "lifted",
        {"Arctic Space Agency"},
        {"Vardø"},
        id="a-sites-name-is-where-not-who",
    ),
    pytest.param(
        "Turnout was high in the general election in Norland on 3 May 2024. Voter turnout fell later.",
        "election",
        set(),
        {"Turnout"},
        id="a-common-word-opening-a-sentence-is-no-name",
    ),
    pytest.param(
        "Apple sold more phones on 3 May 2024. Analysts said Apple liked the apple harvest.",
        "sold",
        {"Apple"},
        set(),
        id="a-name-the-article-repeats-mid-sentence-stays",
    ),
    pytest.param(
        "Following Tom Hale's conviction on 3 May 2024, prosecutors spoke.",
        "conviction",
        {"Tom Hale"},
        {"Following Tom Hale"},
        id="an-opening-preposition-is-no-part-of-a-name",
    ),
    pytest.param(
        "Judge Ann Wells will preside. Tom Hale's fraud trial began on 3 May 2024.",
        "trial",
        {"Tom Hale", "Ann Wells"},
        set(),
        id="the-judge-presides-over-a-defendants-trial",
    ),
    pytest.param(
        "Judge Ann Wells presided over the case. Tom Hale was found guilty on 3 May 2024.",
        "found",
        {"Tom Hale", "Ann Wells"},
        set(),
        id="the-judge-presides-over-a-passive-verdict",
    ),
    pytest.param(
        "Judge Ann Wells presided over the case. A jury found Tom Hale guilty on 3 May 2024.",
        "found",
        {"Tom Hale", "Ann Wells"},
        set(),
        id="the-judge-presides-over-a-jurys-verdict",
    ),
    pytest.param(
        "Judge Ann Wells presided over the case. Ravel Corp won its hearing on 3 May 2024.",
        "won",
        {"Ravel Corp", "Ann Wells"},
        set(),
        id="a-party-wins-the-hearing-the-judge-presides",
    ),
    pytest.param(
        "Judge Ann Wells heard the case. Tom Hale was convicted by a military tribunal on 3 May 2024.",
        "convicted",
        {"Tom Hale"},
        {"Ann Wells"},
        id="a-named-agent-may-be-another-court",
    ),
    pytest.param(
        "Judge Ann Wells heard the case. The appeal court's verdict on 3 May 2024 freed Tom Hale.",
        "verdict",
        set(),
        {"Ann Wells"},
        id="a-courts-own-verdict-is-not-the-judges",
    ),
    pytest.param(
        "Judge Ann Wells and Judge Bo Kerr heard cases. Tom Hale was convicted on 3 May 2024.",
        "convicted",
        {"Tom Hale"},
        {"Ann Wells", "Bo Kerr"},
        id="two-judges-none-presides-for-sure",
    ),
    pytest.param(
        "Judge Ann Wells heard the appeal. A regional court sentenced Tom Hale on 3 May 2024.",
        "sentenced",
        {"Tom Hale"},
        {"Ann Wells"},
        id="a-court-that-acts-itself-is-not-the-judge-named",
    ),
    pytest.param(
        "US District Judge Ann Wells heard the case. Tom Hale was arrested on 3 May 2024.",
        "arrested",
        {"Tom Hale"},
        {"Ann Wells"},
        id="the-judge-takes-no-part-in-an-arrest",
    ),
    pytest.param(
        "Harwick United won the county cup on 3 May 2024.",
        "won",
        {"Harwick United"},
        set(),
        id="a-club-the-model-left-untagged",
    ),
    pytest.param(
        "Kelso reached the final by beating the holders, Dunmore City, 3-0 in the semi-final on 3 May 2024.",
        "beating",
        {"Dunmore City"},
        set(),
        id="the-other-side-of-a-match-is-no-place",
    ),
    pytest.param(
        "Leeds United sacked their manager after Sunday's 2-1 defeat at Burnley.",
        "defeat",
        {"Leeds United", "Burnley"},
        set(),
        id="a-defeat-at-a-ground-names-the-home-side",
    ),
    pytest.param(
        "Kingsbridge United won the National Cup on 17 May 2024, beating Easthaven Rovers 2-1.",
        "won",
        {"Kingsbridge United", "Easthaven Rovers"},
        set(),
        id="the-side-beaten-in-a-win",
    ),
    pytest.param(
        "A former mayor of Redbury was jailed for six years on 7 March 2025.",
        "jailed",
        set(),
        {"Redbury"},
        id="the-town-a-mayor-served-is-no-participant",
    ),
    pytest.param(
        "Ann Reed, the British-Canadian journalist, was freed on 9 May 2025.",
        "freed",
        {"Ann Reed"},
        {"United Kingdom", "Canada"},
        id="a-person's-nationality-is-who-she-is",
    ),
    pytest.param(
        "Tom Hale, the British foreign minister, met Ann Reed on 9 May 2025.",
        "met",
        {"Tom Hale", "United Kingdom", "Ann Reed"},
        set(),
        id="a-minister's-nationality-is-whom-he-acts-for",
    ),
    pytest.param(
        "Leeds United sacked their manager after Sunday's 2-1 defeat at Burnley left the club bottom.",
        "defeat",
        {"Leeds United", "Burnley"},
        set(),
        id="a-defeat-that-is-its-own-clause's-subject",
    ),
    pytest.param(
        "Arsenal's win at Villa Park on 3 May 2024 was their first.",
        "win",
        {"Arsenal"},
        {"Villa Park"},
        id="a-stadium-stays-where",
    ),
    pytest.param(
        "An earthquake hit Turkey on 6 February 2023.", "hit", set(), {"Turkey"}, id="struck-not-taking-part"
    ),
    pytest.param(
        "Tom Hale, 40, thanked Ann Reed, 58, on Friday. The 58-year-old was found guilty in February.",
        "found",
        {"Ann Reed"},
        {"Tom Hale"},
        id="the-person-of-the-age-given",
    ),
    pytest.param(
        "Ann Reed was jailed on Friday. The 31-year-old entrepreneur was found guilty in February.",
        "found",
        {"Ann Reed"},
        set(),
        id="an-age-given-nobody-is-the-person-named-last",
    ),
    pytest.param(
        "Ann Reed, 61, met Tom Hale on Friday. The 58-year-old was found guilty in February.",
        "found",
        set(),
        {"Ann Reed"},
        id="not-someone-of-another-age",
    ),
    pytest.param(
        "Gareth Pellow was jailed on Friday. Judge Alan Crewe told the court that Pellow, 61, had betrayed "
        "the town. A jury convicted him on Tuesday.",
        "convicted",
        {"Gareth Pellow"},
        set(),
        id="a-surname-the-model-took-for-a-product",
    ),
    pytest.param(
        "Olena Kovalenko won the final on Saturday. The Ukrainian defeated Ann Vale 6-3, 6-4.",
        "defeated",
        {"Olena Kovalenko", "Ann Vale"},
        {"Ukraine"},
        id="one-of-a-nation-is-a-person",
    ),
    pytest.param(
        "Russian forces attacked the town on Monday.", "attacked", {"Russia"}, set(), id="a-nation-s-forces"
    ),
    pytest.param(
        "Castleford United sacked manager Ian Royce on Sunday, a day after a defeat left the club bottom.",
        "sacked",
        {"Castleford United", "Ian Royce"},
        set(),
        id="a-verb-the-parser-read-as-a-modifier",
    ),
    pytest.param(
        "Caretaker Mark Dunning oversaw a 1-1 draw with Holt City on Wednesday.",
        "draw",
        {"Holt City"},
        set(),
        id="the-other-side-of-a-draw-is-no-place",
    ),
    pytest.param(
        "Castleford United have appointed Tomas Berg as their new manager, five days after the dismissal of "
        "Ian Royce. The 44-year-old Norwegian signed a contract until 2029 on Friday.",
        "signed",
        set(),
        {"Ian Royce"},
        id="an-age-given-nobody-among-two-people-is-nobody",
    ),
    pytest.param(
        "United sacked Tom Hale on Monday after a 3-0 defeat by Burnley left them 17th. The club issued a "
        "statement on Tuesday.",
        "issued",
        set(),
        {"Burnley"},
        id="the-other-side-is-not-the-club",
    ),
    pytest.param(
        "MANCHESTER, England (Reuters) - Gareth Pellow, the former mayor of Redbury, was jailed for six "
        "years on Friday. A jury convicted him on Tuesday.",
        "convicted",
        {"Gareth Pellow"},
        set(),
        id="a-name-the-model-left-untagged-beside-a-post",
    ),
    pytest.param(
        "Interior Minister Pavel Hanak said on Monday that nobody would be left alone.",
        "said",
        {"Pavel Hanak"},
        {"Interior"},
        id="a-portfolio-is-no-employer",
    ),
    pytest.param(
        "A ceasefire brokered by Qatar took effect on Sunday.",
        "ceasefire",
        {"Qatar"},
        set(),
        id="the-agent-of-an-event-noun-s-participle",
    ),
    pytest.param(
        "Harwick Rovers parted company with Dan Price on Sunday.",
        "parted",
        {"Harwick Rovers", "Dan Price"},
        set(),
        id="a-name-the-parser-read-as-an-adverb-is-the-subject",
    ),
    pytest.param(
        "Tom Hale founded the energy supplier Varco in 2009. The company went bust in 2022.",
        "went",
        {"Varco"},
        {"Tom Hale"},
        id="a-body-introduced-by-what-it-is",
    ),
    pytest.param(
        "Reporters at Northolt saw the plane land on 3 May 2024.",
        "saw",
        set(),
        {"Northolt"},
        id="at-a-place-outside-a-match-says-where",
    ),
    pytest.param(
        "The Halden Port Authority opened a new terminal on 3 March 2024. Ships queued. Crews worked."
        " Traders waited. Prices fell. The agency's board approved the plan in May 2024.",
        "approved",
        {"Halden Port Authority"},
        set(),
        id="a-body-described-by-what-it-is-paragraphs-after-its-name",
    ),
    pytest.param(
        "Tom Hale founded Varco in 2009. Ships queued. Crews worked. Traders waited. Prices fell."
        " The company went bust in 2022.",
        "went",
        set(),
        {"Varco"},
        id="a-body-whose-name-does-not-say-what-it-is-only-nearby",
    ),
    pytest.param(
        "The death toll rose to 40 on 3 March 2024, according to the Dalvik County website.",
        "rose",
        {"Dalvik County"},
        set(),
        id="the-source-of-a-count-counts",
    ),
    pytest.param(
        "The death toll from the floods rose to 93 on 3 March 2024, according to the Kerala government.",
        "rose",
        {"Kerala"},
        set(),
        id="the-source-of-a-count-by-its-government",
    ),
    pytest.param(
        "Harwick Rovers sold the ground on 3 March 2024, according to the Dalvik County website.",
        "sold",
        {"Harwick Rovers"},
        {"Dalvik County"},
        id="the-source-of-a-report-that-is-no-count-takes-no-part",
    ),
    pytest.param(
        "Arsenal beat Tottenham 3-1 at the Emirates on 3 March 2024.",
        "beat",
        {"Arsenal", "Tottenham"},
        set(),
        id="sides-the-model-left-untagged-and-an-object-read-as-an-adverb",
    ),
    pytest.param(
        "Portsmouth edged Oxford 2-1 on 3 March 2024.",
        "edged",
        {"Portsmouth", "Oxford"},
        set(),
        id="a-town-that-plays-a-match-is-its-side",
    ),
    pytest.param(
        "Novak Djokovic reached the final. Djokovic beat Alcaraz in the final on 3 March 2024.",
        "beat",
        {"Novak Djokovic", "Alcaraz"},
        {"Djokovic"},
        id="an-untagged-side-that-is-a-person-s-surname-is-the-person",
    ),
    pytest.param(
        "Shares in Halden Bank fell 12% on 3 March 2024 after it cut its forecast.",
        "fell",
        {"Halden Bank"},
        set(),
        id="the-body-a-holding-is-in",
    ),
    pytest.param(
        "Researchers at the University of Oxford published the results on 3 March 2024.",
        "published",
        {"University of Oxford"},
        set(),
        id="the-body-people-work-at",
    ),
    pytest.param(
        "Harwick Rovers scraped a 1-1 draw against Ann Reed's side in Spain, and the result on 3 March"
        " 2024 sealed the coach's fate.",
        "sealed",
        {"Harwick Rovers", "Ann Reed"},
        set(),
        id="the-result-is-the-match-its-sentence-told",
    ),
    pytest.param(
        "Tesla recalled more than 2 million vehicles on 3 March 2024 over a faulty Autopilot system.",
        "recalled",
        {"Tesla"},
        set(),
        id="a-subject-the-model-left-untagged",
    ),
    pytest.param(
        "Varco Group agreed on 3 March 2024 to buy Lindell Foods for $8 billion.",
        "agreed",
        {"Varco Group", "Lindell Foods"},
        set(),
        id="what-an-agreement-is-to-do-and-to-whom",
    ),
    pytest.param(
        "Lindell Foods agreed on 3 March 2024 to be acquired by Varco Group.",
        "agreed",
        {"Varco Group", "Lindell Foods"},
        set(),
        id="by-whom-an-agreement-is-to-be-done",
    ),
    pytest.param(
        "Harwick Rovers lost the final on 3 March 2024. Harwick had beaten Easton 3-0 in the league in"
        " January 2024.",
        "beaten",
        {"Harwick Rovers"},
        {"Harwick"},
        id="a-single-name-that-is-one-club-s",
    ),
    pytest.param(
        "California Governor Ana Lopez declared an emergency in Shasta County on 3 March 2024.",
        "declared",
        {"Ana Lopez"},
        {"Governor Ana Lopez"},
        id="an-untagged-subject-after-a-title-is-the-person",
    ),
    pytest.param(
        "Aston Villa are fifth in the league. They beat Ashford Town 2-0 on 3 March 2024.",
        "beat",
        {"Aston Villa"},
        set(),
        id="a-side-told-in-the-plural-is-what-they-stands-for",
    ),
]


@pytest.mark.parametrize(("text", "trigger", "present", "absent"), ACTORS)
def test_actors(extractor: Any, text: str, trigger: str, present: set[str], absent: set[str]) -> None:
    actors = set(mention(extractor, text, trigger).actors)
    assert present <= actors, actors
    assert not absent & actors, actors


# (text, trigger, location)
PLACES = [
    pytest.param(
        "The two leaders met on the sidelines of the G20 summit in Rio de Janeiro on 3 March 2024.",
        "met",
        "Rio de Janeiro",
        id="the-place-of-a-phrase-of-the-clause",
    ),
    pytest.param(
        "Jane Doe, best known for her role in The Long Road, died at her home in Los Angeles on"
        " 3 March 2024.",
        "died",
        "Los Angeles",
        id="the-place-a-site-of-the-clause-is-in",
    ),
    pytest.param(
        "The satellite was launched on a Tern 5 rocket from Wenchang on 3 March 2024.",
        "launched",
        "Wenchang",
        id="a-launch-happens-where-it-leaves-from",
    ),
    pytest.param(
        "A Tern 5 rocket lifted off from Norland's spaceport in Corrin on 3 March 2024.",
        "lifted",
        "Corrin",
        id="a-site-in-a-place-is-in-that-place",
    ),
    pytest.param(
        "Floods in Murcia killed at least 200 people on 3 March 2024.",
        "killed",
        "Murcia",
        id="a-town-the-model-took-for-a-person",
    ),
    pytest.param("He was arrested at Haneda airport on 3 May 2024.", "arrested", "Haneda airport", id="site"),
    pytest.param(
        "The fire burned parts of the town of Lahaina on 8 August 2023.", "burned", "Lahaina", id="town-of"
    ),
    pytest.param(
        "Thousands of demonstrators took to the streets of Lisbon on 2 March 2024.",
        "took",
        "Lisbon, Portugal",
        id="the-streets-of-a-city",
    ),
    pytest.param(
        "Floods hit the towns of Harlow and Mere on 13 September 2023.",
        "hit",
        "Harlow",
        id="towns-of-two-places",
    ),
    pytest.param(
        "The summit in Hanoi in February 2019 ended without a deal.",
        "summit",
        "Hanoi, Vietnam",
        id="event-noun-place-with-its-country",
    ),
    pytest.param(
        "Troops were stationed in Russia's Kursk region, which was occupied in August 2024.",
        "occupied",
        "Kursk",
        id="relative-clause-of-a-place",
    ),
    pytest.param(
        "After his arrest in the Bahamas, his trial began in October 2023 in Manhattan.",
        "trial",
        "Manhattan",
        id="not-the-place-of-another-event",
    ),
    pytest.param(
        "HILO, Hawaii (AP) — Officials lifted the evacuation order on 3 November 2024.",
        "lifted",
        "Hilo, Hawaii",
        id="wire-dateline",
    ),
    pytest.param(
        "ZÜRICH, Switzerland (Reuters) — Officials lifted the evacuation order on 3 November 2024.",
        "lifted",
        "Zürich, Switzerland",
        id="dateline-in-capitals-beyond-ascii",
    ),
    pytest.param(
        "São Paulo, Brazil (Reuters) — The mayor lifted the evacuation order on 3 November 2024.",
        "lifted",
        "São Paulo, Brazil",
        id="dateline-with-accents",
    ),
    pytest.param(
        "Colombo, Sep 23 (PTI) The cabinet resigned on 23 September 2024.",
        "resigned",
        "Colombo, Sri Lanka",
        id="dateline-with-date-and-agency",
    ),
    pytest.param(
        "The club apologised on 3 May 2024 for its US tour.",
        "apologised",
        "United States",
        id="else-a-country-qualifying-another-event",
    ),
    pytest.param(
        "Ann Reed traveled to Hanoi to sign a treaty on 3 May 2024.",
        "sign",
        "Hanoi, Vietnam",
        id="a-purpose-happens-where-the-journey-led",
    ),
    pytest.param(
        "The two ministers met in Hanoi and signed a treaty on 3 May 2024.",
        "signed",
        "Hanoi, Vietnam",
        id="a-following-deed-happens-there-too",
    ),
    pytest.param(
        "The death toll from the Redbury wildfire rose to 64 on 15 August 2023.",
        "rose",
        "Redbury",
        id="the-place-of-the-event-a-toll-counts",
    ),
    pytest.param(
        "On 28 March 2024, a judge sentenced him at a Manhattan court hearing.",
        "sentenced",
        "Manhattan court",
        id="a-site-as-a-compound",
    ),
    pytest.param(
        "The coach said on 3 May 2024 that the team beat Leicester City in its fourth game.",
        "beat",
        None,
        id="a-city-in-a-name-is-no-town-of",
    ),
    pytest.param(
        "MANCHESTER: The club apologised on 3 November 2024 for its US tour.",
        "apologised",
        "Manchester",
        id="the-dateline-before-a-country-qualifying-another-event",
    ),
    pytest.param(
        "Officials asked the British regulator to reconsider its veto of 3 May 2024.",
        "veto",
        "United Kingdom",
        id="the-country-of-a-body-of-the-sentence",
    ),
    pytest.param(
        "FILE - The two ministers signed the treaty on 3 May 2024.",
        "signed",
        None,
        id="no-dateline-in-a-caption-label",
    ),
    # --- participants and places a clause names indirectly: plural pronouns, described bodies,
    # institutions, a speaker's employer, a body "at" which, a justice event's venue ---
    pytest.param(
        "The trial opened at a courthouse in lower Manhattan in October. A jury convicted Tom Hale on 2"
        " November 2023.",
        "convicted",
        "Manhattan",
        id="a-justice-event-is-at-the-court-the-article-gives",
    ),
    pytest.param(
        "The trial opened at a courthouse in lower Manhattan in October. The company's shares fell on 2"
        " November 2023.",
        "fell",
        None,
        id="another-event-is-not-at-the-court",
    ),
    pytest.param(
        "An earthquake hit Turkey on 6 February 2023.", "hit", "Turkey", id="the-place-a-hazard-hit"
    ),
    pytest.param(
        "Floods hit the Ahr Valley in 2021. The valley was hit by severe floods again in 2024.",
        "hit",
        "Ahr Valley",
        id="the-valley-the-article-named",
    ),
    pytest.param(
        "In mid-February police used tear gas to clear a sit-in outside Madrid's city hall.",
        "used",
        "Madrid, Spain",
        id="the-place-of-the-deed-done-for",
    ),
    pytest.param(
        "Ann Reed was freed on 9 May 2025 in a prisoner exchange on the tarmac of Vienna airport.",
        "freed",
        "Vienna airport",
        id="a-part-of-a-site",
    ),
    pytest.param(
        "The Foreign Office summoned Russia's ambassador on 22 April 2025.",
        "summoned",
        None,
        id="an-envoy-s-country-is-not-where",
    ),
    pytest.param(
        "Ann Reed was freed on 9 May 2025 in a prisoner exchange in Vienna.",
        "freed",
        "Vienna, Austria",
        id="the-place-of-the-event-a-deed-was-done-in",
    ),
    pytest.param(
        "In 2023, a series of earthquakes in Morocco killed more than 1,500 people.",
        "killed",
        "Morocco",
        id="the-place-of-a-series-of-events",
    ),
    pytest.param(
        "Leeds United sacked manager Tom Hale on Sunday. Leeds United had lost five games in a row. Leeds "
        "United are 18th in the table. Assistant coach Ann Reed took interim charge on Monday.",
        "took",
        "Leeds, United Kingdom",
        id="at-home-with-the-body-the-article-is-about",
    ),
    pytest.param(
        "Leeds United sacked manager Tom Hale on Sunday. Leeds United had lost five games in a row. Leeds "
        "United are 18th in the table. Ann Reed joined Kelso Rovers on Monday.",
        "joined",
        None,
        id="not-when-another-body-takes-part",
    ),
    pytest.param(
        "LONDON (Reuters) - Ann Vale won the final on Saturday. She had reached the quarter-finals in "
        "June 2023.",
        "won",
        "London, United Kingdom",
        id="the-news-of-the-day-at-the-dateline",
    ),
    pytest.param(
        "LONDON (Reuters) - Ann Vale won the final on Saturday. She had reached the quarter-finals in "
        "June 2023.",
        "reached",
        "United Kingdom",
        id="background-only-in-the-dateline-s-country",
    ),
    pytest.param(
        "The rebels seized control of Kabul on 2 November 2024.",
        "seized",
        "Kabul, Afghanistan",
        id="control-of-a-place",
    ),
    pytest.param(
        "Hamas released three Israeli hostages on 2 November 2024.",
        "released",
        None,
        id="a-nationality-of-those-acted-on-is-not-where",
    ),
]


@pytest.mark.parametrize(("text", "trigger", "place"), PLACES)
def test_location(extractor: Any, text: str, trigger: str, place: str | None) -> None:
    assert mention(extractor, text, trigger).location == place


def test_dateline_words_are_neither_actor_nor_title(extractor: Any) -> None:
    m = mention(extractor, "KAHULUI, Hawaii: The death toll reached 93 on 12 August 2023.", "reached")
    assert "KAHULUI" not in m.title and not any("KAHULUI" in a.upper() for a in m.actors)
