"""The same report once (issue 13): a copy of an article -- the same text, one of its addresses (or
its page's canonical address), or a near-identical text -- is folded into the document first seen,
its address and publisher recorded there (``also_at``), and never counts as another source. On the
store (both databases), through the API, in ``dateline ingest`` and on the no-store path.

The articles are made up for these tests: one outlet's report of a bridge collapse, the same report
with a line added, another outlet's write-up of the same collapse and a follow-up story that repeats
two of the first report's paragraphs.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conftest import Backend
from dateline.intake import duplicates
from dateline.intake.documents import build_document, document_from_mapping, load_documents
from dateline.intake.duplicates import (
    SIMILARITY,
    CopyIndex,
    fold_copies,
    shingles,
    similarity,
    url_key,
)
from dateline.model import (
    Copy,
    DateValue,
    Document,
    DocumentResult,
    Event,
    EventDate,
    Mention,
    Source,
    TextSpan,
)
from dateline.store import Store

ARTICLE = """HARBOURTON - A pedestrian bridge over the Linden River collapsed on Tuesday morning, injuring \
four people, city officials said.

The 40-metre span, built in 1968, gave way shortly after 7 a.m. as commuters crossed on their way to \
the ferry terminal. Emergency crews pulled three people from the water within minutes; a fourth was \
treated at the scene for a broken arm.

Mayor Elena Varga said the bridge had passed an inspection in March and that engineers would examine \
the remaining supports on Wednesday. "We owe the families a full account of what went wrong," she told \
reporters at the riverbank.

The city closed the two streets leading to the crossing and asked residents to use the Mill Street \
bridge until further notice. Ferry services ran on a reduced timetable for the rest of the day.

The regional transport authority said it would review every footbridge of the same design, of which \
there are eleven in the province, before the end of the month.
"""
#: the same report posted again with one line added at the end
WITH_FOOTER = ARTICLE + "\nTom Okafor contributed reporting from the ferry terminal.\n"
#: another outlet's own write-up of the same collapse
OTHER_OUTLET = """Four people were hurt when a footbridge across the Linden River in Harbourton fell into \
the water on Tuesday, rescuers said.

Witnesses described a loud crack before the deck folded in the middle, throwing several commuters into \
the river. Firefighters in boats reached them within minutes.

Elena Varga, the mayor, told a news conference that the structure had been inspected this spring and \
promised an independent inquiry. Engineers will check the surviving piers on Wednesday.

Traffic was diverted away from the riverside streets, and commuters were told to cross at Mill Street \
instead.
"""
#: the first outlet's next-day story, which repeats two paragraphs of the first
FOLLOW_UP = """HARBOURTON - Engineers found corroded bolts in the supports of the footbridge that \
collapsed over the Linden River on Tuesday, the city said on Wednesday, as the last of the four injured \
commuters left hospital.

Mayor Elena Varga said the inspection report from March would be published in full and that an \
independent panel would be named by Friday.

The 40-metre span, built in 1968, gave way shortly after 7 a.m. as commuters crossed on their way to \
the ferry terminal. Emergency crews pulled three people from the water within minutes; a fourth was \
treated at the scene for a broken arm.

The regional transport authority said it would review every footbridge of the same design, of which \
there are eleven in the province, before the end of the month.
"""

HERALD = "https://www.harbourton-herald.example/news/2025/05/bridge-collapse/"
WIRE = "https://coastwire.example/story/88123"
PAGE_URL = "https://daily-harbour.example/a/footbridge"


def page(text: str, canonical: str | None, site: str = "Daily Harbour") -> str:
    """An HTML page of ``text`` (its paragraphs) naming ``canonical`` as its own address."""
    paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n\n") if p.strip())
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return (
        f'<html><head><title>Bridge collapses | {site}</title>{link}<meta property="og:site_name" '
        f'content="{site}"><meta property="article:published_time" content="2025-05-07T09:00:00Z">'
        f"</head><body><nav>Home | Local | Sport</nav><article>{paragraphs}</article>"
        f"<footer>Copyright 2025 {site}</footer></body></html>"
    )


# --- addresses ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://example.com/news/story", "example.com/news/story"),
        ("HTTPS://WWW.Example.COM/news/story", "example.com/news/story"),  # scheme and host case, www.
        ("http://example.com/news/story", "example.com/news/story"),  # http and https alike
        ("https://example.com/news/story/", "example.com/news/story"),  # trailing slash
        ("https://example.com:443/a", "example.com/a"),  # default port
        ("http://example.com:80/a", "example.com/a"),
        ("https://example.com:8443/a", "example.com:8443/a"),  # another port is another site
        ("https://example.com./a", "example.com/a"),  # trailing dot of the host
        ("https://user:secret@example.com/a", "example.com/a"),  # credentials
        ("https://example.com/a#comments", "example.com/a"),  # fragment
        ("https://example.com/a?utm_source=x&utm_medium=email&utm_campaign=c", "example.com/a"),
        ("https://example.com/a?fbclid=IwAR0&gclid=1&mc_cid=2&ref=twitter", "example.com/a"),
        ("https://example.com/a?ns_campaign=1&ns_mchannel=rss&traffic_source=rss&CMP=share", "example.com/a"),
        ("https://example.com/a?id=5&utm_source=x", "example.com/a?id=5"),  # other parameters stay
        ("https://example.com/a?b=2&a=1", "example.com/a?a=1&b=2"),  # sorted
        ("https://example.com/a?q=caf%c3%a9", "example.com/a?q=caf%C3%A9"),
        ("https://example.com//a//b/./c/../d", "example.com/a/b/d"),  # empty and dot segments
        ("https://example.com/%7Euser/caf%c3%a9", "example.com/~user/caf%C3%A9"),  # escapes spelt one way
        ("https://example.com/News/Story", "example.com/News/Story"),  # a path keeps its case
        ("https://example.com", "example.com"),
        ("https://example.com/?utm_source=x", "example.com"),
        ("https://bücher.example/a", "xn--bcher-kva.example/a"),  # an international name as punycode
        ("ftp://example.com/a", None),
        ("mailto:desk@example.com", None),
        ("example.com/a", None),
        ("https://example.com:99999/a", None),  # no valid port
        ("", None),
        (None, None),
    ],
)
def test_url_normalisation(url: str | None, key: str | None) -> None:
    assert url_key(url) == key


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://example.com/a", "https://example.com/b"),
        ("https://example.com/a?id=1", "https://example.com/a?id=2"),
        ("https://example.com/a", "https://example.org/a"),
        ("https://news.example.com/a", "https://example.com/a"),
        ("https://example.com/News", "https://example.com/news"),
    ],
)
def test_different_pages_keep_different_keys(a: str, b: str) -> None:
    assert url_key(a) != url_key(b)


# --- texts ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("other", "same"),
    [
        (ARTICLE, True),
        (WITH_FOOTER, True),
        (ARTICLE.upper(), True),  # case
        (" ".join(ARTICLE.split()), True),  # paragraphs run together
        (ARTICLE.replace('"', "\u201c"), True),  # other quotation marks
        (ARTICLE + "\nCopyright 2025 Coast Wire. All rights reserved.\n", True),  # furniture
        (OTHER_OUTLET, False),  # another outlet's write-up of the same event
        (FOLLOW_UP, False),  # a follow-up story repeating two paragraphs
        (ARTICLE.split("\n\n", 1)[1], False),  # a third of the text gone (the lede)
    ],
)
def test_near_identical_texts(other: str, same: bool) -> None:
    score = similarity(shingles(ARTICLE), shingles(other))
    assert (score >= SIMILARITY) is same, score


def test_copies_are_folded_into_the_first_posting() -> None:
    first = Document(id="herald", text=ARTICLE, url=HERALD, publisher="Harbourton Herald")
    docs = fold_copies(
        [
            first,
            Document(id="wire", text=WITH_FOOTER, url=WIRE, publisher="Coast Wire", title="Bridge falls"),
            Document(id="again", text=ARTICLE, url=HERALD + "?utm_source=rss"),  # nothing new
            Document(id="anon", text=WITH_FOOTER, publisher="Radio Harbour"),  # a publisher, no address
            Document(id="other", text=OTHER_OUTLET, url="https://other.example/x"),
            Document(id="next-day", text=FOLLOW_UP, url=HERALD.replace("collapse", "bolts")),
        ]
    )
    assert [d.id for d in docs] == ["herald", "other", "next-day"]
    assert first.also_at == (
        Copy(url=WIRE, publisher="Coast Wire", title="Bridge falls", match="similar-text"),
        Copy(url=None, publisher="Radio Harbour", title=None, match="similar-text"),  # to the first's text
    )


def test_a_copy_is_found_at_an_address_of_an_earlier_copy() -> None:
    index = CopyIndex()
    index.fold(Document(id="herald", text=ARTICLE, url=HERALD))
    index.fold(Document(id="wire", text=WITH_FOOTER, url=WIRE))
    found = index.find(Document(id="x", text="A rewritten text entirely.", url=WIRE + "#top"))
    assert found == (0, "url")


def test_a_canonical_link_is_the_url_when_none_is_given() -> None:
    doc = build_document({"html": page(ARTICLE, HERALD)}, max_chars=100_000)
    assert (doc.url, doc.canonical_url) == (HERALD, None)
    given = build_document({"html": page(ARTICLE, HERALD), "url": WIRE}, max_chars=100_000)
    assert (given.url, given.canonical_url) == (WIRE, HERALD), "given url wins; the canonical one is kept"
    same = build_document({"html": page(ARTICLE, HERALD), "url": HERALD + "?utm_source=x"}, max_chars=100_000)
    assert same.canonical_url is None, "the same address, spelt otherwise"
    assert build_document({"html": page(ARTICLE, "/relative")}, max_chars=100_000).url is None


def test_a_folder_holds_one_document_per_report(tmp_path: Path) -> None:
    """The issue's pattern on the no-store path: one article as HTML (with its canonical link) and as
    JSON (a line added), both named ``bridge``; another outlet's and a follow-up story stay."""
    (tmp_path / "bridge.html").write_text(page(ARTICLE, HERALD), encoding="utf-8")
    (tmp_path / "bridge.json").write_text(
        json.dumps({"text": WITH_FOOTER, "url": WIRE, "publisher": "Coast Wire"}), encoding="utf-8"
    )
    (tmp_path / "other.txt").write_text(OTHER_OUTLET, encoding="utf-8")
    (tmp_path / "later.txt").write_text(FOLLOW_UP, encoding="utf-8")
    docs = load_documents([tmp_path])
    assert [d.id for d in docs] == ["bridge", "later", "other"]
    assert [(c.url, c.publisher) for c in docs[0].also_at] == [(WIRE, "Coast Wire")]


# --- source_count ---------------------------------------------------------------------------------


def test_source_count_counts_documents_not_mentions() -> None:
    day = DateValue("2025-05-06", "day", date(2025, 5, 6), date(2025, 5, 6))

    def source(doc: str, start: int) -> Source:
        span = TextSpan("collapsed", start, start + 9)
        mention = Mention(doc, "q", start, start + 1, day, span, span, "disaster", "t")
        return Source(mention, Document(id=doc, text="x"))

    event = Event("e", "t", "disaster", EventDate(day, "6 May 2025"), [], None, [])
    event.sources = [source("a", 0), source("a", 40), source("b", 0)]
    assert event.source_count == 2


# --- the store (SQLite and PostgreSQL) ------------------------------------------------------------


def result(doc_id: str, text: str, **metadata: Any) -> DocumentResult:
    return DocumentResult(Document(id=doc_id, text=text, **metadata), [])


def test_ingest_folds_copies_and_records_them(store_location: str | Path) -> None:
    store = Store(store_location)
    herald = store.ingest(result("herald", ARTICLE, url=HERALD, publisher="Harbourton Herald"))
    assert herald.created
    revision = store.revision()

    same_text = store.ingest(result("renamed", ARTICLE))
    assert (same_text.created, same_text.match, same_text.document.id) == (False, "text", "herald")
    assert store.revision() == revision, "nothing new to record: nothing written"

    wire = store.ingest(result("wire", WITH_FOOTER, url=WIRE, publisher="Coast Wire"))
    assert (wire.created, wire.match, wire.document.id) == (False, "similar-text", "herald")
    assert store.revision() == revision + 1

    at_copy = store.fold(Document(id="x", text="Another text altogether.", url=WIRE + "?utm_medium=social"))
    assert at_copy is not None and (at_copy.match, at_copy.document.id) == ("url", "herald")
    canonical = store.ingest(
        result("page", "A text rewritten from top to bottom.", url=PAGE_URL, canonical_url=HERALD)
    )
    assert (canonical.match, canonical.document.id) == ("url", "herald")

    for text, doc_id in ((OTHER_OUTLET, "other"), (FOLLOW_UP, "later")):
        assert store.ingest(result(doc_id, text)).created, f"{doc_id}: a report of its own"
    assert store.fold(Document(id="y", text=FOLLOW_UP + " More.")) is not None
    assert store.fold(Document(id="z", text="Nothing like it.")) is None

    stored = store.get_document("herald")
    assert stored is not None and stored.also_at == (
        Copy(url=WIRE, publisher="Coast Wire", title=None, match="similar-text"),
        Copy(url=PAGE_URL, publisher=None, title=None, match="url"),
    )
    assert store.count() == 3 and store.verify() == []


def test_a_copy_known_by_its_publisher_alone(store_location: str | Path) -> None:
    store = Store(store_location)
    store.ingest(result("plain", ARTICLE))  # no address at all
    copy = store.ingest(result("radio", WITH_FOOTER, publisher="Radio Harbour"))
    assert (copy.created, copy.document.also_at) == (
        False,
        (Copy(url=None, publisher="Radio Harbour", title=None, match="similar-text"),),
    )
    assert store.ingest(result("again", WITH_FOOTER, publisher="radio harbour")).document == copy.document
    assert store.verify() == []


def test_delete_and_replace_keep_the_keys_consistent(store_location: str | Path, backend: Backend) -> None:
    store = Store(store_location)
    store.ingest(result("herald", ARTICLE, url=HERALD))
    store.ingest(result("wire", WITH_FOOTER, url=WIRE))
    keys = backend.count(store_location, "document_keys")
    assert keys == len(duplicates.document_keys(store.get_document("herald")))  # type: ignore[arg-type]

    # re-extraction (add with the same text) keeps the copies; another text drops them
    assert store.add(result("herald", ARTICLE, url=HERALD, title="Re-extracted"))
    assert [c.url for c in store.get_document("herald").also_at] == [WIRE]  # type: ignore[union-attr]
    assert store.verify() == []
    assert store.add(result("herald", OTHER_OUTLET, url=HERALD))
    assert store.get_document("herald").also_at == ()  # type: ignore[union-attr]
    assert store.verify() == []
    assert store.ingest(result("wire", WITH_FOOTER, url=WIRE)).created, "no longer a copy of anything"

    assert store.delete("herald") and store.delete("wire")
    assert backend.count(store_location, "document_keys") == 0
    assert store.verify() == []
    assert store.ingest(result("wire", WITH_FOOTER, url=HERALD)).created


def test_verify_finds_damaged_keys_and_open_rebuilds_them(
    store_location: str | Path, backend: Backend
) -> None:
    store = Store(store_location)
    store.ingest(result("herald", ARTICLE, url=HERALD))
    backend.sql(store_location, "DELETE FROM document_keys WHERE key LIKE 'url:%'")
    assert any("copy keys do not match" in p for p in store.verify()), store.verify()
    backend.sql(store_location, "UPDATE meta_values SET value = 'old' WHERE key = 'copy_keys_version'")
    reopened = Store(store_location)
    assert reopened.verify() == []
    assert reopened.fold(Document(id="x", text="Other words.", url=HERALD)) is not None

    backend.sql(store_location, "DELETE FROM document_keys")  # a store migrated from schema 3
    assert Store(store_location).verify() == []


def test_a_failed_write_leaves_no_keys(store_location: str | Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import dateline.store.remerge as remerge

    store = Store(store_location)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(remerge, "_store_events", broken)  # after the document, key and mention rows
    with pytest.raises(RuntimeError):
        store.ingest(result("herald", ARTICLE, url=HERALD))
    monkeypatch.undo()
    assert store.count() == 0 and store.fold(Document(id="x", text=ARTICLE)) is None
    assert store.verify() == []


def test_a_lookup_compares_only_candidates(store_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Copies are found through the index: a store of many documents compares a new text with none
    of them unless they share a band, and with at most MAX_CANDIDATES."""
    store = Store(store_path)
    words = ["harbour", "bridge", "council", "river", "ferry", "mayor", "storm", "school", "market", "road"]
    for i in range(200):
        text = " ".join(f"{words[(i * 7 + j * 3) % 10]}{(i * 31 + j) % 997}" for j in range(60))
        store.add(result(f"d{i}", text))
    compared: list[int] = []
    real = duplicates.similarity
    monkeypatch.setattr(duplicates, "similarity", lambda a, b: compared.append(1) or real(a, b))
    assert store.fold(Document(id="new", text=ARTICLE)) is None
    assert compared == []
    store.add(result("herald", ARTICLE))
    assert store.fold(Document(id="copy", text=WITH_FOOTER)) is not None
    assert 1 <= len(compared) <= 2 * duplicates.MAX_CANDIDATES  # one read, one write transaction


def test_a_store_from_schema_3_gets_its_keys(tmp_path: Path) -> None:
    import sqlalchemy as sa
    from alembic import command

    from dateline.store.database import alembic_config, database_url

    path = tmp_path / "old.sqlite3"
    store = Store(path)
    store.ingest(result("herald", ARTICLE, url=HERALD))
    store.close()
    engine = sa.create_engine(database_url(path))  # foreign keys off, as a migration tool runs
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0003")
    engine.dispose()
    reopened = Store(path)
    assert reopened.verify() == []
    assert reopened.ingest(result("wire", WITH_FOOTER, url=WIRE)).document.id == "herald"


# --- the API, the CLI and the library -------------------------------------------------------------


def test_the_same_article_posted_again_is_one_report(
    fresh_client: Any, json_schema: Callable[[str], Any]
) -> None:
    """The issue's pattern: posted once as JSON, once again with a line added, once as an HTML page
    with a canonical link: one document, 200 with it, the other addresses recorded."""
    first = fresh_client.post(
        "/v1/documents",
        json={"id": "herald", "text": ARTICLE, "url": HERALD, "publisher": "Harbourton Herald",
              "published": "2025-05-06"},
    )  # fmt: skip
    assert first.status_code == 201, first.get_json()
    footer = fresh_client.post(
        "/v1/documents",
        json={"text": WITH_FOOTER, "url": WIRE, "publisher": "Coast Wire", "published": "2025-05-06"},
    )
    assert footer.status_code == 200, footer.get_json()
    assert footer.headers["Location"] == "/v1/documents/herald"
    html = fresh_client.post("/v1/documents", data=page(ARTICLE, PAGE_URL), content_type="text/html")
    assert html.status_code == 200 and html.headers["Location"] == "/v1/documents/herald"
    tracked = fresh_client.post(
        f"/v1/documents?url={PAGE_URL}%3Futm_source%3Dnewsletter",
        data="Completely other words here.",
        content_type="text/plain",
    )
    assert tracked.status_code == 200, "one of the stored document's addresses"

    body = fresh_client.get("/v1/documents/herald").get_json()
    json_schema("document.schema.json").validate(body)
    assert body["also_at"] == [
        {"url": WIRE, "publisher": "Coast Wire", "title": None, "match": "similar-text"},
        {"url": PAGE_URL, "publisher": "Daily Harbour", "title": "Bridge collapses", "match": "similar-text"},
    ]
    assert tracked.get_json() == body
    listing = fresh_client.get("/v1/documents").get_json()["documents"]
    assert [d["id"] for d in listing] == ["herald"]
    events = fresh_client.get("/v1/timeline").get_json()["events"]
    assert events and all(e["source_count"] == 1 for e in events)


def test_different_reports_of_one_event_are_not_folded(fresh_client: Any) -> None:
    for doc_id, text in (("herald", ARTICLE), ("other", OTHER_OUTLET), ("later", FOLLOW_UP)):
        response = fresh_client.post(
            "/v1/documents", json={"id": doc_id, "text": text, "published": "2025-05-07"}
        )
        assert response.status_code == 201, (doc_id, response.get_json())
    listing = fresh_client.get("/v1/documents").get_json()["documents"]
    assert sorted(d["id"] for d in listing) == ["herald", "later", "other"]
    assert all(d["also_at"] == [] for d in listing)


def test_extract_folds_copies_in_a_batch(fresh_client: Any) -> None:
    batch = [
        {"text": ARTICLE, "published": "2025-05-06"},
        {"text": WITH_FOOTER, "url": WIRE, "published": "2025-05-06"},
    ]
    response = fresh_client.post("/v1/extract", json=batch)
    assert response.status_code == 200, response.get_json()
    events = response.get_json()["events"]
    assert events and all(e["source_count"] == 1 for e in events)
    same_id = fresh_client.post(
        "/v1/extract", json=[{"id": "x", "text": ARTICLE}, {"id": "x", "text": FOLLOW_UP}]
    )
    assert same_id.status_code == 422 and "not copies of one report" in same_id.get_json()["detail"]


def test_build_timeline_counts_a_repeated_article_once(extractor: Any) -> None:
    from dateline import build_timeline

    alone = build_timeline([{"text": ARTICLE, "published": "2025-05-06"}], extractor=extractor)
    twice = build_timeline(
        [
            {"html": page(ARTICLE, HERALD), "published": "2025-05-06"},
            {"text": WITH_FOOTER, "url": WIRE, "published": "2025-05-06"},
        ],
        extractor=extractor,
    )
    assert len(twice.documents) == 1 and [c.url for c in twice.documents[0].also_at] == [WIRE]
    assert (
        [e.source_count for e in twice.events]
        == [e.source_count for e in alone.events]
        == [1] * len(alone.events)
    )


def run(*args: str) -> subprocess.CompletedProcess[bytes]:
    """The console script, as a user runs it."""
    script = shutil.which("dateline", path=str(Path(sys.executable).parent)) or "dateline"
    env = {**os.environ, "DATELINE_SEED_PATH": ""}
    return subprocess.run([script, *args], capture_output=True, env=env, timeout=300, check=False)


@pytest.mark.slow
def test_cli_timeline_and_ingest_fold_copies(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "bridge.html").write_text(page(ARTICLE, HERALD), encoding="utf-8")
    (folder / "bridge.json").write_text(
        json.dumps({"text": WITH_FOOTER, "url": WIRE, "publisher": "Coast Wire"}), encoding="utf-8"
    )
    (folder / "other.txt").write_text(OTHER_OUTLET, encoding="utf-8")
    documents = run("documents", str(folder))
    assert documents.returncode == 0, documents.stderr.decode()
    listing = json.loads(documents.stdout)["documents"]
    assert [(d["id"], len(d["also_at"])) for d in listing] == [("bridge", 1), ("other", 0)]
    store = tmp_path / "store.sqlite3"
    ingest = run("ingest", str(folder), "--store", str(store), "--quiet")
    assert ingest.returncode == 0, ingest.stderr.decode()
    assert ingest.stdout.decode().startswith("2 ingested, 1 already stored, 0 failed")
    stored = Store(store)
    assert sorted(d.id for d in stored.documents()) == ["bridge", "other"] and stored.verify() == []
    assert [c.url for c in stored.get_document("bridge").also_at] == [WIRE]  # type: ignore[union-attr]


def test_document_from_mapping_keeps_no_copies() -> None:
    doc = document_from_mapping({"text": ARTICLE})
    assert doc.also_at == () and doc.canonical_url is None
