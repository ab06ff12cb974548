"""账号管理: the office creates, changes, disables and re-enables accounts and resets passwords.

Every command is for the office only (checked here), validated, written and audited in one
transaction. Passwords the office hands out are generated, returned once (never stored in clear)
and must be changed at the next sign-in. The last active administrator can be neither disabled
nor given another role, so the office can never lock itself out.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from core.enums import Role
from core.permissions import Action
from core.security import POLICY_PARAMS, generate_password, hash_password, password_problem
from db.access import Actor, ValidationFailed, no_actor, permits
from db.audit import audit
from db.command import Command, DuplicateWrite, command
from db.engine import read_session, write_session
from db.models import ROLES, Cadre, SignInThrottle, Unit, User

USERNAME_PATTERN = re.compile(r"^[\w.@-]{2,60}$")
DISPLAY_NAME_MAX = 60
UNIT_ROLES = {Role.REPORTER, Role.CADRE}


@dataclass(frozen=True)
class AccountRow:
    id: int
    username: str
    display_name: str
    role: str
    unit_id: int | None
    unit_name: str
    cadre_id: int | None
    active: bool
    must_change_password: bool
    created_at: dt.datetime


@dataclass(frozen=True)
class HandedOut:
    """An account with the password the office hands out (shown and exported once)."""

    username: str
    display_name: str
    role: str
    unit_name: str
    password: str


@permits(Action.ADMINISTER)
def accounts(actor: Actor | None, *, engine: Engine | None = None) -> list[AccountRow]:
    """Every account, administrators first, then by unit and name."""
    with read_session(engine) as session:
        rows = session.execute(
            select(User, Unit.name_zh).outerjoin(Unit, Unit.id == User.unit_id).order_by(User.role, Unit.sort_order, User.username)
        ).all()
    return [
        AccountRow(u.id, u.username, u.display_name, u.role, u.unit_id, unit or "", u.cadre_id, u.active,
                   u.must_change_password, u.created_at)
        for u, unit in rows
    ]


@no_actor
def has_active_admin(engine: Engine | None = None) -> bool:
    with read_session(engine) as session:
        return bool(session.scalar(select(func.count()).select_from(User).where(User.role == Role.ADMIN, User.active)))


# --- validation -------------------------------------------------------------------------------------


def _username_problem(session: Session, username: str) -> tuple[str, str, dict] | None:
    if not USERNAME_PATTERN.match(username):
        return ("username", "accounts.problem.username_form", {})
    # Case-insensitive: "Admin" beside "admin" would be two accounts nobody can tell apart.
    taken = session.scalar(select(User.id).where(func.lower(User.username) == username.lower()))
    if taken is not None:
        return ("username", "accounts.problem.username_taken", {"username": username})
    return None


def _placement(session: Session, role: str, unit_id: int | None, cadre_id: int | None) -> tuple[int | None, int | None]:
    """The (unit, cadre) an account of `role` keeps, checked: reporters and cadres belong to an
    active unit; a cadre account's person belongs to that unit; the office belongs to none."""
    if role not in ROLES:
        raise ValidationFailed([("role", "accounts.problem.role", {})])
    if role == Role.ADMIN:
        return None, None
    if unit_id is not None:
        unit = session.get(Unit, unit_id)
        if unit is None or not unit.active:
            raise ValidationFailed([("unit", "accounts.problem.unit", {})])
    elif role in UNIT_ROLES:
        raise ValidationFailed([("unit", "accounts.problem.unit_required", {})])
    if role != Role.CADRE:
        return unit_id, None
    if cadre_id is not None:
        cadre = session.get(Cadre, cadre_id)
        if cadre is None or cadre.unit_id != unit_id:
            raise ValidationFailed([("cadre", "accounts.problem.cadre", {})])
    return unit_id, cadre_id


def _other_active_admins(session: Session, user_id: int) -> int:
    # Locking the administrators' rows makes two administrators demoting each other at the same
    # moment take turns (PostgreSQL); SQLite's write transaction is exclusive already.
    ids = session.scalars(
        select(User.id).where(User.role == Role.ADMIN, User.active, User.id != user_id).with_for_update()
    ).all()
    return len(ids)


def _unit_name(session: Session, unit_id: int | None) -> str:
    return session.scalar(select(Unit.name_zh).where(Unit.id == unit_id)) if unit_id else ""


# --- commands ------------------------------------------------------------------------------------------


def _add_account(
    cmd: Command, *, username: str, display_name: str, role: str,
    unit_id: int | None, cadre_id: int | None, rounds: int, via: str,
) -> HandedOut:
    session = cmd.session
    password = generate_password()
    user = User(
        username=username, display_name=display_name, password_hash=hash_password(password, rounds=rounds),
        role=role, unit_id=unit_id, cadre_id=cadre_id, active=True, must_change_password=True,
    )
    session.add(user)
    session.flush()
    cmd.log("account.create", user, {"role": role, "unit_id": unit_id, "via": via})
    return HandedOut(username, display_name, role, _unit_name(session, unit_id), password)


@permits(Action.ADMINISTER)
def create_account(
    actor: Actor | None, *, username: str, display_name: str, role: str, unit_id: int | None = None,
    cadre_id: int | None = None, rounds: int = 12, engine: Engine | None = None,
) -> HandedOut:
    """One account with a generated password that must be changed at the first sign-in."""
    username, display_name = (username or "").strip(), (display_name or "").strip()
    problems = []
    if not display_name or len(display_name) > DISPLAY_NAME_MAX:
        problems.append(("display_name", "accounts.problem.display_name", {"max": DISPLAY_NAME_MAX}))
    try:
        with command(actor, Action.ADMINISTER, engine=engine) as cmd:
            problem = _username_problem(cmd.session, username)
            if problem:
                problems.append(problem)
            if problems:
                raise ValidationFailed(problems)
            unit_id, cadre_id = _placement(cmd.session, role, unit_id, cadre_id)
            return _add_account(cmd, username=username, display_name=display_name, role=role,
                                unit_id=unit_id, cadre_id=cadre_id, rounds=rounds, via="form")
    except DuplicateWrite as error:  # the same name saved by someone else a moment earlier
        raise ValidationFailed([("username", "accounts.problem.username_taken", {"username": username})]) from error


def _free_username(wanted: str, taken: set[str]) -> str:
    candidate, number = wanted, 2
    while candidate.lower() in taken:
        candidate, number = f"{wanted}-{number}", number + 1
    taken.add(candidate.lower())
    return candidate


def _taken_usernames(session: Session) -> set[str]:
    return {name.lower() for name in session.scalars(select(User.username))}


@permits(Action.ADMINISTER)
def create_unit_reporters(
    actor: Actor | None, unit_ids: Iterable[int] | None = None, *, rounds: int = 12, engine: Engine | None = None
) -> list[HandedOut]:
    """One reporter account (reporter-<unit code>) for each active unit that has no active
    reporter yet; units that have one are left alone, so running it twice creates nothing twice."""
    with command(actor, Action.ADMINISTER, engine=engine) as cmd:
        session = cmd.session
        query = select(Unit).where(Unit.active).order_by(Unit.sort_order, Unit.id)
        if unit_ids is not None:
            query = query.where(Unit.id.in_(list(unit_ids)))
        served = set(session.scalars(select(User.unit_id).where(User.role == Role.REPORTER, User.active)))
        taken = _taken_usernames(session)
        return [
            _add_account(cmd, username=_free_username(f"reporter-{unit.code}".lower(), taken),
                         display_name=f"{unit.name_zh}填报员"[:DISPLAY_NAME_MAX], role=Role.REPORTER, unit_id=unit.id,
                         cadre_id=None, rounds=rounds, via="bulk_reporters")
            for unit in session.scalars(query)
            if unit.id not in served
        ]


@permits(Action.ADMINISTER)
def create_cadre_accounts(
    actor: Actor | None, unit_ids: Iterable[int] | None = None, *, rounds: int = 12, engine: Engine | None = None
) -> list[HandedOut]:
    """A cadre account (<unit code>-<cadre id>) for each active cadre on the roster who has none."""
    with command(actor, Action.ADMINISTER, engine=engine) as cmd:
        session = cmd.session
        query = (
            select(Cadre, Unit.code).join(Unit, Unit.id == Cadre.unit_id)
            .where(Cadre.active, Unit.active).order_by(Unit.sort_order, Cadre.id)
        )
        if unit_ids is not None:
            query = query.where(Cadre.unit_id.in_(list(unit_ids)))
        linked = set(session.scalars(select(User.cadre_id).where(User.cadre_id.is_not(None))))
        taken = _taken_usernames(session)
        return [
            _add_account(cmd, username=_free_username(f"{code}-{cadre.id}".lower(), taken),
                         display_name=cadre.name[:DISPLAY_NAME_MAX], role=Role.CADRE, unit_id=cadre.unit_id,
                         cadre_id=cadre.id, rounds=rounds, via="bulk_cadres")
            for cadre, code in session.execute(query)
            if cadre.id not in linked
        ]


@permits(Action.ADMINISTER)
def change_account(
    actor: Actor | None, user_id: int, *, role: str, unit_id: int | None, engine: Engine | None = None
) -> None:
    """Another role or unit; the person acts with the new rights at their next action."""
    with command(actor, Action.ADMINISTER, engine=engine) as cmd:
        session = cmd.session
        user = cmd.watch(session.get(User, user_id, with_for_update=True))
        if user is None:
            raise ValidationFailed([("account", "accounts.problem.missing", {})])
        if user.role == Role.ADMIN and role != Role.ADMIN and user.active and not _other_active_admins(session, user.id):
            raise ValidationFailed([("role", "accounts.problem.last_admin", {})])
        cadre_id = user.cadre_id if unit_id == user.unit_id else None
        unit_id, cadre_id = _placement(session, role, unit_id, cadre_id)
        user.role, user.unit_id, user.cadre_id = role, unit_id, cadre_id
        cmd.log("account.change", user, {"role": role, "unit_id": unit_id})


@permits(Action.ADMINISTER)
def set_active(actor: Actor | None, user_id: int, active: bool, *, engine: Engine | None = None) -> None:
    """Disable (the person is signed out everywhere at their next action) or re-enable an account."""
    with command(actor, Action.ADMINISTER, engine=engine) as cmd:
        session = cmd.session
        user = cmd.watch(session.get(User, user_id, with_for_update=True))
        if user is None:
            raise ValidationFailed([("account", "accounts.problem.missing", {})])
        if not active and user.role == Role.ADMIN and user.active and not _other_active_admins(session, user.id):
            raise ValidationFailed([("active", "accounts.problem.last_admin", {})])
        if user.active == active:
            return
        user.active = active
        cmd.log("account.enable" if active else "account.disable", user)


@permits(Action.ADMINISTER)
def reset_password(actor: Actor | None, user_id: int, *, rounds: int = 12, engine: Engine | None = None) -> HandedOut:
    """A new generated password, shown once; it ends the account's sessions (their tokens carry
    the old hash's fingerprint) and must be changed at the next sign-in."""
    password = generate_password()
    with command(actor, Action.ADMINISTER, engine=engine) as cmd:
        session = cmd.session
        user = cmd.watch(session.get(User, user_id, with_for_update=True))
        if user is None:
            raise ValidationFailed([("account", "accounts.problem.missing", {})])
        user.password_hash = hash_password(password, rounds=rounds)
        user.must_change_password = True
        # A forgotten password often comes after failed tries: the account starts afresh.
        session.execute(SignInThrottle.__table__.delete().where(SignInThrottle.key == f"account:{user.username.lower()}"))
        cmd.log("account.password_reset", user)
        return HandedOut(user.username, user.display_name, user.role, _unit_name(session, user.unit_id), password)


@no_actor
def create_or_reset_admin(
    username: str, password: str, *, display_name: str | None = None, rounds: int = 12, engine: Engine | None = None
) -> bool:
    """For `python -m manage create-admin`: the named account becomes an active administrator
    with this password (the policy applies). Returns True if the account was created."""
    username = (username or "").strip()
    problem = password_problem(password, username=username, display_name=display_name or "")
    if problem:
        raise ValidationFailed([("password", problem, POLICY_PARAMS)])
    with write_session(engine) as session:
        user = session.scalar(select(User).where(func.lower(User.username) == username.lower()))
        if user is None:
            name_problem = _username_problem(session, username)
            if name_problem:
                raise ValidationFailed([name_problem])
            user = User(username=username, display_name=display_name or username, password_hash="", role=Role.ADMIN)
            session.add(user)
        created = user.id is None
        user.password_hash = hash_password(password, rounds=rounds)
        user.role, user.unit_id, user.cadre_id = Role.ADMIN, None, None
        user.active, user.must_change_password = True, False
        if display_name:
            user.display_name = display_name
        session.flush()
        session.execute(SignInThrottle.__table__.delete().where(SignInThrottle.key == f"account:{user.username.lower()}"))
        audit(session, None, "account.create_admin" if created else "account.reset_admin", "app_user", user.id, {"via": "manage"})
        return created
