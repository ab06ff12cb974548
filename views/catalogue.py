"""活动目录 — the office edits the activity catalogue: names, points, evidence rules, active and
order of every type, and new types with their own fields. Admin only; db/catalogue.py checks again."""
import streamlit as st

from db.access import PermissionDenied
from db.catalogue import catalogue, create_type, update_type, update_types
from ui.campaign_view import run, show_flash
from ui.catalogue_view import overview_editor, type_form
from ui.state import current_actor, language, localized, t

lang = language()
actor = current_actor()
st.title(t("catalogue.heading"))
if actor is None or not actor.is_admin:
    st.error(t("error.admin_only"))
    st.stop()
st.caption(t("catalogue.intro"))
show_flash()
try:
    rows = catalogue(actor)
except PermissionDenied as denied:
    st.error(t(denied.key))
    st.stop()

overview, edit, new = st.tabs([t("catalogue.tab_overview"), t("catalogue.tab_edit"), t("catalogue.tab_new")])
with overview:
    st.caption(t("catalogue.overview_help"))
    changed = overview_editor(rows, key=f"catalogue_overview_{lang}")
    if st.button(t("catalogue.save_overview"), type="primary", icon=":material/save:", disabled=not changed):
        run(lambda: update_types(actor, changed), lambda count: t("catalogue.saved", count=count))

with edit:
    by_id = {row["id"]: row for row in rows}
    names = {ident: f"{localized(row)} · {row['code']}" for ident, row in by_id.items()}
    chosen = st.selectbox(t("catalogue.choose_type"), list(names), format_func=names.get, key=f"catalogue_choice_{lang}")
    if chosen is not None:
        saved = type_form(by_id[chosen], key=f"catalogue_edit_{chosen}", new=False)
        if saved is not None:
            spec, _ = saved
            run(lambda: update_type(actor, chosen, spec), t("catalogue.type_saved"))

with new:
    created = type_form({}, key="catalogue_new", new=True)
    if created is not None:
        spec, add_to_current = created
        run(lambda: create_type(actor, spec, add_to_current=add_to_current), t("catalogue.type_created", name=spec.name_zh if lang == "zh" else spec.name_en))
