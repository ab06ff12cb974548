"""Signed session tokens, so that reloading the page keeps a person signed in.

A token names the user, when it expires, a fingerprint of the account's password hash and a
random nonce, signed with the server's secret (HMAC-SHA256). Changing the password therefore ends
every session, and nothing has to be stored per session but the digests of tokens whose owners
signed out.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

SESSION_HOURS = 12


def fingerprint(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode("ascii")).hexdigest()[:16]


def _sign(message: str, secret: str) -> str:
    digest = hmac.new(secret.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def make_token(user_id: int, account_fingerprint: str, secret: str, *, now: float, hours: int = SESSION_HOURS) -> str:
    # The nonce makes every sign-in's token its own, even two in the same second, so that
    # signing out on one device does not end another device's session.
    message = f"{user_id}.{int(now + hours * 3600)}.{account_fingerprint}.{secrets.token_hex(8)}"
    return f"{message}.{_sign(message, secret)}"


def read_token(token: str, secret: str, *, now: float) -> tuple[int, str] | None:
    """(user id, account fingerprint) of a genuine, unexpired token; None for anything else."""
    try:
        user_id, expires, account_fingerprint, nonce, signature = token.split(".")
        message = f"{user_id}.{expires}.{account_fingerprint}.{nonce}"
        if not hmac.compare_digest(signature, _sign(message, secret)) or int(expires) < now:
            return None
        return int(user_id), account_fingerprint
    except (AttributeError, ValueError):
        return None


def digest(token: str) -> str:
    """What is stored of a signed-out token: enough to recognise it, useless to sign in with."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def expires_at(token: str) -> int | None:
    """When a well-formed token expires (seconds since the epoch); None for anything else."""
    try:
        return int(token.split(".")[1])
    except (AttributeError, IndexError, ValueError):
        return None
