"""Cards of study records in a responsive grid, and the like button they share with the detail view.

Every string a user typed reaches the page either through a plain Streamlit element or through
st.html after html.escape, so a note containing markup shows as text.
"""
from __future__ import annotations

import html
import io
from typing import Any

import streamlit as st
from PIL import Image, ImageEnhance, ImageFilter

from core.i18n import format_date, format_number
from core.permissions import Action
from db.access import Actor, PermissionDenied
from db.gallery_actions import LIKES_PER_DAY, like, unlike
from ui.data import current_version
from ui.state import language, t
from ui.theme import ACCENT, ACCENT_SOFT, GREY

CARD_WIDTH = 224
PICTURE_SIZE = (480, 360)  # every card picture is 4:3, so rows line up
FLASH_KEY = "gallery_flash"
_COVER_COLOURS = ("#8E1B1B", "#1C2B4A", "#1E4D3A", "#7A5418", "#2F3033")

CSS = f"""
<style>
.eb-card-text {{ line-height: 1.45; }}
.eb-card-title {{ font-weight: 600; font-size: 1.02rem; color: #1f1f1f; display: -webkit-box;
    -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; min-height: 2.9em; }}
.eb-card-line {{ color: {GREY}; font-size: 0.86rem; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }}
.eb-badges {{ display: flex; gap: 0.3rem; flex-wrap: wrap; margin-bottom: 0.25rem; min-height: 1.4rem; }}
.eb-badge {{ font-size: 0.75rem; padding: 0.05rem 0.45rem; border-radius: 3px; background: #EEE; color: #444; }}
.eb-badge-featured {{ background: {ACCENT}; color: #FFF; }}
.eb-badge-tag {{ background: {ACCENT_SOFT}; color: #5A1010; }}
.eb-cover {{ aspect-ratio: 4 / 3; width: 100%; border-radius: 4px; display: flex; flex-direction: column;
    justify-content: center; align-items: center; padding: 0.8rem; box-sizing: border-box; color: #F6EFE2;
    text-align: center; }}
.eb-cover-kind {{ font-size: 0.8rem; letter-spacing: 0.2em; opacity: 0.8; margin-bottom: 0.5rem; }}
.eb-cover-title {{ font-size: 1.15rem; font-weight: 600; line-height: 1.4; display: -webkit-box;
    -webkit-line-clamp: 3; -webkit-box-orient: vertical; overflow: hidden; }}
.eb-note {{ white-space: pre-wrap; line-height: 1.9; font-size: 1.02rem; color: #222; max-width: 46em; margin-bottom: 0.8rem; }}
</style>
"""


@st.cache_data(max_entries=512, show_spinner=False)
def framed(picture: bytes) -> bytes:
    """The picture as a 4:3 JPEG: landscape pictures cropped to fill, upright ones (covers) shown
    whole over a blurred, dimmed copy of themselves."""
    image = Image.open(io.BytesIO(picture)).convert("RGB")
    width, height = PICTURE_SIZE
    if image.width / image.height >= 1:
        scale = max(width / image.width, height / image.height)
        resized = image.resize((round(image.width * scale), round(image.height * scale)), Image.Resampling.LANCZOS)
        left, top = (resized.width - width) // 2, (resized.height - height) // 2
        canvas = resized.crop((left, top, left + width, top + height))
    else:
        scale = max(width / image.width, height / image.height)
        background = image.resize((round(image.width * scale), round(image.height * scale)))
        left, top = (background.width - width) // 2, (background.height - height) // 2
        canvas = background.crop((left, top, left + width, top + height)).filter(ImageFilter.GaussianBlur(14))
        canvas = ImageEnhance.Brightness(canvas).enhance(0.55)
        inner = image.resize((round(image.width * (height - 24) / image.height), height - 24), Image.Resampling.LANCZOS)
        canvas.paste(inner, ((width - inner.width) // 2, 12))
    buffer = io.BytesIO()
    canvas.save(buffer, "JPEG", quality=84, optimize=True)
    return buffer.getvalue()


def drawn_cover(title: str, caption: str, seed: int) -> str:
    """A generated cover (as HTML) for a record or book without a picture: the title on a plain colour."""
    colour = _COVER_COLOURS[seed % len(_COVER_COLOURS)]
    return (
        f'<div class="eb-cover" style="background:{colour}">'
        f'<div class="eb-cover-kind">{html.escape(caption)}</div>'
        f'<div class="eb-cover-title">{html.escape(title)}</div></div>'
    )


def record_cover(card: dict[str, Any]) -> str:
    title = f"《{card['book_title']}》" if card.get("book_title") else card["title"]
    return drawn_cover(title, t("gallery.kind." + card["kind"]), card["study_id"])


def badges(card: dict[str, Any], *, with_tags: bool = False) -> str:
    parts = [f'<span class="eb-badge">{html.escape(t("gallery.kind." + card["kind"]))}</span>']
    if card["featured"]:
        parts.insert(0, f'<span class="eb-badge eb-badge-featured">★ {html.escape(t("gallery.featured_badge"))}</span>')
    if card.get("has_photo"):
        parts.append(f'<span class="eb-badge">{html.escape(t("gallery.photo_badge"))}</span>')
    if with_tags:
        parts += [f'<span class="eb-badge eb-badge-tag">#{html.escape(tag)}</span>' for tag in (card.get("tags") or "").split(",") if tag]
    return f'<div class="eb-badges">{"".join(parts)}</div>'


def _card_text(card: dict[str, Any]) -> str:
    lang = language()
    lines = []
    if card.get("book_title"):
        # Most titles already name the book (《乡土中国》读书笔记): then the author is enough.
        named = card["book_title"] in card["title"]
        lines.append(card.get("book_author") or "" if named else f"《{card['book_title']}》 {card.get('book_author') or ''}")
    lines.append(" · ".join(part for part in (card.get("cadre_name"), card["unit_" + lang]) if part))
    lines.append(format_date(card["occurred_on"], lang))
    body = "".join(f'<div class="eb-card-line">{html.escape(line)}</div>' for line in lines)
    return f'<div class="eb-card-text">{badges(card)}<div class="eb-card-title">{html.escape(card["title"])}</div>{body}</div>'


def picture(card: dict[str, Any]) -> None:
    if card.get("thumbnail"):
        st.image(framed(card["thumbnail"]), width="stretch", alt=card["title"])
    else:
        st.html(record_cover(card))


def _toggle_like(actor: Actor | None, study_id: int, liked: bool) -> None:
    try:
        (unlike if liked else like)(actor, study_id)
    except PermissionDenied as denied:
        st.session_state[FLASH_KEY] = t(denied.key, cap=LIKES_PER_DAY)
    else:
        fresh_after_write()


def fresh_after_write() -> None:
    """The person who just wrote sees it at once, not after the data version's two-second cache."""
    current_version.clear()


def like_button(actor: Actor | None, study_id: int, count: int, liked: bool, *, key: str) -> None:
    """♥ and the count; a button for those who may like (core/permissions), who click again to take the like back."""
    if actor is None or not actor.may(Action.LIKE):
        st.caption(f"♥ {format_number(count)}", help=t("gallery.likes_anonymous" if actor is None else "gallery.likes_read_only"))
        return
    st.button(
        format_number(count), key=key, icon=":material/favorite:" if liked else ":material/favorite_border:",
        type="primary" if liked else "secondary", help=t("gallery.unlike_help" if liked else "gallery.like_help"),
        on_click=_toggle_like, args=(actor, study_id, liked),
    )


def show_flash() -> None:
    """A refusal from a like clicked in the previous run (own record, daily cap)."""
    if message := st.session_state.pop(FLASH_KEY, None):
        st.toast(message, icon=":material/info:")


def card_grid(
    cards: list[dict[str, Any]], actor: Actor | None, liked: set[int], *, detail_page: str, key: str, pictures: bool = True
) -> None:
    """Cards of a fixed width that wrap: as many per row as the screen holds."""
    with st.container(horizontal=True, gap="small", key=f"{key}_grid"):
        for card in cards:
            with st.container(border=True, width=CARD_WIDTH, key=f"{key}_card_{card['study_id']}"):
                if pictures:
                    picture(card)
                st.html(_card_text(card))
                with st.container(horizontal=True, vertical_alignment="center", gap="small"):
                    like_button(actor, card["study_id"], card["like_count"], card["study_id"] in liked, key=f"{key}_like_{card['study_id']}")
                    st.page_link(detail_page, label=t("gallery.open"), icon=":material/article:",
                                 query_params={"study": str(card["study_id"])})


def pager(page: int, pages: int, total: str, *, state_key: str, key: str) -> None:
    """Previous and next around "n notes, page x of y" (`total` as ui.gallery_data.total_label
    writes it); the page number lives in st.session_state[state_key]."""

    def turn(step: int) -> None:
        st.session_state[state_key] = min(max(1, page + step), pages)

    with st.container(horizontal=True, vertical_alignment="center", key=key):
        st.button(t("gallery.previous"), icon=":material/chevron_left:", key=f"{key}_prev", disabled=page <= 1, on_click=turn, args=(-1,))
        st.caption(t("gallery.summary", total=total, page=format_number(page), pages=format_number(pages)))
        st.button(t("gallery.next"), icon=":material/chevron_right:", key=f"{key}_next", disabled=page >= pages, on_click=turn, args=(1,))
