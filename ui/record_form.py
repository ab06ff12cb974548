"""The entry form of one activity type, for a new record and for fixing a saved one.

Short fields sit two to a row and prose gets the full width. A book record (读书笔记, 荐书)
starts with the book and may leave its title to be made from the book's name.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from core.clock import office_today
from core.config import load_settings
from core.record_rules import SHORT_RATIO, needs_title
from ui.fields import render_field
from ui.state import t


@dataclass
class FormInput:
    """What the person entered and which button they pressed (None until a button is pressed)."""

    action: str | None
    title: str = ""
    occurred_on: dt.date | None = None
    details: dict[str, Any] = field(default_factory=dict)
    photos: list[tuple[str, bytes]] = field(default_factory=list)
    remove_photos: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class FormButton:
    action: str
    label: str
    icon: str
    primary: bool = False


def record_form(
    activity: dict[str, Any],
    *,
    people: dict[str, list[dict[str, Any]]],
    form_key: str,
    campaign_start: dt.date,
    campaign_end: dt.date,
    buttons: list[FormButton],
    initial: dict[str, Any] | None = None,
    fixed_cadre_id: int | None = None,
    existing_photos: list[dict[str, Any]] = (),
) -> FormInput:
    """Draw the form; returns the entered values once one of `buttons` is pressed."""
    initial = initial or {}
    values = initial.get("details", {})
    fields = activity["fields"]
    book_record = not needs_title(fields)
    short = [spec for spec in fields if spec["kind"] != "longtext"]
    if book_record:  # the book first: it is what the reader thinks of
        short.sort(key=lambda spec: 0 if spec["kind"] == "book" or spec["key"] == "book_author" else 1)
    prose = [spec for spec in fields if spec["kind"] == "longtext"]
    # The office's today: an activity cannot have happened later, whatever the campaign's end.
    latest = max(min(office_today(), campaign_end), campaign_start)
    details: dict[str, Any] = {}

    def field_input(spec: dict[str, Any]) -> None:
        details[spec["key"]] = render_field(
            spec, people=people, key=f"{form_key}_{spec['key']}", value=values.get(spec["key"]),
            fixed_cadre_id=fixed_cadre_id,
        )

    with st.form(form_key, clear_on_submit=False, border=True):
        title = ""
        if book_record:
            cells: list[Any] = [*short, "date"]
        else:
            heading = st.columns([3, 1])
            with heading[0]:
                title = st.text_input(t("entry.field.title") + " *", value=initial.get("title", ""), max_chars=200, key=f"{form_key}_title")
            with heading[1]:
                occurred_on = _date(initial, latest, campaign_start, form_key)
            cells = short
        columns = st.columns(2)
        for index, spec in enumerate(cells):
            with columns[index % 2]:
                if spec == "date":
                    occurred_on = _date(initial, latest, campaign_start, form_key)
                else:
                    field_input(spec)
        for spec in prose:
            field_input(spec)
        if book_record:
            title = st.text_input(
                t("entry.field.title_optional"), value=initial.get("title", ""), max_chars=200, key=f"{form_key}_title",
                placeholder=t("entry.title_from_book"),
            )
        if expected := activity["evidence"].get("expected_length"):
            # The reviewer is told when a text is far shorter than this; the writer is told first.
            st.caption(t("entry.expected_length", expected=expected, short=int(expected * SHORT_RATIO)))
        photos, removed = _photo_inputs(activity, form_key, existing_photos, book_record)
        pressed = None
        with st.container(horizontal=True):
            for button in buttons:
                if st.form_submit_button(button.label, icon=button.icon, type="primary" if button.primary else "secondary"):
                    pressed = button.action
    if pressed is None:
        return FormInput(action=None)
    return FormInput(
        action=pressed, title=title, occurred_on=occurred_on, details=details,
        photos=[(photo.name, photo.getvalue()) for photo in photos or []], remove_photos=removed,
    )


def _date(initial: dict[str, Any], latest: dt.date, start: dt.date, form_key: str) -> dt.date | None:
    """The activity date, picked up to the office's today. A saved date outside that range is still
    shown as it is (the picker would refuse to draw it); saving then says what is wrong with it."""
    value = initial.get("occurred_on") or latest
    return st.date_input(
        t("entry.field.occurred_on") + " *", value=value, min_value=min(start, value), max_value=max(latest, value),
        format="YYYY-MM-DD", key=f"{form_key}_date",
    )


def _photo_inputs(
    activity: dict[str, Any], form_key: str, existing: list[dict[str, Any]], book_record: bool
) -> tuple[list[Any], list[int]]:
    """The uploader where the type asks for evidence, and the choice of saved photos to drop."""
    evidence = activity["evidence"].get("photo")
    removed: list[int] = []
    if existing:
        st.image([photo["thumbnail"] for photo in existing], width=120, caption=[photo["filename"] for photo in existing])
        names = {photo["id"]: photo["filename"] for photo in existing}
        removed = st.multiselect(
            t("entry.remove_photos"), list(names), format_func=names.get, key=f"{form_key}_remove", placeholder=t("entry.choose"),
        )
    if evidence not in {"optional", "required"}:
        return [], removed
    if book_record:
        label = t("entry.field.note_photos")
    else:
        label = t("entry.field.photos") + (" *" if evidence == "required" else "")
    limit = load_settings().upload_max_mb
    # No type or size filter here: Streamlit would drop a refused file in the browser with an
    # English note and the form would save without it. Every file reaches the data layer, which
    # refuses the whole save with the reason in the user's language (core.images.process_upload).
    photos = st.file_uploader(
        label, accept_multiple_files=True, key=f"{form_key}_photos", help=t("entry.photo_help", mb=limit),
    )
    return photos or [], removed
