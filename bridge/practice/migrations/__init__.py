"""Alembic migration scripts of the practice database, shipped in the package and run at start."""
