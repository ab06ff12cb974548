"""书香榜 — the most recommended and most read books, and the notes written on each (?book=<id>)."""
import html

import pandas as pd
import streamlit as st

from core.addresses import parse_id
from core.i18n import format_number
from core.safe_text import as_text
from db.access import PermissionDenied
from db.gallery import GalleryFilter, book_info, liked_by
from ui import gallery_data
from ui.gallery_cards import CSS, card_grid, drawn_cover, pager, show_flash
from ui.ledger_common import export_frame
from ui.state import current_actor, language, t

TOP = 6
BOARD_SIZE = 24
COVER_WIDTH = 132

actor = current_actor()
st.html(CSS)
show_flash()


def _cover(book: dict, width: int | str) -> None:
    if book["cover"]:
        st.image(book["cover"], width=width, alt=book["title"])
    else:
        st.html(drawn_cover(f"《{book['title']}》", book["author"], book["book_id"]))


def _book_notes(book_id: int) -> None:
    """One book: its cover and figures beside its notes and recommendations."""
    st.page_link("views/books.py", label=t("gallery.books.back"), icon=":material/arrow_back:")
    book = book_info(actor, book_id)
    if book is None:
        st.info(t("gallery.books.not_found"), icon=":material/info:")
        return
    st.title(t("gallery.books.notes_heading", title=as_text(book["title"])))
    page_key = f"books_page_{book_id}"
    result = gallery_data.gallery_page(actor, GalleryFilter(book_id=book_id), st.session_state.get(page_key, 1))
    cover_column, notes_column = st.columns([1, 5], gap="medium")
    with cover_column:
        _cover(book, "stretch")
        st.html(f'<div class="eb-card-line">{html.escape(book["author"])}</div>')
    with notes_column:
        if not result.cards:
            st.info(t("gallery.books.empty"), icon=":material/menu_book:")
            return
        liked = liked_by(actor, [card["study_id"] for card in result.cards])
        card_grid(result.cards, actor, liked, detail_page="views/gallery.py", key="books", pictures=False)
        pager(result.page, result.pages, gallery_data.total_label(result), state_key=page_key, key="books_pager")


if "book" in st.query_params:
    try:
        book_id = parse_id(st.query_params.get("book"))
        if book_id is None:
            raise ValueError
        _book_notes(book_id)
    except ValueError:
        st.info(t("gallery.books.not_found"), icon=":material/info:")
    except PermissionDenied as denied:
        st.info(t(denied.key), icon=":material/lock:")
    st.stop()

st.title(t("gallery.books.heading"))
st.caption(t("gallery.books.intro"))
order = st.segmented_control(
    t("gallery.books.order"), ("recommended", "read"), default="recommended", key=f"books_order_{language()}",
    format_func=lambda o: t(f"gallery.books.{o}"), label_visibility="collapsed",
) or "recommended"
try:
    books = gallery_data.book_board(actor, order, BOARD_SIZE)
except PermissionDenied as denied:
    st.info(t(denied.key), icon=":material/lock:")
    st.stop()
if not books:
    st.info(t("gallery.books.empty"), icon=":material/menu_book:")
    st.stop()

with st.container(horizontal=True, gap="small"):
    for rank, book in enumerate(books[:TOP], start=1):
        with st.container(border=True, width=COVER_WIDTH + 34, key=f"books_top_{book['book_id']}"):
            _cover(book, COVER_WIDTH)
            st.html(
                f'<div class="eb-card-title" style="min-height:0">{rank}. {html.escape(book["title"])}</div>'
                f'<div class="eb-card-line">{html.escape(book["author"])}</div>'
                f'<div class="eb-card-line">{html.escape(t("gallery.books.short_stats", recommendations=format_number(book["recommendations"]), readers=format_number(book["readers"])))}</div>'
            )
            st.page_link("views/books.py", label=t("gallery.books.open"), icon=":material/article:",
                         query_params={"book": str(book["book_id"])})

st.caption(t("gallery.books.table_hint"))
table = pd.DataFrame(
    {
        "rank": range(1, len(books) + 1),
        "title": [book["title"] for book in books],
        "author": [book["author"] for book in books],
        "recommendations": [book["recommendations"] for book in books],
        "readers": [book["readers"] for book in books],
        "notes": [book["notes"] for book in books],
        "likes": [book["likes"] for book in books],
    }
)
headers = {column: t(f"gallery.books.{column}") for column in table.columns}
counts = ("recommendations", "readers", "notes", "likes")
selection = st.dataframe(
    table, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row", key=f"books_table_{order}",
    height=min(36 * (len(table) + 1) + 4, 460),
    column_config={
        "rank": st.column_config.NumberColumn(headers["rank"], format="%d", width="small"),
        "title": st.column_config.TextColumn(headers["title"], width="medium"),
        "author": st.column_config.TextColumn(headers["author"]),
        **{column: st.column_config.NumberColumn(headers[column], format="localized") for column in counts},
    },
)
export_frame(table, title=f"{t('gallery.books.heading')} {t(f'gallery.books.{order}')}", stem=t("gallery.books.heading"),
             key="books_export", headers=headers, kinds=dict.fromkeys(["rank", *counts], "int"))
if selection.selection.rows:
    chosen = books[selection.selection.rows[0]]
    st.switch_page("views/books.py", query_params={"book": str(chosen["book_id"])})
