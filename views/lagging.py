"""督办 — the units behind the pace or overdue, what each lacks, and per unit a 督办通知 (Word)
naming the tasks, the missing people and the deadline; the whole list to Excel. The office's page."""
import datetime as dt
import html

import streamlit as st

from core.i18n import format_date
from db import supervision
from db.access import PermissionDenied
from ui import data, supervision_data
from ui.export import XLSX_MIME, file_name
from ui.state import current_actor, language, t
from ui.supervision_documents import DOCX_MIME, lagging_workbook, notice_docx, notice_file_name
from ui.supervision_frames import lagging_frame, percent_text, task_line
from ui.supervision_widgets import as_of_day, group_choice, legend

# The office's usual time to put things right, offered as the notice's deadline; it can be changed.
DEFAULT_REPLY_DAYS = 7

lang = language()
actor = current_actor()
campaign = data.campaign()
st.title(t("supervision.lagging_heading"))
if campaign is None:
    st.info(t("app.no_campaign"), icon=":material/info:")
    st.stop()

controls = st.columns(3)
with controls[0]:
    as_of = as_of_day(campaign, "lagging_as_of")
with controls[1]:
    group_id = group_choice("lagging_group")
with controls[2]:
    reply_by = st.date_input(
        t("supervision.reply_by"), value=as_of + dt.timedelta(days=DEFAULT_REPLY_DAYS), min_value=as_of,
        key="lagging_reply_by", help=t("supervision.reply_by_help"),
    )

try:
    lagging = supervision_data.lagging(actor, campaign.id, as_of, group_id)
except PermissionDenied as denied:
    st.warning(t(denied.key), icon=":material/block:")
    st.stop()
if not lagging:
    st.success(t("supervision.nobody_lags", date=format_date(as_of, lang)), icon=":material/check_circle:")
    st.stop()

st.caption(t("supervision.lagging_caption", count=len(lagging), date=format_date(as_of, lang)))
legend()
st.dataframe(lagging_frame(lagging, lang), hide_index=True, width="stretch",
             height=min(35 * (len(lagging) + 1) + 3, 420))


def whole_list() -> bytes:
    """Every lagging unit and task with who is missing (built only when the button is clicked)."""
    missing = {
        (cell.unit.id, cell.target.id): supervision_data.missing(actor, campaign.id, as_of, cell.unit.id, cell.target.id)
        for lag in lagging for cell in lag.cells
    }
    return lagging_workbook(
        lagging, missing, title=t("supervision.lagging_heading"), language=lang,
        notes=[t("supervision.lagging_caption", count=len(lagging), date=format_date(as_of, lang))],
    )


st.download_button(
    t("supervision.export_lagging"), data=whole_list, file_name=file_name(t("supervision.lagging_heading"), as_of),
    mime=XLSX_MIME, icon=":material/download:", on_click="ignore", key="lagging_export",
)

st.subheader(t("supervision.notices_heading"))
issuer = t("supervision.notice.issuer")
for lag in lagging:
    name = lag.unit.name_en if lang == "en" and lag.unit.name_en else lag.unit.name_zh
    with st.container(border=True):
        row = st.columns([5, 2])
        with row[0]:
            st.html(f'<div style="font-weight:700;font-size:1.1rem">{html.escape(name)}</div>')
            st.text(t("supervision.unit_line", completion=percent_text(lag.completion), red=lag.red, amber=lag.amber))
            st.caption(t("supervision.state_separator").join(task_line(cell, lang) for cell in lag.cells))
        with row[1]:
            notice_for_unit = lag.unit.id

            def build(unit_id: int = notice_for_unit) -> bytes:
                notice = supervision.notice_for(actor, campaign_id=campaign.id, as_of=as_of, unit_id=unit_id)
                return notice_docx(notice, reply_by=reply_by, issuer=issuer, language=lang)

            st.download_button(
                t("supervision.download_notice"), data=build,
                file_name=notice_file_name(lag.unit, as_of, lang),
                mime=DOCX_MIME, icon=":material/description:", on_click="ignore", key=f"notice_{lag.unit.id}",
            )
