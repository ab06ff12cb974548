"""The presenter's wrapper page (static/presenter.html): served by Streamlit, in the decks' colours."""
import re
import tomllib
from pathlib import Path

from core.presenter import PresenterSettings
from ui.presenter_view import THEME_COLOURS

ROOT = Path(__file__).resolve().parent.parent
WRAPPER = ROOT / "static" / "presenter.html"


def test_streamlit_serves_the_wrapper_page():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["enableStaticServing"] is True
    assert WRAPPER.is_file()


def test_the_wrapper_paints_each_theme_in_its_decks_background():
    style = WRAPPER.read_text(encoding="utf-8")
    plain = re.search(r"html, body \{[^}]*background: (#[0-9A-Fa-f]{6})", style).group(1)
    light = re.search(r'html\[data-theme="light"\][^{]*\{ background: (#[0-9A-Fa-f]{6})', style).group(1)
    # The page's default is the dark theme, as the screen's is.
    assert PresenterSettings().theme == "dark"
    assert plain.upper() == THEME_COLOURS["dark"]["bg"].upper()
    assert light.upper() == THEME_COLOURS["light"]["bg"].upper()
