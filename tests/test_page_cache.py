"""The serving fast path (issue 6): the per-process response cache and bisected cursor paging.

Cached answers must be the bytes a fresh render gives, a write (from any process) must be seen by the
next read, the cache must stay within its budget, and paging must serve exactly the pages the former
scan-based implementation served (kept below as the reference).
"""

from __future__ import annotations

import random
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from dateline.api.caching import (
    CACHE_BYTES_KEY,
    ENTRY_OVERHEAD,
    CachedResponse,
    ResponseCache,
    read_cache,
    warm,
)
from dateline.merging.cluster import merge_mentions
from dateline.model import Event, Timeline, event_order, precision_rank
from dateline.settings import Settings
from dateline.store import Store
from dateline.views.query import (
    Page,
    TimelineQuery,
    _key,
    decode_cursor,
    encode_cursor,
    matching,
    page,
    period_bounds,
    resolve_actor,
)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from synthetic import generate  # noqa: E402  (bench/ is not a package)

# --- the reference: query.matching and query.page as they were before the fast path ---------------


def reference_matching(timeline: Timeline, query: TimelineQuery) -> list[Event]:
    first = period_bounds(query.start, "from")[0] if query.start else None
    last = period_bounds(query.end, "to")[1] if query.end else None
    actors: set[str] | None = None
    if query.actors:
        known = {a for e in timeline.events for a in e.actors}
        actors = set().union(*(resolve_actor(a, known) for a in query.actors))
    types = set(query.types)
    needle = query.text.casefold() if query.text else None
    coarsest = precision_rank(query.precision) if query.precision else None
    out = []
    for event in timeline.events:
        d = event.date.date
        if first is not None and d.end < first:
            continue
        if last is not None and d.start > last:
            continue
        if actors is not None and not actors.intersection(event.actors):
            continue
        if types and event.type not in types:
            continue
        if query.document and all(s.mention.document_id != query.document for s in event.sources):
            continue
        if event.source_count < query.min_sources:
            continue
        if coarsest is not None and precision_rank(d.precision) > coarsest:
            continue
        if needle is not None and not (
            needle in event.title.casefold()
            or any(
                needle in s.mention.quote.casefold() or needle in s.mention.title.casefold()
                for s in event.sources
            )
        ):
            continue
        out.append(event)
    if query.sort == "desc":
        out.sort(key=event_order, reverse=True)
    return out


def reference_page(timeline: Timeline, query: TimelineQuery) -> Page:
    ordered = events = reference_matching(timeline, query)
    if query.cursor is not None:
        after, ordinal = decode_cursor(query.cursor, query)
        rest, equal = [], 0
        for event in events:
            key = _key(event)
            if key == after:
                equal += 1
                if equal <= ordinal + 1:
                    continue
            elif (key < after) if query.sort == "asc" else (key > after):
                continue
            rest.append(event)
        events = rest
    chunk = events[: query.limit]
    next_cursor = None
    if len(events) > query.limit:
        last = _key(chunk[-1])
        equal = sum(1 for e in ordered if _key(e) == last)
        ordinal = equal - sum(1 for e in events[query.limit :] if _key(e) == last) - 1
        next_cursor = encode_cursor(last, ordinal, query)
    return Page(events=chunk, next_cursor=next_cursor)


# --- a generated timeline -------------------------------------------------------------------------


def with_twins(events: list[Event], every: int) -> list[Event]:
    """Every ``every``-th event followed by copies with its id and date (the merger can make such
    twins), so runs of equal sort keys span page boundaries."""
    out: list[Event] = []
    for i, event in enumerate(events):
        out.append(event)
        if i % every == 0:
            out.extend(replace(event, title=f"{event.title} (twin {k})") for k in range(1 + i % 3))
    return out


@pytest.fixture(scope="module")
def generated() -> Timeline:
    events = sorted(merge_mentions(generate(1200, seed=5, stories=4)), key=event_order)
    return Timeline(events=with_twins(events, every=7))


def _first_actor_and_document(timeline: Timeline) -> tuple[str, str]:
    event = next(e for e in timeline.events if e.actors and e.sources)
    return event.actors[0], event.sources[0].mention.document_id


def queries(timeline: Timeline) -> list[TimelineQuery]:
    actor, document = _first_actor_and_document(timeline)
    middle = timeline.events[len(timeline.events) // 2].date.date.start
    return [
        TimelineQuery(),
        TimelineQuery(sort="desc"),
        TimelineQuery(min_sources=2),
        TimelineQuery(types=("visit", "attack")),
        TimelineQuery(actors=(actor,), sort="desc"),
        TimelineQuery(document=document),
        TimelineQuery(start=str(middle.year)),
        TimelineQuery(end=f"{middle.year}-{middle.month:02d}", sort="desc"),
        TimelineQuery(precision="month"),
        TimelineQuery(text="a"),
    ]


def walk(
    fn: Callable[[Timeline, TimelineQuery], Page], timeline: Timeline, query: TimelineQuery
) -> Iterator[Page]:
    """Every page, following the cursors (a cursor that does not advance fails, it does not hang)."""
    for _ in range(len(timeline.events) + 1):
        result = fn(timeline, query)
        yield result
        if result.next_cursor is None:
            return
        query = replace(query, cursor=result.next_cursor)
    raise AssertionError("more pages than events")


def same(a: Page, b: Page) -> bool:
    return a.next_cursor == b.next_cursor and [id(e) for e in a.events] == [id(e) for e in b.events]


@pytest.mark.parametrize("limit", [1, 9, 64, 500])
@pytest.mark.parametrize("which", range(10))
def test_cursor_pages_are_the_reference_pages(generated: Timeline, limit: int, which: int) -> None:
    query = replace(queries(generated)[which], limit=limit)
    assert reference_matching(generated, query), "the query selects something"
    fast = list(walk(page, generated, query))
    slow = list(walk(reference_page, generated, query))
    assert len(fast) == len(slow)
    assert all(same(a, b) for a, b in zip(fast, slow, strict=True))
    assert [e for p in fast for e in p.events] == matching(generated, query)
    assert matching(generated, query) == reference_matching(generated, query)


@pytest.mark.parametrize("sort", ["asc", "desc"])
def test_a_cursor_continues_alike_on_a_changed_timeline(generated: Timeline, sort: str) -> None:
    """A cursor made on one revision, used on the next (events gone, twins and new events added)."""
    rng = random.Random(sort)
    events = list(generated.events)
    changed = sorted(
        [e for e in events if rng.random() > 0.2] + [replace(e, title="new") for e in rng.sample(events, 30)],
        key=event_order,
    )
    after = Timeline(events=changed)
    for limit in (1, 4, 37):
        query = TimelineQuery(limit=limit, sort=sort)
        for first in walk(page, generated, query):
            if first.next_cursor is None:
                break
            resumed = replace(query, cursor=first.next_cursor)
            assert same(page(after, resumed), reference_page(after, resumed))


@pytest.mark.parametrize("ordinal", [-3, 0, 2, 50])
def test_odd_cursor_ordinals_match_the_reference(generated: Timeline, ordinal: int) -> None:
    twin = next(e for e in generated.events if "(twin 2)" in e.title)
    for sort in ("asc", "desc"):
        query = TimelineQuery(limit=5, sort=sort)
        resumed = replace(query, cursor=encode_cursor(_key(twin), ordinal, query))
        assert same(page(generated, resumed), reference_page(generated, resumed))


def test_a_timeline_out_of_key_order_pages_like_the_reference(generated: Timeline) -> None:
    shuffled = list(generated.events[:300])
    random.Random(1).shuffle(shuffled)
    timeline = Timeline(events=shuffled)
    for query in (
        TimelineQuery(limit=7),
        TimelineQuery(limit=7, sort="desc"),
        TimelineQuery(limit=4, min_sources=2),
    ):
        fast = list(walk(page, timeline, query))
        assert all(same(a, b) for a, b in zip(fast, walk(reference_page, timeline, query), strict=True))


def test_matching_hands_out_a_copy(generated: Timeline) -> None:
    events = matching(generated, TimelineQuery())
    events.clear()
    assert len(matching(generated, TimelineQuery())) == len(generated.events) > 0


# --- the response cache ---------------------------------------------------------------------------


def entry(size: int, tag: str = "t") -> CachedResponse:
    return CachedResponse(b"x" * size, (("Content-Type", "text/plain"),), tag)


def test_the_cache_keeps_within_its_budget_and_drops_the_least_recently_used() -> None:
    cache = ResponseCache(max_bytes=10 * (1000 + ENTRY_OVERHEAD + 100))
    sizes = {}
    for i in range(30):
        e = entry(1000 + i)
        sizes[i] = e.size
        assert cache.put(i, e)
        assert cache.get(0) is not None  # 0 is always the most recently used
        assert cache.nbytes == sum(sizes[k] for k in range(30) if k in cache)
        assert cache.nbytes <= cache.max_bytes
    assert len(cache) < 30
    assert 0 in cache and 1 not in cache and 29 in cache


def test_the_cache_refuses_an_entry_over_a_quarter_of_its_budget() -> None:
    cache = ResponseCache(max_bytes=40_000)
    assert cache.put("small", entry(1000))
    assert not cache.put("big", entry(10_001))
    assert cache.get("big") is None and cache.get("small") is not None


def test_the_cache_bounds_the_number_of_entries() -> None:
    cache = ResponseCache(max_bytes=10**9, max_entries=5)
    for i in range(12):
        cache.put(i, entry(10))
    assert len(cache) == 5 and 6 not in cache and 11 in cache


# --- through the app, over a generated store ------------------------------------------------------


@pytest.fixture(scope="module")
def store_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("page-cache") / "store.sqlite3"
    store = Store(path)
    for result in generate(600, seed=3, stories=6, actorless=False):
        store.add(result)
    return path


@pytest.fixture
def app_on(extractor: Any) -> Callable[..., Any]:
    """Apps over one store file (as gunicorn workers are); keyword arguments go into the config."""
    from dateline.api import create_app

    def build(path: Path, **config: Any) -> Any:
        settings = Settings(store_path=path, seed_path="", reextract=False)
        return create_app({"TESTING": True, "DATELINE": settings, "DATELINE_EXTRACTOR": extractor, **config})

    return build


@pytest.fixture
def store_copy(store_file: Path, tmp_path: Path) -> Path:
    """A private copy of the generated store, for tests that write."""
    path = tmp_path / "store.sqlite3"
    with closing(sqlite3.connect(store_file)) as source, closing(sqlite3.connect(path)) as target:
        source.backup(target)
    return path


URLS = [
    "/v1/timeline",
    "/v1/timeline?limit=7",
    "/v1/timeline?limit=7&sort=desc",
    "/v1/timeline?sort=desc&limit=7",
    "/v1/timeline?format=csv&limit=20",
    "/v1/timeline?format=ndjson&limit=20",
    "/v1/timeline?format=vis&limit=20",
    "/v1/timeline?format=timelinejs&limit=20",
    "/v1/timeline?min_sources=2&limit=5",
    "/v1/timeline?q=the&limit=5",
    "/v1/actors",
]


def answer(client: Any, url: str, **headers: str) -> tuple[int, bytes, dict[str, str]]:
    response = client.get(url, headers=headers)
    kept = {k: v for k, v in response.headers.items() if k != "X-Request-ID"}
    return response.status_code, response.get_data(), kept


@pytest.mark.parametrize("url", URLS)
def test_a_cached_answer_is_the_fresh_render(store_file: Path, app_on: Callable[..., Any], url: str) -> None:
    cached = app_on(store_file)
    fresh = app_on(store_file, **{CACHE_BYTES_KEY: 0})
    first = answer(cached.test_client(), url)
    again = answer(cached.test_client(), url)
    rendered = answer(fresh.test_client(), url)
    assert first[0] == 200
    assert first == again == rendered
    assert len(read_cache(cached).responses) == 1
    assert len(read_cache(fresh).responses) == 0
    assert "ETag" in first[2] and first[2]["Cache-Control"] == "no-cache"


def test_every_page_and_event_is_the_fresh_render(store_file: Path, app_on: Callable[..., Any]) -> None:
    cached, fresh = app_on(store_file).test_client(), app_on(store_file, **{CACHE_BYTES_KEY: 0}).test_client()
    url: str | None = "/v1/timeline?limit=40&type=visit&type=other"
    ids: list[str] = []
    while url:
        for _ in range(2):  # the second answer comes from the cache
            assert answer(cached, url) == answer(fresh, url)
        body = cached.get(url).get_json()
        if body["next"]:
            assert cached.get(url).headers["Link"] == f'<{body["next"]}>; rel="next"'
        ids += [e["id"] for e in body["events"]]
        url = body["next"]
    assert len(ids) > 40
    for event_id in ids[:5]:
        for _ in range(2):
            assert answer(cached, f"/v1/events/{event_id}") == answer(fresh, f"/v1/events/{event_id}")


def test_a_hit_still_answers_304_and_errors_are_not_cached(
    store_file: Path, app_on: Callable[..., Any]
) -> None:
    app = app_on(store_file)
    client = app.test_client()
    tag = client.get("/v1/timeline?limit=3").headers["ETag"]
    response = client.get("/v1/timeline?limit=3", headers={"If-None-Match": tag})
    assert response.status_code == 304 and response.headers["ETag"] == tag and not response.data
    assert client.get("/v1/timeline?limit=3", headers={"If-None-Match": "*"}).status_code == 304
    for _ in range(2):
        assert client.get("/v1/timeline?limit=0").status_code == 400
        assert client.get("/v1/events/no-such-event").status_code == 404
        assert client.get("/v1/actors?x=1").status_code == 400
    assert len(read_cache(app).responses) == 1


def test_a_write_from_another_process_is_seen_by_the_next_read(
    store_copy: Path, app_on: Callable[..., Any]
) -> None:
    app = app_on(store_copy)
    client = app.test_client()
    before = answer(client, "/v1/timeline?limit=5000")
    actors_before = answer(client, "/v1/actors")
    assert answer(client, "/v1/timeline?limit=5000") == before  # cached
    other_worker = Store(store_copy)
    added = generate(40, seed=11, stories=1, actorless=False)[0]
    assert other_worker.add(added)
    late = added.document.id.encode()
    assert late not in before[1]
    after = answer(client, "/v1/timeline?limit=5000")
    assert after[0] == 200
    assert after[2]["ETag"] != before[2]["ETag"]
    assert after[1] != before[1] and late in after[1]
    assert after == answer(
        app_on(store_copy, **{CACHE_BYTES_KEY: 0}).test_client(), "/v1/timeline?limit=5000"
    )
    assert answer(client, "/v1/actors")[2]["ETag"] != actors_before[2]["ETag"]
    # the client's old copy is no longer current
    assert (
        client.get("/v1/timeline?limit=5000", headers={"If-None-Match": before[2]["ETag"]}).status_code == 200
    )


def test_a_write_through_the_api_is_seen_by_the_next_read(
    store_copy: Path, app_on: Callable[..., Any], articles: dict[str, Any]
) -> None:
    client = app_on(store_copy).test_client()
    before = client.get("/v1/timeline?limit=5000").get_data()
    article = next(iter(articles.values()))
    assert client.post("/v1/documents", json=article).status_code == 201
    assert article["id"].encode() in client.get("/v1/timeline?limit=5000").get_data() != before


def test_the_app_cache_stays_within_its_budget(store_file: Path, app_on: Callable[..., Any]) -> None:
    budget = 60_000
    app = app_on(store_file, **{CACHE_BYTES_KEY: budget})
    client, fresh = app.test_client(), app_on(store_file, **{CACHE_BYTES_KEY: 0}).test_client()
    cache = read_cache(app).responses
    for limit in range(1, 30):
        client.get(f"/v1/timeline?limit={limit}")
        assert cache.nbytes <= budget
    assert 1 < len(cache) < 29  # some were evicted
    assert cache.get(("nothing",)) is None
    for limit in (1, 12, 29):  # evicted, kept or never kept (too large), they answer alike
        assert answer(client, f"/v1/timeline?limit={limit}") == answer(fresh, f"/v1/timeline?limit={limit}")


def test_warming_renders_the_default_page_without_a_request(
    store_file: Path, app_on: Callable[..., Any], caplog: pytest.LogCaptureFixture
) -> None:
    app = app_on(store_file)
    with caplog.at_level("INFO", logger="dateline.access"):
        warm(app)
    assert not [r for r in caplog.records if r.name == "dateline.access"]
    cache = read_cache(app).responses
    assert len(cache) == 1 and cache.hits == 0
    fresh = app_on(store_file, **{CACHE_BYTES_KEY: 0}).test_client()
    with caplog.at_level("INFO", logger="dateline.access"):
        assert answer(app.test_client(), "/v1/timeline") == answer(fresh, "/v1/timeline")
    assert cache.hits == 1
    assert len([r for r in caplog.records if r.name == "dateline.access"]) == 2  # requests are logged
