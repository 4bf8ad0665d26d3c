"""A log of the documents each write changed, by revision.

A store process keeps the merge of every stored mention in memory (``dateline.merging.incremental``)
so that a write costs what it changes. When another process (an API worker, a queue worker, another
machine) wrote meanwhile, the process replays those writes from this log: the documents written
after the revision it knows, read again. A row without a document asks for a rebuild (the merging
code changed and every event was re-merged).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if "document_changes" in sa.inspect(op.get_bind()).get_table_names():
        return  # a file stamped from ``PRAGMA user_version`` by a release that made it already
    op.create_table(
        "document_changes",
        sa.Column("revision", sa.BigInteger, nullable=False),
        sa.Column("document_id", sa.Text),
    )
    op.create_index("document_changes_by_revision", "document_changes", ["revision"])


def downgrade() -> None:
    op.drop_index("document_changes_by_revision", "document_changes")
    op.drop_table("document_changes")
