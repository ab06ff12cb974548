"""我的工作台 — a unit reporter's own open items first: the mandatory tasks behind the pace or
overdue with who is still missing, the records the office returned, and the drafts."""
import streamlit as st

from core.clock import office_today
from core.i18n import format_date
from db.access import PermissionDenied
from db.supervision_home import workbench
from ui import data
from ui.ledger_common import export_frame
from ui.state import current_actor, language, t
from ui.supervision_frames import names_by_state, task_line
from ui.supervision_widgets import legend

lang = language()
actor = current_actor()
campaign = data.campaign()
st.title(t("supervision.workbench_heading"))
if campaign is None:
    st.info(t("app.no_campaign"), icon=":material/info:")
    st.stop()
today = min(max(office_today(), campaign.start_date), campaign.end_date)
try:
    bench = workbench(actor, campaign_id=campaign.id, today=today)
except PermissionDenied as denied:
    st.warning(t(denied.key), icon=":material/block:")
    st.stop()

unit_name = bench.unit_en if lang == "en" and bench.unit_en else bench.unit_zh
st.text(unit_name)
counts = st.columns(3)
counts[0].metric(t("supervision.bench.tasks"), len(bench.tasks))
counts[1].metric(t("supervision.bench.returned"), len(bench.returned))
counts[2].metric(t("supervision.bench.drafts"), len(bench.drafts))

st.subheader(t("supervision.bench.tasks_heading"))
if bench.tasks:
    st.caption(t("supervision.bench.pace_caption", date=format_date(today, lang)))
    legend()
    for item in bench.tasks:
        with st.container(border=True):
            st.markdown(f"**{task_line(item.cell, lang)}**")
            if item.missing and item.cell.target.basis != "per_unit":
                st.text(names_by_state(item.missing, lang))
    st.page_link("views/coverage.py", label=t("supervision.nav_coverage"), icon=":material/grid_on:")
else:
    st.success(t("supervision.bench.on_pace"), icon=":material/check_circle:")


def record_list(rows: list[dict], heading_key: str, empty_key: str, *, reasons: bool) -> None:
    st.subheader(t(heading_key))
    if not rows:
        st.caption(t(empty_key))
        return
    frame = {
        t("supervision.bench.type"): [row["type_" + lang] for row in rows],
        t("supervision.bench.title"): [row["title"] for row in rows],
        t("supervision.bench.person"): [row["cadre_name"] or "" for row in rows],
        t("supervision.bench.date"): [format_date(row["occurred_on"], lang) for row in rows],
    }
    if reasons:
        frame[t("supervision.bench.reason")] = [row["return_reason"] or "" for row in rows]
    st.dataframe(frame, hide_index=True, width="stretch", height=min(35 * (len(rows) + 1) + 3, 320))
    export_frame(frame, title=t(heading_key), stem=f"{unit_name}-{t(heading_key)}", key=f"{heading_key}_export", notes=[unit_name])
    st.page_link("views/my_records.py", label=t("supervision.bench.fix_in_records"), icon=":material/list_alt:")


record_list(bench.returned, "supervision.bench.returned_heading", "supervision.bench.no_returned", reasons=True)
record_list(bench.drafts, "supervision.bench.drafts_heading", "supervision.bench.no_drafts", reasons=False)
