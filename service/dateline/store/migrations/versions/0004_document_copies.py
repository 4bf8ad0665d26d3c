"""The same report once: the copies folded into a document, and the keys that find them.

``documents.canonical_url`` keeps the address an HTML page named as its own, ``documents.also_at``
the copies folded into the document (JSON), and ``document_keys`` indexes every document by its
normalised addresses and the LSH bands of its text (``dateline.intake.duplicates``). The store fills
the keys of the documents this migration leaves without any when it opens (``Store._rekey``), as it
rebuilds them whenever the way they are made changes, so the migration only makes the room. A file
stamped from ``PRAGMA user_version`` 2 by a release that already had them keeps what it has.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    columns = {c["name"] for c in inspector.get_columns("documents")}
    for name in ("canonical_url", "also_at"):
        if name not in columns:
            op.add_column("documents", sa.Column(name, sa.Text))
    if "document_keys" not in inspector.get_table_names():
        op.create_table(
            "document_keys",
            sa.Column("key", sa.Text, primary_key=True),
            sa.Column(
                "document_id", sa.Text, sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
            ),
        )
        op.create_index("document_keys_by_document", "document_keys", ["document_id"])


def downgrade() -> None:
    op.drop_index("document_keys_by_document", "document_keys")
    op.drop_table("document_keys")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("also_at")
        batch.drop_column("canonical_url")
