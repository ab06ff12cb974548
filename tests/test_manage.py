"""`python -m manage create-admin`: the first administrator of any database, or a reset."""
import os
import subprocess
import sys

import pytest

from core.config import PROJECT_ROOT
from db.accounts import sign_in
from db.engine import get_engine
from manage.__main__ import main
from tests.conftest import _new_database_url

PASSWORD = "river stones at dusk"


def _run(url: str, *args: str, stdin: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, DATABASE_URL=url, DEMO_AUTOLOAD="false")
    return subprocess.run(
        [sys.executable, "-m", "manage", "create-admin", *args], input=stdin, cwd=PROJECT_ROOT, env=env,
        capture_output=True, text=True, timeout=120,
    )


def test_the_command_migrates_an_empty_database_and_makes_an_administrator():
    url = _new_database_url()  # nothing in it, not even the schema
    made = _run(url, "office", "--display-name", "市委组织部办公室", "--password-stdin", stdin=PASSWORD + "\n")
    assert made.returncode == 0, made.stderr
    assert "office" in made.stdout
    signed = sign_in("office", PASSWORD, engine=get_engine(url))
    assert signed.actor.is_admin and signed.display_name == "市委组织部办公室" and not signed.must_change_password
    # Run again on the same account: a reset, with the new password.
    again = _run(url, "office", "--password-stdin", stdin="another long passphrase\n")
    assert again.returncode == 0, again.stderr
    assert sign_in("office", "another long passphrase", engine=get_engine(url)).actor.is_admin


def test_a_weak_or_mistyped_password_makes_nothing(monkeypatch, capsys):
    url = _new_database_url()
    weak = _run(url, "office", "--password-stdin", stdin="password1234\n")
    assert weak.returncode == 1 and "常见密码" in weak.stderr and "common password" in weak.stderr
    answers = iter([PASSWORD, PASSWORD + "!"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert main(["create-admin", "office", "--database-url", url]) == 1
    assert "不一致" in capsys.readouterr().err
    from db.accounts import SignInFailed

    with pytest.raises(SignInFailed):
        sign_in("office", PASSWORD, engine=get_engine(url))


def test_the_password_is_asked_twice_without_echo(monkeypatch):
    url = _new_database_url()
    prompts = []

    def answer(prompt: str = "") -> str:
        prompts.append(prompt)
        return PASSWORD

    monkeypatch.setattr("getpass.getpass", answer)
    assert main(["create-admin", "first.admin", "--database-url", url]) == 0
    assert len(prompts) == 2
    assert sign_in("first.admin", PASSWORD, engine=get_engine(url)).actor.is_admin
