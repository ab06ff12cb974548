"""The migrations and the models describe the same schema, and the app upgrades by itself."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from db.models import Base
from db.study import include_object


def test_migrations_build_exactly_the_models(fresh_engine):
    with fresh_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": include_object})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_upgrading_twice_is_harmless(fresh_engine):
    from db.bootstrap import ensure_base_data

    ensure_base_data(fresh_engine)
    assert set(Base.metadata.tables) <= set(inspect(fresh_engine).get_table_names())
