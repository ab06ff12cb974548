"""Passwords and sign-in throttling (OWASP ASVS level 1): long passphrases allowed, nothing
truncated, common and trivially guessable passwords refused, failed sign-ins slowed down.
"""
from __future__ import annotations

import functools
import gzip
import re
import secrets

import bcrypt

from core.config import PROJECT_ROOT

PASSWORD_MIN_CHARS = 12
# bcrypt reads at most 72 bytes; longer input must be refused, never silently cut.
BCRYPT_MAX_BYTES = 72
# The figures the policy's messages quote.
POLICY_PARAMS = {"min": PASSWORD_MIN_CHARS, "max_bytes": BCRYPT_MAX_BYTES}
COMMON_PASSWORDS_FILE = PROJECT_ROOT / "core" / "data" / "common-passwords.txt.gz"
# The demo's one documented password. Only the demo loader may set it (it bypasses the policy
# for its own accounts); every other path refuses it, and sign-in refuses it outside demo mode.
DEMO_PASSWORD = "excellence-demo"
# Words anyone would try first on this product's accounts.
PRODUCT_WORDS = ("excellence", "chuangxian", "zhengyou", "cxzy", "创先争优", "组织部")
_SEQUENCES = ("abcdefghijklmnopqrstuvwxyz", "qwertyuiopasdfghjklzxcvbnm", "0123456789", "1qaz2wsx3edc4rfv5tgb")
_EDGE_FILLER = re.compile(r"^[\W\d_]+|[\W\d_]+$")
# Generated passwords avoid characters that are easily misread on a printed slip (0/O, 1/l/I).
_HANDOUT_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


@functools.lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_PASSWORDS_FILE, "rt", encoding="utf-8") as handle:
        return frozenset(line.strip().lower() for line in handle if line.strip())


def _is_sequence(text: str) -> bool:
    """abcdef…, 123456…, qwerty… forwards or backwards (repeated or not)."""
    for run in _SEQUENCES:
        doubled = run * 2
        if text in doubled or text[::-1] in doubled:
            return True
    return False


def password_problem(password: str, *, username: str = "", display_name: str = "") -> str | None:
    """The message key of what is wrong with a new password, or None if it is acceptable.

    No composition rules (ASVS): length, bcrypt's byte limit, and guessability: on the bundled
    list of common passwords (also with digits or symbols around it), the same few characters
    over and over, a keyboard or alphabet run, the account's own name or the product's name.
    """
    if len(password) < PASSWORD_MIN_CHARS:
        return "accounts.password.too_short"
    if len(password.encode("utf-8")) > BCRYPT_MAX_BYTES:
        return "accounts.password.too_long"
    folded = password.strip().lower()
    core = _EDGE_FILLER.sub("", folded)
    common = common_passwords()
    if folded == DEMO_PASSWORD or folded in common or (core and core in common):
        return "accounts.password.common"
    squeezed = re.sub(r"[\s\W_]+", "", folded)
    if len(set(squeezed)) < 5 or _is_sequence(squeezed) or (core and len(core) < 4):
        return "accounts.password.guessable"
    names = [name.strip().lower() for name in (username, display_name) if len(name.strip()) >= 3]
    if any(name in folded for name in names) or any(word in folded for word in PRODUCT_WORDS):
        return "accounts.password.personal"
    return None


def generate_password() -> str:
    """A password for the office to hand out: 4 groups of 4 unambiguous characters (about 79 bits)."""
    groups = ("".join(secrets.choice(_HANDOUT_ALPHABET) for _ in range(4)) for _ in range(4))
    return "-".join(groups)


def hash_password(password: str, *, rounds: int = 12) -> str:
    """bcrypt hash; only the byte limit is enforced here (the policy is for new passwords)."""
    if len(password.encode("utf-8")) > BCRYPT_MAX_BYTES:
        raise ValueError("accounts.password.too_long")
    if not password:
        raise ValueError("accounts.password.too_short")
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds=rounds)).decode("ascii")


def verify_password(password: str, password_hash: str) -> bool:
    encoded = password.encode("utf-8")
    if len(encoded) > BCRYPT_MAX_BYTES:
        return False
    try:
        return bcrypt.checkpw(encoded, password_hash.encode("ascii"))
    except ValueError:
        return False


# --- throttling ---------------------------------------------------------------------------------

# Failures allowed before any delay, and the longest delay. An account name gets few free tries
# and a short ceiling: anyone can type the administrator's name, and they must never be able to
# keep the administrator out for long. One address gets more free tries (an office behind one
# NAT address) but a ceiling of a quarter of an hour, which is what slows a guesser down.
ACCOUNT_FREE_FAILURES = 5
ACCOUNT_MAX_DELAY_S = 60
ADDRESS_FREE_FAILURES = 20
ADDRESS_MAX_DELAY_S = 15 * 60
# Failures older than this are forgotten.
FAILURE_MEMORY_S = 30 * 60


def throttle_delay(failures: int, *, free: int, ceiling: int) -> int:
    """Seconds to wait before the next try after `failures` recent failures: none for the first
    `free`, then 1, 2, 4, 8 … seconds up to `ceiling`."""
    if failures < free:
        return 0
    return min(ceiling, 2 ** min(failures - free, 30))
