"""``/metrics`` in the Prometheus text format, correct across gunicorn workers.

Under gunicorn, each worker is its own process with its own counters: with
``PROMETHEUS_MULTIPROC_DIR`` set (gunicorn.conf.py sets it up), prometheus_client keeps every
process's values in files there and the scrape, whichever worker answers it, adds them up. The store
figures (documents, events, revision) are read from the store at scrape time, so they are the same
from every worker.

Labels are bounded: a method the API does not know is counted as ``other`` and a path no route
matches as ``<unmatched>``, so random requests cannot grow a scrape without limit.

With ``DATELINE_METRICS_BIND`` (``host:port``) the main app answers ``/metrics`` with 404 and
:func:`serve` runs a small server on that address instead (gunicorn.conf.py starts it once, in the
master, where it adds up every worker's files): metrics can stay on a private interface while the
API is public.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator
from wsgiref.simple_server import WSGIServer

from flask import Blueprint, Response
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4, start_wsgi_server
from werkzeug.exceptions import NotFound

from dateline.api.resources import get_resources
from dateline.settings import SettingsError
from dateline.store import Store
from dateline.views.openapi import Operation, TextBody

bp = Blueprint("metrics", __name__)

# the *_created series (process start times per label set) only add noise to a scrape
disable_created_metrics()

#: the service's own metrics (a private registry: several apps in one test process share it safely)
REGISTRY = CollectorRegistry(auto_describe=True)

REQUESTS = Counter(
    "dateline_http_requests",
    "HTTP requests answered, by method, route and status",
    ["method", "route", "status"],
    registry=REGISTRY,
)
LATENCY = Histogram(
    "dateline_http_request_duration_seconds",
    "Time to answer a request, by method and route",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
    registry=REGISTRY,
)
INGESTED = Counter(
    "dateline_documents_ingested",
    "Documents posted for ingestion: created (stored), existing (same text already stored) or queued "
    "(handed to a worker; the store's document gauge counts what workers store)",
    ["outcome"],
    registry=REGISTRY,
)
DELETED = Counter("dateline_documents_deleted", "Documents deleted", registry=REGISTRY)
EXTRACTED = Counter(
    "dateline_documents_extracted", "Documents through the stateless POST /v1/extract", registry=REGISTRY
)


def documents_ingested(created: bool) -> None:
    INGESTED.labels(outcome="created" if created else "existing").inc()


def documents_queued() -> None:
    INGESTED.labels(outcome="queued").inc()


def documents_deleted() -> None:
    DELETED.inc()


def documents_extracted(count: int) -> None:
    EXTRACTED.inc(count)


#: methods counted under their own name; any other is counted as "other"
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
OTHER_METHOD = "other"


def method_label(method: str) -> str:
    return method if method in KNOWN_METHODS else OTHER_METHOD


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    method = method_label(method)
    REQUESTS.labels(method=method, route=route, status=str(status)).inc()
    LATENCY.labels(method=method, route=route).observe(seconds)


class StoreCollector:
    """Gauges read from the store at scrape time."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def collect(self) -> Iterator[Metric]:
        revision, timeline = self.store.current()
        yield GaugeMetricFamily(
            "dateline_store_documents", "Documents in the store", value=len(timeline.documents)
        )
        yield GaugeMetricFamily(
            "dateline_store_events", "Merged events in the timeline", value=timeline.count
        )
        yield GaugeMetricFamily("dateline_store_revision", "Writes the store has seen", value=revision)


class _Forward:
    """Another registry's metrics, as one collector."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry

    def collect(self) -> Iterable[Metric]:
        return self.registry.collect()


def scrape_registry(store: Store) -> CollectorRegistry:
    """What a scrape shows: every process's counters (summed from the multiprocess folder under
    gunicorn, this process's otherwise) and the store's gauges."""
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_Forward(REGISTRY))
    registry.register(StoreCollector(store))
    return registry


def parse_bind(value: str) -> tuple[str, int]:
    """``host:port`` (``[::1]:9100`` for IPv6; ``:9100`` for every interface) as (host, port)."""
    host, sep, port = value.strip().rpartition(":")
    if not sep or not port.isdigit() or not 0 < int(port) < 65536:
        raise SettingsError(f"DATELINE_METRICS_BIND must be host:port, not {value!r}")
    return host.strip("[]") or "0.0.0.0", int(port)


def serve(bind: str, store: Store) -> tuple[WSGIServer, threading.Thread]:
    """Serve the metrics on ``bind`` from a daemon thread of this process (any path answers)."""
    host, port = parse_bind(bind)
    return start_wsgi_server(port, addr=host, registry=scrape_registry(store))


@bp.get("/metrics")
@Operation(
    "metrics",
    tag="service",
    summary="Prometheus metrics (all gunicorn workers together)",
    responses={200: TextBody("Prometheus text format 0.0.4", "text/plain")},
)
def metrics() -> Response:
    res = get_resources()
    if res.settings.metrics_bind:
        raise NotFound(description="Metrics are served on a separate address (DATELINE_METRICS_BIND).")
    body = generate_latest(scrape_registry(res.store))
    response = Response(body, status=200)
    response.headers["Content-Type"] = CONTENT_TYPE_PLAIN_0_0_4
    response.headers["Cache-Control"] = "no-store"
    return response
