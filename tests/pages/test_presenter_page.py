"""The presenter's setup page under AppTest: the address to bookmark, its QR code, and warnings."""
import json

from tests.pages.apptest import open_app, page_texts


def test_the_setup_page_builds_the_address_and_says_what_cannot_work(demo_engine):
    at = open_app(page="views/presenter.py", group="distrct", top="30", rotate="10")
    texts = page_texts(at)
    assert "比较组代码“distrct”不存在" in texts
    assert "每块看板请至少停留 16 秒" in texts
    address = at.code[0].value
    # The projector opens the wrapper page, which paints the theme's colour until the player has drawn.
    assert "/app/static/presenter.html?play=1&" in address and "embed=true" in address and "embed_options=dark_theme" in address
    # The form falls back to a real group, and the address it offers names that group, not the typo.
    assert "group=district" in address and "distrct" not in address
    assert len(at.get("image")) == 1  # the QR code, drawn on the server


def test_the_screen_explains_a_missing_snapshot_in_its_own_language(demo_engine):
    at = open_app(page="views/presenter.py", play="1", snapshot="99999")
    at.query_params["lang"] = "en"  # the screen's language, not the interface's: set after the first page
    at.run()
    component = at.get("bidi_component")
    assert component and "This snapshot does not exist" in component[0].proto.json


def test_the_screen_sends_the_player_every_slide_of_the_playlist(demo_engine):
    at = open_app(page="views/presenter.py", play="1", boards="leaderboard,counts", group="district,department")
    at.query_params["lang"] = "en"  # the screen's language, not the interface's: set after the first page
    at.run()
    deck = json.loads(json.loads(at.get("bidi_component")[0].proto.json))
    assert [slide["id"] for slide in deck["slides"]] == ["leaderboard:district", "leaderboard:department", "counts"]
    assert deck["language"] == "en" and deck["labels"]["reconnecting"].startswith("Reconnecting… data as of ")
