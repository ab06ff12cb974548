"""The permission table holds in the data layer.

Every public function of db/ declares its rule (db.access.permits / public_read / in_transaction /
no_actor); then every Role × Action is tried on one command or query
that does the action: an allowed role succeeds, a refused one gets PermissionDenied with the
table's key and nothing in the database changes.
"""
from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

import db
from core.enums import Role
from core.permissions import PERMISSIONS, SIGN_IN_REQUIRED, Action, Scope
from db.access import Actor, PermissionDenied, declared_rule
from db.accounts import change_own_password, create_user
from db.audit_log import audit_entries
from db.briefings import list_briefings
from db.engine import read_session
from db.gallery_actions import like, set_featured
from db.models import Base, StudyRecord
from db.people import search_people
from db.problems import create_problem, list_problems
from db.record_queries import record_detail, unit_records
from db.records import approve_records, delete_record, save_record
from db.roster_imports import roster_template
from db.suggestions import set_anonymous_allowed
from db.supervision import matrix_for
from db.supervision_home import workbench
from db.surveys import survey_template
from db.trash import restore_record
from tests.db.world import build_world

# The permission machinery itself, and the schema: they check or are checked, they declare nothing.
MACHINERY = {"db.access", "db.command", "db.models"}
PASSWORD = "a-long-enough-password"
NOTE = "读书使人明理,要把书中的方法用到干部工作中去,切实提高服务基层的本领,做到学思用贯通、知信行统一。" * 2
DAY = dt.date(2026, 5, 1)


def _db_modules() -> list[str]:
    names = [f"db.{module.name}" for module in pkgutil.iter_modules(db.__path__) if module.name != "migrations"]
    return [name for name in names if name not in MACHINERY]


def _public_functions() -> list[tuple[str, Callable]]:
    found = []
    for name in _db_modules():
        module = importlib.import_module(name)
        for function_name, function in vars(module).items():
            if inspect.isfunction(function) and function.__module__ == name and not function_name.startswith("_"):
                found.append((f"{name}.{function_name}", function))
    return found


def test_every_public_function_of_db_declares_its_rule() -> None:
    undeclared = [name for name, function in _public_functions() if declared_rule(function) is None]
    assert not undeclared, f"declare a rule (db.access.permits / public_read / in_transaction / no_actor): {undeclared}"


def test_the_table_gives_every_action_a_scope_for_every_role() -> None:
    assert set(PERMISSIONS) == set(Action)
    for rule in PERMISSIONS.values():
        assert {rule.scope(role) for role in Role} <= set(Scope)


# --- every Role × Action against the table ------------------------------------------------------


def _row_counts(engine: Engine) -> dict[str, int]:
    with read_session(engine) as session:
        return {table.name: session.scalar(select(func.count()).select_from(table)) for table in Base.metadata.sorted_tables}


@pytest.fixture
def world(fresh_engine):  # noqa: ANN001, ANN201 - fixture
    """Unit A with its reporter and a cadre (a1), the office, a viewer, and a second office
    account that writes the records the others act on (so no one acts on their own)."""
    engine = fresh_engine
    built = build_world(engine)
    unit_a = built.units["A"]

    def user(name: str, role: Role, cadre: str | None = None) -> Actor:
        unit_id = unit_a if role in {Role.REPORTER, Role.CADRE} else None
        cadre_id = built.cadres[cadre] if cadre else None
        user_id = create_user(username=name, display_name=name, password=PASSWORD, role=role, rounds=4,
                              unit_id=unit_id, cadre_id=cadre_id, engine=engine)
        return Actor(user_id=user_id, role=role, unit_id=unit_id, cadre_id=cadre_id)

    actors = {
        Role.ADMIN: user("admin", Role.ADMIN), Role.REPORTER: user("ra", Role.REPORTER),
        Role.CADRE: user("ca1", Role.CADRE, "a1"), Role.VIEWER: user("v", Role.VIEWER),
    }
    writer = user("office2", Role.ADMIN)

    def note(*, submit: bool = True, cadre: str = "a1") -> int:
        """A reading note of a cadre (a1, the cadre acting) in unit A, as a draft or submitted for review."""
        return save_record(
            writer, unit_id=unit_a, type_code="reading_note", title="读书笔记", occurred_on=DAY, submit=submit,
            details={"writer": built.cadres[cadre], "book": "乡土中国", "book_author": "费孝通", "note": NOTE,
                     "takeaway": NOTE}, engine=engine,
        ).record_id

    def study() -> int:
        """An approved note of someone other than the acting cadre, in the gallery."""
        record_id = note(cadre="a2")
        approve_records(writer, [record_id], engine=engine)
        with read_session(engine) as session:
            return session.scalar(select(StudyRecord.id).where(StudyRecord.record_id == record_id))

    def deleted() -> int:
        record_id = note(submit=False)
        delete_record(writer, record_id, engine=engine)
        return record_id

    # For each action: something to prepare (written before the counts are taken) and the call.
    def entry(actor: Actor, _prepared: Any) -> Any:
        return save_record(actor, unit_id=unit_a, type_code="reading_note", title="草稿", occurred_on=DAY,
                           details={"writer": built.cadres["a1"]}, submit=False, engine=engine)

    tries: dict[Action, tuple[Callable[[], Any], Callable[[Actor, Any], Any]]] = {
        Action.READ_UNIT: (lambda: None, lambda actor, _: unit_records(actor, unit_a, engine=engine)),
        Action.READ_RECORDS: (note, lambda actor, record_id: record_detail(actor, record_id, engine=engine)),
        Action.ENTER_RECORD: (lambda: None, entry),
        Action.DELETE_RECORD: (lambda: note(submit=False), lambda actor, record_id: delete_record(actor, record_id, engine=engine)),
        Action.ENTER_IN_BULK: (lambda: None, lambda actor, _: roster_template(actor, unit_id=unit_a, engine=engine)),
        Action.REVIEW: (note, lambda actor, record_id: approve_records(actor, [record_id], engine=engine)),
        Action.RESTORE: (deleted, lambda actor, record_id: restore_record(actor, record_id, engine=engine)),
        Action.LIKE: (study, lambda actor, study_id: like(actor, study_id, engine=engine)),
        Action.CURATE: (study, lambda actor, study_id: set_featured(actor, study_id, True, engine=engine)),
        Action.READ_LEDGERS: (lambda: None, lambda actor, _: list_problems(actor, engine=engine)),
        Action.WRITE_LEDGERS: (lambda: None, lambda actor, _: create_problem(
            actor, unit_id=unit_a, description="台账问题描述", found_on=DAY, due_on=DAY + dt.timedelta(days=30), engine=engine)),
        Action.ENTER_SURVEYS: (lambda: None, lambda actor, _: survey_template(actor, engine=engine)),
        Action.MANAGE_PEOPLE: (lambda: None, lambda actor, _: search_people(actor, unit_id=unit_a, engine=engine)),
        Action.SUPERVISE: (lambda: None, lambda actor, _: matrix_for(actor, campaign_id=built.campaign_id, as_of=DAY, engine=engine)),
        Action.UNIT_WORKBENCH: (lambda: None, lambda actor, _: workbench(actor, campaign_id=built.campaign_id, today=DAY, engine=engine)),
        Action.ADMINISTER: (lambda: None, lambda actor, _: set_anonymous_allowed(actor, True, engine=engine)),
        Action.ISSUE_REPORTS: (lambda: None, lambda actor, _: list_briefings(actor, engine=engine)),
        Action.READ_AUDIT: (lambda: None, lambda actor, _: audit_entries(actor, engine=engine)),
        Action.CHANGE_OWN_ACCOUNT: (lambda: None, lambda actor, _: change_own_password(
            actor, current=PASSWORD, new=PASSWORD + "-2", repeated=PASSWORD + "-2", engine=engine)),
    }
    return engine, actors, tries


def test_every_action_has_a_try(world) -> None:  # noqa: ANN001 - fixture
    _engine, _actors, tries = world
    assert set(tries) == set(Action)


@pytest.mark.parametrize("action", list(Action))
def test_each_role_gets_what_the_table_says(world, action: Action) -> None:  # noqa: ANN001 - fixture
    engine, actors, tries = world
    prepare, attempt = tries[action]
    for role in Role:
        prepared = prepare()
        if PERMISSIONS[action].scope(role) is Scope.NONE:
            before = _row_counts(engine)
            with pytest.raises(PermissionDenied) as refused:
                attempt(actors[role], prepared)
            assert refused.value.key == PERMISSIONS[action].refused, (action, role)
            assert _row_counts(engine) == before, f"{role} refused {action} yet something was written"
        else:
            attempt(actors[role], prepared)
    prepared = prepare()
    before = _row_counts(engine)
    with pytest.raises(PermissionDenied) as refused:
        attempt(None, prepared)
    assert refused.value.key == SIGN_IN_REQUIRED
    assert _row_counts(engine) == before
