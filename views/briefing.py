"""简报与导出 — the office issues a 《组工动态》-style briefing (Word and PDF) for a period and a scope,
downloads earlier issues exactly as issued, and exports the whole database for its records."""
import streamlit as st

from core.briefing_fonts import FontMissing
from core.i18n import LANGUAGES, format_date, format_datetime
from core.xlsx_export import ZIP_MIME
from db.access import PermissionDenied, ValidationFailed
from db.archive import archive_zip
from db.briefings import LEAD_MAX, Scope, briefing_file, default_lead, issue_briefing, list_briefings
from ui import data
from ui.export import file_name
from ui.ledger_common import export_frame
from ui.report_period import period_picker
from ui.state import current_actor, language, localized, t

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_MIME = "application/pdf"
LANGUAGE_NAMES = {"zh": "中文", "en": "English"}

lang = language()
actor = current_actor()
st.title(t("reports.briefing_heading"))
if actor is None or not actor.is_admin:
    st.error(t("error.admin_only"))
    st.stop()
campaign = data.campaign()
if campaign is None:
    st.info(t("app.no_campaign"), icon=":material/info:")
    st.stop()
st.caption(t("reports.briefing_intro"))


def downloads(briefing: dict, *, key: str) -> None:
    """The two files of one issue, read from the database as issued."""
    stem = f"{t('reports.briefing.masthead')}-{t('reports.briefing.issue', number=briefing['issue_number'])}"
    with st.container(horizontal=True):
        st.download_button(
            t("reports.download_docx"), data=lambda: briefing_file(actor, briefing["id"], "docx"),
            file_name=f"{stem}.docx", mime=DOCX_MIME, icon=":material/description:", key=f"{key}_docx", on_click="ignore",
        )
        st.download_button(
            t("reports.download_pdf"), data=lambda: briefing_file(actor, briefing["id"], "pdf"),
            file_name=f"{stem}.pdf", mime=PDF_MIME, icon=":material/picture_as_pdf:", key=f"{key}_pdf", on_click="ignore",
        )


def generate() -> None:
    kind, span = period_picker(campaign, key="briefing")
    groups = {group["id"]: group for group in data.groups()}
    scope_col, language_col = st.columns([3, 2])
    group_id = scope_col.selectbox(
        t("reports.scope"), [None, *groups], format_func=lambda g: t("reports.scope_all") if g is None else localized(groups[g]),
        key=f"briefing_scope_{lang}",
    )
    briefing_language = language_col.segmented_control(
        t("reports.briefing_language"), LANGUAGES, default="zh", format_func=LANGUAGE_NAMES.get, key="briefing_language",
    ) or "zh"
    scope = Scope(campaign.id, kind, span, group_id)
    lead_key = f"briefing_lead_{span.start}_{span.end}_{group_id}_{briefing_language}"
    if lead_key not in st.session_state:
        st.session_state[lead_key] = default_lead(actor, scope, language=briefing_language)
    lead = st.text_area(t("reports.lead"), key=lead_key, height=130, max_chars=LEAD_MAX, help=t("reports.lead_help"))
    if not st.button(t("reports.generate"), type="primary", icon=":material/newspaper:"):
        return
    with st.status(t("reports.generating"), expanded=True) as status:
        bar = st.progress(0.0)

        def progress(fraction: float, label: str) -> None:
            bar.progress(fraction, text=t(f"reports.briefing.{label}"))

        try:
            briefing_id = issue_briefing(actor, scope, lead=lead, language=briefing_language, progress=progress)
        except FontMissing:
            status.update(label=t(FontMissing.key), state="error")
            return
        except ValidationFailed as failed:
            status.update(label=" ".join(t(key, **params) for _f, key, params in failed.problems), state="error")
            return
        except PermissionDenied as denied:
            status.update(label=t(denied.key), state="error")
            return
        status.update(label=t("reports.briefing.step_done"), state="complete", expanded=False)
    issued = next(row for row in list_briefings(actor) if row["id"] == briefing_id)
    st.success(t("reports.issued", issue=issued["issue_number"]), icon=":material/check_circle:")
    downloads(issued, key="new_briefing")


def earlier() -> None:
    issues = list_briefings(actor)
    if not issues:
        st.info(t("reports.no_briefings"), icon=":material/inbox:")
        return
    groups = {group["id"]: group for group in data.groups()}
    listed = {
        "issue": [row["issue_number"] for row in issues],
        "title": [row["title"] for row in issues],
        "period": [f"{format_date(row['start_date'], lang)} – {format_date(row['end_date'], lang)}" for row in issues],
        "scope": [localized(groups[row["group_id"]]) if row["group_id"] in groups else t("reports.scope_all") for row in issues],
        "issued": [format_datetime(row["created_at"], lang) for row in issues],
    }
    headers = {
        "issue": t("reports.column.issue"), "title": t("reports.column.title"), "period": t("reports.column.period"),
        "scope": t("reports.scope"), "issued": t("reports.column.issued"),
    }
    st.dataframe(
        listed, hide_index=True, width="stretch",
        column_config={
            "issue": st.column_config.NumberColumn(headers["issue"], format="%d", width="small"),
            "title": st.column_config.TextColumn(headers["title"], width="large"),
            "period": headers["period"], "scope": headers["scope"], "issued": headers["issued"],
        },
    )
    export_frame(listed, title=t("reports.tab_earlier"), stem=t("reports.tab_earlier"), key="briefings_export", headers=headers, kinds={"issue": "int"})
    by_number = {row["issue_number"]: row for row in issues}
    chosen = st.selectbox(t("reports.pick_issue"), list(by_number), format_func=lambda n: t("reports.briefing.issue", number=n), key="briefing_pick")
    downloads(by_number[chosen], key=f"issue_{chosen}")


def archive() -> None:
    st.caption(t("reports.archive_intro"))
    st.download_button(
        t("reports.archive_download"), data=lambda: archive_zip(actor), file_name=file_name(t("reports.archive_file"), extension="zip"),
        mime=ZIP_MIME, icon=":material/archive:", key="archive_export", on_click="ignore",
    )


generate_tab, earlier_tab, archive_tab = st.tabs([t("reports.tab_generate"), t("reports.tab_earlier"), t("reports.tab_archive")])
with generate_tab:
    generate()
with earlier_tab:
    earlier()
with archive_tab:
    archive()
