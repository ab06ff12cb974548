"""One study record in full: the note, pictures at full size, likes, ratings, and the office's review.

Shown by views/gallery.py when the address carries ?study=<id>, so a note can be linked to.
"""
from __future__ import annotations

import html
from typing import Any

import streamlit as st

from core.i18n import format_date, format_number
from db.access import Actor, PermissionDenied, ValidationFailed
from db.gallery import RUBRIC, rating_summary, study_detail
from db.gallery_actions import COMMENT_MAX, LIKES_PER_DAY, TAG_MAX_LEN, TAGS_MAX, rate, set_featured, set_tags
from ui import gallery_data
from ui.gallery_cards import FLASH_KEY, badges, fresh_after_write, like_button, record_cover, show_flash
from ui.state import language, t

GALLERY_PAGE = "views/gallery.py"


def _text_block(text: str, css_class: str = "eb-note") -> None:
    st.html(f'<div class="{css_class}">{html.escape(text)}</div>')


def _meta_line(row: dict[str, Any]) -> str:
    lang = language()
    parts = [row.get("cadre_name") or "", row["unit_" + lang], format_date(row["occurred_on"], lang)]
    if row.get("book_title"):
        parts.append(f"《{row['book_title']}》" + (f" {row['book_author']}" if row.get("book_author") else ""))
    return " · ".join(part for part in parts if part)


def _note(row: dict[str, Any]) -> None:
    if row["body"]:
        _text_block(row["body"])
    if row["takeaway"]:
        st.markdown(f"**{t('gallery.takeaway')}**")
        _text_block(row["takeaway"])
    details = row.get("details") or {}
    facts = [
        (t("gallery.topic"), details.get("topic")) if row["kind"] == "forum" and details.get("topic") != row["body"] else (None, None),
        (t("gallery.participants"), format_number(details["participants"])) if details.get("participants") else (None, None),
    ]
    for label, value in facts:
        if label and value:
            st.html(f'<div class="eb-card-line">{html.escape(label)}:{html.escape(str(value))}</div>')


def _pictures(row: dict[str, Any]) -> None:
    if row["photos"]:
        for photo in row["photos"]:
            st.image(photo["data"], width="stretch", alt=row["title"])
    elif row.get("cover"):
        st.image(row["cover"], caption=t("gallery.cover"), width=240, alt=row.get("book_title") or row["title"])
    else:
        st.html(record_cover(row))


def _ratings(row: dict[str, Any]) -> None:
    st.markdown(f"**{t('gallery.ratings')}**")
    summary = rating_summary(row["ratings"])
    if summary is None:
        st.caption(t("gallery.no_ratings"))
        return
    st.caption(t("gallery.rating_overall", score=f"{summary['overall']:.1f}", count=len(row["ratings"])))
    columns = st.columns(len(RUBRIC))
    for column, item in zip(columns, RUBRIC, strict=True):
        column.metric(t(f"gallery.rubric.{item}"), f"{summary[item]:.1f}")
    for rating in row["ratings"]:
        line = t("gallery.rating_line", reviewer=rating["reviewer"], depth=rating["depth"], practice=rating["practice"], writing=rating["writing"])
        comment = f"<br>{html.escape(rating['comment'])}" if rating["comment"] else ""
        st.html(f'<div class="eb-card-line" style="white-space:normal">{html.escape(line)}{comment}</div>')


def _report(action, success_key: str, **arguments) -> None:  # noqa: ANN001 - a db.gallery_actions command
    """Run an office command; a refusal or a problem is shown, success announced after the rerun."""
    try:
        action(**arguments)
    except ValidationFailed as failure:
        st.error("\n".join(f"- {t(key, **params)}" for _field, key, params in failure.problems))
    except PermissionDenied as denied:
        st.error(t(denied.key))
    else:
        st.session_state[FLASH_KEY] = t(success_key)
        fresh_after_write()
        st.rerun()


def _review_panel(actor: Actor, row: dict[str, Any]) -> None:
    """The office rates on the rubric, features (精选) and files the note under themes."""
    lang = language()
    with st.container(border=True):
        st.markdown(f"**{t('gallery.review_panel')}**")
        if row["featured"]:
            st.caption(t("gallery.featured_since", date=format_date(row["featured_at"].date() if row["featured_at"] else None, lang)))
            if st.button(t("gallery.unfeature"), icon=":material/star_outline:", key="gallery_unfeature"):
                _report(set_featured, "gallery.unfeatured_done", actor=actor, study_id=row["study_id"], featured=False)
        elif st.button(t("gallery.feature"), icon=":material/star:", type="primary", key="gallery_feature", help=t("gallery.feature_help")):
            _report(set_featured, "gallery.featured_done", actor=actor, study_id=row["study_id"], featured=True)
        own = row.get("own_rating") or {}
        with st.form(f"gallery_rate_{row['study_id']}"):
            scores = {
                item: st.slider(t(f"gallery.rubric.{item}"), 1, 5, own.get(item, 4), key=f"gallery_rate_{item}_{row['study_id']}")
                for item in RUBRIC
            }
            comment = st.text_area(t("gallery.comment"), value=own.get("comment", ""), max_chars=COMMENT_MAX, height=80)
            if st.form_submit_button(t("gallery.rate"), icon=":material/grading:"):
                _report(rate, "gallery.rated", actor=actor, study_id=row["study_id"], comment=comment, **scores)
        current = [tag for tag in (row.get("tags") or "").split(",") if tag]
        with st.form(f"gallery_tags_{row['study_id']}"):
            tags = st.multiselect(
                t("gallery.tags"), sorted(set(gallery_data.tags_in_use(actor)) | set(current)), default=current,
                accept_new_options=True, max_selections=TAGS_MAX, help=t("gallery.tags_help", count=TAGS_MAX, max=TAG_MAX_LEN),
                placeholder=t("gallery.tags_placeholder"),
            )
            if st.form_submit_button(t("gallery.save_tags"), icon=":material/sell:"):
                _report(set_tags, "gallery.tags_saved", actor=actor, study_id=row["study_id"], tags=tags)


def render_detail(actor: Actor | None, study_id: int) -> None:
    """The detail view, or a clear message when the record is not in the gallery."""
    show_flash()
    st.page_link(GALLERY_PAGE, label=t("gallery.back"), icon=":material/arrow_back:")
    row = study_detail(actor, study_id)
    if row is None:
        st.info(t("gallery.not_shown"), icon=":material/visibility_off:")
        return
    st.html(badges(row, with_tags=True))
    st.html(f'<h2 class="eb-detail-title" style="margin:0 0 0.2rem 0">{html.escape(row["title"])}</h2>')
    st.html(f'<div class="eb-card-line" style="white-space:normal">{html.escape(_meta_line(row))}</div>')
    text_column, side_column = st.columns([3, 2], gap="large")
    with text_column:
        _note(row)
        if actor is not None and actor.is_admin:
            _review_panel(actor, row)
    with side_column:
        _pictures(row)
        with st.container(horizontal=True, vertical_alignment="center"):
            like_button(actor, row["study_id"], row["like_count"], row["liked"], key=f"gallery_detail_like_{row['study_id']}")
        st.caption(t("gallery.like_rule", cap=LIKES_PER_DAY))
        _ratings(row)
