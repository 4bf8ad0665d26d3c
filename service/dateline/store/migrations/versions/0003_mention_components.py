"""A component label on every mention, so a write finds what it must re-merge with one indexed
lookup instead of walking the link index mention by mention.

Mentions with one label form a set closed under links, shared events and ambiguous surnames (see
``Store._closure``). The store labels the mentions this migration leaves unlabelled when it opens
(``Store._label_missing``), without touching the events, so the migration only makes the room. A
file stamped from ``PRAGMA user_version`` 2 may have the column already: it is added only when
missing.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    if "component" not in {c["name"] for c in inspector.get_columns("mentions")}:
        op.add_column("mentions", sa.Column("component", sa.BigInteger))
    if "mentions_by_component" not in {i["name"] for i in inspector.get_indexes("mentions")}:
        op.create_index("mentions_by_component", "mentions", ["component"])


def downgrade() -> None:
    op.drop_index("mentions_by_component", "mentions")
    with op.batch_alter_table("mentions") as batch:
        batch.drop_column("component")
