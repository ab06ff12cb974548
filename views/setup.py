"""开始使用 / 系统设置 — the office's checklist for going live: each step, done or to do, and its page."""
import streamlit as st

from db.setup_status import setup_steps
from ui.state import current_actor, t

# The page that does each step: the one place to change when a step gets a page of its own.
STEP_PAGES = {
    "organization": "views/organization.py",
    "people": "views/people_roster.py",
    "accounts": "views/accounts.py",
    "campaign": "views/campaign.py",
    "rules": "views/rules.py",
}
STEP_ICONS = {
    "organization": ":material/account_tree:",
    "people": ":material/groups:",
    "accounts": ":material/manage_accounts:",
    "campaign": ":material/flag:",
    "rules": ":material/tune:",
}

actor = current_actor()
if actor is None or not actor.is_admin:
    st.title(t("setup.nav"))
    st.error(t("error.admin_only"))
    st.stop()
steps = setup_steps(actor)
finished = sum(step.done for step in steps)
# 开始使用 while the office is getting its first campaign going; 系统设置 from then on.
live = next(step for step in steps if step.key == "campaign").done
st.title(t("setup.heading_done") if live else t("setup.heading"))
st.caption(t("setup.intro_live") if live else t("setup.intro"))
st.progress(finished / len(steps), text=t("setup.progress", done=finished, total=len(steps)))

for number, step in enumerate(steps, start=1):
    with st.container(border=True):
        state, body, link = st.columns([1.2, 6, 2.4], vertical_alignment="center")
        if step.done:
            state.markdown(f":green[:material/check_circle: {t('setup.done')}]")
        else:
            state.markdown(f":orange[:material/radio_button_unchecked: {t('setup.todo')}]")
        body.markdown(f"**{number}. {t(f'setup.step.{step.key}.title')}**")
        body.caption(t(f"setup.step.{step.key}.what"))
        body.text(t(f"setup.step.{step.key}.counts", **step.counts))
        link.page_link(STEP_PAGES[step.key], label=t(f"setup.step.{step.key}.go"), icon=STEP_ICONS[step.key])
