import datetime as dt
import re
import string
from pathlib import Path

from core.config import PROJECT_ROOT
from core.i18n import LANGUAGES, catalogue, format_date, translate


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_language_has_the_same_keys():
    keys = {language: set(catalogue(language)) for language in LANGUAGES}
    assert keys["zh"] == keys["en"], keys["zh"] ^ keys["en"]


def test_translations_use_the_same_placeholders():
    zh, en = catalogue("zh"), catalogue("en")
    mismatched = {key for key in zh if _placeholders(zh[key]) != _placeholders(en[key])}
    assert not mismatched


def test_every_literal_key_in_the_code_exists():
    """t("x.y") in a page or widget that names no message would show the bare key to users."""
    # t("x.y") in pages and widgets, _t(language, "x.y") in the presenter's HTML.
    pattern = re.compile(r"""\b_?t\(\s*(?:language,\s*)?f?["']([a-z_]+\.[a-z_.]+)["']""")
    known = set(catalogue("zh"))
    missing = set()
    for path in [PROJECT_ROOT / "app.py", *Path(PROJECT_ROOT, "views").glob("*.py"), *Path(PROJECT_ROOT, "ui").glob("*.py")]:
        for key in pattern.findall(path.read_text(encoding="utf-8")):
            if key[-1] not in "._" and key not in known:  # a prefix completed at run time
                missing.add((path.name, key))
    assert not missing


def test_chinese_is_the_default_and_dates_follow_the_language():
    assert translate("xx", "nav.leaderboard") == "单位排行"
    assert format_date(dt.date(2026, 5, 1), "zh") == "2026年5月1日"
    assert format_date(dt.date(2026, 5, 1), "en") == "2026-05-01"
