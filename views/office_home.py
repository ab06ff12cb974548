"""督查工作台 — the office's start page: reviews waiting (by age), overdue tasks, units behind the
pace, problems past their due date, unanswered suggestions and this week's activity, each with
a link to the page where it is dealt with."""
from pathlib import Path

import streamlit as st

from core.clock import office_today
from core.i18n import format_date, format_datetime
from db.access import PermissionDenied
from db.supervision_home import AGE_BUCKETS, LISTED
from ui import data, supervision_data
from ui.state import current_actor, language, t
from ui.supervision_frames import percent_text, task_line, unit_name

# The problems ledger and the suggestions list are another feature's pages: linked when present.
PROBLEMS_PAGE = "views/problems.py"
SUGGESTIONS_PAGE = "views/suggestions.py"

lang = language()
actor = current_actor()
campaign = data.campaign()
st.title(t("supervision.office_heading"))
if campaign is None:
    st.info(t("app.no_campaign"), icon=":material/info:")
    st.stop()
today = office_today()
try:
    home = supervision_data.office_home(actor, campaign.id, today)
except PermissionDenied as denied:
    st.warning(t(denied.key), icon=":material/block:")
    st.stop()
st.caption(t("supervision.office_caption", date=format_date(today, lang)))


def link(page: str, label: str, icon: str) -> None:
    """A link to a page of the app; a page not installed is named, not linked."""
    if Path(page).exists():
        st.page_link(page, label=label, icon=icon)
    else:
        st.caption(label)


top = st.columns(4)
top[0].metric(t("supervision.home.pending"), f"{home.pending:,}")
top[1].metric(t("supervision.home.overdue_tasks"), f"{len(home.red_cells):,}")
top[2].metric(t("supervision.home.lagging_units"), f"{len(home.lagging):,}")
top[3].metric(t("supervision.home.overdue_problems"), f"{home.overdue_problems:,}")

left, right = st.columns(2)
with left, st.container(border=True):
    st.subheader(t("supervision.home.pending_heading"))
    ages = st.columns(len(AGE_BUCKETS))
    for column, (low, high), count in zip(ages, AGE_BUCKETS, home.pending_by_age, strict=True):
        label = t("supervision.home.age_range", low=low, high=high) if high is not None else t("supervision.home.age_over", low=low - 1)
        column.metric(label, f"{count:,}")
    if home.oldest_pending is not None:
        st.caption(t("supervision.home.oldest", when=format_datetime(home.oldest_pending, lang)))
    link("views/review.py", t("supervision.home.go_review"), ":material/fact_check:")

with right, st.container(border=True):
    st.subheader(t("supervision.home.lagging_heading"))
    if home.lagging:
        for lag in home.lagging[:LISTED]:
            st.text(t("supervision.home.lagging_line", unit=unit_name(lag.cells[0], lang),
                      completion=percent_text(lag.completion), red=lag.red, amber=lag.amber))
        if len(home.lagging) > LISTED:
            st.caption(t("supervision.home.more", count=len(home.lagging) - LISTED))
    else:
        st.caption(t("supervision.nobody_lags", date=format_date(today, lang)))
    link("views/lagging.py", t("supervision.home.go_lagging"), ":material/campaign:")

left, right = st.columns(2)
with left, st.container(border=True):
    st.subheader(t("supervision.home.overdue_heading"))
    if home.red_cells:
        for cell in home.red_cells[:LISTED]:
            line = st.columns([4, 1], vertical_alignment="center")
            line[0].text(f"{unit_name(cell, lang)} · {task_line(cell, lang)}")
            with line[1]:
                st.page_link("views/coverage.py", label=t("supervision.home.who_is_missing"), icon=":material/person_search:",
                             query_params={"unit": cell.unit.id, "task": cell.target.id})
        if len(home.red_cells) > LISTED:
            st.caption(t("supervision.home.more", count=len(home.red_cells) - LISTED))
    else:
        st.caption(t("supervision.home.no_overdue"))
    link("views/coverage.py", t("supervision.home.go_coverage"), ":material/grid_on:")

with right, st.container(border=True):
    st.subheader(t("supervision.home.problems_heading"))
    if home.overdue_problem_rows:
        for problem in home.overdue_problem_rows:
            unit = problem.unit_en if lang == "en" and problem.unit_en else problem.unit_zh
            st.text(t("supervision.home.problem_line", unit=unit, due=format_date(problem.due_on, lang),
                      description=problem.description))
    else:
        st.caption(t("supervision.home.no_problems"))
    link(PROBLEMS_PAGE, t("supervision.home.go_problems"), ":material/report:")

with st.container(border=True):
    st.subheader(t("supervision.home.week_heading", start=format_date(home.week_start, lang)))
    week = st.columns(4)
    week[0].metric(t("supervision.home.week_submitted"), f"{home.week_submitted:,}")
    week[1].metric(t("supervision.home.week_approved"), f"{home.week_approved:,}")
    week[2].metric(t("supervision.home.week_suggestions"), f"{home.week_suggestions:,}")
    week[3].metric(t("supervision.home.unanswered"), f"{home.unanswered_suggestions:,}")
    link(SUGGESTIONS_PAGE, t("supervision.home.go_suggestions"), ":material/lightbulb:")
    link("views/leaderboard.py", t("supervision.home.go_leaderboard"), ":material/leaderboard:")
