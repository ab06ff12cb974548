"""创先争优看板 — entry point: page setup, database preparation, language, sign-in, navigation."""
from __future__ import annotations

import streamlit as st

from core.config import load_settings
from core.i18n import LANGUAGES
from core.safe_text import as_text
from seed import first_start
from ui import data
from ui.addresses import answer_unknown_addresses
from ui.restricted_page import restricted_page, signed_in_page
from ui.state import (
    LANGUAGE_KEY,
    current_actor,
    restore_sign_in,
    sign_out,
    signed_in,
    t,
    write_session_cookie,
)
from ui.theme import apply_theme

st.set_page_config(page_title="创先争优看板 Excellence Board", page_icon=":material/military_tech:", layout="wide")


@st.cache_resource(show_spinner=False)
def prepare_database() -> None:
    """Once per server process: migrate, and load the demo into an empty database if so set."""
    first_start.prepare_database(load_settings())


with st.spinner(t("app.loading_demo")):
    prepare_database()
apply_theme()
restore_sign_in()
settings = load_settings()
actor = current_actor()

LANGUAGE_NAMES = {"zh": "中文", "en": "English"}
with st.sidebar:
    st.radio(
        t("app.language"),
        LANGUAGES,
        format_func=LANGUAGE_NAMES.get,
        key=LANGUAGE_KEY,
        horizontal=True,
        label_visibility="collapsed",
    )
    user = signed_in()
    if user:
        st.caption(t("app.signed_in_as", name=as_text(user.display_name), role=t(f"role.{user.actor.role}")))
        if st.button(t("app.sign_out"), icon=":material/logout:"):
            sign_out()
            st.rerun()
    else:
        st.caption(t("app.anonymous"))

can_read = settings.public_read or actor is not None
records_activities = actor is not None and actor.records_activities
records_in_bulk = actor is not None and actor.records_in_bulk
is_admin = actor is not None and actor.is_admin


def guarded_page(path: str, title: str, icon: str, url_path: str, allowed: bool, default: bool = False) -> st.Page:
    """The real page for those allowed; for anyone else the same address explains why not."""
    if allowed:
        return st.Page(path, title=title, icon=icon, url_path=url_path, default=default)
    return restricted_page(title, icon, url_path)


sections = {
    t("nav.group_entry"): [
        guarded_page("views/entry.py", t("nav.entry"), ":material/edit_note:", "entry", records_activities),
        guarded_page("views/my_records.py", t("records.nav"), ":material/list_alt:", "records", records_activities),
        guarded_page("views/bulk_entry.py", t("bulk.nav"), ":material/table_rows:", "bulk-entry", records_in_bulk),
        guarded_page("views/import_data.py", t("imports.nav"), ":material/upload_file:", "import", records_in_bulk),
    ],
    t("nav.group_rankings"): [
        guarded_page("views/leaderboard.py", t("nav.leaderboard"), ":material/leaderboard:", "leaderboard", can_read, default=True),
        guarded_page("views/unit_detail.py", t("board.nav_unit_detail"), ":material/query_stats:", "unit", can_read),
        guarded_page("views/people_board.py", t("board.nav_people"), ":material/person_celebrate:", "people", can_read),
        guarded_page("views/rules.py", t("rules.nav"), ":material/tune:", "rules", is_admin),
        guarded_page("views/presenter.py", t("presenter.nav"), ":material/present_to_all:", "presenter", can_read),
    ],
    t("gallery.nav_section"): [
        guarded_page("views/gallery.py", t("gallery.nav"), ":material/auto_stories:", "gallery", can_read),
        guarded_page("views/books.py", t("gallery.nav_books"), ":material/menu_book:", "books", can_read),
    ],
    t("nav.group_admin"): [guarded_page("views/review.py", t("nav.review"), ":material/fact_check:", "review", is_admin)],
}
if actor is None:
    sign_in_page = st.Page("views/sign_in.py", title=t("nav.sign_in"), icon=":material/login:", url_path="sign-in", default=not can_read)
    sections[t("nav.group_account")] = [sign_in_page]
else:
    sections[t("nav.group_account")] = [signed_in_page(t("nav.sign_in"), ":material/login:", "sign-in")]
# A menu section whose pages are all hidden would show as an empty heading: those pages join the
# first section that has something to show.
hidden = [item for items in sections.values() for item in items if item.visibility == "hidden"]
sections = {name: [item for item in items if item.visibility != "hidden"] for name, items in sections.items()}
sections = {name: items for name, items in sections.items() if items}
sections[next(iter(sections))].extend(hidden)

# An unknown address (or the start page's own name) gets our answer, not Streamlit's English dialog.
not_found_page = st.Page("views/not_found.py", title=t("addresses.not_found_title"), url_path="not-found", visibility="hidden")
sections[next(iter(sections))].append(not_found_page)
all_pages = [item for items in sections.values() for item in items]
answer_unknown_addresses(all_pages, default=next((item for item in all_pages if item._default), all_pages[0]), not_found=not_found_page)
page = st.navigation(sections)
write_session_cookie()
if data.demo():
    st.html(f'<div class="eb-banner">{t("app.demo_banner")}</div>')
page.run()
