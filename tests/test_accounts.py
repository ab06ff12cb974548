import pytest

from core.security import hash_password, password_problem, verify_password
from db.accounts import SignInFailed, create_user, sign_in


def test_password_policy_allows_long_phrases_and_refuses_what_bcrypt_would_cut():
    assert password_problem("short") == "password.too_short"
    assert password_problem("a perfectly fine passphrase") is None
    assert password_problem("党" * 24) is None  # exactly bcrypt's 72 bytes
    assert password_problem("党" * 24 + "a") == "password.too_long"
    with pytest.raises(ValueError):
        hash_password("x" * 73, rounds=4)


def test_a_long_password_is_never_verified_by_its_first_72_bytes():
    stored = hash_password("a" * 72, rounds=4)
    assert verify_password("a" * 72, stored)
    assert not verify_password("a" * 72 + "tail", stored)


def test_sign_in_locks_after_repeated_failures(fresh_engine, monkeypatch):
    monkeypatch.setenv("MAX_FAILED_LOGINS", "3")
    create_user(username="zhang", display_name="张", password="correct horse battery", role="viewer", rounds=4, engine=fresh_engine)
    assert sign_in("zhang", "correct horse battery", engine=fresh_engine).actor.role == "viewer"
    for _ in range(3):
        with pytest.raises(SignInFailed) as failure:
            sign_in("zhang", "wrong password here", engine=fresh_engine)
        assert failure.value.key == "signin.wrong"
    with pytest.raises(SignInFailed) as failure:
        sign_in("zhang", "correct horse battery", engine=fresh_engine)
    assert failure.value.key == "signin.locked"


def test_unknown_users_and_empty_fields_get_the_same_answers_as_wrong_passwords(fresh_engine):
    with pytest.raises(SignInFailed) as failure:
        sign_in("nobody", "whatever password", engine=fresh_engine)
    assert failure.value.key == "signin.wrong"
    with pytest.raises(SignInFailed) as failure:
        sign_in("", "", engine=fresh_engine)
    assert failure.value.key == "signin.missing"
