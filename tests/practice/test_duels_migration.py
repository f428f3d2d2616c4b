"""Migration 0006 (duels, ratings) from an empty database and from 0005 with an account in it; both backends."""

from __future__ import annotations

from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from bridge.practice.db import MIGRATIONS, make_engine, migrate

pytestmark = pytest.mark.slow


def _to(revision: str, down: bool = False) -> Any:
    def run(connection: Connection) -> None:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)

    return run


def _schema(connection: Connection) -> Any:
    found = inspect(connection)
    return set(found.get_table_names()), {c["name"] for c in found.get_columns("users")}


async def test_from_an_empty_database(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        await migrate(engine)
        async with engine.connect() as connection:
            tables, user_columns = await connection.run_sync(_schema)
            assert "duels" in tables and "rating" in user_columns
            assert await connection.scalar(text("SELECT version_num FROM alembic_version")) == "0006"
    finally:
        await engine.dispose()


async def test_from_0005_every_account_starts_at_1200_and_back(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_to("0005"))
            await connection.execute(text(
                "INSERT INTO users (id, email, username, password_hash, interests, xp_total, created_at) VALUES "
                "('u1', 'a@example.com', 'alice', 'x', '[]', 300, CURRENT_TIMESTAMP)"))
        await migrate(engine)
        async with engine.connect() as connection:
            assert (await connection.execute(text("SELECT username, xp_total, rating FROM users"))).all() == \
                [("alice", 300, 1200)]
        async with engine.begin() as connection:
            await connection.run_sync(_to("0005", down=True))
        async with engine.connect() as connection:
            tables, user_columns = await connection.run_sync(_schema)
            assert "duels" not in tables and "rating" not in user_columns and "solved_problems" in tables
            assert (await connection.execute(text("SELECT username FROM users"))).all() == [("alice",)]
    finally:
        await engine.dispose()
