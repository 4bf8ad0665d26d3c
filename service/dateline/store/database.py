"""Engines and schema migrations for the two databases the store runs on: SQLite (the embedded
default, one file) and PostgreSQL (shared by API instances and queue workers on several machines).

What differs between them stays here: how a location becomes an engine, how a transaction begins
(SQLite takes its write lock up front with ``BEGIN IMMEDIATE``; PostgreSQL writers serialise on a
transaction-scoped advisory lock and readers get a ``REPEATABLE READ`` snapshot), and how a file
written before the migrations existed is recognised. The schema itself is the Alembic history under
``migrations/``, applied when a store opens.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, Engine, make_url

import dateline.store.schema as T

log = logging.getLogger(__name__)

#: execution option that marks a connection's next transaction as a write
WRITE = "dateline_write"
#: pg_advisory_xact_lock key every write takes (advisory locks are per database): writes that
#: re-merge events are serialised, readers are never blocked; opening a store migrates inside such a
#: write, so instances starting together migrate once
WRITE_LOCK = 0x0DA7E11E
#: WAL pages between automatic checkpoints (4 KiB each: the WAL stays under about 16 MB)
WAL_CHECKPOINT_PAGES = 4000
#: the Alembic revision of each ``PRAGMA user_version`` a store written before the migrations had
LEGACY_REVISIONS = {0: "0001", 1: "0001", 2: "0002"}


class DatabaseError(RuntimeError):
    """The location is not a database the store can use."""


#: SQLite result codes (``sqlite3.Error.sqlite_errorname``, extended codes included by prefix) and
#: what they mean for a client: the database cannot take a write (or be reached) now, and a retry
#: later may succeed. Any other error is a bug or damage, and stays an error.
_SQLITE_UNAVAILABLE = {
    "SQLITE_READONLY": "the database is read-only",
    "SQLITE_FULL": "the disk is full",
    "SQLITE_IOERR": "a disk I/O error",
    "SQLITE_CANTOPEN": "the database file cannot be opened",
    "SQLITE_BUSY": "the database stayed locked by another writer",
    "SQLITE_NOMEM": "out of memory",
}
#: PostgreSQL SQLSTATE classes and codes with the same meaning
_POSTGRES_UNAVAILABLE = {
    "08": "the connection to the database failed",
    "53": "the database server is out of resources (disk full, memory, connections)",
    "25006": "the database is read-only",
    "57P": "the database server is shutting down or starting",
    "58030": "a disk I/O error on the database server",
}


def unavailable_reason(exc: BaseException) -> str | None:
    """Why the database cannot serve a request now (read-only, full disk, I/O error, unreachable),
    from the driver's error code; None when ``exc`` is not that kind of error."""
    orig = getattr(exc, "orig", exc)
    name = getattr(orig, "sqlite_errorname", None)
    if isinstance(name, str):
        for code, reason in _SQLITE_UNAVAILABLE.items():
            if name == code or name.startswith(code + "_"):
                return reason
        return None
    sqlstate = getattr(orig, "sqlstate", None)
    if isinstance(sqlstate, str):
        for prefix, reason in _POSTGRES_UNAVAILABLE.items():
            if sqlstate.startswith(prefix):
                return reason
        return None
    if isinstance(exc, sa.exc.DBAPIError) and exc.connection_invalidated:
        return "the connection to the database was lost"
    return None


def database_url(location: str | Path) -> URL:
    """The SQLAlchemy URL of a store location: a file path (SQLite), a ``sqlite:///`` URL, or a
    ``postgresql://`` (or ``postgres://``) URL, which is served through psycopg 3."""
    text = str(location)
    if "://" not in text:
        return URL.create("sqlite", database=str(Path(text)))
    url = make_url(text)
    backend, _, driver = url.drivername.partition("+")
    if backend in ("postgresql", "postgres"):
        if driver not in ("", "psycopg"):
            raise DatabaseError(
                f"PostgreSQL is served through psycopg 3: use postgresql://, not {backend}+{driver}://"
            )
        return url.set(drivername="postgresql+psycopg")
    if backend == "sqlite" and driver in ("", "pysqlite"):
        if not url.database or url.database == ":memory:":
            raise DatabaseError("a SQLite store must be a file (every call opens a new connection)")
        return url.set(drivername="sqlite")
    raise DatabaseError(
        f"unsupported database {url.drivername!r}: use a file path, sqlite:/// or postgresql://"
    )


def describe(url: URL) -> str:
    """The location for messages: the file of a SQLite store, the URL without its password otherwise."""
    if url.get_backend_name() == "sqlite":
        return str(url.database)
    return url.render_as_string(hide_password=True)


def create_engine(url: URL, *, timeout: float = 30.0) -> Engine:
    """An engine with the transaction behaviour the store relies on (see the module docstring)."""
    if url.get_backend_name() == "sqlite":
        Path(str(url.database)).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"timeout": timeout})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        _drop_read_only_connections(engine, Path(str(url.database)))
        return engine
    return sa.create_engine(
        url,
        pool_pre_ping=True,
        connect_args={"connect_timeout": max(1, int(timeout)), "application_name": "dateline"},
    )


def _sqlite_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # transactions are begun by _sqlite_begin, not by the driver's implicit BEGIN
    dbapi_connection.isolation_level = None
    dbapi_connection.execute("PRAGMA journal_mode=WAL")
    dbapi_connection.execute("PRAGMA foreign_keys=ON")
    # a write touches about 90 pages whatever the store's size (random places in the link and copy
    # indexes); a checkpoint copies each page the WAL holds into the file once, so the longer the
    # WAL between checkpoints the more writes of a page it folds into one (SQLite's default, 1,000
    # pages, made the commit twice as costly at 10,000 documents as at 500). Durability is the same.
    dbapi_connection.execute(f"PRAGMA wal_autocheckpoint={WAL_CHECKPOINT_PAGES}")


#: marks a pooled connection SQLite opened read-only (see _drop_read_only_connections)
_OPENED_READ_ONLY = "dateline_opened_read_only"


def _drop_read_only_connections(engine: Engine, path: Path) -> None:
    """SQLite opens a file it cannot write read-only, and the connection stays read-only once the
    file can be written again: such a connection is marked when it opens, and dropped by the pool
    (which opens a new one) when it is next checked out and the file has become writable."""
    files = (path, path.with_name(path.name + "-wal"))

    def writable() -> bool:
        return all(os.access(item, os.W_OK) for item in files if item.exists())

    def connect(_dbapi_connection: sqlite3.Connection, record: Any) -> None:
        record.info[_OPENED_READ_ONLY] = not writable()

    def checkout(_dbapi_connection: sqlite3.Connection, record: Any, _proxy: Any) -> None:
        if record.info.get(_OPENED_READ_ONLY) and writable():
            raise sa.exc.DisconnectionError("opened read-only; the file can be written now")

    event.listen(engine, "connect", connect)
    event.listen(engine, "checkout", checkout)


def _sqlite_begin(conn: Connection) -> None:
    """A write takes the lock up front (no upgrade deadlock between two writers); a read is a
    consistent WAL snapshot from its first statement."""
    write = conn.get_execution_options().get(WRITE, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def begin(conn: Connection, *, write: bool) -> sa.RootTransaction:
    """Begin the connection's transaction as a write (serialised with every other write) or a read
    (one snapshot, so a revision and the rows it describes always match)."""
    if conn.dialect.name == "sqlite":
        conn.execution_options(**{WRITE: write})
        return conn.begin()
    conn.execution_options(isolation_level="READ COMMITTED" if write else "REPEATABLE READ")
    transaction = conn.begin()
    if write:
        # every later statement of the transaction sees every write committed before this one
        conn.execute(sa.select(sa.func.pg_advisory_xact_lock(WRITE_LOCK)))
    return transaction


# --- write probes (readiness) ---------------------------------------------------------------------

#: free bytes below which a SQLite store counts as full: a write appends WAL frames (pages of 4 KiB
#: and more) and may grow the file
MIN_FREE_BYTES = 1 << 20
#: how long the write probe waits for another writer's lock before taking it as proof of a write
PROBE_WAIT_MS = 200


def sqlite_files_unwritable(path: Path) -> str | None:
    """Why the SQLite file ``path`` cannot take a write, from the file system (write access to the
    file, its WAL and its folder: a read-only mount or an immutable file refuses even root; free
    space), or None."""
    folder = path.parent
    for item in (path, path.with_name(path.name + "-wal"), folder):
        if item.exists() and not os.access(item, os.W_OK):
            return f"{item.name or item} cannot be written"
    stats = os.statvfs(folder)
    if stats.f_bavail * stats.f_frsize < MIN_FREE_BYTES:
        return "the disk is full"
    return None


def probe_sqlite(path: Path) -> None:
    """Take the write lock and update a row, then roll back, on a connection of its own: a new
    connection opens a file it can no longer write read-only, where a pooled one would not notice
    until its next commit. A lock another writer holds shows the store takes writes."""
    conn = sqlite3.connect(path, timeout=PROBE_WAIT_MS / 1000, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE meta SET revision = revision WHERE id = 1")
        conn.execute("ROLLBACK")
    except sqlite3.OperationalError as exc:
        if exc.sqlite_errorname != "SQLITE_BUSY":
            raise sa.exc.OperationalError("write probe", None, exc) from exc
    finally:
        conn.close()


def probe_postgresql(conn: Connection) -> None:
    """Take the write lock on ``meta`` and update its row in a transaction that is rolled back; a
    lock another writer holds is not waited for (a write in progress shows the store takes writes)."""
    with conn.begin() as transaction:
        conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{PROBE_WAIT_MS}ms'")
        try:
            conn.execute(sa.update(T.meta).where(T.meta.c.id == 1).values(revision=T.meta.c.revision))
        except sa.exc.OperationalError as exc:
            if getattr(exc.orig, "sqlstate", None) != "55P03":  # lock_not_available
                raise
        transaction.rollback()


# --- migrations -----------------------------------------------------------------------------------


def alembic_config(conn: Connection | None = None) -> Config:
    """Alembic's configuration for the migrations shipped in this package (no alembic.ini needed);
    ``conn`` is the connection env.py migrates, inside the caller's transaction."""
    config = Config()
    config.set_main_option("script_location", str(resources.files("dateline.store") / "migrations"))
    if conn is not None:
        config.attributes["connection"] = conn
    return config


@cache
def script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    head = script_directory().get_current_head()
    assert head is not None, "the migrations have one head"
    return head


def _known(revision: str) -> bool:
    try:
        return script_directory().get_revision(revision) is not None
    except Exception:  # alembic raises several kinds for a revision it does not have
        return False


def migrate(conn: Connection, location: str) -> bool:
    """Bring the schema to the newest revision inside the caller's (write) transaction; returns True
    when something was applied. A SQLite file written before the migrations (``PRAGMA user_version``
    1 or 2, no ``alembic_version`` table) is stamped with the revision its schema matches first."""
    current = MigrationContext.configure(conn).get_current_heads()
    for revision in current:
        if not _known(revision):
            raise DatabaseError(
                f"the store at {location} has schema revision {revision}; this Dateline knows "
                f"{head_revision()} at most (a newer release wrote it)"
            )
    if not current and conn.dialect.name == "sqlite":
        tables = set(sa.inspect(conn).get_table_names())
        if "documents" in tables:
            version = int(conn.exec_driver_sql("PRAGMA user_version").scalar_one())
            legacy = LEGACY_REVISIONS.get(version)
            if legacy is None:
                raise DatabaseError(
                    f"the store at {location} has schema version {version}; this Dateline knows "
                    f"{max(LEGACY_REVISIONS)} at most (a newer release wrote it)"
                )
            command.stamp(alembic_config(conn), legacy)
            current = (legacy,)
    if tuple(current) == (head_revision(),):
        return False
    log.info("store %s: schema %s -> %s", location, ",".join(current) or "empty", head_revision())
    command.upgrade(alembic_config(conn), "head")
    return True
