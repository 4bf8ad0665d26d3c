"""The queue's write path (``Store.ingest_many``, what a ``dateline worker`` batch writes), on SQLite
and PostgreSQL: the kept merge catches up with the other writers' writes in a read before the
store-wide write lock is taken, so the lock is held for the batch's own write (two workers otherwise
each waited while the other replayed); the stored events still equal a full merge."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import dateline.store.facade as facade
from dateline.model import DocumentResult
from dateline.store import Store, StoreUnavailable


@pytest.fixture
def archives(monkeypatch: pytest.MonkeyPatch) -> list[tuple[bool, int | None, int | None]]:
    """Each time a transaction takes the kept merge: (a write transaction, the revision of the merge
    it was handed, the revision the transaction reads)."""
    seen: list[tuple[bool, int | None, int | None]] = []
    real = facade.take_archive

    def spy(tx: Any, held: Any) -> Any:
        archive = real(tx, held)
        seen.append((tx.take_archive is not None, held[1] if held is not None else None, tx.revision))
        return archive

    monkeypatch.setattr(facade, "take_archive", spy)
    return seen


def two_writers(location: str | Path, make_results: Callable[[], list[DocumentResult]]) -> tuple[Store, int]:
    """A store whose kept merge is one write behind: another writer (another worker) stored a
    document since. Returns the store and the revision after that write."""
    first, _ = make_results()
    mine, other = Store(location), Store(location)
    mine.refresh()
    other.ingest(first)
    other.close()
    return mine, mine.revision()


def test_the_write_lock_is_held_for_the_write_only(
    store_location: str | Path,
    make_results: Callable[[], list[DocumentResult]],
    archives: list[tuple[bool, int | None, int | None]],
) -> None:
    mine, behind = two_writers(store_location, make_results)
    archives.clear()
    _, second = make_results()
    outcomes = mine.ingest_many([(second, None)])
    assert [getattr(o, "created", o) for o in outcomes] == [True]
    reads = [(held, read) for write, held, read in archives if not write]
    writes = [(held, read) for write, held, read in archives if write]
    assert reads == [(behind - 1, behind)], "the other writer's write replayed in a read"
    assert writes == [(behind, behind)], "nothing left to replay inside the lock"
    assert mine.verify() == []
    mine.close()


def test_a_catch_up_that_fails_is_left_to_the_write(
    store_location: str | Path,
    make_results: Callable[[], list[DocumentResult]],
    archives: list[tuple[bool, int | None, int | None]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    mine, behind = two_writers(store_location, make_results)
    archives.clear()

    def broken() -> None:
        raise RuntimeError("the read failed")

    monkeypatch.setattr(mine, "refresh", broken)
    _, second = make_results()
    outcomes = mine.ingest_many([(second, None)])
    assert [getattr(o, "created", o) for o in outcomes] == [True]
    assert archives == [(True, behind - 1, behind)], "the write replayed it itself"
    assert mine.count() == 2 and mine.verify() == []
    mine.close()


def test_an_unavailable_store_before_the_write_fails_the_batch(
    store_location: str | Path,
    make_results: Callable[[], list[DocumentResult]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The read that catches up finds the database gone: the batch raises (every job of it is
    retried), nothing is written."""
    mine, _ = two_writers(store_location, make_results)

    def unavailable() -> None:
        raise StoreUnavailable(mine.location, "the database cannot be reached")

    monkeypatch.setattr(mine, "refresh", unavailable)
    _, second = make_results()
    with pytest.raises(StoreUnavailable):
        mine.ingest_many([(second, None)])
    assert mine.count() == 1 and mine.verify() == []
    mine.close()
