"""Session tokens keep a person signed in across reloads, and nothing else."""
import time

from core.session_tokens import fingerprint, make_token, read_token
from db.accounts import create_user, issue_session_token, resume_session

SECRET = "s" * 40


def test_a_genuine_token_names_its_user_until_it_expires():
    token = make_token(7, "abc", SECRET, now=1_000, hours=1)
    assert read_token(token, SECRET, now=1_000 + 3599) == (7, "abc")
    assert read_token(token, SECRET, now=1_000 + 3601) is None


def test_forged_or_damaged_tokens_are_refused():
    token = make_token(7, "abc", SECRET, now=1_000)
    user, expires, account, nonce, signature = token.split(".")
    assert read_token(f"8.{expires}.{account}.{nonce}.{signature}", SECRET, now=1_000) is None
    assert read_token(f"{user}.{expires}.{account}.{nonce}0.{signature}", SECRET, now=1_000) is None
    assert read_token(token, "another secret", now=1_000) is None
    for junk in ("", "a.b.c", "1.2.3.4", "1.2.3.4.5.6", None):
        assert read_token(junk, SECRET, now=1_000) is None


def test_two_sign_ins_in_the_same_second_get_tokens_of_their_own():
    first, second = (make_token(7, "abc", SECRET, now=1_000) for _ in range(2))
    assert first != second
    assert read_token(first, SECRET, now=1_000) == read_token(second, SECRET, now=1_000) == (7, "abc")


def test_resuming_a_session_and_ending_it_by_changing_the_password(fresh_engine):
    from db.engine import write_session
    from db.models import User

    user_id = create_user(username="li", display_name="李", password="a long enough password", role="viewer", rounds=4, engine=fresh_engine)
    token = issue_session_token(user_id, engine=fresh_engine)
    assert resume_session(token, engine=fresh_engine).username == "li"
    with write_session(fresh_engine) as session:
        session.get(User, user_id).password_hash = "$2b$04$" + "x" * 53
    assert resume_session(token, engine=fresh_engine) is None
    assert resume_session(None, engine=fresh_engine) is None
    assert fingerprint("a") != fingerprint("b")


def test_signing_out_refuses_that_token_from_then_on_and_keeps_others(fresh_engine, monkeypatch):
    from sqlalchemy import func, select

    from db.accounts import end_session
    from db.engine import read_session
    from db.models import SignedOutSession

    user_id = create_user(username="wang", display_name="王", password="a long enough password", role="viewer", rounds=4, engine=fresh_engine)
    office = issue_session_token(user_id, engine=fresh_engine)
    phone = issue_session_token(user_id, engine=fresh_engine)  # the same second, another device
    now = time.time()
    assert office != phone
    end_session(office, engine=fresh_engine)
    assert resume_session(office, engine=fresh_engine) is None  # a copy of the cookie is useless now
    assert resume_session(phone, engine=fresh_engine).username == "wang"
    end_session(office, engine=fresh_engine)  # twice, or a forged or empty token: nothing happens
    end_session("1.9999999999.abc.forged", engine=fresh_engine)
    end_session(None, engine=fresh_engine)
    with read_session(fresh_engine) as session:
        assert session.scalar(select(func.count()).select_from(SignedOutSession)) == 1
    # Once the signed-out token would have expired anyway, the next sign-out forgets it.
    monkeypatch.setattr(time, "time", lambda: now + 13 * 3600)
    later = issue_session_token(user_id, engine=fresh_engine)
    end_session(later, engine=fresh_engine)
    with read_session(fresh_engine) as session:
        assert session.scalar(select(func.count()).select_from(SignedOutSession)) == 1
