"""Sign-in with throttling, and account creation."""
from __future__ import annotations

import datetime as dt
import functools
import os
import secrets
import time
from dataclasses import dataclass

from sqlalchemy import Engine, delete, select
from sqlalchemy.exc import IntegrityError

from core.config import load_settings
from core.security import hash_password, verify_password
from core.session_tokens import digest, expires_at, fingerprint, make_token, read_token
from db.access import Actor
from db.audit import audit
from db.engine import read_session, write_session
from db.models import ROLES, AppMeta, SignedOutSession, User

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


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def sign_in(username: str, password: str, *, engine: Engine | None = None) -> SignedIn:
    """Check the password; after too many failures the account is locked for a while."""
    settings = load_settings()
    username = (username or "").strip()
    if not username or not password:
        raise SignInFailed("signin.missing")
    with write_session(engine) as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None or not user.active:
            verify_password(password, _dummy_hash())
            raise SignInFailed("signin.wrong")
        now = _utcnow()
        if user.locked_until and user.locked_until > now:
            minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
            raise SignInFailed("signin.locked", minutes=minutes)
        if not verify_password(password, user.password_hash):
            user.failed_logins += 1
            if user.failed_logins >= settings.max_failed_logins:
                user.locked_until = now + dt.timedelta(minutes=settings.lockout_minutes)
                user.failed_logins = 0
            audit(session, None, "signin.failed", "app_user", user.id, {})
            failure = SignInFailed("signin.wrong")
        else:
            user.failed_logins = 0
            user.locked_until = None
            actor = Actor(user_id=user.id, role=user.role, unit_id=user.unit_id, cadre_id=user.cadre_id)
            audit(session, actor, "signin.ok", "app_user", user.id, {})
            return SignedIn(actor=actor, username=user.username, display_name=user.display_name)
    # Raised after the block so that the failure count is committed, not rolled back.
    raise failure


def session_secret(engine: Engine | None = None) -> str:
    """The secret that signs session tokens: SESSION_SECRET, else one kept in the database so
    that every app process behind a proxy shares it."""
    configured = os.environ.get("SESSION_SECRET")
    if configured:
        return configured
    with write_session(engine) as session:
        row = session.get(AppMeta, SESSION_SECRET_KEY)
        if row is None:
            row = AppMeta(key=SESSION_SECRET_KEY, value=secrets.token_urlsafe(48))
            session.add(row)
        return row.value


def issue_session_token(user_id: int, *, engine: Engine | None = None) -> str:
    with read_session(engine) as session:
        password_hash = session.scalar(select(User.password_hash).where(User.id == user_id))
    return make_token(user_id, fingerprint(password_hash), session_secret(engine), now=time.time())


def resume_session(token: str | None, *, engine: Engine | None = None) -> SignedIn | None:
    """The person a session token belongs to, if it is genuine, unexpired and the account is active."""
    if not token:
        return None
    found = read_token(token, session_secret(engine), now=time.time())
    if found is None:
        return None
    user_id, account_fingerprint = found
    with read_session(engine) as session:
        user = session.get(User, user_id)
        if user is None or not user.active or fingerprint(user.password_hash) != account_fingerprint:
            return None
        if session.get(SignedOutSession, digest(token)) is not None:
            return None
        actor = Actor(user_id=user.id, role=user.role, unit_id=user.unit_id, cadre_id=user.cadre_id)
        return SignedIn(actor=actor, username=user.username, display_name=user.display_name)


def end_session(token: str | None, *, engine: Engine | None = None) -> None:
    """Sign-out: the token is refused from now on, wherever a copy of it is (until it expires)."""
    if not token or read_token(token, session_secret(engine), now=time.time()) is None:
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


def create_user(
    *,
    username: str,
    display_name: str,
    password: str,
    role: str,
    unit_id: int | None = None,
    cadre_id: int | None = None,
    rounds: int = 12,
    engine: Engine | None = None,
) -> int:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    if role in {"reporter", "cadre"} and unit_id is None:
        raise ValueError("reporters and cadres belong to a unit")
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
