"""Password hashing and policy (OWASP ASVS level 1): long passphrases allowed, nothing truncated."""
from __future__ import annotations

import bcrypt

PASSWORD_MIN_CHARS = 12
# bcrypt reads at most 72 bytes; longer input must be refused, never silently cut.
BCRYPT_MAX_BYTES = 72


def password_problem(password: str) -> str | None:
    """The message key of what is wrong with a new password, or None if it is acceptable."""
    if len(password) < PASSWORD_MIN_CHARS:
        return "password.too_short"
    if len(password.encode("utf-8")) > BCRYPT_MAX_BYTES:
        return "password.too_long"
    return None


def hash_password(password: str, *, rounds: int = 12) -> str:
    problem = password_problem(password)
    if problem:
        raise ValueError(problem)
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds=rounds)).decode("ascii")


def verify_password(password: str, password_hash: str) -> bool:
    encoded = password.encode("utf-8")
    if len(encoded) > BCRYPT_MAX_BYTES:
        return False
    try:
        return bcrypt.checkpw(encoded, password_hash.encode("ascii"))
    except ValueError:
        return False
