"""Signing in: the password policy, growing delays instead of locks, no tell between accounts."""
import datetime as dt

import pytest

import db.accounts as accounts_module
from core.security import (
    ACCOUNT_FREE_FAILURES,
    ACCOUNT_MAX_DELAY_S,
    ADDRESS_FREE_FAILURES,
    DEMO_PASSWORD,
    generate_password,
    hash_password,
    password_problem,
    throttle_delay,
    verify_password,
)
from db.accounts import SignInFailed, create_user, sign_in


def test_password_policy_allows_long_phrases_and_refuses_what_bcrypt_would_cut():
    assert password_problem("short") == "accounts.password.too_short"
    assert password_problem("a perfectly fine passphrase") is None
    phrase = "学习型机关要求我们每天读书思考写下读书笔记和心得"  # 24 characters, exactly bcrypt's 72 bytes
    assert password_problem(phrase) is None
    assert password_problem(phrase + "a") == "accounts.password.too_long"
    with pytest.raises(ValueError):
        hash_password("x" * 73, rounds=4)


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("startfinding", "accounts.password.common"),  # on the bundled list as it is
        ("Password2026!", "accounts.password.common"),  # a listed password with digits and a symbol around it
        ("qwertyuiop123", "accounts.password.common"),
        (DEMO_PASSWORD, "accounts.password.common"),
        ("aaaaaaaaaaaaaa", "accounts.password.guessable"),
        ("abababababab", "accounts.password.guessable"),
        ("abcdefghijklmn", "accounts.password.guessable"),
        ("987654321098", "accounts.password.guessable"),
        ("zhang.wei-passes-2026", "accounts.password.personal"),
        ("my excellence board!", "accounts.password.personal"),
    ],
)
def test_common_and_trivially_guessable_passwords_are_refused(password, problem):
    assert password_problem(password, username="zhang.wei") == problem


def test_generated_passwords_pass_the_policy_and_differ():
    made = {generate_password() for _ in range(50)}
    assert len(made) == 50
    assert all(password_problem(password) is None for password in made)


def test_a_long_password_is_never_verified_by_its_first_72_bytes():
    stored = hash_password("a" * 72, rounds=4)
    assert verify_password("a" * 72, stored)
    assert not verify_password("a" * 72 + "tail", stored)


def test_delays_grow_from_the_free_tries_up_to_a_ceiling():
    delays = [throttle_delay(failures, free=3, ceiling=60) for failures in range(12)]
    assert delays == [0, 0, 0, 1, 2, 4, 8, 16, 32, 60, 60, 60]


class Clock:
    """utc_now for db.accounts that a test moves forward."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 30, 8, 0, 0)

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(accounts_module, "utc_now", clock)
    return clock


def _failure(username: str, password: str, engine, address: str | None = None) -> SignInFailed:
    with pytest.raises(SignInFailed) as failure:
        sign_in(username, password, address=address, engine=engine)
    return failure.value


def test_failures_slow_an_account_down_for_a_while_but_never_lock_it(fresh_engine, clock):
    create_user(username="zhang", display_name="张", password="correct horse battery", role="viewer", rounds=4, engine=fresh_engine)
    for _ in range(ACCOUNT_FREE_FAILURES):
        assert _failure("zhang", "wrong password here", fresh_engine).key == "signin.wrong"
    # Now even the right password waits: a guesser gets no answer at all until the delay is over.
    refused = _failure("zhang", "correct horse battery", fresh_engine)
    assert (refused.key, refused.params) == ("signin.throttled", {"seconds": 2})
    clock.now += dt.timedelta(seconds=2)
    assert sign_in("zhang", "correct horse battery", engine=fresh_engine).username == "zhang"


def test_the_administrator_is_never_kept_out_longer_than_the_account_ceiling(fresh_engine, clock):
    create_user(username="admin1", display_name="管理员", password="correct horse battery", role="admin", rounds=4, engine=fresh_engine)
    for number in range(ACCOUNT_FREE_FAILURES + 10):  # an attacker typing the administrator's name from many addresses
        _failure("admin1", "guess number one", fresh_engine, address=f"10.0.0.{number}")
        clock.now += dt.timedelta(seconds=ACCOUNT_MAX_DELAY_S)
    assert sign_in("admin1", "correct horse battery", address="10.9.9.9", engine=fresh_engine).actor.is_admin


def test_one_address_trying_many_names_is_slowed_down(fresh_engine, clock):
    for number in range(ADDRESS_FREE_FAILURES):
        assert _failure(f"user{number}", "some guessed password", fresh_engine, address="203.0.113.7").key == "signin.wrong"
    assert _failure("another", "some guessed password", fresh_engine, address="203.0.113.7").key == "signin.throttled"
    assert _failure("another", "some guessed password", fresh_engine, address="198.51.100.1").key == "signin.wrong"


def test_unknown_and_known_names_get_the_same_answers_throttled_or_not(fresh_engine, clock):
    create_user(username="wang", display_name="王", password="correct horse battery", role="viewer", rounds=4, engine=fresh_engine)
    answers = {}
    for name in ("wang", "nobody"):
        answers[name] = [(failure.key, failure.params) for failure in
                         (_failure(name, "wrong password here", fresh_engine) for _ in range(ACCOUNT_FREE_FAILURES + 2))]
    assert answers["wang"] == answers["nobody"]
    assert answers["wang"][-1][0] == "signin.throttled"
    assert _failure("", "", fresh_engine).key == "signin.missing"


def test_a_disabled_account_gets_the_wrong_password_answer(fresh_engine):
    from db.engine import write_session
    from db.models import User

    user_id = create_user(username="li", display_name="李", password="correct horse battery", role="viewer", rounds=4, engine=fresh_engine)
    with write_session(fresh_engine) as session:
        session.get(User, user_id).active = False
    assert _failure("li", "correct horse battery", fresh_engine).key == "signin.wrong"


def test_the_demo_password_opens_nothing_outside_demo_mode(fresh_engine):
    with pytest.raises(ValueError):
        create_user(username="zhao", display_name="赵", password=DEMO_PASSWORD, role="viewer", rounds=4, engine=fresh_engine)
    create_user(username="zhao", display_name="赵", password=DEMO_PASSWORD, role="viewer", rounds=4, demo=True, engine=fresh_engine)
    # A database without the demo flag (a real one): the documented password is refused.
    assert _failure("zhao", DEMO_PASSWORD, fresh_engine).key == "signin.wrong"


def test_the_demo_accounts_sign_in_with_the_demo_password_in_demo_mode(demo_engine):
    assert sign_in("viewer", DEMO_PASSWORD, engine=demo_engine).actor.role == "viewer"


def test_failures_are_forgotten_after_a_while(fresh_engine, clock):
    from sqlalchemy import func, select

    from core.security import FAILURE_MEMORY_S
    from db.engine import read_session
    from db.models import SignInThrottle

    for number in range(3):
        _failure(f"typed-name-{number}", "wrong password here", fresh_engine, address="192.0.2.1")
    clock.now += dt.timedelta(seconds=FAILURE_MEMORY_S + 1)
    _failure("one-more", "wrong password here", fresh_engine, address="192.0.2.1")
    with read_session(fresh_engine) as session:
        rows = dict(session.execute(select(SignInThrottle.key, SignInThrottle.failures)).all())
        assert session.scalar(select(func.count()).select_from(SignInThrottle)) == 2
    assert rows == {"account:one-more": 1, "address:192.0.2.1": 1}
