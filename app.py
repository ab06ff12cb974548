"""创先争优看板 — entry point: page setup, database preparation, language, sign-in, navigation."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from core.config import load_settings
from core.enums import Role
from core.i18n import LANGUAGES
from core.permissions import Action
from core.safe_text import as_text
from ui import data
from ui.addresses import answer_unknown_addresses
from ui.first_start_view import wait_for_database
from ui.restricted_page import restricted_page, signed_in_page
from ui.setup_data import admin_exists
from ui.setup_view import no_admin_pages
from ui.state import (
    LANGUAGE_KEY,
    current_actor,
    just_signed_in,
    refresh_sign_in,
    sign_out,
    signed_in,
    t,
    write_session_cookie,
)
from ui.theme import apply_theme

# The icon is served by this server: a material-symbol icon would be fetched from Google's font
# host, which an intranet cannot reach.
PAGE_ICON = Path(__file__).resolve().parent / "static" / "icon.png"
st.set_page_config(page_title="创先争优看板 Excellence Board", page_icon=str(PAGE_ICON), layout="wide")


settings = load_settings()
wait_for_database()  # once per server process: migrate, and load the demo into an empty database if so set
apply_theme()
restored_from_cookie = refresh_sign_in()
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


def may(action: Action) -> bool:
    """The menu shows a page to whom core/permissions allows its work; db/ enforces the same table."""
    return actor is not None and actor.may(action)


is_admin = may(Action.ADMINISTER)


def landing_path() -> str:
    """Where each role's work is: shown after signing in, and at the root address to someone signed in."""
    if user is not None and user.must_change_password:
        return "views/change_password.py"
    if actor is None or actor.role == Role.VIEWER:
        return "views/leaderboard.py"
    if actor.is_admin:
        return "views/setup.py" if data.campaign() is None else "views/office_home.py"
    return "views/workbench.py" if actor.role == Role.REPORTER else "views/my_records.py"


landing = landing_path()
# Every page keeps its own address; the root address is the leaderboard (or, for someone who must
# first replace a handed-out password, that page), and signing in moves on to the landing page.
default_path = "views/change_password.py" if landing == "views/change_password.py" else "views/leaderboard.py"
pages: dict[str, st.Page] = {}


def guarded_page(path: str, title: str, icon: str, url_path: str, allowed: bool) -> st.Page:
    """The real page for those allowed; for anyone else the same address explains why not."""
    if allowed:
        pages[path] = st.Page(path, title=title, icon=icon, url_path=url_path, default=path == default_path)
        return pages[path]
    return restricted_page(title, icon, url_path)


sections = {
    # Supervision: the office and a unit's reporter each start on their own desk after signing in,
    # so their pages come first in the menu.
    t("supervision.nav_section"): [
        guarded_page("views/office_home.py", t("supervision.nav_office"), ":material/dashboard:", "office", is_admin),
        guarded_page("views/workbench.py", t("supervision.nav_workbench"), ":material/assignment_ind:", "workbench", may(Action.UNIT_WORKBENCH)),
        guarded_page("views/coverage.py", t("supervision.nav_coverage"), ":material/grid_on:", "coverage", may(Action.SUPERVISE)),
        guarded_page("views/lagging.py", t("supervision.nav_lagging"), ":material/campaign:", "lagging", is_admin),
    ],
    t("nav.group_entry"): [
        guarded_page("views/entry.py", t("nav.entry"), ":material/edit_note:", "entry", may(Action.ENTER_RECORD)),
        guarded_page("views/my_records.py", t("records.nav"), ":material/list_alt:", "records", may(Action.ENTER_RECORD)),
        guarded_page("views/bulk_entry.py", t("bulk.nav"), ":material/table_rows:", "bulk-entry", may(Action.ENTER_IN_BULK)),
        guarded_page("views/import_data.py", t("imports.nav"), ":material/upload_file:", "import", may(Action.ENTER_IN_BULK)),
    ],
    t("nav.group_rankings"): [
        guarded_page("views/leaderboard.py", t("nav.leaderboard"), ":material/leaderboard:", "leaderboard", can_read),
        guarded_page("views/unit_detail.py", t("board.nav_unit_detail"), ":material/query_stats:", "unit", can_read),
        guarded_page("views/people_board.py", t("board.nav_people"), ":material/person_celebrate:", "people", can_read),
        guarded_page("views/rules.py", t("rules.nav"), ":material/tune:", "rules", is_admin),
        guarded_page("views/presenter.py", t("presenter.nav"), ":material/present_to_all:", "presenter", can_read),
        guarded_page("views/honour_roll.py", t("reports.nav_roll"), ":material/workspace_premium:", "honour-roll", can_read),
    ],
    t("gallery.nav_section"): [
        guarded_page("views/gallery.py", t("gallery.nav"), ":material/auto_stories:", "gallery", can_read),
        guarded_page("views/books.py", t("gallery.nav_books"), ":material/menu_book:", "books", can_read),
    ],
    # 建议征集, 问题台账, 测评: the office answers; a unit's reporter and cadres see their own unit's.
    t("ledgers.nav_section"): [
        guarded_page("views/suggestions.py", t("ledgers.nav_suggestions"), ":material/lightbulb:", "suggestions", may(Action.READ_LEDGERS)),
        guarded_page("views/problems.py", t("ledgers.nav_problems"), ":material/report:", "problems", may(Action.READ_LEDGERS)),
        guarded_page("views/surveys.py", t("ledgers.nav_surveys"), ":material/how_to_vote:", "surveys", may(Action.READ_LEDGERS)),
    ],
    t("nav.group_admin"): [
        guarded_page("views/review.py", t("nav.review"), ":material/fact_check:", "review", may(Action.REVIEW)),
        guarded_page("views/setup.py", t("setup.nav"), ":material/checklist:", "setup", is_admin),
        guarded_page("views/organization.py", t("organization.nav"), ":material/account_tree:", "organization", is_admin),
        # The office keeps every unit's roster, a reporter their own unit's (db.people decides).
        guarded_page("views/people_roster.py", t("people.nav"), ":material/badge:", "people-roster", may(Action.MANAGE_PEOPLE)),
        guarded_page("views/accounts.py", t("accounts.nav"), ":material/manage_accounts:", "accounts", is_admin),
        guarded_page("views/campaign.py", t("campaign.nav"), ":material/flag:", "campaign", is_admin),
        guarded_page("views/catalogue.py", t("catalogue.nav"), ":material/category:", "catalogue", is_admin),
        guarded_page("views/audit.py", t("audit.nav"), ":material/history:", "audit", may(Action.READ_AUDIT)),
        guarded_page("views/briefing.py", t("reports.nav_briefing"), ":material/newspaper:", "briefing", may(Action.ISSUE_REPORTS)),
    ],
}
password_page = guarded_page("views/change_password.py", t("accounts.nav_password"), ":material/password:", "password", user is not None)
if user is None:
    sign_in_page = st.Page("views/sign_in.py", title=t("nav.sign_in"), icon=":material/login:", url_path="sign-in", default=not can_read)
    sections[t("nav.group_account")] = [sign_in_page, password_page]
else:
    sections[t("nav.group_account")] = [password_page, signed_in_page(t("nav.sign_in"), ":material/login:", "sign-in")]
# A menu section whose pages are all hidden would show as an empty heading: those pages join the
# first section that has something to show.
hidden = [item for items in sections.values() for item in items if item.visibility == "hidden"]
sections = {name: [item for item in items if item.visibility != "hidden"] for name, items in sections.items()}
sections = {name: items for name, items in sections.items() if items}
sections[next(iter(sections))].extend(hidden)
# An unknown address (or the start page's own name) gets our answer, not Streamlit's English dialog.
not_found_page = st.Page("views/not_found.py", title=t("addresses.not_found_title"), url_path="not-found", visibility="hidden")
if admin_exists():
    sections[next(iter(sections))].append(not_found_page)
    all_pages = [item for items in sections.values() for item in items]
    navigation: dict[str, list[st.Page]] | list[st.Page] = sections
else:
    # A new database: nobody can sign in until the first administrator is made on the server.
    # Every address (a bookmark, /sign-in) shows how to make one instead of "Page not found".
    all_pages = [*no_admin_pages([item.url_path for items in sections.values() for item in items]), not_found_page]
    navigation = all_pages
answer_unknown_addresses(all_pages, default=next((item for item in all_pages if item._default), all_pages[0]), not_found=not_found_page)
# Expanded: a collapsed menu ends in Streamlit's English "View N more", which cannot be translated.
page = st.navigation(navigation, expanded=True)
arrived = just_signed_in() and page.url_path in {"sign-in", "password", ""}
if (arrived or (restored_from_cookie and page.url_path == "")) and landing in pages and pages[landing].url_path != page.url_path:
    st.switch_page(pages[landing])  # before the cookie is written: a switch discards this run's output
write_session_cookie()
if data.demo():
    st.html(f'<div class="eb-banner">{t("app.demo_banner")}</div>')
page.run()
