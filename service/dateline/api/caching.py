"""Conditional reads: a strong ETag from the store's revision and the request, ``304 Not Modified``
on a matching ``If-None-Match``, ``Cache-Control`` on every read, and a per-process cache of rendered
responses.

The ETag covers the store (its random id, so two stores never share tags), the revision the answer
was computed from, the path and the query string in canonical order: any write changes every tag,
and two requests for the same representation get the same one, whichever worker answers.

Rendering is the expensive part of a read (dumping 500 events through marshmallow takes 100 ms or
more), so routes that answer through :func:`cached_read` keep their rendered responses
in a bounded LRU per process (:class:`ResponseCache`), keyed by the store id, the revision, the path
and the raw query string. A write bumps the revision, so the next read misses and renders afresh;
old entries are never served again and age out. Each gunicorn worker has its own cache, which is
correct for any number of workers or instances because they all read the revision from the shared
store. A miss renders from ``Store.current``, which keeps the timeline of the current revision.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass

from flask import Flask, Response, current_app, request

from dateline.api.resources import get_resources
from dateline.model import Timeline

log = logging.getLogger(__name__)

NO_STORE = "no-store"

#: Flask config key: the byte budget of the rendered-response cache of one process (0 turns it off).
#: A candidate for a Settings field.
CACHE_BYTES_KEY = "DATELINE_RESPONSE_CACHE_BYTES"
#: 32 MiB: about 60 default pages (a 500-event page is about 0.5 MiB) per worker
DEFAULT_CACHE_BYTES = 32 * 1024 * 1024
#: at most this many entries whatever their size (bounds the per-entry overhead of tiny bodies)
MAX_CACHE_ENTRIES = 1024
#: what an entry costs besides its body (key, headers, objects), for the byte budget
ENTRY_OVERHEAD = 512
#: the reads :func:`warm` renders before gunicorn forks its workers
WARM_PATHS = ("/v1/timeline",)

_EXTENSION = "dateline.read_cache"


@dataclass(frozen=True)
class CachedResponse:
    """A rendered 200 response, without the per-request headers (ETag, Cache-Control, CORS, request
    id), which are set again on every answer."""

    body: bytes
    headers: tuple[tuple[str, str], ...]
    etag: str

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers) + ENTRY_OVERHEAD

    @classmethod
    def of(cls, response: Response, etag: str) -> CachedResponse | None:
        """The cacheable copy of ``response``; None for anything but a complete 200."""
        if response.status_code != 200 or response.is_streamed or response.direct_passthrough:
            return None
        headers = tuple((k, v) for k, v in response.headers.items() if k.lower() != "content-length")
        return cls(response.get_data(), headers, etag)

    def response(self) -> Response:
        return current_app.response_class(self.body, status=200, headers=list(self.headers))


class ResponseCache:
    """A thread-safe LRU of rendered responses, bounded by total size in bytes and by entries."""

    def __init__(self, max_bytes: int, max_entries: int = MAX_CACHE_ENTRIES) -> None:
        self.max_bytes = max_bytes
        self.max_entries = max_entries
        self.nbytes = 0
        self.hits = self.misses = 0
        self._entries: OrderedDict[Hashable, CachedResponse] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: Hashable) -> bool:
        """Whether ``key`` is kept (without counting a hit or making it recently used)."""
        return key in self._entries

    def get(self, key: Hashable) -> CachedResponse | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry

    def put(self, key: Hashable, entry: CachedResponse) -> bool:
        """Keep ``entry`` (evicting the least recently used); False when it is too large to be
        worth it: over a quarter of the budget, so one huge page cannot flush everything else."""
        size = entry.size
        if size > self.max_bytes // 4:
            return False
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.nbytes -= old.size
            self._entries[key] = entry
            self.nbytes += size
            while self.nbytes > self.max_bytes or len(self._entries) > self.max_entries:
                _, evicted = self._entries.popitem(last=False)
                self.nbytes -= evicted.size
        return True

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.nbytes = 0


class ReadCache:
    """One app's per-process read state: the rendered responses (the timeline they are rendered
    from is kept by the store, per revision: ``Store.current``)."""

    def __init__(self, max_bytes: int) -> None:
        self.responses = ResponseCache(max_bytes)


def read_cache(app: Flask | None = None) -> ReadCache:
    """The app's read cache, made on first use (sized by ``app.config[CACHE_BYTES_KEY]``)."""
    app = app or current_app
    cache: ReadCache | None = app.extensions.get(_EXTENSION)
    if cache is None:
        cache = ReadCache(int(app.config.get(CACHE_BYTES_KEY, DEFAULT_CACHE_BYTES)))
        cache = app.extensions.setdefault(_EXTENSION, cache)
    return cache


def read_cache_control() -> str:
    max_age = get_resources().settings.cache_max_age
    return f"public, max-age={max_age}, must-revalidate" if max_age else "no-cache"


def etag_for(revision: int) -> str:
    store = get_resources().store
    query = sorted((k, v) for k in request.args for v in request.args.getlist(k))
    key = f"{store.store_id}\n{revision}\n{request.path}\n{query!r}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _response_key(revision: int) -> tuple[str, int, str, bytes]:
    """The rendered response's key: the raw query string (the same body as its canonical order, but
    keying on it spares parsing the parameters on a hit)."""
    return (get_resources().store.store_id, revision, request.path, request.query_string)


Render = Callable[[int, Timeline], Response]


def conditional_read(render: Render) -> Response:
    """Answer a read from the current timeline: 304 when the client's copy is current, else
    ``render(revision, timeline)``, with the ETag and Cache-Control set either way."""
    revision = get_resources().store.revision()
    tag = etag_for(revision)
    if _not_modified(tag):
        response = Response(status=304)
    else:
        revision, timeline = get_resources().store.current()  # a write may have come in between
        tag = etag_for(revision)
        response = render(revision, timeline)
    return _finish(response, tag)


def cached_read(prepare: Callable[[], Render]) -> Response:
    """:func:`conditional_read` through the response cache.

    ``prepare`` checks the request (raising its 4xx) and returns the renderer, which must depend on
    nothing but the store's timeline, the path and the query string. A cached response skips both:
    it was rendered for the same path and query, which passed ``prepare`` then, and its ETag is kept
    with it. So a hit costs one revision read and a dictionary lookup."""
    reads = read_cache()
    revision = get_resources().store.revision()
    key = _response_key(revision)
    entry = reads.responses.get(key) if reads.responses.max_bytes > 0 else None
    if entry is not None:
        return _finish(Response(status=304) if _not_modified(entry.etag) else entry.response(), entry.etag)
    render = prepare()
    tag = etag_for(revision)
    if _not_modified(tag):
        return _finish(Response(status=304), tag)
    revision, timeline = get_resources().store.current()
    tag = etag_for(revision)
    response = render(revision, timeline)
    if reads.responses.max_bytes > 0 and (entry := CachedResponse.of(response, tag)) is not None:
        reads.responses.put(_response_key(revision), entry)
    return _finish(response, tag)


def _not_modified(tag: str) -> bool:
    return request.if_none_match.contains_weak(tag) or request.if_none_match.star_tag


def _finish(response: Response, tag: str) -> Response:
    response.set_etag(tag)
    response.headers["Cache-Control"] = read_cache_control()
    return response


def warm(app: Flask, paths: Iterable[str] = WARM_PATHS) -> None:
    """Render ``paths`` into the app's read cache through their views, without the request hooks
    (no access log line, no metrics): gunicorn calls it in the master before forking a worker, so the
    worker starts with the current revision's default page (and timeline) already in memory. A
    failure is logged and otherwise ignored: the worker then renders on its first request."""
    for path in paths:
        try:
            with app.test_request_context(path):
                response = app.make_response(app.dispatch_request())
            if response.status_code != 200:
                log.warning("warming %s: status %d", path, response.status_code)
        except Exception:
            log.warning("warming %s failed; the workers will render it on first use", path, exc_info=True)
