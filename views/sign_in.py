"""登录 — sign in with user name and password."""
import streamlit as st

from ui.sign_in_form import sign_in_form
from ui.state import t

st.title(t("signin.heading"))
st.caption(t("signin.intro"))
sign_in_form()
