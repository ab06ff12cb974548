"""活动设置 — the office creates and edits a campaign (dates, periods, types, mandatory targets),
closes it and starts the next stage. Admin only; the data layer (db/campaigns.py) checks again."""
import datetime as dt

import streamlit as st

from core.campaign_rules import CampaignSpec, TargetSpec
from core.clock import office_today, to_office
from core.i18n import format_date
from db.access import PermissionDenied
from db.campaigns import (
    campaign_choices,
    campaign_detail,
    close_campaign,
    create_campaign,
    regenerate_periods,
    reopen_campaign,
    set_periods,
    set_types_and_targets,
    start_next_campaign,
    update_campaign,
)
from db.catalogue import catalogue
from ui import data
from ui.campaign_view import periods_editor, run, show_flash, targets_editor, type_labels
from ui.state import current_actor, language, localized, t

lang = language()
actor = current_actor()
st.title(t("campaign.heading"))
if actor is None or not actor.is_admin:
    st.error(t("error.admin_only"))
    st.stop()
st.caption(t("campaign.intro"))
show_flash()

types = data.activity_types()
labels = type_labels(types)


def spec_form(key: str, *, values: dict | None = None, disabled: bool = False, targets: bool = False) -> tuple[CampaignSpec, list[int]] | None:
    """Names, code, dates and young-cadre year in a form (with `targets`, also which of the
    catalogue's default mandatory targets a new campaign starts with); when submitted, the spec
    and those types, else None."""
    values = values or {}
    mandatory = {activity["id"]: labels[activity["id"]] for activity in types if activity["mandatory_basis"]}
    with st.form(key, border=False):
        first, second = st.columns(2)
        name_zh = first.text_input(t("campaign.name_zh"), value=values.get("name_zh", ""), max_chars=200, disabled=disabled)
        name_en = second.text_input(t("campaign.name_en"), value=values.get("name_en", ""), max_chars=300, disabled=disabled)
        row = st.columns(4)
        code = row[0].text_input(t("campaign.code"), value=values.get("code", ""), max_chars=40, help=t("campaign.code_help"), disabled=disabled)
        start = row[1].date_input(t("campaign.start_date"), value=values.get("start_date"), format="YYYY-MM-DD", disabled=disabled)
        end = row[2].date_input(t("campaign.end_date"), value=values.get("end_date"), format="YYYY-MM-DD", disabled=disabled)
        young = row[3].number_input(t("campaign.young_born_from"), value=values.get("young_born_from", 1991), step=1, help=t("campaign.young_help"), disabled=disabled)
        chosen_targets = st.multiselect(
            t("campaign.start_targets"), list(mandatory), default=list(mandatory), format_func=mandatory.get, help=t("campaign.start_targets_help"),
        ) if targets else []
        submitted = st.form_submit_button(values.get("button", t("campaign.save")), type="primary", disabled=disabled)
    if not submitted:
        return None
    return CampaignSpec(code=code, name_zh=name_zh, name_en=name_en, start_date=start, end_date=end, young_born_from=int(young)), chosen_targets


def default_targets_for(type_ids: list[int], due_on: dt.date | None) -> list[TargetSpec]:
    """The catalogue's default target of each chosen type, due at the campaign's end."""
    by_id = {row["id"]: row for row in catalogue(actor)}
    return [TargetSpec(ident, by_id[ident]["mandatory_basis"], by_id[ident]["mandatory_count"] or 1, due_on, 1.0) for ident in type_ids]


def new_campaign_form() -> None:
    today = office_today()
    submitted = spec_form("campaign_new", targets=True, values={
        "start_date": today.replace(day=1), "end_date": today.replace(day=1, year=today.year + 1) - dt.timedelta(days=1),
        "button": t("campaign.create"),
    })
    if submitted is not None:
        spec, target_types = submitted
        run(lambda: create_campaign(actor, spec, targets=default_targets_for(target_types, spec.end_date)), t("campaign.created"))


choices = campaign_choices()
if not choices:
    st.info(t("campaign.none_yet"), icon=":material/flag:")
    new_campaign_form()
    st.stop()


def choice_label(choice) -> str:  # noqa: ANN001 - a db.campaigns.CampaignChoice
    name = localized(choice.__dict__)
    if choice.closed:
        return t("campaign.closed_label", name=name)
    return t("campaign.current_label", name=name) if choice.current else name


# Labels are made now, in the interface language of this run, not when the box formats them.
choice_labels = {choice.id: choice_label(choice) for choice in choices}
chosen_id = st.selectbox(t("campaign.choose"), list(choice_labels), format_func=choice_labels.get, key=f"campaign_choice_{lang}")
st.caption(t("campaign.current_rule"))
try:
    detail = campaign_detail(actor, chosen_id)
except PermissionDenied as denied:
    st.error(t(denied.key))
    st.stop()
closed = not detail["active"]
if closed:
    closed_on = format_date(to_office(detail["closed_at"]).date(), lang) if detail["closed_at"] else "—"
    st.warning(t("campaign.read_only", date=closed_on), icon=":material/lock:")
facts = st.columns(3)
facts[0].metric(t("campaign.span"), format_date(detail["start_date"], lang), t("campaign.until", date=format_date(detail["end_date"], lang)), delta_color="off", delta_arrow="off")
facts[1].metric(t("campaign.start_targets"), f"{len(detail['targets']):,}")
facts[2].metric(t("campaign.types_short"), f"{len(detail['type_ids']):,}")

basics, periods, targets, closing, new = st.tabs([
    t("campaign.tab_basics"), t("campaign.tab_periods"), t("campaign.tab_targets"), t("campaign.tab_close"), t("campaign.tab_new"),
])
with basics:
    submitted = spec_form(f"campaign_basics_{chosen_id}", values=detail, disabled=closed)
    if submitted is not None:
        run(lambda: update_campaign(actor, chosen_id, submitted[0]), t("campaign.saved"))

with periods:
    st.caption(t("campaign.periods_intro"))
    rows = periods_editor(detail["periods"], key=f"campaign_periods_{chosen_id}_{lang}", disabled=closed)
    save_col, again_col = st.columns([1, 3])
    if save_col.button(t("campaign.save_periods"), type="primary", disabled=closed, icon=":material/save:"):
        run(lambda: set_periods(actor, chosen_id, rows), t("campaign.saved"))
    if again_col.button(t("campaign.regenerate"), disabled=closed, icon=":material/autorenew:"):
        run(lambda: regenerate_periods(actor, chosen_id), t("campaign.regenerated"))

with targets:
    offered = {ident: label for ident, label in labels.items()}
    chosen_types = st.multiselect(
        t("campaign.types"), list(offered), default=[ident for ident in detail["type_ids"] if ident in offered],
        format_func=offered.get, help=t("campaign.types_help"), disabled=closed, key=f"campaign_types_{chosen_id}_{lang}",
    )
    st.caption(t("campaign.targets_intro"))
    target_specs = targets_editor(
        detail["targets"], {ident: offered[ident] for ident in chosen_types} or offered, key=f"campaign_targets_{chosen_id}_{lang}",
        disabled=closed, default_due=detail["end_date"],
    )
    if st.button(t("campaign.save_targets"), type="primary", disabled=closed, icon=":material/save:"):
        run(lambda: set_types_and_targets(actor, chosen_id, type_ids=chosen_types, targets=target_specs), t("campaign.saved"))

with closing:
    if closed:
        if st.button(t("campaign.reopen"), icon=":material/lock_open:"):
            run(lambda: reopen_campaign(actor, chosen_id), t("campaign.reopened"))
    else:
        st.caption(t("campaign.close_intro"))
        with st.popover(t("campaign.close"), icon=":material/lock:"):
            st.text(t("campaign.close_confirm", name=localized(detail)))
            if st.button(t("campaign.close_now"), type="primary", key="campaign_close_now"):
                run(lambda: close_campaign(actor, chosen_id), t("campaign.closed"))
    st.divider()
    st.caption(t("campaign.next_intro"))
    next_start = detail["end_date"] + dt.timedelta(days=1)
    next_submitted = spec_form(f"campaign_next_{chosen_id}", values={
        "start_date": next_start, "end_date": next_start + dt.timedelta(days=364),
        "young_born_from": detail["young_born_from"], "button": t("campaign.start_next"),
    })
    if next_submitted is not None:
        next_spec = next_submitted[0]
        run(lambda: start_next_campaign(actor, chosen_id, next_spec), t("campaign.started_next", name=next_spec.name_zh if lang == "zh" else next_spec.name_en))

with new:
    new_campaign_form()
