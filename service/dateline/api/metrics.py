"""``/metrics`` in the Prometheus text format, correct across gunicorn workers.

Under gunicorn, each worker is its own process with its own counters: with
``PROMETHEUS_MULTIPROC_DIR`` set (gunicorn.conf.py sets it up), prometheus_client keeps every
process's values in files there and the scrape, whichever worker answers it, adds them up. The store
figures (documents, events, revision) are read from the store at scrape time, so they are the same
from every worker.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

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
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4

from .resources import get_resources

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


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    REQUESTS.labels(method=method, route=route, status=str(status)).inc()
    LATENCY.labels(method=method, route=route).observe(seconds)


class StoreCollector:
    """Gauges read from the store at scrape time."""

    def collect(self) -> Iterator[Metric]:
        store = get_resources().store
        revision, timeline = store.current()
        yield GaugeMetricFamily(
            "dateline_store_documents", "Documents in the store", value=len(timeline.documents)
        )
        yield GaugeMetricFamily(
            "dateline_store_events", "Merged events in the timeline", value=timeline.count
        )
        yield GaugeMetricFamily("dateline_store_revision", "Writes the store has seen", value=revision)


def _process_metrics() -> bytes:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest(REGISTRY)


@bp.get("/metrics")
def metrics() -> Response:
    store_registry = CollectorRegistry(auto_describe=False)
    store_registry.register(StoreCollector())
    body = _process_metrics() + generate_latest(store_registry)
    response = Response(body, status=200)
    response.headers["Content-Type"] = CONTENT_TYPE_PLAIN_0_0_4
    response.headers["Cache-Control"] = "no-store"
    return response
