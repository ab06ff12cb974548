"""No deprecated session plumbing: nothing in the app uses st.components.v1 (past its announced
removal date); the session cookie and the presenter's keys use st.html and a components-v2 player."""
from core.config import PROJECT_ROOT

APP_FOLDERS = ("app.py", "ui", "views", "core", "db")


def test_no_module_of_the_app_uses_components_v1():
    sources = [PROJECT_ROOT / "app.py", *(path for folder in APP_FOLDERS[1:] for path in (PROJECT_ROOT / folder).rglob("*.py"))]
    users = [str(path.relative_to(PROJECT_ROOT)) for path in sources if "components.v1" in path.read_text(encoding="utf-8")]
    assert users == []
