"""Roles and record statuses are named by their enums (core/enums.py), never spelled as strings.

The check reads the package's sources (AST) for a string equal to a Role or RecordStatus value
where it means a role or a status: compared with, assigned to or passed as something called
`role` or `status`, a default of such a parameter, or an element of a constant named for roles or
statuses. "cadre" as a field kind or a table name is another vocabulary and is left alone.
"""
from __future__ import annotations

import ast
from pathlib import Path

from core.config import PROJECT_ROOT
from core.enums import RecordStatus, Role, RuleSetStatus

WORDS = {member.value for member in Role} | {member.value for member in RecordStatus} | {member.value for member in RuleSetStatus}
NAMES = {"role", "status"}
SOURCES = ("app.py", "db", "core", "ui", "views", "seed")
# The enums themselves, the catalogue, and migrations (frozen history: they must not follow the enums).
EXEMPT = {"core/enums.py", "db/catalog_defaults.py", "core/catalogue_rules.py"}


def _sources() -> list[Path]:
    found = []
    for source in SOURCES:
        path = PROJECT_ROOT / source
        found += [path] if path.is_file() else sorted(path.rglob("*.py"))
    return [path for path in found if "migrations" not in path.parts]


def _names_role_or_status(node: ast.AST) -> bool:
    """`x.role`, `status`, `row["status"]`, `x.get("role")`."""
    if isinstance(node, ast.Attribute):
        return node.attr in NAMES
    if isinstance(node, ast.Name):
        return node.id in NAMES
    if isinstance(node, ast.Subscript):
        return isinstance(node.slice, ast.Constant) and node.slice.value in NAMES
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get" and node.args:
        return isinstance(node.args[0], ast.Constant) and node.args[0].value in NAMES
    return False


def _constant_named_for_roles_or_statuses(target: ast.AST) -> bool:
    name = target.id if isinstance(target, ast.Name) else target.attr if isinstance(target, ast.Attribute) else ""
    return any(word in name.upper() for word in ("ROLE", "STATUS")) or name in NAMES


def _words_in(node: ast.AST | None) -> list[ast.Constant]:
    """The literal role or status words a value consists of (itself, or a collection's elements or keys)."""
    if node is None:
        return []
    if isinstance(node, ast.Constant):
        return [node] if isinstance(node.value, str) and node.value in WORDS else []
    if isinstance(node, ast.Set | ast.Tuple | ast.List):
        return [word for element in node.elts for word in _words_in(element)]
    if isinstance(node, ast.IfExp):  # status="pending" if submit else "draft"
        return [*_words_in(node.body), *_words_in(node.orelse)]
    if isinstance(node, ast.Dict):
        return [word for key in node.keys for word in _words_in(key)]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in {"frozenset", "set", "tuple"}:
        return [word for argument in node.args for word in _words_in(argument)]
    return []


def literals(tree: ast.AST) -> list[ast.Constant]:
    found: list[ast.Constant] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(_names_role_or_status(side) for side in sides):
                found += [word for side in sides for word in _words_in(side)]
        elif isinstance(node, ast.keyword) and node.arg in NAMES:
            found += _words_in(node.value)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(_constant_named_for_roles_or_statuses(target) for target in targets):
                found += _words_in(node.value)
                if isinstance(node.value, ast.Call):  # status: Mapped[str] = mapped_column(String(10), default="draft")
                    found += [word for keyword in node.value.keywords if keyword.arg == "default" for word in _words_in(keyword.value)]
        elif isinstance(node, ast.arguments):
            parameters = [*node.posonlyargs, *node.args]
            pairs = list(zip(parameters[len(parameters) - len(node.defaults):], node.defaults, strict=True))
            pairs += [(argument, default) for argument, default in zip(node.kwonlyargs, node.kw_defaults, strict=True) if default]
            found += [word for argument, default in pairs if argument.arg in NAMES for word in _words_in(default)]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get" and node.args:
            # counts.get("pending"): a mapping keyed by status
            found += [word for word in _words_in(node.args[0]) if word.value in {s.value for s in RecordStatus}]
    return found


def test_no_role_or_status_string_literals() -> None:
    found = []
    for path in _sources():
        relative = path.relative_to(PROJECT_ROOT).as_posix()
        if relative in EXEMPT:
            continue
        for word in literals(ast.parse(path.read_text(encoding="utf-8"))):
            found.append(f"{relative}:{word.lineno}: {word.value!r}")
    assert not found, "use core.enums.Role / RecordStatus instead of:\n" + "\n".join(found)


def test_the_check_finds_each_kind_of_literal() -> None:
    """The test above cannot pass by finding nothing: each form it looks for is found here."""
    sample = '''
if actor.role == "cadre": pass
if actor.role in {"reporter", "cadre"}: pass
record.status = "approved"
query.where(Record.status == "pending")
save(status="draft")
Record(status="pending" if submit else "returned")
def f(status: str = "returned"): pass
class Row:
    status: Mapped[str] = mapped_column(String(10), default="draft")
STATUSES = ("draft", "deleted")
counts.get("pending")
if row["status"] != "approved": pass
principal_field(fields, "cadre")
'''
    assert [word.value for word in sorted(literals(ast.parse(sample)), key=lambda w: (w.lineno, w.col_offset))] == [
        "cadre", "reporter", "cadre", "approved", "pending", "draft", "pending", "returned", "returned", "draft", "draft", "deleted", "pending", "approved",
    ]

