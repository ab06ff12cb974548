"""`python -m manage create-admin USERNAME`: the first administrator of a database, or a reset;
`python -m manage backup PATH` / `restore PATH`: a consistent copy of the database and back;
`python -m manage rebuild-summaries`: recount the boards' summaries from the records and ledgers.

Works on any database DATABASE_URL (or --database-url) names: it migrates the database first,
then creates the account, or, if it exists, makes it an active administrator with the new
password. The password is asked twice without echo, or read from standard input with
--password-stdin (one line, for scripts).
"""
from __future__ import annotations

import argparse
import getpass
import sys

from core.i18n import translate
from db.access import ValidationFailed
from db.account_admin import create_or_reset_admin
from db.backup import BackupFailed, backup, restore
from db.bootstrap import ensure_base_data
from db.engine import first_start_lock, get_engine
from db.summaries import rebuild

# The command speaks the office's language first, English beside it.
LANGUAGES = ("zh", "en")


def _say(key: str, **params: object) -> str:
    return " / ".join(translate(language, key, **params) for language in LANGUAGES)


def _password(from_stdin: bool) -> str | None:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(_say("accounts.cli.prompt") + ": ")
    second = getpass.getpass(_say("accounts.cli.repeat") + ": ")
    return first if first == second else None


def create_admin(args: argparse.Namespace) -> int:
    engine = get_engine(args.database_url)
    with first_start_lock(engine):
        ensure_base_data(engine)
    password = _password(args.password_stdin)
    if password is None:
        print(_say("accounts.problem.mismatch"), file=sys.stderr)
        return 1
    try:
        created = create_or_reset_admin(args.username, password, display_name=args.display_name, engine=engine)
    except ValidationFailed as failure:
        for _field, key, params in failure.problems:
            print(_say(key, **params), file=sys.stderr)
        return 1
    where = engine.url.render_as_string(hide_password=True)
    print(_say("accounts.cli.created" if created else "accounts.cli.reset", username=args.username.strip(), database=where))
    return 0


def backup_database(args: argparse.Namespace) -> int:
    engine = get_engine(args.database_url)
    try:
        path = backup(engine, args.path)
    except BackupFailed as failure:
        print(failure, file=sys.stderr)
        return 1
    print(f"{engine.url.render_as_string(hide_password=True)} -> {path}")
    return 0


def restore_database(args: argparse.Namespace) -> int:
    engine = get_engine(args.database_url)
    if not args.yes:
        print(f"Replace everything in {engine.url.render_as_string(hide_password=True)} with {args.path}? (--yes to confirm)", file=sys.stderr)
        return 1
    try:
        restore(engine, args.path)
    except BackupFailed as failure:
        print(failure, file=sys.stderr)
        return 1
    print(f"{args.path} -> {engine.url.render_as_string(hide_password=True)}")
    return 0


def rebuild_summaries(args: argparse.Namespace) -> int:
    engine = get_engine(args.database_url)
    with first_start_lock(engine):
        ensure_base_data(engine)
    for table, rows in rebuild(engine).items():
        print(f"{table}: {rows}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m manage", description="Administration of the Excellence Board.")
    commands = parser.add_subparsers(dest="command", required=True)
    admin = commands.add_parser(
        "create-admin",
        help="create an administrator, or make an existing account one with a new password",
        description="Creates the administrator USERNAME (or resets it: active, administrator, new password). "
        "Migrates the database first. The password is asked twice, or read from stdin with --password-stdin.",
    )
    admin.add_argument("username")
    admin.add_argument("--display-name", help="the name shown in the app (defaults to USERNAME)")
    admin.add_argument("--password-stdin", action="store_true", help="read the password from the first line of standard input")
    admin.add_argument("--database-url", help="defaults to DATABASE_URL")
    admin.set_defaults(run=create_admin)
    saving = commands.add_parser(
        "backup", help="write a consistent copy of the database to PATH while the app runs",
        description="SQLite: the online backup API (safe while the app writes). PostgreSQL: pg_dump's custom format. "
        "Never overwrites an existing file.",
    )
    saving.add_argument("path")
    saving.add_argument("--database-url", help="defaults to DATABASE_URL")
    saving.set_defaults(run=backup_database)
    restoring = commands.add_parser(
        "restore", help="replace the database's contents with the backup at PATH (stop the app first)",
        description="SQLite: copies the backup over the database. PostgreSQL: pg_restore --clean in one transaction.",
    )
    restoring.add_argument("path")
    restoring.add_argument("--yes", action="store_true", help="confirm that everything in the database is replaced")
    restoring.add_argument("--database-url", help="defaults to DATABASE_URL")
    restoring.set_defaults(run=restore_database)
    recount = commands.add_parser(
        "rebuild-summaries", help="recount the boards' summaries from the records and the suggestion and problem ledgers",
        description="Empties every summary the boards and the books page read (record_*_tally, bonus_month_tally) and "
        "counts them again from activity_record and study_record, and from suggestion and problem, in one transaction "
        "(the triggers keep them current; this repairs them after writes made without the triggers).",
    )
    recount.add_argument("--database-url", help="defaults to DATABASE_URL")
    recount.set_defaults(run=rebuild_summaries)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    raise SystemExit(main())
