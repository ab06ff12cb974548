"""光荣榜 — the honour roll: advanced units and outstanding cadres the office praised, period by period.

Everyone who may read the rankings reads the published rolls; the office drafts a roll from the
rankings' suggestions and any active unit or cadre it adds, writes a citation for each name and
publishes it. The office may withdraw a published roll with a reason; it then sees it as withdrawn.
"""
import html
from collections.abc import Callable

import streamlit as st

from core.enums import HonourStatus
from core.i18n import format_date, format_datetime
from core.safe_text import as_text
from db.access import PermissionDenied, ValidationFailed
from db.honours import (
    CITATION_MAX,
    REASON_MAX,
    EntryInput,
    draft_roll,
    published_rolls,
    save_roll,
    withdraw_roll,
    withdrawn_rolls,
)
from ui import data
from ui.honour_data import candidates_for, citation, suggestions_for
from ui.report_period import period_picker
from ui.state import current_actor, language, localized, t

lang = language()
actor = current_actor()
campaign = data.campaign()
st.title(t("reports.roll_heading"))
st.caption(t("reports.roll_intro"))
if campaign is None:
    st.info(t("app.no_campaign"), icon=":material/info:")
    st.stop()

CSS = """
<style>
.eb-roll { border: 1px solid #E8D4D4; border-top: 5px solid #B71C1C; border-radius: 6px; padding: 0.8rem 1.2rem; margin-bottom: 1rem; }
.eb-roll h3 { color: #B71C1C; margin: 0 0 0.2rem 0; font-size: 1.35rem; }
.eb-roll .eb-period { color: #6B6B6B; font-size: 0.9rem; margin-bottom: 0.5rem; }
.eb-roll h4 { margin: 0.6rem 0 0.3rem 0; font-size: 1.05rem; }
.eb-roll ul { margin: 0; padding-left: 1.2rem; }
.eb-roll li { margin-bottom: 0.3rem; }
.eb-roll .eb-name { font-weight: 700; }
.eb-roll.eb-withdrawn { border-top-color: #9E9E9E; opacity: 0.75; }
.eb-roll.eb-withdrawn h3 { color: #6B6B6B; text-decoration: line-through; }
</style>
"""


def roll_html(roll: dict) -> str:
    """A published roll as a card; every stored string is escaped (user text is never markup)."""
    def item(entry: dict) -> str:
        unit = entry["unit_en"] if lang == "en" and entry["unit_en"] else entry["unit_zh"]
        if entry["kind"] == "cadre":
            name = entry["name"] or t("board.name_hidden")
            label = f'<span class="eb-name">{html.escape(name)}</span>({html.escape(unit)})'
        else:
            label = f'<span class="eb-name">{html.escape(unit)}</span>'
        return f"<li>{label}:{html.escape(entry['citation'])}</li>"

    parts = [
        f'<div class="eb-roll" data-testid="honour-roll"><h3>{html.escape(roll["title"])}</h3>',
        '<div class="eb-period">' + html.escape(t(
            "reports.roll_period", start=format_date(roll["start"], lang), end=format_date(roll["end"], lang),
            published=format_datetime(roll["published_at"], lang),
        )) + "</div>",
    ]
    for kind in ("unit", "cadre"):
        entries = [entry for entry in roll["entries"] if entry["kind"] == kind]
        if entries:
            parts.append(f"<h4>{html.escape(t(f'reports.roll_section.{kind}'))}</h4><ul>")
            parts.extend(item(entry) for entry in entries)
            parts.append("</ul>")
    parts.append("</div>")
    return "".join(parts)


def write(command: Callable[[], object], done: str) -> None:
    """Run a roll command: its refusals shown here, its success flashed after the rerun."""
    try:
        command()
    except ValidationFailed as failed:
        for _field, key, params in failed.problems:
            st.error(t(key, **params), icon=":material/error:")
    except PermissionDenied as denied:
        st.error(t(denied.key))
    else:
        data.refresh()
        st.session_state["roll_flash"] = done
        st.rerun()


def withdraw_form(roll: dict) -> None:
    """The office takes a published roll back, saying why."""
    with st.expander(t("reports.roll_withdraw"), icon=":material/undo:"):
        st.caption(t("reports.roll_withdraw_hint"))
        reason = st.text_area(t("reports.roll_withdraw_reason"), max_chars=REASON_MAX, key=f"roll_withdraw_reason_{roll['id']}")
        if st.button(t("reports.roll_withdraw_confirm"), icon=":material/undo:", key=f"roll_withdraw_{roll['id']}"):
            write(lambda: withdraw_roll(actor, roll["id"], reason=reason), t("reports.roll_withdrawn"))


def show_withdrawn() -> None:
    rolls = withdrawn_rolls(actor, campaign_id=campaign.id)
    if not rolls:
        return
    st.subheader(t("reports.roll_withdrawn_heading"))
    for roll in rolls:
        st.warning(t("reports.roll_withdrawn_note", time=format_datetime(roll["withdrawn_at"], lang), reason=as_text(roll["withdrawn_reason"])),
                   icon=":material/undo:")
        st.html(CSS + roll_html(roll).replace('class="eb-roll"', 'class="eb-roll eb-withdrawn"', 1))


def show_published() -> None:
    try:
        rolls = published_rolls(actor, campaign_id=campaign.id)
    except PermissionDenied as denied:
        st.info(t(denied.key), icon=":material/lock:")
        return
    office = actor is not None and actor.is_admin
    if not rolls:
        st.info(t("reports.roll_none_admin" if office else "reports.roll_none"), icon=":material/workspace_premium:")
    elif office:
        for roll in rolls:
            st.html(CSS + roll_html(roll))
            withdraw_form(roll)
    else:
        st.html(CSS + "".join(roll_html(roll) for roll in rolls))
    if office:
        show_withdrawn()


def option(kind: str, unit_id: int, cadre_id: int | None) -> str:
    """A plain-string option ("unit:3:", "cadre:3:17"): widgets keep their choices as text."""
    return f"{kind}:{unit_id}:{'' if cadre_id is None else cadre_id}"


def added_by_hand(suggested: set[str], chosen: dict[str, str], span_key: str) -> list[EntryInput]:
    """Any active unit or cadre the rankings did not put forward, each with the office's citation."""
    units, cadres = candidates_for(actor)
    labels = {
        option("unit", unit["unit_id"], None): t("reports.roll_add_option_unit", name=localized(unit)) for unit in units
    } | {
        option("cadre", cadre["unit_id"], cadre["cadre_id"]): t(
            "reports.roll_add_option_cadre", name=cadre["name"], unit=cadre["unit_en"] if lang == "en" and cadre["unit_en"] else cadre["unit_zh"])
        for cadre in cadres
    }
    offered = [key for key in labels if key not in suggested]
    st.markdown(f"**{t('reports.roll_add')}**")
    st.caption(t("reports.roll_add_hint"))
    keys = st.multiselect(
        t("reports.roll_add"), offered, default=[key for key in offered if key in chosen], format_func=labels.get,
        key=f"roll_add_{span_key}_{lang}", placeholder=t("reports.roll_add_placeholder"), label_visibility="collapsed",
    )
    added = []
    for key in keys:
        kind, unit_id, cadre_id = key.split(":")
        text = st.text_input(
            t("reports.roll_citation_for", name=labels[key]), value=chosen.get(key, ""), max_chars=CITATION_MAX,
            placeholder=t("reports.roll_citation_placeholder"), key=f"roll_citation_{span_key}_{key}",
        )
        added.append(EntryInput(kind, int(unit_id), int(cadre_id) if cadre_id else None, "office", text))
    return added


def compose() -> None:
    kind, span = period_picker(campaign, key="roll")
    existing = draft_roll(actor, campaign_id=campaign.id, span=span)
    if existing is not None and existing["status"] == HonourStatus.PUBLISHED:
        st.success(t("reports.roll_already_published"), icon=":material/verified:")
        return
    if existing is not None and existing["status"] == HonourStatus.WITHDRAWN:
        st.warning(t("reports.roll_was_withdrawn", time=format_datetime(existing["withdrawn_at"], lang), reason=as_text(existing["withdrawn_reason"])),
                   icon=":material/undo:")
    found = suggestions_for(actor, campaign.id, span.start, span.end)
    chosen = {option(entry["kind"], entry["unit_id"], entry["cadre_id"]): entry["citation"] for entry in (existing or {}).get("entries", [])}
    if not found:
        st.info(t("reports.roll_no_suggestions_add"), icon=":material/info:")
    labels = {
        option(*item.key): t("reports.roll_option", kind=t(f"reports.roll_kind.{item.kind}"), name=(item.name_en if lang == "en" else item.name_zh) or item.name_zh,
                             unit=item.unit_en if lang == "en" and item.unit_en else item.unit_zh, basis=t(f"reports.basis.{item.basis}"))
        for item in found
    }
    by_key = {option(*item.key): item for item in found}
    picked = []
    if found:
        st.caption(t("reports.roll_compose_hint"))
        picked_keys = st.multiselect(
            t("reports.roll_pick"), list(labels), default=[key for key in by_key if key in chosen], format_func=labels.get,
            key=f"roll_pick_{span.start}_{span.end}_{lang}", placeholder=t("reports.roll_pick_placeholder"),
        )
        for key in picked_keys:
            item = by_key[key]
            text = st.text_input(
                t("reports.roll_citation_for", name=labels[key]), value=chosen.get(key) or citation(item, lang), max_chars=CITATION_MAX,
                key=f"roll_citation_{span.start}_{span.end}_{key}",
            )
            picked.append(EntryInput(item.kind, item.unit_id, item.cadre_id, item.basis, text))
    picked += added_by_hand(set(by_key), chosen, f"{span.start}_{span.end}")
    default_title = t("reports.roll_default_title", start=format_date(span.start, lang), end=format_date(span.end, lang))
    title = st.text_input(t("reports.roll_title"), value=(existing or {}).get("title") or default_title, max_chars=200, key=f"roll_title_{span.start}_{span.end}")
    st.caption(t("reports.roll_picked", count=len(picked)))
    with st.container(horizontal=True):
        save = st.button(t("reports.roll_save"), icon=":material/save:", disabled=not picked)
        publish = st.button(t("reports.roll_publish"), icon=":material/campaign:", type="primary", disabled=not picked)
    if save or publish:
        write(
            lambda: save_roll(actor, campaign_id=campaign.id, period_kind=kind, start=span.start, end=span.end, title=title,
                              entries=picked, publish=publish),
            t("reports.roll_published" if publish else "reports.roll_saved"),
        )


if flash := st.session_state.pop("roll_flash", None):
    st.success(flash, icon=":material/check_circle:")
if actor is not None and actor.is_admin:
    published_tab, compose_tab = st.tabs([t("reports.roll_tab_published"), t("reports.roll_tab_compose")])
    with published_tab:
        show_published()
    with compose_tab:
        compose()
else:
    show_published()
