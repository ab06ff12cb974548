"""Every table the app shows has an Excel download beside it (issue 12).

The rule, checked on the source: a table (st.dataframe, st.data_editor, st.table, or a helper
that wraps one) has an Excel download in its section: the nearest enclosing `with` over a named
container (a tab or a column: `with records_tab:`), else its function, else the page script.
An Excel download is ui.board_view.download, ui.ledger_common.export_button / export_frame, or a
st.download_button whose mime is XLSX_MIME. A helper that only draws tables for its callers is
listed in TABLE_HELPERS, so that its callers are held to the rule instead.
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TABLE_CALLS = {"dataframe", "data_editor", "table"}
# Helpers that draw a table for their callers: each call of one counts as a table at the caller.
TABLE_HELPERS = {
    ("ui/board_view.py", "show_table"),
    ("ui/ledger_problems.py", "show_table"),
}
HELPER_NAMES = {name for _, name in TABLE_HELPERS}
EXCEL_HELPERS = {"download", "export_button", "export_frame"}
# Tables that are not data to take away, each with its reason: (file, the function that draws it
# or the start of the table's widget key) -> why.
NOT_DATA: dict[tuple[str, str], str] = {
    ("views/bulk_entry.py", "bulk_grid_"): "blank rows the person types new records into: nothing saved yet",
    ("views/import_data.py", "preview_table"): "the first rows of the file the person just chose, before import",
    ("ui/import_view.py", "_problem_table"): "what to fix in the file or grid just checked; nothing was saved",
    ("views/entry.py", "entry_recent"): "the last five records as a receipt; the full list and its Excel are on the records page",
    ("views/organization.py", "organization_grid"): "the unit list as an editing grid; the units tab downloads the same units",
    ("ui/rules_view.py", "rules_inputs"): "a draft's points being typed; the rules in force download from the leaderboard's rules tab",
    ("ui/catalogue_view.py", "fields_editor"): "the fields of one type's entry form as the office designs them, not figures",
}


def _name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def _is_table(call: ast.Call) -> bool:
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr in TABLE_CALLS:
        # st.dataframe, column.dataframe ... but not pandas' DataFrame or a frame's own methods
        return isinstance(func.value, ast.Name) and func.value.id not in {"pd", "frame"}
    return isinstance(func, ast.Name) and func.id in HELPER_NAMES


def _is_excel_download(call: ast.Call) -> bool:
    name = _name(call)
    if name in EXCEL_HELPERS:
        return True
    if name == "download_button":
        return any(
            keyword.arg == "mime" and isinstance(keyword.value, ast.Name) and keyword.value.id == "XLSX_MIME"
            for keyword in call.keywords
        )
    return False


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def _inside(scope: ast.AST, *, into_sections: bool = True) -> list[ast.AST]:
    """The nodes in a scope, leaving out the functions defined inside it (and, unless
    `into_sections`, the named `with` blocks inside it)."""
    found: list[ast.AST] = []
    stack = list(ast.iter_child_nodes(scope))
    while stack:
        node = stack.pop()
        if isinstance(node, _SCOPES) or (not into_sections and _is_section(node)):
            continue
        found.append(node)
        stack.extend(ast.iter_child_nodes(node))
    return found


def _own_calls(scope: ast.AST) -> list[ast.Call]:
    """The calls in a scope, leaving out those of the functions defined inside it."""
    return [node for node in _inside(scope) if isinstance(node, ast.Call)]


def _is_section(node: ast.AST) -> bool:
    """`with some_tab:` / `with left:`: a tab or a column the page named."""
    return isinstance(node, ast.With) and any(isinstance(item.context_expr, ast.Name) for item in node.items)


def _sections(scope: ast.AST) -> list[ast.AST]:
    """The scope and every named `with` block inside it (not inside nested functions)."""
    return [scope, *(node for node in _inside(scope) if _is_section(node))]


def _tables_of(section: ast.AST) -> list[ast.Call]:
    """The tables whose nearest section is this one."""
    return [node for node in _inside(section, into_sections=False) if isinstance(node, ast.Call) and _is_table(node)]


def _key_prefix(call: ast.Call, tree: ast.Module) -> str:
    """The literal start of a widget's key: "bulk_grid_" for key=f"bulk_grid_{unit_id}", also when
    the key is a name the page assigned first (grid_key = f"bulk_grid_{unit_id}")."""
    assigned = {
        target.id: node.value for node in ast.walk(tree) if isinstance(node, ast.Assign)
        for target in node.targets if isinstance(target, ast.Name)
    }
    for keyword in call.keywords:
        if keyword.arg == "key":
            value = keyword.value
            if isinstance(value, ast.Name):
                value = assigned.get(value.id, value)
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                return value.value
            if isinstance(value, ast.JoinedStr) and value.values and isinstance(value.values[0], ast.Constant):
                return str(value.values[0].value)
    return ""


def _allowed(relative: str, call: ast.Call, tree: ast.Module) -> bool:
    prefix = _key_prefix(call, tree)
    return any(path == relative and prefix and prefix.startswith(marker) for path, marker in NOT_DATA)


def _scopes(tree: ast.Module) -> list[tuple[str, ast.AST]]:
    scopes: list[tuple[str, ast.AST]] = [("<page>", tree)]
    scopes += [(node.name, node) for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]
    return scopes


def tables_without_excel() -> tuple[list[str], int]:
    missing, tables = [], 0
    for path in sorted([*ROOT.glob("views/*.py"), *ROOT.glob("ui/*.py")]):
        relative = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for scope_name, scope in _scopes(tree):
            if (relative, scope_name) in TABLE_HELPERS or (relative, scope_name) in NOT_DATA:
                continue
            for section in _sections(scope):
                shown = [call for call in _tables_of(section) if not _allowed(relative, call, tree)]
                tables += len(shown)
                if shown and not any(_is_excel_download(call) for call in _own_calls(section)):
                    missing += [f"{relative}:{call.lineno} in {scope_name}" for call in shown]
    return missing, tables


def test_every_table_has_an_excel_download_beside_it():
    missing, tables = tables_without_excel()
    assert tables > 30  # the scan sees the app's tables (a broken scan would pass vacuously)
    assert not missing, "tables without an Excel download in their section:\n" + "\n".join(missing)


def test_the_allow_lists_name_real_tables():
    for relative, marker in [*TABLE_HELPERS, *NOT_DATA]:
        tree = ast.parse((ROOT / relative).read_text(encoding="utf-8"))
        functions = {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
        keys = {_key_prefix(node, tree) for node in ast.walk(tree) if isinstance(node, ast.Call) and _is_table(node)}
        assert marker in functions or any(key.startswith(marker) for key in keys), (relative, marker)
