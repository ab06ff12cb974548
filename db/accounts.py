"""Signing in (throttled), sessions that follow the account, and a person's own password.

The account administration the office does (create, disable, reset …) is in db/account_admin.py.
"""
from __future__ import annotations

import datetime as dt
import functools
import os
import secrets
import time
from dataclasses import dataclass

from sqlalchemy import Engine, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.clock import utc_now
from core.enums import Role
from core.permissions import Action
from core.security import (
    ACCOUNT_FREE_FAILURES,
    ACCOUNT_MAX_DELAY_S,
    ADDRESS_FREE_FAILURES,
    ADDRESS_MAX_DELAY_S,
    DEMO_PASSWORD,
    FAILURE_MEMORY_S,
    POLICY_PARAMS,
    hash_password,
    password_problem,
    throttle_delay,
    verify_password,
)
from core.session_tokens import digest, expires_at, fingerprint, make_token, read_token
from db.access import Actor, ValidationFailed, no_actor, permits
from db.audit import audit
from db.bootstrap import DEMO_KEY
from db.command import command
from db.engine import read_session, write_session
from db.models import ROLES, AppMeta, SignedOutSession, SignInThrottle, User

SESSION_SECRET_KEY = "session_secret"


@functools.lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """Checked against when the user does not exist, so that a wrong name costs as long as a
    wrong password and response times do not reveal which accounts exist."""
    return hash_password("not-a-real-account-password")


class SignInFailed(Exception):
    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True)
class SignedIn:
    actor: Actor
    username: str
    display_name: str
    # A handed-out password: the person must choose their own before anything else.
    must_change_password: bool = False


def _signed_in(user: User) -> SignedIn:
    actor = Actor(user_id=user.id, role=user.role, unit_id=user.unit_id, cadre_id=user.cadre_id)
    return SignedIn(actor, user.username, user.display_name, bool(user.must_change_password))


# --- throttling -----------------------------------------------------------------------------------


def _throttle_keys(username: str, address: str | None) -> list[tuple[str, int, int]]:
    """(key, free failures, ceiling) of each throttle a sign-in attempt counts against."""
    keys = [(f"account:{username.lower()[:100]}", ACCOUNT_FREE_FAILURES, ACCOUNT_MAX_DELAY_S)]
    if address:
        keys.append((f"address:{address[:100]}", ADDRESS_FREE_FAILURES, ADDRESS_MAX_DELAY_S))
    return keys


def _wait_seconds(session: Session, keys: list[tuple[str, int, int]], now: dt.datetime) -> int:
    waits = [0]
    for key, _free, _ceiling in keys:
        row = session.get(SignInThrottle, key)
        if row is not None and row.blocked_until and row.blocked_until > now:
            waits.append(int((row.blocked_until - now).total_seconds()) + 1)
    return max(waits)


def _count_failure(session: Session, keys: list[tuple[str, int, int]], now: dt.datetime) -> None:
    # Names typed at random must not grow the table for ever: failures past memory are gone.
    forgotten = now - dt.timedelta(seconds=FAILURE_MEMORY_S)
    session.execute(delete(SignInThrottle).where(SignInThrottle.last_failure_at < forgotten))
    for key, free, ceiling in keys:
        row = session.get(SignInThrottle, key, with_for_update=True)
        if row is None:
            row = SignInThrottle(key=key, failures=0, last_failure_at=now)
            session.add(row)
        row.failures += 1
        row.last_failure_at = now
        delay = throttle_delay(row.failures, free=free, ceiling=ceiling)
        row.blocked_until = now + dt.timedelta(seconds=delay) if delay else None


@no_actor
def sign_in(username: str, password: str, *, address: str | None = None, engine: Engine | None = None) -> SignedIn:
    """Check the password. Failures slow down further tries of the same account name and from
    the same address (growing delays, never a lock); unknown names, disabled accounts and wrong
    passwords get the same answer in the same time, throttled or not."""
    username = (username or "").strip()
    if not username or not password:
        raise SignInFailed("signin.missing")
    keys = _throttle_keys(username, address)
    now = utc_now()
    with read_session(engine) as session:
        wait = _wait_seconds(session, keys, now)
    if wait:
        raise SignInFailed("signin.throttled", seconds=wait)
    try:
        with write_session(engine) as session:
            user = session.scalar(select(User).where(User.username == username))
            demo = session.get(AppMeta, DEMO_KEY) is not None
            genuine = verify_password(password, user.password_hash if user else _dummy_hash())
            # The demo password opens nothing outside demo mode, whatever a database holds.
            if user is not None and user.active and genuine and (demo or password != DEMO_PASSWORD):
                # A success clears the account's own delay, not the address's: a guesser who
                # also holds an account must not wipe their address's record by signing in.
                session.execute(delete(SignInThrottle).where(SignInThrottle.key == keys[0][0]))
                signed = _signed_in(user)
                audit(session, signed.actor, "signin.ok", "app_user", user.id, {})
                return signed
            _count_failure(session, keys, now)
            audit(session, None, "signin.failed", "app_user", user.id if user else None, {})
    except IntegrityError:
        pass  # two failures of the same name at the same moment: one of them is counted
    # Raised after the block so that the failure count is committed, not rolled back.
    raise SignInFailed("signin.wrong")


# --- sessions ---------------------------------------------------------------------------------------


def _stored_secret(session: Session) -> str | None:
    configured = os.environ.get("SESSION_SECRET")
    if configured:
        return configured
    return session.scalar(select(AppMeta.value).where(AppMeta.key == SESSION_SECRET_KEY))


@no_actor
def session_secret(engine: Engine | None = None) -> str | None:
    """The secret that signs session tokens: SESSION_SECRET, else the one kept in the database so
    that every app process behind a proxy shares it. Reading it never writes: before the first
    sign-in there is none, and no token can be genuine."""
    with read_session(engine) as session:
        return _stored_secret(session)


def _ensure_secret(engine: Engine | None) -> str:
    """The signing secret, made (once, at a sign-in, which writes anyway) if there is none yet."""
    secret = session_secret(engine)
    if secret:
        return secret
    try:
        with write_session(engine) as session:
            if session.get(AppMeta, SESSION_SECRET_KEY) is None:
                session.add(AppMeta(key=SESSION_SECRET_KEY, value=secrets.token_urlsafe(48)))
    except IntegrityError:
        pass  # another process made it at the same moment: use theirs
    return session_secret(engine) or ""


@no_actor
def issue_session_token(user_id: int, *, engine: Engine | None = None) -> str:
    secret = _ensure_secret(engine)
    with read_session(engine) as session:
        password_hash = session.scalar(select(User.password_hash).where(User.id == user_id))
    return make_token(user_id, fingerprint(password_hash or ""), secret, now=time.time())


@no_actor
def current_account(user_id: int, *, engine: Engine | None = None) -> SignedIn | None:
    """The account as it is now (role, unit, status, pending password change); None if it is
    gone or disabled. Read on every page run, so a change of rights takes effect at once."""
    with read_session(engine) as session:
        user = session.get(User, user_id)
        return _signed_in(user) if user is not None and user.active else None


@no_actor
def resume_session(token: str | None, *, engine: Engine | None = None) -> SignedIn | None:
    """The account a session token belongs to, as it is now, if the token is genuine, unexpired
    and not signed out, the password unchanged since, and the account active. Only reads."""
    if not token:
        return None
    with read_session(engine) as session:
        secret = _stored_secret(session)
        found = read_token(token, secret, now=time.time()) if secret else None
        if found is None:
            return None
        user_id, account_fingerprint = found
        user = session.get(User, user_id)
        if user is None or not user.active or fingerprint(user.password_hash) != account_fingerprint:
            return None
        if session.get(SignedOutSession, digest(token)) is not None:
            return None
        return _signed_in(user)


@no_actor
def end_session(token: str | None, *, engine: Engine | None = None) -> None:
    """Sign-out: the token is refused from now on, wherever a copy of it is (until it expires)."""
    secret = session_secret(engine)
    if not token or not secret or read_token(token, secret, now=time.time()) is None:
        return
    expiry = dt.datetime.fromtimestamp(expires_at(token), dt.UTC).replace(tzinfo=None)
    now = dt.datetime.fromtimestamp(time.time(), dt.UTC).replace(tzinfo=None)
    try:
        with write_session(engine) as session:
            # Tokens past their expiry are refused anyway; their digests need not be kept.
            session.execute(delete(SignedOutSession).where(SignedOutSession.expires_at < now))
            if session.get(SignedOutSession, digest(token)) is None:
                session.add(SignedOutSession(token_digest=digest(token), expires_at=expiry))
    except IntegrityError:
        pass  # another tab signed the same token out at the same moment


# --- a person's own password ------------------------------------------------------------------------


@permits(Action.CHANGE_OWN_ACCOUNT)
def change_own_password(
    actor: Actor | None, *, current: str, new: str, repeated: str, engine: Engine | None = None
) -> None:
    """Every signed-in person may change their own password; it ends their other sessions (the
    token carries a fingerprint of the hash) and clears a pending change."""
    with command(actor, Action.CHANGE_OWN_ACCOUNT, engine=engine) as cmd:
        user = cmd.watch(cmd.session.get(User, cmd.actor.user_id, with_for_update=True))
        if user is None or not user.active or not verify_password(current, user.password_hash):
            raise ValidationFailed([("current", "accounts.problem.current_wrong", {})])
        if new != repeated:
            raise ValidationFailed([("repeated", "accounts.problem.mismatch", {})])
        if verify_password(new, user.password_hash):
            raise ValidationFailed([("new", "accounts.problem.same_password", {})])
        problem = password_problem(new, username=user.username, display_name=user.display_name)
        if problem:
            raise ValidationFailed([("new", problem, POLICY_PARAMS)])
        user.password_hash = hash_password(new)
        user.must_change_password = False
        cmd.log("account.password_changed", user)


@no_actor
def create_user(
    *,
    username: str,
    display_name: str,
    password: str,
    role: str,
    unit_id: int | None = None,
    cadre_id: int | None = None,
    rounds: int = 12,
    demo: bool = False,
    engine: Engine | None = None,
) -> int:
    """An account, made by a trusted caller (the demo loader, tests). `demo=True` lets the demo
    loader set its documented password, which the policy refuses everywhere else."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    if role in {Role.REPORTER, Role.CADRE} and unit_id is None:
        raise ValueError("reporters and cadres belong to a unit")
    problem = None if demo and password == DEMO_PASSWORD else password_problem(password, username=username)
    if problem:
        raise ValueError(problem)
    with write_session(engine) as session:
        user = User(
            username=username,
            display_name=display_name,
            password_hash=hash_password(password, rounds=rounds),
            role=role,
            unit_id=unit_id,
            cadre_id=cadre_id,
        )
        session.add(user)
        session.flush()
        audit(session, None, "user.create", "app_user", user.id, {"role": role})
        return user.id
