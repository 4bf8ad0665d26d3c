"""A time budget for a unit of work (one HTTP request), checked cooperatively between its stages.

The HTTP layer opens a budget per request (``DATELINE_REQUEST_TIMEOUT``); the extractor calls
:func:`check` between stages that each take a bounded time (cleaning, a part of the text through
spaCy, the date tagger's rules, a run of sentences), so work over budget stops with
:class:`BudgetExceeded` at the next check, before anything is stored, instead of running until the
server kills the worker. Outside a budget (the CLI, the job worker) :func:`check` does nothing.

The deadline lives in a context variable, so each thread of a threaded server has its own.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass


class BudgetExceeded(RuntimeError):
    """The work ran past its time budget (the message names the stage it was stopped in)."""

    def __init__(self, seconds: float, stage: str) -> None:
        super().__init__(f"the work took more than its budget of {seconds:g} s (stopped while {stage})")
        self.seconds = seconds
        self.stage = stage


@dataclass(frozen=True)
class Deadline:
    """When the budget of ``seconds``, started at monotonic time ``start``, runs out."""

    start: float
    seconds: float

    @property
    def at(self) -> float:
        return self.start + self.seconds

    def remaining(self) -> float:
        return self.at - time.monotonic()


_current: ContextVar[Deadline | None] = ContextVar("dateline_deadline", default=None)


def current() -> Deadline | None:
    """The deadline of the work running in this context (None: no budget)."""
    return _current.get()


def check(stage: str) -> None:
    """Raise :class:`BudgetExceeded` when the current budget has run out (``stage``: what was being
    done, for the message). Cheap enough to call once per sentence."""
    deadline = _current.get()
    if deadline is not None and time.monotonic() > deadline.at:
        raise BudgetExceeded(deadline.seconds, stage)


def exceeded(stage: str) -> BudgetExceeded:
    """The error for the current budget, e.g. when waiting for a resource took all of it."""
    deadline = _current.get()
    return BudgetExceeded(deadline.seconds if deadline is not None else 0.0, stage)


def remaining() -> float | None:
    """Seconds left in the current budget (None: no budget; never below 0)."""
    deadline = _current.get()
    return None if deadline is None else max(0.0, deadline.remaining())


def start(seconds: float) -> Token[Deadline | None]:
    """Open a budget of ``seconds`` (0: none) in the current context; returns the token that
    :func:`stop` takes to restore the context as it was."""
    deadline = Deadline(time.monotonic(), seconds) if seconds > 0 else None
    return _current.set(deadline)


def stop(token: Token[Deadline | None]) -> None:
    """Close the budget opened by :func:`start` (a thread serving the next request starts clean)."""
    _current.reset(token)


@contextmanager
def budget(seconds: float) -> Iterator[Deadline | None]:
    """``with budget(2.5): ...``: the block's work must finish within ``seconds`` (0: no limit)."""
    token = start(seconds)
    try:
        yield _current.get()
    finally:
        stop(token)
