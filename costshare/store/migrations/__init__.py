"""Alembic migrations of the store, run by :func:`costshare.store.engine.upgrade`."""
