"""Driving the app under Streamlit's AppTest: open it as someone, read what the page says."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

from core.config import PROJECT_ROOT
from ui.data import refresh

APP = str(PROJECT_ROOT / "app.py")


def open_app(user=None, page: str | None = None, **query) -> AppTest:
    """The app as `user` (None: a visitor) showing `page`, with `query` in the address.

    The first run shows the default page: st.navigation registers the pages it may switch to.
    Each opening is a new visit: it reads the data versions afresh, so whatever a test wrote
    before is seen (a real page sees another person's write within the versions' two seconds).
    """
    refresh()
    at = AppTest.from_file(APP, default_timeout=120)
    if user is not None:
        at.session_state["signed_in"] = user
    at.run()
    if page:
        at.switch_page(page)
        for key, value in query.items():
            at.query_params[key] = str(value)
        at.run()
    assert not at.exception, at.exception
    return at


def page_texts(at: AppTest) -> str:
    """Everything written on the page, for `in` checks."""
    parts = [element.value for element in [*at.markdown, *at.caption, *at.title, *at.subheader]]
    parts += [str(element.value) for element in [*at.error, *at.info, *at.success, *at.warning]]
    parts += [element.proto.body for element in at.get("text")]
    return " ".join(parts)


def button_labelled(at: AppTest, label: str):
    return next(element for element in at.button if element.label == label)
