"""The time budget of a request (``DATELINE_REQUEST_TIMEOUT``): work that overruns it is answered
``503`` problem+json with ``Retry-After``, not left running until gunicorn kills the worker.

Every request opens a budget (:mod:`dateline.budget`) before anything else runs, and closes it at
teardown, so a thread of the threaded server starts the next request clean. The extractor checks the
budget between its stages (a part of the text through spaCy, the date tagger's rules, runs of
sentences), and a request waiting for the process's extractor waits no longer than its budget
(:meth:`dateline.api.resources.Resources.extract`). Extraction comes before any write, so a request
stopped this way has stored nothing.
"""

from __future__ import annotations

import math

from flask import Flask, Response, g

from dateline.api.errors import problem
from dateline.budget import BudgetExceeded, start, stop
from dateline.problems import PROBLEM_TYPES
from dateline.settings import Settings

_SLUG = "time-budget-exceeded"


def handle_budget_exceeded(exc: BudgetExceeded) -> Response:
    """503 and when to retry: by then the work in flight has finished or been stopped too."""
    kind = PROBLEM_TYPES[_SLUG]
    retry = max(1, math.ceil(exc.seconds))
    response = problem(
        kind.status,
        kind.title,
        f"The request needed more than its time budget of {exc.seconds:g} s (DATELINE_REQUEST_TIMEOUT; "
        f"stopped while {exc.stage}); nothing was stored. Retry after {retry} s, or send a shorter text.",
        type_=kind.uri(_SLUG),
    )
    response.headers["Retry-After"] = str(retry)
    return response


def init_app(app: Flask, settings: Settings) -> None:
    """Open a budget of ``settings.request_timeout`` seconds for every request (0: none)."""
    seconds = settings.request_timeout

    @app.before_request
    def open_budget() -> None:
        g.dateline_budget = start(seconds)

    @app.teardown_request
    def close_budget(_exc: BaseException | None) -> None:
        token = g.pop("dateline_budget", None)
        if token is not None:
            stop(token)

    app.register_error_handler(BudgetExceeded, handle_budget_exceeded)
