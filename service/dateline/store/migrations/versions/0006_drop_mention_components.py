"""The mentions' component labels go: no write reads or writes them since the kept merge
(``dateline.merging.incremental``, issue 16) follows each change itself.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    if "mentions_by_component" in {i["name"] for i in inspector.get_indexes("mentions")}:
        op.drop_index("mentions_by_component", "mentions")
    if "component" in {c["name"] for c in inspector.get_columns("mentions")}:
        # in place on SQLite too (3.35+): a batch copy would drop the old table, and with it, through
        # ON DELETE CASCADE, every event member row
        op.execute("ALTER TABLE mentions DROP COLUMN component")


def downgrade() -> None:
    op.add_column("mentions", sa.Column("component", sa.BigInteger))
    op.create_index("mentions_by_component", "mentions", ["component"])
