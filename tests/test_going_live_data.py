"""Going live in the data layer: the setup checklist's steps, a production start without the
demo, and `python -m seed --reset` that says what it destroys and asks first."""
import dataclasses
import datetime as dt

from sqlalchemy import func, select

from core.config import load_settings
from core.enums import Role
from db.access import Actor
from db.account_admin import create_or_reset_admin, create_unit_reporters
from db.bootstrap import is_demo
from db.engine import get_engine, read_session, write_session
from db.models import Cadre, Campaign, ComparisonGroup, Unit, User
from db.rules import create_draft, publish
from db.setup_status import setup_steps
from seed.__main__ import main as seed_main
from seed.first_start import prepare_database
from tests.conftest import _new_database_url

PASSWORD = "river stones at dusk"


def _admin(engine) -> Actor:
    create_or_reset_admin("office", PASSWORD, rounds=4, engine=engine)
    with read_session(engine) as session:
        return Actor(session.scalar(select(User.id).where(User.username == "office")), Role.ADMIN)


def _states(actor, engine) -> dict[str, bool]:
    return {step.key: step.done for step in setup_steps(actor, engine=engine)}


def test_the_checklist_follows_the_data_step_by_step(fresh_engine):
    admin = _admin(fresh_engine)
    steps = setup_steps(admin, engine=fresh_engine)
    assert [step.key for step in steps] == ["organization", "people", "accounts", "campaign", "rules"]
    assert not any(step.done for step in steps)
    with write_session(fresh_engine) as session:
        group = ComparisonGroup(code="district", name_zh="区县组", name_en="Districts")
        session.add(group)
        session.flush()
        unit = Unit(code="dh", name_zh="东湖区委组织部", name_en="Donghu", kind="district", group_id=group.id)
        session.add(unit)
    assert _states(admin, fresh_engine) == {"organization": True, "people": False, "accounts": False, "campaign": False, "rules": False}
    with write_session(fresh_engine) as session:
        session.add(Cadre(unit_id=session.scalar(select(Unit.id)), name="张三"))
    create_unit_reporters(admin, rounds=4, engine=fresh_engine)
    counts = {step.key: step.counts for step in setup_steps(admin, engine=fresh_engine)}
    assert counts["accounts"] == {"units": 1, "served": 1, "accounts": 1}
    assert counts["people"] == {"cadres": 1, "units": 1}
    with write_session(fresh_engine) as session:
        session.add(Campaign(code="c1", name_zh="活动", name_en="Campaign", start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31)))
    version = create_draft(admin, engine=fresh_engine)
    publish(admin, version=version, engine=fresh_engine)
    assert all(_states(admin, fresh_engine).values())


def test_a_production_start_never_loads_the_demo():
    url = _new_database_url()
    prepare_database(dataclasses.replace(load_settings(), database_url=url, demo_autoload=False))
    engine = get_engine(url)
    with read_session(engine) as session:
        assert not any(session.scalar(select(func.count()).select_from(model)) for model in (Campaign, Unit, User))
    assert not is_demo(engine)


def test_an_office_that_forgot_the_setting_gets_no_demo_in_its_database():
    url = _new_database_url()
    engine = get_engine(url)
    prepare_database(dataclasses.replace(load_settings(), database_url=url, demo_autoload=False))
    _admin(engine)  # `python -m manage create-admin` came first: the database is the office's now
    prepare_database(dataclasses.replace(load_settings(), database_url=url, demo_autoload=True))
    assert not is_demo(engine)
    with read_session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Unit)) == 0


def test_seed_reset_says_what_it_destroys_and_asks_first(capsys, monkeypatch):
    url = _new_database_url()
    engine = get_engine(url)
    prepare_database(dataclasses.replace(load_settings(), database_url=url, demo_autoload=False))
    _admin(engine)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False, raising=False)
    assert seed_main(["--reset", "--database-url", url]) == 1
    said = capsys.readouterr().err
    assert "ALL accounts" in said and "app_user" in said and "nothing was changed" in said
    with read_session(engine) as session:
        assert session.scalar(select(func.count()).select_from(User)) == 1
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    monkeypatch.setattr("builtins.input", lambda prompt="": "no")
    assert seed_main(["--reset", "--database-url", url]) == 1
    with read_session(engine) as session:
        assert session.scalar(select(func.count()).select_from(User)) == 1
