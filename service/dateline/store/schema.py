"""The store's tables as SQLAlchemy Core objects: what the code queries, and what the newest
migration (``migrations/versions``) leaves in the database.

The same definitions serve SQLite and PostgreSQL: text payloads (JSON the store writes and reads
itself, so no JSON column type is needed), integers for flags, and an auto-increment key for events
(SQLite's ``INTEGER PRIMARY KEY AUTOINCREMENT``, PostgreSQL's ``bigserial``).
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

#: the events' surrogate key: SQLite wants exactly INTEGER for a rowid alias, PostgreSQL gets 64 bits
EVENT_KEY = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

documents = sa.Table(
    "documents",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("title", sa.Text),
    sa.Column("publisher", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("published_value", sa.Text),
    sa.Column("published_basis", sa.Text, nullable=False, server_default="unknown"),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("content_hash", sa.Text, nullable=False, unique=True),
    sa.Column("created_at", sa.Text, nullable=False),
    sa.Column("author", sa.Text),
    #: the metadata as the caller gave it (JSON), for re-extraction
    sa.Column("given", sa.Text),
    #: the address the HTML page named as its own, when it is not ``url``
    sa.Column("canonical_url", sa.Text),
    #: the copies folded into this document (JSON list of model.Copy; NULL: none)
    sa.Column("also_at", sa.Text),
)

#: what finds a copy of a stored document (``dateline.intake.duplicates.document_keys``): each of its
#: normalised addresses (``url:...``) and each band of its text's MinHash signature (``band:...``)
document_keys = sa.Table(
    "document_keys",
    metadata,
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("document_id", sa.Text, sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    sa.Index("document_keys_by_document", "document_id"),
)

mentions = sa.Table(
    "mentions",
    metadata,
    sa.Column("document_id", sa.Text, sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("seq", sa.Integer, primary_key=True),
    sa.Column("payload", sa.Text, nullable=False),
    # the link columns (see dateline.incremental.LinkInfo)
    sa.Column("type", sa.Text),
    sa.Column("generic", sa.Integer),
    sa.Column("first_year", sa.Integer),
    sa.Column("last_year", sa.Integer),
)

meta = sa.Table(
    "meta",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("revision", sa.BigInteger, nullable=False),
    sa.CheckConstraint("id = 1", name="meta_single_row"),
)

mention_terms = sa.Table(
    "mention_terms",
    metadata,
    sa.Column("document_id", sa.Text, nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("term", sa.Text, nullable=False),
    sa.Column("name", sa.Text),
    sa.ForeignKeyConstraint(
        ["document_id", "seq"], ["mentions.document_id", "mentions.seq"], ondelete="CASCADE"
    ),
    sa.Index("mention_terms_by_term", "term"),
    sa.Index("mention_terms_by_mention", "document_id", "seq"),
)

events = sa.Table(
    "events",
    metadata,
    sa.Column("key", EVENT_KEY, primary_key=True, autoincrement=True),
    sa.Column("id", sa.Text, nullable=False),
    sa.Column("payload", sa.Text, nullable=False),
    sa.Index("events_by_id", "id"),
    sqlite_autoincrement=True,
)

event_members = sa.Table(
    "event_members",
    metadata,
    sa.Column("event_key", EVENT_KEY, sa.ForeignKey("events.key", ondelete="CASCADE"), nullable=False),
    sa.Column("document_id", sa.Text, primary_key=True),
    sa.Column("seq", sa.Integer, primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.ForeignKeyConstraint(
        ["document_id", "seq"], ["mentions.document_id", "mentions.seq"], ondelete="CASCADE"
    ),
    sa.Index("event_members_by_event", "event_key"),
)

meta_values = sa.Table(
    "meta_values",
    metadata,
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

#: the documents each write changed (NULL: every event was re-merged), which lets a process that
#: keeps the merge in memory replay the writes of others (``dateline.store.remerge``)
document_changes = sa.Table(
    "document_changes",
    metadata,
    sa.Column("revision", sa.BigInteger, nullable=False),
    sa.Column("document_id", sa.Text),
    sa.Index("document_changes_by_revision", "revision"),
)
