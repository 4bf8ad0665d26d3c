"""The library entry point: build_timeline takes Documents, mappings (the API body's fields), strings of
text and paths. No document kills a batch: one that breaks the extractor is logged with its id and
reported (extract_each, build_timeline, the API's 500 problem, the store's start-up); the others go on.
(The CLI's side is in test_cli.py.)"""

from __future__ import annotations

import io
import json
import logging
import pickle
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from dateline import build_timeline
from dateline.intake.documents import DocumentError, content_id
from dateline.logs import JsonFormatter
from dateline.model import Document, Published
from dateline.pipeline import (
    ExtractionError,
    ExtractionFailure,
    RemoteError,
    as_documents,
    error_name,
    extract_each,
)

PUTIN = "Vladimir Putin visited Pyongyang on 19 June 2024 and met Kim Jong Un."
KIM = "Kim Jong Un met Vladimir Putin in Vladivostok on 13 September 2023."
SHOIGU = (
    "Russian Defence Minister Sergei Shoigu arrived in Pyongyang on 26 July 2023 for talks with Kim Jong Un."
)
LAVROV = (
    "Russian Foreign Minister Sergei Lavrov arrived in Pyongyang on 18 October 2023 for talks with "
    "Kim Jong Un."
)


def test_every_kind_of_input(tmp_path: Path, extractor: Any) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "lavrov.txt").write_text(LAVROV, encoding="utf-8")
    timeline = build_timeline(
        [
            Document(id="putin", text=PUTIN, published=date(2024, 6, 20)),
            {
                "id": "kim",
                "text": KIM,
                "published": datetime(2023, 9, 13, 23, 30, tzinfo=timezone(timedelta(hours=-7))),
            },
            SHOIGU,
            tmp_path,
        ],
        extractor=extractor,
    )
    published = {d.id: d.published for d in timeline.documents}
    assert list(published) == ["putin", "kim", content_id(SHOIGU), "sub~lavrov"]
    assert published["putin"] == Published(date(2024, 6, 20), "given")
    assert published["kim"] == Published(date(2023, 9, 13), "given")
    cited = {s.document.id for e in timeline.events for s in e.sources}
    assert cited == set(published), "every input yields its event"


@pytest.mark.parametrize(
    "published",
    ["2024-06-20T23:30:00-07:00", "Thu, 20 Jun 2024 23:30:00 -0700", "June 20, 2024", date(2024, 6, 20)],
)
def test_mappings_take_published_as_the_api_does(published: Any) -> None:
    (doc,) = as_documents([{"text": PUTIN, "published": published}])
    assert doc.published == Published(date(2024, 6, 20), "given")


@pytest.mark.parametrize(
    ("items", "error", "message"),
    [
        ([{"text": PUTIN}, {"text": KIM, "published": "soon"}], DocumentError, "document 1: 'published'"),
        ([{"text": PUTIN, "colour": "red"}], DocumentError, "document 0: 'colour': unknown field"),
        (
            [{"id": "x", "text": PUTIN}, {"id": "x", "text": KIM}],
            DocumentError,
            "another document has the id",
        ),
        (["   "], DocumentError, "empty"),
        ([42], TypeError, "document 0 is int"),
        ([b"bytes"], TypeError, "document 0 is bytes"),
    ],
)
def test_bad_inputs_are_named(items: list[Any], error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        as_documents(items)


def test_a_string_naming_a_folder_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``build_timeline(["seeds/"])`` once read a folder: now a str is text, so say what to do."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "seeds").mkdir()
    with pytest.raises(DocumentError, match=r"pass pathlib.Path\('seeds/'\)"):
        as_documents(["seeds/"])
    assert [d.text for d in as_documents(["seeds are sown in spring"])] == ["seeds are sown in spring"]


def test_the_size_limit_applies_to_every_input() -> None:
    with pytest.raises(DocumentError, match="limit is 10"):
        as_documents(["x" * 11], max_chars=10)


def test_one_broken_document_does_not_stop_the_others(
    extractor: Any, broken_extraction: str, caplog: pytest.LogCaptureFixture
) -> None:
    """A document the extractor raises on is reported and logged with its id (a field of the log
    record, so a JSON log line carries it); every other document still yields its result."""
    docs = [
        Document(id="a", text=PUTIN),
        Document(id=broken_extraction, text=KIM),
        Document(id="c", text=SHOIGU),
    ]
    with caplog.at_level(logging.ERROR, logger="dateline"):
        results, failures = extract_each(docs, extractor)
    assert [r.document.id for r in results] == ["a", "c"]
    assert all(r.mentions for r in results)
    assert [(f.document.id, type(f.error)) for f in failures] == [("broken", KeyError)]
    assert str(failures[0]) == "document 'broken': extraction failed: KeyError: 'the short-term'"
    [record] = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert record.name == "dateline.pipeline" and record.document_id == "broken"  # type: ignore[attr-defined]
    assert record.exc_info is not None and record.exc_info[1] is failures[0].error
    line = json.loads(JsonFormatter().format(record))
    assert line["document_id"] == "broken" and "KeyError: 'the short-term'" in line["exception"]


def test_build_timeline_names_the_failed_document_and_keeps_the_others(
    extractor: Any, broken_extraction: str
) -> None:
    docs = [Document(id="a", text=PUTIN), Document(id=broken_extraction, text=KIM)]
    with pytest.raises(
        ExtractionError, match=r"1 of 2 documents failed: document 'broken': extraction"
    ) as info:
        build_timeline(docs, extractor=extractor)
    assert [f.document.id for f in info.value.failures] == ["broken"]
    assert [r.document.id for r in info.value.results] == ["a"] and info.value.results[0].mentions
    assert isinstance(info.value.__cause__, KeyError)


class _NotRebuilt(Exception):
    """An exception its own ``args`` cannot rebuild: unpickling it raises TypeError."""

    def __init__(self, what: str, why: str) -> None:
        super().__init__(f"{what}: {why}")


def test_a_remote_error_travels_where_the_original_cannot() -> None:
    """``dateline ingest --workers`` sends a worker's error back pickled; one that cannot be unpickled
    broke the whole process pool (every pending document failed). A RemoteError always travels and
    reads as the original."""
    original = _NotRebuilt("tagger", "no such word")
    with pytest.raises(TypeError):
        pickle.loads(pickle.dumps(original))
    remote = pickle.loads(pickle.dumps(RemoteError(error_name(original), str(original))))
    failure = ExtractionFailure(Document(id="x", text=PUTIN), remote)
    assert str(failure) == "document 'x': extraction failed: _NotRebuilt: tagger: no such word"


# --- the API: a 500 problem for that request only, nothing stored, the service keeps serving ----------


class _LogLines:
    """The ``dateline`` log lines written meanwhile, as the server writes them: JSON, each formatted
    when it is logged (so its request id is the one of the request being served then)."""

    def __init__(self) -> None:
        self.lines: list[dict[str, Any]] = []

    @contextmanager
    def capture(self) -> Iterator[None]:
        stream = io.StringIO()
        handler = logging.StreamHandler(stream)
        handler.setFormatter(JsonFormatter())
        logger = logging.getLogger("dateline")
        level = logger.level
        logger.addHandler(handler)
        logger.setLevel(logging.ERROR)
        try:
            yield
        finally:
            logger.removeHandler(handler)
            logger.setLevel(level)
            self.lines += [
                json.loads(line) for line in stream.getvalue().splitlines() if line.startswith("{")
            ]


def test_the_api_answers_a_problem_naming_the_document(
    make_app: Callable[..., Any], broken_extraction: str
) -> None:
    app = make_app()
    client = app.test_client()
    batch = [{"id": "a", "text": PUTIN}, {"id": broken_extraction, "text": KIM}]
    log = _LogLines()
    with log.capture():
        extract = client.post("/v1/extract", json=batch, headers={"X-Request-ID": "req-extract-1"})
        ingest = client.post("/v1/documents", json=batch[1], headers={"X-Request-ID": "req-ingest-1"})
    for response, index in ((extract, 1), (ingest, 0)):
        assert response.status_code == 500 and response.mimetype == "application/problem+json"
        problem = response.get_json()
        assert problem["type"].endswith(":extraction-failed")
        assert problem["document"] == "broken" and problem["index"] == index
        assert f"document {index} ('broken')" in problem["detail"]
        body = response.get_data(as_text=True)
        assert "short-term" not in body and "Traceback" not in body, "the cause is logged, not shown"
    failed = [line for line in log.lines if line.get("document_id") == "broken"]
    assert [(f["request_id"], f["index"], f["level"]) for f in failed] == [
        ("req-extract-1", 1, "ERROR"),
        ("req-ingest-1", 0, "ERROR"),
    ]
    assert all("KeyError: 'the short-term'" in f["exception"] for f in failed), "the traceback is logged"
    store = app.extensions["dateline"].store
    assert store.count() == 0 and store.get_document("broken") is None, "nothing stored"
    assert client.post("/v1/documents", json=batch[0]).status_code == 201, "the next request is served"
    assert client.post("/v1/extract", json=batch[:1]).status_code == 200


def test_the_time_budget_spent_while_finding_the_culprit_is_no_extraction_failure(
    make_app: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The batch fails, then the one-by-one search runs out of time: that is a 503 (the request's
    budget), not a 500 blaming a document that never failed."""
    from dateline import budget
    from dateline.api.resources import Resources

    calls = 0

    def extract(self: Resources, documents: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise KeyError("batch")
        raise budget.exceeded("waiting for the extractor (busy with other requests)")

    monkeypatch.setattr(Resources, "extract", extract)
    response = make_app().test_client().post("/v1/extract", json=[{"text": PUTIN}, {"text": KIM}])
    assert response.status_code == 503, response.get_data(as_text=True)
    assert response.get_json()["type"].endswith(":time-budget-exceeded")


def test_a_seed_the_extractor_fails_on_is_left_out_and_the_others_stored(
    tmp_path: Path, extractor: Any, broken_extraction: str, caplog: pytest.LogCaptureFixture
) -> None:
    from dateline.api import create_app
    from dateline.settings import Settings

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for name, text in (("a", PUTIN), (broken_extraction, KIM), ("c", SHOIGU)):
        (seeds / f"{name}.txt").write_text(text, encoding="utf-8")
    settings = Settings(store_path=tmp_path / "store.sqlite3", seed_path=str(seeds), write_rate_limit="")
    with caplog.at_level(logging.ERROR, logger="dateline"):
        app = create_app({"TESTING": True, "DATELINE": settings, "DATELINE_EXTRACTOR": extractor})
    assert sorted(d.id for d in app.extensions["dateline"].store.documents()) == ["a", "c"]
    assert any(getattr(r, "document_id", None) == "broken" and r.exc_info for r in caplog.records)


def test_a_stored_document_the_new_extractor_fails_on_keeps_its_mentions(
    tmp_path: Path, extractor: Any, request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture
) -> None:
    """Re-extraction at start-up (another extractor version): a document that now fails keeps its old
    mentions and is logged with its id; the start-up goes on."""
    from dateline.api.resources import Resources, reextract_store
    from dateline.store import Store

    store = Store(tmp_path / "store.sqlite3")
    for doc in (Document(id="a", text=PUTIN), Document(id="broken", text=KIM)):
        store.add(extractor.extract(doc), given=doc)
    store.set_extractor_version("an-older-extractor")

    def cited_by_broken() -> int:
        return sum(s.document.id == "broken" for e in store.timeline().events for s in e.sources)

    before = cited_by_broken()
    assert before > 0
    request.getfixturevalue("broken_extraction")  # from now on, extracting "broken" raises
    res = Resources(settings=extractor.settings, store=store, extractor=extractor)
    with caplog.at_level(logging.ERROR, logger="dateline"):
        reextract_store(res)
    assert cited_by_broken() == before, "its old mentions stay"
    assert any(getattr(r, "document_id", None) == "broken" and r.exc_info for r in caplog.records)
    assert store.extractor_version() == res.extractor_version()


def test_the_document_constructor_takes_a_date_in_the_pipeline(extractor: Any) -> None:
    """``Document(published=date(...))`` once failed deep in extraction (AttributeError)."""
    timeline = build_timeline(
        [Document(id="p", text=PUTIN, published=datetime(2024, 6, 20, tzinfo=UTC))], extractor=extractor
    )
    assert timeline.documents[0].published == Published(date(2024, 6, 20), "given")
    assert timeline.count > 0
