"""公信度 / 满意度 on screen: the results table, the office's entry form, the import, and a unit's trend."""
from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from db.surveys import SURVEY_COLUMNS, check_survey_file, import_survey_file, save_survey, survey_template, unit_trend
from ui.board_frames import Column
from ui.import_view import XLSX_MIME, checked, done, run_import, show_problems, uploader
from ui.ledger_common import label, run
from ui.state import language, t
from ui.theme import ACCENT, GREY

_UPLOAD_NONCE = "survey_upload_nonce"


def table(rows: list[dict[str, Any]]) -> tuple[pd.DataFrame, list[Column]]:
    lang = language()
    columns = [
        Column("period", label("period"), "text"),
        Column("unit", label("unit"), "text"),
        Column("credibility", label("credibility"), "number1"),
        Column("satisfaction", label("satisfaction"), "number1"),
        Column("respondents", label("respondents"), "int"),
    ]
    frame = pd.DataFrame(
        [
            {"period": row["period"], "unit": row["unit_" + lang], "credibility": row["credibility"],
             "satisfaction": row["satisfaction"], "respondents": row["respondents"]}
            for row in rows
        ],
        columns=[column.key for column in columns],
    )
    return frame, columns


def entry_form(actor: Any, units: dict[int, str], periods: list[dict[str, Any]], default_period: int | None) -> None:
    """One unit's results for one period; entering the same unit and period again corrects them."""
    period_names = {row["id"]: row["label"] for row in periods}
    options = list(period_names)
    with st.form("survey_entry"):
        cells = st.columns([3, 2, 2, 2, 2])
        unit_id = cells[0].selectbox(label("unit"), list(units), index=None, format_func=units.get, placeholder=t("entry.choose"))
        period_id = cells[1].selectbox(
            label("period"), options, index=options.index(default_period) if default_period in options else None,
            format_func=period_names.get, placeholder=t("entry.choose"),
        )
        credibility = cells[2].number_input(label("credibility"), min_value=0.0, max_value=100.0, value=None, step=0.1, format="%.1f")
        satisfaction = cells[3].number_input(label("satisfaction"), min_value=0.0, max_value=100.0, value=None, step=0.1, format="%.1f")
        respondents = cells[4].number_input(label("respondents"), min_value=1, value=None, step=1)
        sent = st.form_submit_button(t("ledgers.save_survey"), type="primary", icon=":material/save:")
    if sent:
        missing = [name for name, value in (("unit", unit_id), ("period", period_id)) if value is None]
        if missing:
            st.error(t("ledgers.fix_problems") + "\n\n" + "\n".join(f"- **{label(name)}**:{t('validation.required')}" for name in missing))
            return
        run(
            lambda: save_survey(actor, unit_id=unit_id, period_id=period_id, credibility=credibility, satisfaction=satisfaction, respondents=respondents),
            t("ledgers.survey_saved", unit=units[unit_id], period=period_names[period_id]),
        )


def import_section(actor: Any) -> None:
    """Template, upload, check, import: every row or none."""
    st.download_button(
        t("ledgers.survey_template"), data=lambda: survey_template(actor), file_name="survey-template.xlsx",
        mime=XLSX_MIME, icon=":material/download:", on_click="ignore", key="survey_template",
    )
    nonce = st.session_state.get(_UPLOAD_NONCE, 0)
    upload = uploader(t("ledgers.survey_upload"), key=f"survey_upload_{nonce}")
    if upload is None:
        return
    check = checked(upload, ("survey", nonce), lambda raw, progress: check_survey_file(actor, raw, progress=progress))
    if check is None:
        return
    if check.problems:
        show_problems(check.problems, SURVEY_COLUMNS)
        return
    st.info(t("ledgers.survey_ready", count=len(check.values)), icon=":material/fact_check:")
    if st.button(t("ledgers.survey_import", count=len(check.values)), type="primary", icon=":material/upload:"):
        saved = run_import(
            t("ledgers.survey_importing"), lambda progress: import_survey_file(actor, upload.getvalue(), progress=progress), SURVEY_COLUMNS
        )
        if saved is not None:
            done(t("ledgers.survey_imported", count=saved), _UPLOAD_NONCE)


def trend_chart(unit_id: int) -> None:
    """A unit's 公信度 and 满意度 by period; what to do when there is none yet."""
    rows = unit_trend(unit_id)
    if not rows:
        st.caption(t("ledgers.survey_none"))
        return
    credibility, satisfaction = label("credibility"), label("satisfaction")
    long = pd.DataFrame(
        [{"period": row["period"], "series": credibility, "value": row["credibility"]} for row in rows]
        + [{"period": row["period"], "series": satisfaction, "value": row["satisfaction"]} for row in rows]
    )
    low = max(0.0, float(long["value"].min()) - 5)
    chart = (
        alt.Chart(long)
        .mark_line(point=True, strokeWidth=2.5)
        .encode(
            x=alt.X("period:O", title=label("period"), sort=[row["period"] for row in rows], axis=alt.Axis(labelAngle=0)),
            y=alt.Y("value:Q", title=t("ledgers.survey_score"), scale=alt.Scale(domain=[low, 100])),
            color=alt.Color("series:N", title=None, scale=alt.Scale(domain=[credibility, satisfaction], range=[ACCENT, GREY])),
            tooltip=[alt.Tooltip("period:O", title=label("period")), alt.Tooltip("series:N", title=" "),
                     alt.Tooltip("value:Q", title=t("ledgers.survey_score"), format=".1f")],
        )
        .properties(height=200)
    )
    st.altair_chart(chart, width="stretch")
