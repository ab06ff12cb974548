"""活动填报 — a unit records what its people did and submits it for review.

`?type=<activity code>` opens the form of that type (the gallery links to ?type=reading_note).
"""
import uuid

import streamlit as st

from core.config import load_settings
from core.i18n import format_date
from core.safe_text import as_text
from db.access import ConflictError, PermissionDenied, ValidationFailed
from db.record_queries import unit_records
from db.records import RepeatedTask, save_record
from db.reference import unit_people
from ui import campaign_choice, data
from ui.fields import problem_lines
from ui.record_form import FormButton, record_form
from ui.state import current_actor, language, localized, t

TOKEN_KEY = "entry_token"
TYPE_KEY = "entry_type"

lang = language()
actor = current_actor()
st.title(t("nav.entry"))
campaign = data.campaign()
if actor is None or not actor.records_activities or campaign is None:
    st.info(t("error.sign_in_required") if actor is None else t("error.permission") if campaign else t("app.no_campaign"))
    st.stop()

units = {unit["id"]: unit for unit in data.units()}
types = {a["code"]: a for a in campaign_choice.offered_types() if not actor.enters_own_records_only or a["level"] == "person"}
if TYPE_KEY not in st.session_state and st.query_params.get("type") in types:
    st.session_state[TYPE_KEY] = st.query_params["type"]
if actor.is_admin:
    unit_column, chooser = st.columns(2)
    unit_id = unit_column.selectbox(t("entry.unit"), [u for u in units if units[u]["group_id"]], format_func=lambda u: localized(units[u]), key="entry_unit")
else:
    unit_id = actor.unit_id
    st.caption(t("entry.for_unit", unit=as_text(localized(units[unit_id]))))
    chooser = st.container()
code = chooser.selectbox(
    t("entry.type"), list(types), key=TYPE_KEY,
    format_func=lambda c: f"{t('area.' + types[c]['area'])} · {localized(types[c])}",
)
st.query_params["type"] = code  # the address names the form, so it can be shared or bookmarked
activity = types[code]
notes = [t(f"entry.level.{activity['level']}")]
if activity["evidence"].get("photo") == "required":
    notes.append(t("entry.photo_required_note"))
if activity["mandatory_basis"]:
    notes.append(t(f"entry.mandatory.{activity['mandatory_basis']}"))
st.caption(" · ".join(notes))

people = unit_people(actor, unit_id)
if TOKEN_KEY not in st.session_state:
    st.session_state[TOKEN_KEY] = uuid.uuid4().hex
form_key = f"entry_form_{code}_{unit_id}_{st.session_state[TOKEN_KEY]}"
entered = record_form(
    activity, people=people, form_key=form_key, campaign_start=campaign.start_date, campaign_end=campaign.end_date,
    fixed_cadre_id=actor.cadre_id if actor.enters_own_records_only else None,
    buttons=[
        FormButton("draft", t("entry.save_draft"), ":material/draft:"),
        FormButton("submit", t("entry.submit"), ":material/send:", primary=True),
    ],
)

CONFIRM_KEY = "entry_confirm_repeat"  # (type, unit, form input, the records it would repeat)
allow_repeat = False
pending = st.session_state.get(CONFIRM_KEY)
if entered.action:
    st.session_state.pop(CONFIRM_KEY, None)
elif pending is not None and pending[:2] == (code, unit_id):
    listed = "; ".join(f"#{row['id']} {as_text(row['title'])}({t('status.' + row['status'])})" for row in pending[3][:5])
    st.warning(t("entry.repeat_warning", records=listed), icon=":material/content_copy:")
    if st.button(t("entry.save_anyway"), icon=":material/send:"):
        entered, allow_repeat = pending[2], True
        st.session_state.pop(CONFIRM_KEY)
if entered.action:
    try:
        result = save_record(
            actor,
            unit_id=unit_id,
            type_code=code,
            title=entered.title,
            occurred_on=entered.occurred_on,
            details=entered.details,
            submit=entered.action == "submit",
            photos=entered.photos,
            client_token=st.session_state[TOKEN_KEY],
            upload_max_bytes=load_settings().upload_max_mb * 1024 * 1024,
            allow_repeat=allow_repeat,
        )
    except ValidationFailed as failure:
        st.error(t("entry.fix_problems") + "\n\n" + "\n".join(f"- {line}" for line in problem_lines(failure.problems)))
    except RepeatedTask as repeated:
        # Warned before saving: what was typed is kept, and submitting anyway is one click away.
        st.session_state[CONFIRM_KEY] = (code, unit_id, entered, repeated.records)
        st.rerun()
    except (PermissionDenied, ConflictError) as refused:
        st.error(t(refused.key))
    else:
        # A new token for the next form; a second click on this one finds the same record.
        st.session_state[TOKEN_KEY] = uuid.uuid4().hex
        key = f"entry.saved_{result.status}" if result.created else "entry.already_saved"
        # Says how many photos were kept, so a picture the browser never sent cannot pass unnoticed.
        photos = t("entry.saved_photos", count=result.photos) if result.created else ""
        st.session_state["entry_flash"] = t(key, id=result.record_id) + photos
        st.rerun()

if flash := st.session_state.pop("entry_flash", None):
    st.success(flash, icon=":material/check_circle:")

own = actor.enters_own_records_only  # a cadre sees their own records, not the whole unit's
st.subheader(t("entry.recent_own" if own else "entry.recent"))
rows = unit_records(actor, unit_id, limit=5)
if not rows:
    st.info(t("entry.recent_empty"), icon=":material/inbox:")
else:
    st.dataframe(
        {
            "id": [row["id"] for row in rows],
            "type": [row["type_" + lang] for row in rows],
            "title": [row["title"] for row in rows],
            "date": [format_date(row["occurred_on"], lang) for row in rows],
            "status": [t("status." + row["status"]) for row in rows],
            "reason": [row["return_reason"] or "" for row in rows],
        },
        hide_index=True,
        width="stretch",
        key="entry_recent",
        column_config={
            "id": st.column_config.NumberColumn(t("entry.column.id"), format="%d", width="small"),
            "type": t("entry.column.type"),
            "title": st.column_config.TextColumn(t("entry.field.title"), width="large"),
            "date": t("entry.field.occurred_on"),
            "status": t("entry.column.status"),
            "reason": st.column_config.TextColumn(t("entry.column.reason"), width="medium"),
        },
    )
st.page_link("views/my_records.py", label=t("entry.see_all_own" if own else "entry.see_all"), icon=":material/list_alt:")
