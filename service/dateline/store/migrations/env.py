"""Alembic environment of the store's migrations.

The store runs them itself when it opens: :func:`dateline.store.database.migrate` hands over its
connection, inside its own write transaction. Run from the ``alembic`` command line instead (a config
whose ``script_location`` is this folder, e.g. to write a new revision with ``--autogenerate``), it
migrates the database that ``DATELINE_DATABASE_URL`` / ``DATELINE_STORE_PATH`` name.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from dateline.store.schema import metadata


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        transaction_per_migration=False,
    )
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        run(connection)
        return
    from dateline.settings import Settings
    from dateline.store.database import create_engine, database_url

    engine = create_engine(database_url(Settings.from_env().database_location()))
    with engine.begin() as conn:
        run(conn)


main()
