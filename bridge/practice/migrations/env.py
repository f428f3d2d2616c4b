"""Alembic environment: runs on the connection the app hands over (`config.attributes["connection"]`)."""

from __future__ import annotations

from alembic import context

from bridge.practice.tables import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("practice migrations run through bridge.practice.db.migrate(), which passes a connection")
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
