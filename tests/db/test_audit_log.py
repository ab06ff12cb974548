"""The audit trail as the office reads it: filters, newest first, admin only."""
from __future__ import annotations

import datetime as dt

import pytest

from db.access import Actor, PermissionDenied
from db.audit_log import AuditFilter, audit_choices, audit_entries
from db.engine import write_session
from db.models import AuditLog, User

ADMIN = Actor(user_id=1, role="admin")


@pytest.fixture
def trail(fresh_engine):
    with write_session(fresh_engine) as session:
        session.add_all([
            User(id=1, username="office", display_name="办公室", password_hash="x", role="admin"),
            User(id=2, username="east", display_name="东湖填报员", password_hash="x", role="reporter"),
        ])
        session.flush()
        session.add_all([
            AuditLog(at=dt.datetime(2026, 5, 1, 1, 0), user_id=2, action="record.submit", entity="activity_record", entity_id=10, detail={"unit_id": 3}),
            AuditLog(at=dt.datetime(2026, 5, 1, 17, 0), user_id=1, action="record.approve", entity="activity_record", entity_id=10, detail={}),
            AuditLog(at=dt.datetime(2026, 5, 3, 2, 0), user_id=1, action="rules.publish", entity="rule_set", entity_id=2, detail={"version": 2}),
            AuditLog(at=dt.datetime(2026, 5, 3, 3, 0), user_id=None, action="signin.failed", entity="app_user", entity_id=None, detail={}),
        ])
    return fresh_engine


def test_entries_come_newest_first_with_who_did_them(trail):
    rows, total = audit_entries(ADMIN, engine=trail)
    assert total == 4
    assert [row["action"] for row in rows] == ["signin.failed", "rules.publish", "record.approve", "record.submit"]
    assert rows[-1]["display_name"] == "东湖填报员" and rows[0]["username"] is None


def test_filters_by_person_action_and_utc_window(trail):
    assert [r["action"] for r in audit_entries(ADMIN, AuditFilter(user_id=1), engine=trail)[0]] == ["rules.publish", "record.approve"]
    assert audit_entries(ADMIN, AuditFilter(action="record.submit"), engine=trail)[1] == 1
    window = AuditFilter(since=dt.datetime(2026, 5, 1, 16, 0), until=dt.datetime(2026, 5, 3, 2, 30))
    assert [r["action"] for r in audit_entries(ADMIN, window, engine=trail)[0]] == ["rules.publish", "record.approve"]


def test_paging_keeps_the_total(trail):
    rows, total = audit_entries(ADMIN, limit=2, offset=2, engine=trail)
    assert total == 4 and [r["action"] for r in rows] == ["record.approve", "record.submit"]


def test_choices_list_the_people_and_actions_that_occur(trail):
    choices = audit_choices(ADMIN, engine=trail)
    assert [person["username"] for person in choices["people"]] == ["east", "office"]
    assert choices["actions"] == ["record.approve", "record.submit", "rules.publish", "signin.failed"]


@pytest.mark.parametrize("actor", [None, Actor(user_id=2, role="reporter", unit_id=3), Actor(user_id=5, role="viewer")])
def test_only_the_office_reads_the_trail(trail, actor):
    with pytest.raises(PermissionDenied):
        audit_entries(actor, engine=trail)
    with pytest.raises(PermissionDenied):
        audit_choices(actor, engine=trail)
