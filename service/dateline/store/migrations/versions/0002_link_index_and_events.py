"""The merged events and the link index beside the mentions (user_version 2).

The store fills them when it opens: a store whose recorded merge version is missing or old is
re-merged from its mentions (``Store._remerge_if_outdated``), so this migration only makes the room.
Columns that some version 1 files already had are added only when missing.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

EVENT_KEY = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _add_missing(table: str, columns: list[sa.Column]) -> None:
    have = {c["name"] for c in sa.inspect(op.get_bind()).get_columns(table)}
    for column in columns:
        if column.name not in have:
            op.add_column(table, column)


def upgrade() -> None:
    _add_missing("documents", [sa.Column("author", sa.Text), sa.Column("given", sa.Text)])
    _add_missing(
        "mentions",
        [
            sa.Column("type", sa.Text),
            sa.Column("generic", sa.Integer),
            sa.Column("first_year", sa.Integer),
            sa.Column("last_year", sa.Integer),
        ],
    )
    op.create_table(
        "mention_terms",
        sa.Column("document_id", sa.Text, nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("term", sa.Text, nullable=False),
        sa.Column("name", sa.Text),
        sa.ForeignKeyConstraint(
            ["document_id", "seq"], ["mentions.document_id", "mentions.seq"], ondelete="CASCADE"
        ),
    )
    op.create_index("mention_terms_by_term", "mention_terms", ["term"])
    op.create_index("mention_terms_by_mention", "mention_terms", ["document_id", "seq"])
    op.create_table(
        "events",
        sa.Column("key", EVENT_KEY, primary_key=True, autoincrement=True),
        sa.Column("id", sa.Text, nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("events_by_id", "events", ["id"])
    op.create_table(
        "event_members",
        sa.Column("event_key", EVENT_KEY, sa.ForeignKey("events.key", ondelete="CASCADE"), nullable=False),
        sa.Column("document_id", sa.Text, primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id", "seq"], ["mentions.document_id", "mentions.seq"], ondelete="CASCADE"
        ),
    )
    op.create_index("event_members_by_event", "event_members", ["event_key"])
    op.create_table(
        "meta_values",
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("meta_values")
    op.drop_table("event_members")
    op.drop_table("events")
    op.drop_table("mention_terms")
    with op.batch_alter_table("mentions") as batch:
        for name in ("last_year", "first_year", "generic", "type"):
            batch.drop_column(name)
    with op.batch_alter_table("documents") as batch:
        for name in ("given", "author"):
            batch.drop_column(name)
