"""创先争优看板 — entry point: page setup, database preparation, language, sign-in, navigation."""
from __future__ import annotations

import streamlit as st

from core.config import load_settings
from core.i18n import LANGUAGES
from db.bootstrap import ensure_base_data, has_campaign
from seed.demo import seed_demo
from ui import data
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
    settings = load_settings()
    ensure_base_data()
    if settings.demo_autoload and not has_campaign():
        seed_demo(scale=settings.demo_scale, seed=settings.demo_seed)


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
        st.caption(t("app.signed_in_as", name=user.display_name, role=t(f"role.{user.actor.role}")))
        if st.button(t("app.sign_out"), icon=":material/logout:"):
            sign_out()
            st.rerun()
    else:
        st.caption(t("app.anonymous"))

leaderboard = st.Page("views/leaderboard.py", title=t("nav.leaderboard"), icon=":material/leaderboard:", url_path="leaderboard", default=settings.public_read or actor is not None)
entry = st.Page("views/entry.py", title=t("nav.entry"), icon=":material/edit_note:", url_path="entry")
presenter = st.Page("views/presenter.py", title=t("presenter.nav"), icon=":material/present_to_all:", url_path="presenter")
review = st.Page("views/review.py", title=t("nav.review"), icon=":material/fact_check:", url_path="review")
sign_in = st.Page("views/sign_in.py", title=t("nav.sign_in"), icon=":material/login:", url_path="sign-in", default=not (settings.public_read or actor is not None))

sections: dict[str, list] = {}
if actor is not None and actor.role in {"admin", "reporter", "cadre"}:
    sections[t("nav.group_entry")] = [
        entry,
        st.Page("views/my_records.py", title=t("records.nav"), icon=":material/list_alt:", url_path="records"),
        *([
            st.Page("views/bulk_entry.py", title=t("bulk.nav"), icon=":material/table_rows:", url_path="bulk-entry"),
            st.Page("views/import_data.py", title=t("imports.nav"), icon=":material/upload_file:", url_path="import"),
        ] if actor.role in {"admin", "reporter"} else []),
    ]
if settings.public_read or actor is not None:
    sections[t("nav.group_rankings")] = [
        leaderboard,
        st.Page("views/unit_detail.py", title=t("board.nav_unit_detail"), icon=":material/query_stats:", url_path="unit"),
        st.Page("views/people_board.py", title=t("board.nav_people"), icon=":material/person_celebrate:", url_path="people"),
        *([st.Page("views/rules.py", title=t("rules.nav"), icon=":material/tune:", url_path="rules")] if actor is not None and actor.is_admin else []),
        presenter,
    ]
    sections[t("gallery.nav_section")] = [
        st.Page("views/gallery.py", title=t("gallery.nav"), icon=":material/auto_stories:", url_path="gallery"),
        st.Page("views/books.py", title=t("gallery.nav_books"), icon=":material/menu_book:", url_path="books"),
    ]
if actor is not None and actor.is_admin:
    sections[t("nav.group_admin")] = [review]
if actor is None:
    sections[t("nav.group_account")] = [sign_in]

page = st.navigation(sections)
write_session_cookie()
if data.demo():
    st.html(f'<div class="eb-banner">{t("app.demo_banner")}</div>')
page.run()
