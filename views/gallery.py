"""读书笔记展评 — approved reading notes and study records as a gallery: search, filter, like, open.

With ?study=<id> in the address the page shows that record in full instead (ui/gallery_detail.py).
"""
import datetime as dt

import streamlit as st

from core.addresses import parse_id
from core.clock import office_today
from core.i18n import format_number
from core.xlsx_export import workbook_bytes
from db.access import PermissionDenied
from db.exports import gallery_list
from db.gallery import KINDS, GalleryFilter, liked_by
from ui import data, gallery_data
from ui.campaign_choice import campaign_selector
from ui.export import XLSX_MIME, file_name, gallery_sheet
from ui.gallery_cards import CSS, card_grid, pager, show_flash
from ui.gallery_detail import render_detail
from ui.state import current_actor, language, localized, t

PAGE_KEY = "gallery_page_no"
# Streamlit keeps a selectbox's choice by its label, and the labels change with the language: those
# widgets get a key per language, so a switch starts them afresh instead of holding a stale label.
CHOICES = ("kind", "group", "unit", "month", "tag")

lang = language()
actor = current_actor()
st.html(CSS)

if "study" in st.query_params:
    try:
        study_id = parse_id(st.query_params.get("study"))
        if study_id is None:
            raise ValueError
        render_detail(actor, study_id)
    except ValueError:
        st.info(t("gallery.not_shown"), icon=":material/visibility_off:")
    except PermissionDenied as denied:
        st.info(t(denied.key), icon=":material/lock:")
    st.stop()

heading, action = st.columns([5, 2], vertical_alignment="bottom")
heading.title(t("gallery.heading"))
if actor is not None and actor.records_activities:
    action.page_link("views/entry.py", label=t("gallery.submit_note"), icon=":material/edit_note:", query_params={"type": "reading_note"})
st.caption(t("gallery.intro"))
campaign = campaign_selector()
if campaign is None:
    st.info(t("app.no_campaign"), icon=":material/info:")
    st.stop()
try:
    tags = gallery_data.tags_in_use(actor)
except PermissionDenied as denied:
    st.info(t(denied.key), icon=":material/lock:")
    st.stop()
show_flash()


def choice_key(name: str) -> str:
    return f"gallery_{name}_{lang}"


def _clear_filters() -> None:
    for key in ("gallery_q", "gallery_featured", *(choice_key(name) for name in CHOICES)):
        st.session_state.pop(key, None)
    st.session_state[PAGE_KEY] = 1


groups = {group["id"]: group for group in data.groups()}
units = {unit["id"]: unit for unit in data.units()}
today = min(office_today(), campaign.end_date)
months = []
month = today.replace(day=1)
while month >= campaign.start_date.replace(day=1):
    months.append(month)
    month = (month - dt.timedelta(days=1)).replace(day=1)

row = st.columns([4, 3, 2, 2], vertical_alignment="bottom")
query = row[0].text_input(t("gallery.search"), key="gallery_q", placeholder=t("gallery.search_placeholder"), max_chars=60)
kind = row[1].selectbox(
    t("gallery.type"), [None, *KINDS], key=choice_key("kind"),
    format_func=lambda k: t("gallery.all_types") if k is None else t(f"gallery.kind.{k}"),
)
narrowing = sum(st.session_state.get(choice_key(name)) is not None for name in ("group", "unit", "month", "tag"))
with row[2].popover(t("gallery.more_filters", count=narrowing) if narrowing else t("gallery.more_filters_none"),
                    icon=":material/filter_list:", width="stretch"):
    group_id = st.selectbox(
        t("gallery.group"), [None, *groups], key=choice_key("group"),
        format_func=lambda g: t("gallery.all_groups") if g is None else localized(groups[g]),
    )
    unit_choices = [u for u in units if group_id is None or units[u]["group_id"] == group_id]
    unit_id = st.selectbox(
        t("gallery.unit"), [None, *unit_choices], key=choice_key("unit"),
        format_func=lambda u: t("gallery.all_units") if u is None else localized(units[u]),
    )
    chosen_month = st.selectbox(
        t("gallery.month"), [None, *months], key=choice_key("month"),
        format_func=lambda m: t("gallery.all_months") if m is None else (f"{m.year}年{m.month}月" if lang == "zh" else f"{m:%Y-%m}"),
    )
    tag = st.selectbox(
        t("gallery.tag"), [None, *tags], key=choice_key("tag"), format_func=lambda tg: t("gallery.all_tags") if tg is None else tg,
    )
    st.button(t("gallery.clear_filters"), icon=":material/filter_alt_off:", on_click=_clear_filters, width="stretch")
featured_only = row[3].toggle(t("gallery.featured_only"), key="gallery_featured")

filters = GalleryFilter(
    query=query or "", kind=kind, unit_id=unit_id if unit_id in unit_choices else None, group_id=group_id,
    month=chosen_month, tag=tag, featured_only=featured_only, campaign_id=campaign.id,
)
# A new search or filter starts again at page one.
if st.session_state.get("gallery_filters") != filters:
    st.session_state["gallery_filters"] = filters
    st.session_state[PAGE_KEY] = 1
result = gallery_data.gallery_page(actor, filters, st.session_state.get(PAGE_KEY, 1))
st.session_state[PAGE_KEY] = result.page


if not result.cards:
    message = t("gallery.empty_search", query=filters.query.strip()) if filters.query.strip() else t("gallery.empty")
    st.info(message, icon=":material/search_off:")
    st.stop()
summary = t("gallery.summary", total=gallery_data.total_label(result), page=format_number(result.page), pages=format_number(result.pages))
summary_col, export_col = st.columns([5, 1], vertical_alignment="center")
summary_col.caption(summary if actor is not None else f"{summary} · {t('gallery.likes_anonymous')}")
export_col.download_button(
    t("reports.export_excel"),
    data=lambda: workbook_bytes([gallery_sheet(gallery_list(actor, filters), lang, title=t("gallery.heading"))]),
    file_name=file_name(t("gallery.heading")), mime=XLSX_MIME, icon=":material/download:", key="gallery_export", on_click="ignore",
)
liked = liked_by(actor, [card["study_id"] for card in result.cards])
card_grid(result.cards, actor, liked, detail_page="views/gallery.py", key="gallery")
if result.pages > 1:
    pager(result.page, result.pages, gallery_data.total_label(result), state_key=PAGE_KEY, key="gallery_pager")
