"""活动填报 — a unit records what its people did and submits it for review."""
import datetime as dt
import uuid

import pandas as pd
import streamlit as st

from core.config import load_settings
from core.i18n import format_date
from db.access import ConflictError, PermissionDenied, ValidationFailed
from db.records import save_record, unit_records
from db.reference import unit_people
from ui import data
from ui.fields import problem_lines, render_field
from ui.state import current_actor, language, localized, t

TOKEN_KEY = "entry_token"

lang = language()
actor = current_actor()
st.title(t("nav.entry"))
campaign = data.campaign()
if actor is None or campaign is None:
    st.info(t("error.sign_in_required") if actor is None else t("app.no_campaign"))
    st.stop()

units = {unit["id"]: unit for unit in data.units()}
if actor.is_admin:
    unit_id = st.selectbox(t("entry.unit"), [u for u in units if units[u]["group_id"]], format_func=lambda u: localized(units[u]), key="entry_unit")
else:
    unit_id = actor.unit_id
    st.caption(t("entry.for_unit", unit=localized(units[unit_id])))

types = [a for a in data.activity_types() if actor.role != "cadre" or a["level"] == "person"]
activity = st.selectbox(
    t("entry.type"), types, key="entry_type",
    format_func=lambda a: f"{t('area.' + a['area'])} · {localized(a)}",
)
people = unit_people(actor, unit_id)
if TOKEN_KEY not in st.session_state:
    st.session_state[TOKEN_KEY] = uuid.uuid4().hex

today = min(dt.date.today(), campaign.end_date)
form_key = f"entry_form_{activity['code']}_{st.session_state[TOKEN_KEY]}"
with st.form(form_key, clear_on_submit=False):
    title = st.text_input(t("entry.field.title") + " *", max_chars=200, key=f"{form_key}_title")
    occurred_on = st.date_input(
        t("entry.field.occurred_on") + " *", value=today, format="YYYY-MM-DD", key=f"{form_key}_date",
    )
    columns = st.columns(2)
    details = {}
    for index, spec in enumerate(activity["fields"]):
        target = st.container() if spec["kind"] == "longtext" else columns[index % 2]
        with target:
            details[spec["key"]] = render_field(
                spec, people=people, key=f"{form_key}_{spec['key']}",
                fixed_cadre_id=actor.cadre_id if actor.role == "cadre" else None,
            )
    evidence = activity["evidence"].get("photo")
    photos = st.file_uploader(
        t("entry.field.photos") + (" *" if evidence == "required" else ""),
        type=["jpg", "jpeg", "png", "gif", "webp", "bmp"], accept_multiple_files=True,
        key=f"{form_key}_photos", help=t("entry.photo_help", mb=load_settings().upload_max_mb),
    )
    buttons = st.columns([1, 1, 4])
    save_draft = buttons[0].form_submit_button(t("entry.save_draft"), icon=":material/draft:")
    submit = buttons[1].form_submit_button(t("entry.submit"), type="primary", icon=":material/send:")

if save_draft or submit:
    try:
        result = save_record(
            actor,
            unit_id=unit_id,
            type_code=activity["code"],
            title=title,
            occurred_on=occurred_on,
            details=details,
            submit=bool(submit),
            photos=[(photo.name, photo.getvalue()) for photo in photos or []],
            client_token=st.session_state[TOKEN_KEY],
            upload_max_bytes=load_settings().upload_max_mb * 1024 * 1024,
        )
    except ValidationFailed as failure:
        st.error(t("entry.fix_problems") + "\n\n" + "\n".join(f"- {line}" for line in problem_lines(failure.problems)))
    except PermissionDenied as denied:
        st.error(t(denied.key))
    except ConflictError:
        st.error(t("error.conflict"))
    else:
        # A new token for the next form; a second click on this one finds the same record.
        st.session_state[TOKEN_KEY] = uuid.uuid4().hex
        if result.created:
            st.session_state["entry_flash"] = t("entry.saved_" + result.status, id=result.record_id)
        else:
            st.session_state["entry_flash"] = t("entry.already_saved", id=result.record_id)
        st.rerun()

if flash := st.session_state.pop("entry_flash", None):
    st.success(flash, icon=":material/check_circle:")

st.subheader(t("entry.recent"))
rows = unit_records(actor, unit_id, limit=50)
if not rows:
    st.info(t("entry.recent_empty"), icon=":material/inbox:")
else:
    st.dataframe(
        pd.DataFrame(
            {
                "id": [row["id"] for row in rows],
                "type": [row["type_" + lang] for row in rows],
                "title": [row["title"] for row in rows],
                "date": [format_date(row["occurred_on"], lang) for row in rows],
                "status": [t("status." + row["status"]) for row in rows],
                "reason": [row["return_reason"] or "" for row in rows],
            }
        ),
        hide_index=True,
        width="stretch",
        column_config={
            "id": st.column_config.NumberColumn(t("entry.column.id"), format="%d", width="small"),
            "type": t("entry.column.type"),
            "title": st.column_config.TextColumn(t("entry.field.title"), width="large"),
            "date": t("entry.field.occurred_on"),
            "status": t("entry.column.status"),
            "reason": st.column_config.TextColumn(t("entry.column.reason"), width="medium"),
        },
    )
