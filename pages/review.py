"""审核 — the office approves submitted records or returns them with a reason."""
import pandas as pd
import streamlit as st

from core.i18n import format_date
from db.access import ConflictError, PermissionDenied, ValidationFailed
from db.records import approve_records, count_by_status, record_detail, return_record, review_queue
from ui import data
from ui.fields import field_label, problem_lines
from ui.state import current_actor, language, localized, t

lang = language()
actor = current_actor()
st.title(t("review.heading"))
if actor is None or not actor.is_admin:
    st.error(t("error.admin_only"))
    st.stop()
st.caption(t("review.intro"))

counts = count_by_status(actor)
metrics = st.columns(3)
metrics[0].metric(t("review.waiting"), f"{counts.get('pending', 0):,}")
metrics[1].metric(t("review.approved"), f"{counts.get('approved', 0):,}")
metrics[2].metric(t("review.returned"), f"{counts.get('returned', 0):,}")

units = {unit["id"]: unit for unit in data.units()}
types = {a["code"]: a for a in data.activity_types()}
filters = st.columns([2, 3, 3])
status = filters[0].selectbox(t("review.status"), ("pending", "approved", "returned"), format_func=lambda s: t(f"status.{s}"), key="review_status")
unit_id = filters[1].selectbox(t("review.unit"), [None, *units], format_func=lambda u: t("review.all_units") if u is None else localized(units[u]), key="review_unit")
type_code = filters[2].selectbox(t("review.type"), [None, *types], format_func=lambda c: t("review.all_types") if c is None else localized(types[c]), key="review_type")

rows = review_queue(actor, status=status, unit_id=unit_id, type_code=type_code)
if not rows:
    st.info(t("review.queue_empty"), icon=":material/task_alt:")
    st.stop()

if flash := st.session_state.pop("review_flash", None):
    st.success(flash, icon=":material/check_circle:")
st.caption(t("review.select_hint"))
table = pd.DataFrame(
    {
        "id": [row["id"] for row in rows],
        "submitted": [row["submitted_at"].strftime("%Y-%m-%d %H:%M") if row["submitted_at"] else "" for row in rows],
        "unit": [row["unit_" + lang] for row in rows],
        "type": [row["type_" + lang] for row in rows],
        "title": [row["title"] for row in rows],
        "cadre": [row["cadre_name"] or "" for row in rows],
        "date": [format_date(row["occurred_on"], lang) for row in rows],
    }
)
selection = st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    height=min(36 * (len(table) + 1) + 4, 420),
    on_select="rerun",
    selection_mode="multi-row",
    key=f"review_table_{status}_{unit_id}_{type_code}",
    column_config={
        "id": st.column_config.NumberColumn(t("entry.column.id"), format="%d", width="small"),
        "submitted": t("review.submitted_at"),
        "unit": t("review.unit"),
        "type": t("review.type"),
        "title": st.column_config.TextColumn(t("entry.field.title"), width="large"),
        "cadre": t("review.cadre"),
        "date": t("entry.field.occurred_on"),
    },
)
chosen = [rows[index] for index in selection.selection.rows]

approve_clicked = status == "pending" and st.button(
    t("review.approve_selected", count=len(chosen)), type="primary", icon=":material/done_all:", disabled=not chosen
)
if approve_clicked:
    changed = approve_records(actor, [row["id"] for row in chosen])
    st.session_state["review_flash"] = t("review.approved_done", count=changed)
    st.rerun()

labels = {f"{row['id']} · {row['unit_' + lang]} · {row['title']}": row["id"] for row in rows}
selected_label = next((label for label, ident in labels.items() if len(chosen) == 1 and ident == chosen[0]["id"]), None)
opened = st.selectbox(
    t("review.open"), list(labels), index=list(labels).index(selected_label) if selected_label else None,
    placeholder=t("review.open_placeholder"),
)
open_id = labels.get(opened) if opened else None
if open_id is not None:
    record = record_detail(actor, open_id)
    st.subheader(f"{t('review.detail')} · {record['id']} · {record['title']}")
    info = st.columns([3, 2])
    with info[0]:
        st.markdown(
            f"**{t('review.unit')}**:{record['unit_' + lang]}  \n"
            f"**{t('review.type')}**:{record['type_' + lang]}  \n"
            f"**{t('entry.field.occurred_on')}**:{format_date(record['occurred_on'], lang)}"
        )
        for key, value in record["details"].items():
            st.markdown(f"**{field_label(key)}**")
            st.text(str(value) if key not in {"writer", "speaker", "visitor", "trainee"} else (record["cadre_name"] or value))
    with info[1]:
        if record["photos"]:
            st.image([photo["thumbnail"] for photo in record["photos"]], width=220)
        else:
            st.caption(t("review.no_photos"))
    if record["status"] in {"pending", "approved"}:
        with st.form(f"return_{record['id']}"):
            reason = st.text_area(t("review.return_reason"), placeholder=t("review.return_placeholder"), max_chars=2000)
            buttons = st.columns([1, 1, 5])
            do_return = buttons[0].form_submit_button(t("review.return_button"), icon=":material/undo:")
            do_approve = record["status"] == "pending" and buttons[1].form_submit_button(
                t("review.approve_one"), type="primary", icon=":material/done:"
            )
        if do_return:
            try:
                return_record(actor, record["id"], reason, expected_version=record["version"])
            except ValidationFailed as failure:
                st.error("\n".join(problem_lines(failure.problems)))
            except (ConflictError, PermissionDenied) as error:
                st.error(t(error.key))
            else:
                st.session_state["review_flash"] = t("review.returned_done", id=record["id"])
                st.rerun()
        if do_approve:
            changed = approve_records(actor, [record["id"]])
            st.session_state["review_flash"] = t("review.approved_done", count=changed)
            st.rerun()
