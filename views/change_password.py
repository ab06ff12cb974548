"""修改密码 — every signed-in person changes their own password; a handed-out one must be changed first."""
import streamlit as st

from core.security import PASSWORD_MIN_CHARS
from db.access import ValidationFailed
from db.accounts import change_own_password, current_account
from ui.accounts_view import show_problems
from ui.state import remember_sign_in, signed_in, t

user = signed_in()
st.title(t("accounts.password_heading"))
if user is None:
    st.info(t("access.sign_in_first", page=t("accounts.password_heading")), icon=":material/lock:")
    st.stop()
if user.must_change_password:
    st.warning(t("accounts.must_change", name=user.display_name), icon=":material/lock_reset:")
st.caption(t("accounts.password_rules", min=PASSWORD_MIN_CHARS))

form_column, _ = st.columns([2, 3])
with form_column, st.form("change_password", clear_on_submit=True):
    current = st.text_input(t("accounts.current_password"), type="password", max_chars=128, autocomplete="current-password")
    new = st.text_input(t("accounts.new_password"), type="password", max_chars=128, autocomplete="new-password")
    repeated = st.text_input(t("accounts.repeat_password"), type="password", max_chars=128, autocomplete="new-password")
    submitted = st.form_submit_button(t("accounts.change_password"), type="primary")
if submitted:
    try:
        change_own_password(user.actor, current=current, new=new, repeated=repeated)
    except ValidationFailed as failure:
        show_problems(failure.problems)
    else:
        # The new hash ends every session of the account, this one's token included: sign this
        # browser session in again with a fresh token, and land where the person's work is.
        remember_sign_in(current_account(user.actor.user_id) or user)
        st.toast(t("accounts.password_changed"), icon=":material/check_circle:")
        st.rerun()
