"""Hand-edited addresses answer in the user's language: no traceback, no English error page."""
import pytest

from tests.pages.apptest import open_app, page_texts


@pytest.mark.parametrize("page, query", [
    ("views/gallery.py", {"study": "99999999999999999999"}),
    ("views/gallery.py", {"study": "abc"}),
    ("views/books.py", {"book": "99999999999999999999"}),
    ("views/books.py", {"book": "-3"}),
    ("views/unit_detail.py", {"unit": "99999999999999999999"}),
    ("views/unit_detail.py", {"unit": "<b>x</b>"}),
    ("views/presenter.py", {"snapshot": "99999999999999999999", "group": "nosuchgroup"}),
])
def test_a_malformed_or_unknown_id_gets_a_message_not_a_traceback(accounts, page, query):
    at = open_app(accounts["admin"], page, **query)
    assert not at.exception
    text = page_texts(at)
    assert "Traceback" not in text and "Error" not in text


def test_an_unknown_unit_says_so_and_shows_a_real_one(accounts):
    at = open_app(accounts["admin"], "views/unit_detail.py", unit="99999999999999999999")
    assert "地址中的编号无效或不存在" in page_texts(at)
    assert at.query_params["unit"] != "99999999999999999999"
