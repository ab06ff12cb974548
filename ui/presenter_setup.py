"""The setup page's address block: the full address to bookmark, and a QR code for phones and
for typing it on the meeting-room computer. The QR code is drawn here (segno), not fetched."""
from __future__ import annotations

import io
from urllib.parse import urlencode, urlsplit

import segno
import streamlit as st

from core.presenter import PresenterSettings, settings_query
from ui.state import t

PAGE_PATH = "presenter"
# The projector opens this page, which holds /presenter in a frame until the player has drawn.
WRAPPER_PATH = "app/static/presenter.html"


def screen_address(settings: PresenterSettings, base: str | None = None) -> str:
    """The full address of the screen, host included.

    It is the wrapper page (static/presenter.html), painted in the screen's theme from its first
    frame, which shows /presenter with the same query once the player has drawn (Streamlit's own
    start page is white for a moment). `embed=true` starts that page without Streamlit's header
    and menu, and `embed_options=dark_theme` keeps Streamlit's own parts dark.
    """
    if base is None:
        current = urlsplit(st.context.url or "")
        path = current.path.rsplit("/", 1)[0] if current.path.endswith(f"/{PAGE_PATH}") else current.path.rstrip("/")
        base = f"{current.scheme}://{current.netloc}{path}" if current.netloc else ""
    query = dict(settings_query(settings))
    query["embed"] = "true"
    if settings.theme == "dark":
        query["embed_options"] = "dark_theme"
    return f"{base}/{WRAPPER_PATH}?{urlencode(query, safe=',')}"


def qr_png(address: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(address, error="m").save(buffer, kind="png", scale=5, border=2)
    return buffer.getvalue()


def show_address(address: str) -> None:
    """The open button, the address in full (copyable) and its QR code side by side."""
    text, code = st.columns([3, 1], vertical_alignment="center")
    with text:
        st.link_button(t("presenter.open"), address, type="primary", icon=":material/present_to_all:")
        st.code(address, language=None, wrap_lines=True)
        st.caption(t("presenter.bookmark_hint"))
    code.image(qr_png(address), caption=t("presenter.qr_caption"), width=200)
