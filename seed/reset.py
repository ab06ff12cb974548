"""Drop everything the app created, so that a database can be seeded again from nothing."""
from __future__ import annotations

from sqlalchemy import Engine, text

from db.models import Base


def reset_database(engine: Engine) -> None:
    with engine.begin() as connection:
        Base.metadata.drop_all(connection)
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
