"""A backup taken while data exists brings every row back after changes and deletes."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from db.backup import BackupFailed, backup, restore
from db.data_versions import VERSION_KEY_PREFIX, Area
from db.engine import data_versions, write_session
from db.models import Base, ComparisonGroup, Unit


def _everything(engine: sa.Engine) -> dict[str, list[tuple]]:
    """Every row, but the data versions (a restore moves them on, see below)."""
    with engine.connect() as connection:
        return {
            table.name: sorted(
                tuple(row) for row in connection.execute(sa.select(table))
                if table.name != "app_meta" or not row[0].startswith(VERSION_KEY_PREFIX)
            )
            for table in Base.metadata.sorted_tables
        }


def test_a_restored_backup_has_every_row_as_it_was(fresh_engine, tmp_path):
    with write_session(fresh_engine) as session:
        group = ComparisonGroup(code="district", name_zh="区县组", name_en="Districts")
        session.add(group)
        session.flush()
        session.add_all([
            Unit(code=f"u{n}", name_zh=f"单位{n}", name_en=f"Unit {n}", group_id=group.id, kind="district")
            for n in range(3)
        ])
    before = _everything(fresh_engine)

    path = backup(fresh_engine, tmp_path / "excellence.backup")
    with write_session(fresh_engine) as session:
        session.execute(sa.update(Unit).where(Unit.code == "u0").values(name_zh="改过的名字"))
        session.execute(sa.delete(Unit).where(Unit.code == "u2"))
        session.add(Unit(code="new", name_zh="新单位", name_en="New", kind="district"))
    assert _everything(fresh_engine) != before

    replaced = data_versions(fresh_engine)
    restore(fresh_engine, path)
    assert _everything(fresh_engine) == before
    # Every data version moves past the replaced database's, so that no cache made before the
    # restore matches a number the restored database comes to.
    restored = data_versions(fresh_engine)
    assert all(restored[area] > replaced[area] for area in Area)


def test_a_backup_never_overwrites_a_file(fresh_engine, tmp_path):
    existing = tmp_path / "taken.backup"
    existing.write_bytes(b"keep me")
    with pytest.raises(BackupFailed):
        backup(fresh_engine, existing)
    assert existing.read_bytes() == b"keep me"


def test_restoring_from_a_missing_file_is_refused(fresh_engine, tmp_path):
    with pytest.raises(BackupFailed):
        restore(fresh_engine, tmp_path / "nothing-here")


def test_the_manage_command_backs_up_and_restores(fresh_engine, tmp_path):
    from pathlib import Path

    from manage.__main__ import main

    url = fresh_engine.url.render_as_string(hide_password=False)
    before = _everything(fresh_engine)
    path = tmp_path / "nightly.backup"
    assert main(["backup", str(path), "--database-url", url]) == 0
    assert Path(path).stat().st_size > 0
    assert main(["backup", str(path), "--database-url", url]) == 1  # never overwrites
    with write_session(fresh_engine) as session:
        session.add(ComparisonGroup(code="late", name_zh="后加", name_en="Late"))
    assert main(["restore", str(path), "--database-url", url]) == 1  # asks for --yes
    assert main(["restore", str(path), "--yes", "--database-url", url]) == 0
    assert _everything(fresh_engine) == before
