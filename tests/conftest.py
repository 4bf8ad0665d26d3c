"""Shared fixtures: settings with a temporary store, one real Extractor per session, the Flask app and
client over a tiny seed folder, and hand-built model objects for tests that need no model."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings

from dateline.model import (
    DateValue,
    Document,
    DocumentResult,
    Event,
    EventDate,
    Mention,
    Published,
    Source,
    TextSpan,
    Timeline,
)
from dateline.settings import Settings

# Property tests and the schemathesis run are derandomised, so `make test` gives the same verdict
# every time; `pytest --hypothesis-profile=explore` searches new examples (and more of them).
hypothesis_settings.register_profile("repeatable", derandomize=True, database=None)
hypothesis_settings.register_profile("explore", derandomize=False, max_examples=500)
hypothesis_settings.load_profile("repeatable")

ROOT = Path(__file__).resolve().parents[1]
REPO_SEEDS = ROOT / "seeds"
SCHEMAS = ROOT / "schemas"
#: two of the repo's seed articles (short ones, so the session stays quick)
SEED_FILES = ("000_bf8f1c09172d2f9e.txt", "002_3829f63200efd991.txt")

#: a small JSON article with given metadata and non-ASCII text
TINY_ARTICLE = {
    "id": "tiny-pyongyang",
    "title": "Putin in Pjöngjang – a short report",
    "publisher": "Dateline Tests Média",
    "url": "https://example.org/tiny",
    "published": "2024-06-20",
    "text": (
        "Russian President Vladimir Putin arrived in Pyongyang on 19 June 2024 for his first visit to "
        "North Korea in 24 years. On the same day, Putin and Kim Jong Un signed a Comprehensive "
        "Strategic Partnership treaty that includes a mutual defence clause. In October 2024, North "
        "Korea sent thousands of troops to Russia’s Kursk region."
    ),
}


# --- real service fixtures ------------------------------------------------------------------------


@pytest.fixture(scope="session")
def seed_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny seed folder: two repo seeds (.txt) and one JSON article with metadata."""
    folder = tmp_path_factory.mktemp("seeds")
    for name in SEED_FILES:
        shutil.copy(REPO_SEEDS / name, folder / name)
    (folder / "tiny.json").write_text(json.dumps(TINY_ARTICLE, ensure_ascii=False), encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory, seed_dir: Path) -> Settings:
    store = tmp_path_factory.mktemp("store") / "nested" / "dateline.sqlite3"
    return Settings(store_path=store, seed_path=str(seed_dir))


@pytest.fixture(scope="session")
def extractor(settings: Settings) -> Any:
    """The real Extractor, spaCy model loaded once for the whole session."""
    from dateline.extract import Extractor

    return Extractor(settings)


@pytest.fixture(scope="session")
def app(settings: Settings, extractor: Any) -> Any:
    from dateline.api import create_app

    return create_app({"TESTING": True, "DATELINE": settings, "DATELINE_EXTRACTOR": extractor})


@pytest.fixture
def client(app: Any) -> Any:
    return app.test_client()


@pytest.fixture(scope="session")
def json_schema() -> Callable[[str], Any]:
    """A draft 2020-12 validator (with format checks) for a file under schemas/."""
    from jsonschema import Draft202012Validator

    def load(name: str) -> Draft202012Validator:
        schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
        Draft202012Validator.check_schema(schema)
        return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)

    return load


# --- hand-built model objects ---------------------------------------------------------------------


def span_of(text: str, part: str, after: int = 0) -> TextSpan:
    start = text.index(part, after)
    return TextSpan(part, start, start + len(part))


def mention_in(
    doc: Document,
    quote: str,
    *,
    date_text: str,
    trigger: str,
    value: DateValue,
    type_: str = "visit",
    title: str | None = None,
    actors: tuple[str, ...] = (),
    location: str | None = None,
    generic: bool = False,
) -> Mention:
    """A Mention whose offsets really point into ``doc.text``."""
    q = span_of(doc.text, quote)
    return Mention(
        document_id=doc.id,
        quote=q.text,
        start=q.start,
        end=q.end,
        date=value,
        date_span=span_of(doc.text, date_text),
        trigger=span_of(doc.text, trigger, q.start),
        type=type_,
        title=title or quote,
        actors=actors,
        location=location,
        generic=generic,
    )


JUNE_19 = DateValue("2024-06-19", "day", date(2024, 6, 19), date(2024, 6, 19))
OCTOBER = DateValue("2024-10", "month", date(2024, 10, 1), date(2024, 10, 31))
LATE_SEPT = DateValue("2022-09", "month", date(2022, 9, 21), date(2022, 9, 30), "END")


@pytest.fixture
def make_results() -> Callable[[], list[DocumentResult]]:
    """Factory of two hand-built results that report the same visit (fresh objects on every call)."""

    def build() -> list[DocumentResult]:
        a = Document(
            id="a-visit",
            text=TINY_ARTICLE["text"],
            title=TINY_ARTICLE["title"],
            publisher=TINY_ARTICLE["publisher"],
            url=TINY_ARTICLE["url"],
            published=Published(date(2024, 6, 20), "given"),
        )
        b = Document(
            id="b-mobilisation",
            text=(
                "Moscow announced a partial mobilisation in late September 2022. Vladimir Putin "
                "arrived in Pyongyang on 19 June 2024, the Kremlin said."
            ),
            published=Published(None, "unknown"),
        )
        return [
            DocumentResult(
                a,
                [
                    mention_in(
                        a,
                        "Vladimir Putin arrived in Pyongyang",
                        date_text="19 June 2024",
                        trigger="arrived",
                        value=JUNE_19,
                        actors=("Vladimir Putin",),
                        location="Pyongyang",
                    ),
                    mention_in(
                        a,
                        "North Korea sent thousands of troops to Russia’s Kursk region",
                        date_text="October 2024",
                        trigger="sent",
                        value=OCTOBER,
                        type_="deployment",
                        actors=("North Korea",),
                        location="Kursk",
                    ),
                ],
            ),
            DocumentResult(
                b,
                [
                    mention_in(
                        b,
                        "Moscow announced a partial mobilisation",
                        date_text="late September 2022",
                        trigger="announced",
                        value=LATE_SEPT,
                        type_="statement",
                        actors=("Russia",),
                        generic=True,
                    ),
                    mention_in(
                        b,
                        "Vladimir Putin arrived in Pyongyang",
                        date_text="19 June 2024",
                        trigger="arrived",
                        value=JUNE_19,
                        actors=("Vladimir Putin",),
                        location="Pyongyang",
                    ),
                ],
            ),
        ]

    return build


@pytest.fixture
def sample_timeline(make_results: Callable[[], list[DocumentResult]]) -> Timeline:
    """A Timeline assembled by hand (no merger): the visit with two sources, the deployment with one."""
    a, b = make_results()
    visit = Event(
        id="evt-visit",
        title="Putin visits Pyongyang",
        type="visit",
        date=EventDate(JUNE_19, "19 June 2024", alternatives=[OCTOBER]),
        actors=["Vladimir Putin"],
        location="Pyongyang",
        sources=[Source(a.mentions[0], a.document), Source(b.mentions[1], b.document)],
    )
    deployment = Event(
        id="evt-deploy",
        title="North Korea sends troops to Kursk",
        type="deployment",
        date=EventDate(OCTOBER, "October 2024"),
        actors=["North Korea"],
        location=None,
        sources=[Source(a.mentions[1], a.document)],
    )
    return Timeline(events=[visit, deployment], documents=[a.document, b.document])


@pytest.fixture
def store_path(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path / "db" / "store.sqlite3"


# --- apps over their own stores -------------------------------------------------------------------

ARTICLES = ROOT / "tests" / "data" / "articles"


@pytest.fixture
def make_app(tmp_path: Path, extractor: Any) -> Callable[..., Any]:
    """Factory of apps over a new, empty store (no seeds) that share the session's extractor;
    keyword arguments override Settings fields (limits, CORS origins...)."""
    from dateline.api import create_app

    made = 0

    def build(**overrides: Any) -> Any:
        nonlocal made
        made += 1
        settings = Settings(store_path=tmp_path / f"app{made}" / "store.sqlite3", seed_path="", **overrides)
        return create_app({"TESTING": True, "DATELINE": settings, "DATELINE_EXTRACTOR": extractor})

    return build


@pytest.fixture
def fresh_client(make_app: Callable[..., Any]) -> Any:
    """A client of an app over an empty store of its own (writes do not touch the shared app)."""
    return make_app().test_client()


@pytest.fixture(scope="session")
def articles() -> dict[str, dict[str, Any]]:
    """The annotated test articles (JSON documents with given metadata), by id."""
    out = {}
    for path in sorted(ARTICLES.glob("*.json")):
        if path.name != "expected.json":
            data = json.loads(path.read_text(encoding="utf-8"))
            out[data["id"]] = data
    return out
