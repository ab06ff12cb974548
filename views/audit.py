"""操作日志 — the office reads the audit trail (who did what, when, to which record) and restores
what was deleted."""
import streamlit as st

from core.clock import office_zone
from ui.audit_view import audit_panel
from ui.state import current_actor, t
from ui.trash_view import trash_panel

actor = current_actor()
st.title(t("audit.heading"))
if actor is None or not actor.is_admin:
    st.error(t("error.admin_only"))
    st.stop()
st.caption(t("audit.intro", zone=str(office_zone())))
log_tab, trash_tab = st.tabs([t("audit.heading"), t("trash.tab")])
with log_tab:
    audit_panel()
with trash_tab:
    trash_panel()
