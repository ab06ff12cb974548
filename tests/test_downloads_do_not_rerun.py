"""Every download button leaves the page as it is when clicked (on_click="ignore").

Why: a download whose file is built on click (data=a callable) gets a new file id on every run
of the page, and the old id is dropped when a run ends. A click that also reruns the page races
the browser's request for the file: when the rerun ends first, the browser asks for an id that
is gone and nothing downloads (seen in CI on the import template). No download in this app
needs the rerun, so every one declares on_click="ignore"; checked on the source.
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _download_buttons(path: Path) -> list[ast.Call]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "download_button"
    ]


def _ignores_click(call: ast.Call) -> bool:
    return any(
        keyword.arg == "on_click" and isinstance(keyword.value, ast.Constant) and keyword.value.value == "ignore"
        for keyword in call.keywords
    )


def test_every_download_button_declares_that_its_click_does_not_rerun_the_page() -> None:
    sources = sorted([*ROOT.glob("app.py"), *ROOT.glob("views/*.py"), *ROOT.glob("ui/*.py")])
    buttons = [(path, call) for path in sources for call in _download_buttons(path)]
    assert len(buttons) > 10, "the check found the app's download buttons"
    rerunning = [f"{path.relative_to(ROOT)}:{call.lineno}" for path, call in buttons if not _ignores_click(call)]
    assert rerunning == []
