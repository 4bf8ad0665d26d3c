"""Schemathesis against /v1/openapi.json: every operation, generated valid and invalid requests, no
5xx, and every response conforms to its documented status, content type, headers and schema.

The app runs in-process (WSGI) over its own empty store, with the session's extractor, the real text
limit (``Settings.max_text_chars``: what is served is what the committed description says) and a small
batch limit so that path is reached too. Every example has a deadline (:data:`DEADLINE`): a request
that takes longer fails the test, as a slow pattern or a quadratic step would. Invalid data must be
rejected with a 4xx (``negative_data_rejection``). ``positive_data_acceptance`` is not among the
checks: some rules are not expressible in a static schema (a publication date "not in the future",
ids unique within a batch), so a schema-valid request may rightly get a 422.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from dateline.settings import Settings

pytestmark = pytest.mark.slow

CHECKS = [
    schemathesis.checks.not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory: pytest.TempPathFactory, extractor: Any) -> Any:
    from dateline.api import create_app

    store = tmp_path_factory.mktemp("fuzz") / "fuzz.sqlite3"
    settings = Settings(store_path=Path(store), seed_path="", max_batch=3, write_rate_limit="")
    return create_app({"TESTING": True, "DATELINE": settings, "DATELINE_EXTRACTOR": extractor})


#: longest time one generated request may take (hypothesis fails the example, after re-running it to
#: rule out a one-off stall)
DEADLINE = timedelta(seconds=5)

#: invalid input is rejected with a client error; 413 (a list over the batch limit, a text over the
#: size limit) is one too, though schemathesis does not expect it by default
REJECTION_STATUSES = [400, 404, 405, 409, 413, 415, 422]


@pytest.fixture(scope="module")
def api_schema(fuzz_app: Any) -> Any:
    config = SchemathesisConfig.from_dict(
        {"checks": {"negative_data_rejection": {"expected-statuses": REJECTION_STATUSES}}}
    )
    return schemathesis.openapi.from_wsgi("/v1/openapi.json", fuzz_app, config=config)


def _operations() -> list[Any]:
    """(mode, method, path) for every operation in the committed description (the freshness test
    keeps it equal to what the app serves); invalid requests only where there is something to get
    wrong (a body, a query parameter, a constrained path parameter)."""
    spec = json.loads((Path(__file__).resolve().parents[1] / "schemas" / "openapi.json").read_text("utf-8"))
    out = []
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            out.append(
                pytest.param(GenerationMode.POSITIVE, method.upper(), path, id=f"valid {method} {path}")
            )
            params = op.get("parameters", [])
            negatable = "requestBody" in op or any(
                p["in"] == "query" or "pattern" in p.get("schema", {}) for p in params
            )
            if negatable:
                out.append(
                    pytest.param(GenerationMode.NEGATIVE, method.upper(), path, id=f"invalid {method} {path}")
                )
    return out


@pytest.mark.parametrize(("mode", "method", "path"), _operations())
def test_api_conforms_to_its_openapi(api_schema: Any, mode: GenerationMode, method: str, path: str) -> None:
    operation = api_schema[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=100, deadline=DEADLINE, suppress_health_check=list(HealthCheck))
    def check(case: Any) -> None:
        case.call_and_validate(checks=CHECKS)

    check()


# --- with a job queue: POST /v1/documents answers 202 and a job, jobs are looked up in Redis ---------

QUEUED_OPERATIONS = [("POST", "/v1/documents"), ("GET", "/v1/jobs/{job_id}")]


@pytest.fixture(scope="module")
def queued_schema(tmp_path_factory: pytest.TempPathFactory, extractor: Any, redis_url: str) -> Any:
    import redis

    from dateline.api import create_app

    connection = redis.Redis.from_url(redis_url)
    connection.flushdb()
    store = tmp_path_factory.mktemp("fuzz-queued") / "fuzz.sqlite3"
    settings = Settings(
        store_path=Path(store),
        seed_path="",
        max_batch=3,
        queue_url=redis_url,
        write_rate_limit="",
    )
    app = create_app({"TESTING": True, "DATELINE": settings, "DATELINE_EXTRACTOR": extractor})
    config = SchemathesisConfig.from_dict(
        {"checks": {"negative_data_rejection": {"expected-statuses": REJECTION_STATUSES}}}
    )
    yield schemathesis.openapi.from_wsgi("/v1/openapi.json", app, config=config)
    connection.flushdb()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
@pytest.mark.parametrize(
    ("method", "path"), QUEUED_OPERATIONS, ids=[f"{m} {p}" for m, p in QUEUED_OPERATIONS]
)
def test_queued_ingestion_conforms(queued_schema: Any, mode: GenerationMode, method: str, path: str) -> None:
    operation = queued_schema[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=60, deadline=DEADLINE, suppress_health_check=list(HealthCheck))
    def check(case: Any) -> None:
        case.call_and_validate(checks=CHECKS)

    check()
