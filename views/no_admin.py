"""还没有管理员 — a database without an administrator says how to make the first one."""
import streamlit as st

from ui.state import t

st.title(t("setup.no_admin_heading"))
st.info(t("setup.no_admin_intro"), icon=":material/admin_panel_settings:")
st.code("python -m manage create-admin USERNAME", language="bash")
st.caption(t("setup.no_admin_details"))
st.code("echo 'a long passphrase' | python -m manage create-admin USERNAME --password-stdin", language="bash")
st.caption(t("setup.no_admin_after"))
