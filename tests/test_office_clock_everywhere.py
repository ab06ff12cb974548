"""Every "today" and "now" comes from core/clock.py: the office's date in its time zone, UTC for
storage. A server's date.today() is yesterday in Shanghai every evening after 16:00 UTC (records
dated today were refused as "in the future" and two tests failed every night), so no module of
the app, its seed, its benchmark or its tests asks the server's clock directly."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("app.py", "bench", "core", "db", "manage", "seed", "tests", "ui", "views")
THE_CLOCK = {"core/clock.py"}


def server_clock_calls(tree: ast.AST) -> list[ast.Call]:
    """date.today(), datetime.now() without a zone, datetime.utcnow() (any spelling of the module)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            owner_name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
            if (owner_name, node.func.attr) in {("date", "today"), ("datetime", "utcnow"), ("datetime", "today")} or (owner_name, node.func.attr) == ("datetime", "now") and not node.args and not node.keywords:
                found.append(node)
    return found


def _files() -> list[Path]:
    paths = []
    for source in SOURCES:
        path = ROOT / source
        paths += [path] if path.is_file() else sorted(path.rglob("*.py"))
    return [path for path in paths if path.relative_to(ROOT).as_posix() not in THE_CLOCK]


def test_nothing_reads_the_servers_clock_but_core_clock():
    found = [
        f"{path.relative_to(ROOT).as_posix()}:{call.lineno}"
        for path in _files()
        for call in server_clock_calls(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert not found, "use core.clock.office_today / office_now / utc_now:\n" + "\n".join(found)


def test_the_check_finds_each_spelling():
    sample = "dt.date.today()\ndate.today()\ndatetime.datetime.now()\ndt.datetime.utcnow()\ndt.datetime.now(dt.UTC)\n"
    assert [call.lineno for call in server_clock_calls(ast.parse(sample))] == [1, 2, 3, 4]
