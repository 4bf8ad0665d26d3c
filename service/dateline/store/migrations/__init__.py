"""The store's schema migrations (Alembic); applied by ``dateline.store.database.migrate``."""
