"""Session tokens keep a person signed in across reloads, and nothing else."""
from core.session_tokens import fingerprint, make_token, read_token
from db.accounts import create_user, issue_session_token, resume_session

SECRET = "s" * 40


def test_a_genuine_token_names_its_user_until_it_expires():
    token = make_token(7, "abc", SECRET, now=1_000, hours=1)
    assert read_token(token, SECRET, now=1_000 + 3599) == (7, "abc")
    assert read_token(token, SECRET, now=1_000 + 3601) is None


def test_forged_or_damaged_tokens_are_refused():
    token = make_token(7, "abc", SECRET, now=1_000)
    user, expires, account, signature = token.split(".")
    assert read_token(f"8.{expires}.{account}.{signature}", SECRET, now=1_000) is None
    assert read_token(token, "another secret", now=1_000) is None
    for junk in ("", "a.b.c", "1.2.3.4.5", None):
        assert read_token(junk, SECRET, now=1_000) is None


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
