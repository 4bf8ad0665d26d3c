"""Shared fixtures: settings with a temporary store, one real Extractor per session, the Flask app and
client over a tiny seed folder, and hand-built model objects for tests that need no model."""

from __future__ import annotations

import itertools
import json
import shutil
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings

import servers
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
    # the write rate limit is tested on apps of its own (test_auth.py); here it would count every
    # write of the session against one client
    return Settings(store_path=store, seed_path=str(seed_dir), write_rate_limit="")


@pytest.fixture(scope="session")
def extractor(settings: Settings) -> Any:
    """The real Extractor, spaCy model loaded once for the whole session."""
    from dateline.events.extractor import Extractor

    return Extractor(settings)


#: the id of the document whose extraction :func:`broken_extraction` makes fail
BROKEN_ID = "broken"


@pytest.fixture
def broken_extraction(monkeypatch: pytest.MonkeyPatch) -> str:
    """Extracting the document with the id :data:`BROKEN_ID` raises (injected into the extraction
    rules, in this process), as the tagger's ``KeyError: 'the short-term'`` once did on a real article;
    every other document is extracted as usual. Returns that id."""
    from dateline.events import extractor as extract

    real = extract.find_mentions

    def failing(doc: Any, document: Document, *args: Any, **kwargs: Any) -> Any:
        if document.id == BROKEN_ID:
            raise KeyError("the short-term")
        return real(doc, document, *args, **kwargs)

    monkeypatch.setattr(extract, "find_mentions", failing)
    return BROKEN_ID


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


# --- database and queue servers -------------------------------------------------------------------


def _server(stack: ExitStack, start: Any) -> Any:
    try:
        return stack.enter_context(start())
    except servers.ServerUnavailable as exc:
        servers.unavailable(str(exc))


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL server's maintenance database (started for the session unless given)."""
    with ExitStack() as stack:
        yield _server(stack, servers.postgres)


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A Redis server (started for the session unless given)."""
    with ExitStack() as stack:
        yield _server(stack, servers.redis)


class Databases:
    """New, empty PostgreSQL databases, copied from a template that holds the migrated schema (a copy
    takes milliseconds, migrating each one would not); dropped when the session ends."""

    TEMPLATE = "dateline_test_template"

    def __init__(self, admin_url: str) -> None:
        import sqlalchemy as sa

        from dateline.store.database import create_engine, database_url, migrate

        self._url = database_url(admin_url)
        self._admin = sa.create_engine(self._url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
        self._names = (f"dateline_test_{i}" for i in itertools.count())
        self._made: list[str] = []
        with self._admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {self.TEMPLATE} WITH (FORCE)")
            conn.exec_driver_sql(f"CREATE DATABASE {self.TEMPLATE}")
        template = create_engine(self._url.set(database=self.TEMPLATE))
        with template.begin() as conn:
            migrate(conn, self.TEMPLATE)
        template.dispose()

    def create(self) -> str:
        name = next(self._names)
        with self._admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            conn.exec_driver_sql(f"CREATE DATABASE {name} TEMPLATE {self.TEMPLATE}")
        self._made.append(name)
        return self._url.set(database=name).render_as_string(hide_password=False)

    def drop(self, url: str) -> None:
        from sqlalchemy.engine import make_url

        name = make_url(url).database
        with self._admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        if name in self._made:
            self._made.remove(name)

    def close(self) -> None:
        with self._admin.connect() as conn:
            for name in [*self._made, self.TEMPLATE]:
                conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        self._admin.dispose()


@pytest.fixture(scope="session")
def databases(postgres_url: str) -> Iterator[Databases]:
    made = Databases(postgres_url)
    yield made
    made.close()


class Backend:
    """Where a storage test keeps its stores: new SQLite files, or new PostgreSQL databases. The
    same test runs on both (the ``backend`` fixture is parametrised)."""

    def __init__(self, name: str, folder: Path, databases: Databases | None) -> None:
        self.name = name
        self._folder = folder
        self._databases = databases
        self._count = itertools.count()

    def __repr__(self) -> str:
        return f"Backend({self.name})"

    def location(self) -> str | Path:
        """A new, empty store location."""
        if self._databases is not None:
            return self._databases.create()
        return self._folder / f"store{next(self._count)}" / "store.sqlite3"

    def empty(self, location: str | Path) -> None:
        """Remove every document, mention and event, and set the revision back to 0: a store as new,
        quicker than another database (hypothesis examples each want one)."""
        tables = "documents, document_keys, mentions, mention_terms, events, event_members"
        if self.name == "sqlite" and not Path(location).exists():
            return
        if self.name == "postgresql":
            self.sql(location, f"TRUNCATE {tables} RESTART IDENTITY")
        else:
            for table in reversed(tables.split(", ")):
                self.sql(location, f"DELETE FROM {table}")
        self.sql(location, "UPDATE meta SET revision = 0")

    def sql(self, location: str | Path, statement: str, *, foreign_keys: bool = False) -> list[Any]:
        """Run one SQL statement outside the store, foreign keys unchecked unless asked (to count
        rows, or damage them as a bug or a hand edit could); the rows it returns."""
        import sqlalchemy as sa

        from dateline.store.database import database_url

        # a plain engine: SQLite leaves foreign keys off, PostgreSQL is told to skip their triggers
        engine = sa.create_engine(database_url(location), poolclass=sa.pool.NullPool)
        try:
            with engine.begin() as conn:
                if self.name == "sqlite" and foreign_keys:
                    conn.exec_driver_sql("PRAGMA foreign_keys=ON")  # before pysqlite's BEGIN
                if self.name == "postgresql" and not foreign_keys:
                    conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
                result = conn.execute(sa.text(statement))
                return list(result) if result.returns_rows else []
        finally:
            engine.dispose()

    def settings(self, location: str | Path, **fields: Any) -> Settings:
        """Settings of a service over the store at ``location``."""
        if self.name == "sqlite":
            return Settings(store_path=Path(location), **fields)
        return Settings(database_url=str(location), **fields)

    def count(self, location: str | Path, table: str) -> int:
        return int(self.sql(location, f"SELECT COUNT(*) FROM {table}")[0][0])


BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    """The store's database: the test runs once on SQLite and once on PostgreSQL."""
    databases = request.getfixturevalue("databases") if request.param == "postgresql" else None
    return Backend(request.param, tmp_path / "stores", databases)


@pytest.fixture
def store_location(backend: Backend) -> str | Path:
    """A new, empty store on the test's backend."""
    return backend.location()


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
        overrides.setdefault("write_rate_limit", "")  # no rate limit unless a test asks for one
        settings = Settings(store_path=tmp_path / f"app{made}" / "store.sqlite3", seed_path="", **overrides)
        return create_app({"TESTING": True, "DATELINE": settings, "DATELINE_EXTRACTOR": extractor})

    return build


@pytest.fixture(scope="session")
def client_with(tmp_path_factory: pytest.TempPathFactory, extractor: Any) -> Callable[..., Any]:
    """Build a test client of an app over a store of its own holding the document ``bodies`` (each
    posted, and created); for module-scoped fixtures, which cannot use :func:`make_app`."""
    from dateline.api import create_app

    def build(name: str, bodies: list[dict[str, Any]]) -> Any:
        store = tmp_path_factory.mktemp(name) / "store.sqlite3"
        settings = Settings(store_path=store, seed_path="", write_rate_limit="")
        client = create_app(
            {"TESTING": True, "DATELINE": settings, "DATELINE_EXTRACTOR": extractor}
        ).test_client()
        for body in bodies:
            assert client.post("/v1/documents", json=body).status_code == 201
        return client

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
