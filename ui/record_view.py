"""One record on screen: its status, fields and evidence photos, as the unit and the reviewer see it."""
from __future__ import annotations

from typing import Any

import streamlit as st

from core.enums import RecordStatus
from core.i18n import format_date
from core.safe_text import as_text
from db.access import Actor, PermissionDenied
from db.record_queries import photo
from ui.fields import field_label
from ui.state import language, t

SHORT_TEXT = 40  # longer values are prose and get a paragraph of their own
STATUS_COLORS = {RecordStatus.DRAFT: "gray", RecordStatus.PENDING: "orange", RecordStatus.APPROVED: "green", RecordStatus.RETURNED: "red"}
STATUS_ICONS = {
    RecordStatus.DRAFT: ":material/draft:", RecordStatus.PENDING: ":material/hourglass_top:",
    RecordStatus.APPROVED: ":material/verified:", RecordStatus.RETURNED: ":material/undo:",
}


def status_badge(status: str) -> None:
    st.badge(t(f"status.{status}"), color=STATUS_COLORS.get(status, "gray"), icon=STATUS_ICONS.get(status))


def show_fields(detail: dict[str, Any]) -> None:
    """The record's facts in one line, short fields as a list, prose under its label; user text stays plain."""
    lang = language()
    facts = [detail["unit_" + lang], detail["type_" + lang], format_date(detail["occurred_on"], lang)]
    if detail.get("submitted_at"):
        facts.append(t("records.submitted_on", at=detail["submitted_at"].strftime("%Y-%m-%d %H:%M")))
    st.caption(" · ".join(as_text(fact) for fact in facts))
    short = [(key, text) for key, text in detail["shown"] if len(text) <= SHORT_TEXT]
    if short:
        separator = ":" if lang == "zh" else ": "
        st.markdown("  \n".join(f"**{field_label(key)}**{separator}{as_text(text)}" for key, text in short))
    for key, text in detail["shown"]:
        if len(text) > SHORT_TEXT:
            st.caption(field_label(key))
            st.text(text)


def show_photos(actor: Actor, detail: dict[str, Any], *, per_row: int = 3) -> None:
    """Thumbnails; a button under each opens the full picture."""
    photos = detail["photos"]
    if not photos:
        st.caption(t("review.no_photos"))
        return
    for start in range(0, len(photos), per_row):
        columns = st.columns(per_row)
        for column, picture in zip(columns, photos[start : start + per_row], strict=False):
            with column:
                st.image(picture["thumbnail"], width="stretch")
                if st.button(t("records.full_photo"), key=f"photo_{detail['id']}_{picture['id']}", icon=":material/zoom_in:", type="tertiary"):
                    _full_photo(actor, picture["id"])


def _full_photo(actor: Actor, attachment_id: int) -> None:
    def body() -> None:
        try:
            picture = photo(actor, attachment_id)
        except PermissionDenied as denied:
            st.error(t(denied.key))
            return
        st.image(picture["data"], caption=picture["filename"], width="stretch")

    st.dialog(t("records.full_photo"), width="large")(body)()
