"""积分规则 — the office prepares the next version of the scoring rules, sees the ranking it would
give beside the one in force, and publishes it from an effective date, seeing first what changes:
the rules item by item and the current period's ranking. Periods before that date keep the rules
they had; earlier versions stay available to signed-in boards as a labelled what-if."""
import streamlit as st

from core.clock import office_today
from core.enums import RuleSetStatus
from core.i18n import format_date
from core.safe_text import as_text
from core.scoring import validate_config
from db.access import ConflictError, PermissionDenied, ValidationFailed
from db.rules import (
    create_draft,
    discard_draft,
    in_force_on,
    publish,
    rules_diff,
    standing,
    update_draft,
    version_spans,
)
from ui import board_data, board_frames, data
from ui.board_controls import board_controls, lang_key
from ui.board_frames import Table
from ui.board_view import download, show_table
from ui.rules_view import config_from_inputs, diff_table, history_table, problem_lines, rules_inputs
from ui.state import current_actor, language, localized, t

FLASH_KEY = "rules_flash"

lang = language()
actor = current_actor()
st.title(t("rules.heading"))
if actor is None or not actor.is_admin:
    st.error(t("error.admin_only"))
    st.stop()
st.caption(t("rules.intro_dated"))

versions = board_data.rule_sets()
today = office_today()
in_force = in_force_on(versions, today)
# The version a new one follows: the latest to take effect (it may be scheduled after today).
latest = max((info for info in versions if info.effective_from), key=lambda i: (i.effective_from, i.version), default=None)
draft = next((info for info in versions if info.status == RuleSetStatus.DRAFT), None)
if flash := st.session_state.pop(FLASH_KEY, None):
    st.success(flash, icon=":material/check_circle:")


def run(command, success: str) -> None:  # noqa: ANN001 - a db.rules command bound to its arguments
    """Run a write, then show its outcome; refusals explain themselves in the interface language."""
    try:
        command()
    except ValidationFailed as refused:
        st.error(t("rules.refused") + "\n\n" + "\n".join(f"- {line}" for line in problem_lines(refused.problems, types, lang)))
    except (PermissionDenied, ConflictError) as refused:
        st.error(t(refused.key))
    else:
        data.refresh()
        st.session_state[FLASH_KEY] = success
        st.rerun()


types = data.activity_types()
state = st.columns(3)
state[0].metric(t("rules.in_force"), f"v{in_force.version}" if in_force else "—", in_force.name if in_force else None, delta_color="off", delta_arrow="off")
state[1].metric(t("rules.draft"), f"v{draft.version}" if draft else "—", draft.name if draft else None, delta_color="off", delta_arrow="off")
state[2].metric(t("rules.versions"), f"{len(versions):,}")
if latest and in_force and latest.version != in_force.version:
    st.info(t("rules.scheduled_note", version=latest.version, date=format_date(latest.effective_from, lang), current=in_force.version), icon=":material/schedule:")

if draft is None:
    st.info(t("rules.no_draft"), icon=":material/edit_note:")
    sources = [info.version for info in versions if not info.discarded]
    spans = version_spans(versions)
    source_col, button_col = st.columns([3, 2], vertical_alignment="bottom")
    source = source_col.selectbox(
        t("rules.copy_from"), sources, format_func=lambda v: next(f"v{i.version} · {i.name} · {t('rules.status.' + standing(i, spans.get(i.version), today))}" for i in versions if i.version == v),
        key=lang_key("rules_source"),
    )
    if button_col.button(t("rules.new_draft"), type="primary", icon=":material/add:"):
        run(lambda: create_draft(actor, from_version=source), t("rules.draft_created"))
else:
    edit_tab, preview_tab = st.tabs([t("rules.tab_edit", version=draft.version), t("rules.tab_preview")])
    with edit_tab:
        inputs = rules_inputs(draft, types, lang)
    config = config_from_inputs(inputs)
    problems = validate_config(config, [row["code"] for row in types])
    campaign = data.campaign()
    selection = current = None
    with preview_tab:
        if campaign is None:
            st.info(t("app.no_campaign"), icon=":material/info:")
        else:
            selection = board_controls(campaign, versions=False)
            group_id = selection.group["id"] if selection.group else None
            current = board_data.board(campaign.id, selection.span.start, selection.span.end, group_id, selection.metric)
            if problems:
                st.warning(t("rules.preview_invalid") + "\n\n" + "\n".join(f"- {line}" for line in problem_lines(problems, types, lang)), icon=":material/warning:")
            else:
                proposed = board_data.preview(campaign.id, selection.span.start, selection.span.end, group_id, selection.metric, config, draft.version)
                table = board_frames.preview_table(current, proposed, selection.metric, lang)
                moved = sum(1 for row in table.frame["move"] if row and row[0] in "▲▼")
                st.caption(t("rules.preview_whole_period"))
                st.markdown(t("rules.preview_summary", moved=moved, total=len(table.frame), group=as_text(localized(selection.group)) if selection.group else ""))
                show_table(table, key="rules_preview_table")
                st.caption(t("rules.move_legend"))
                download([table], stem=table.title, key="rules_preview_export", notes=[t("rules.move_legend")])
                st.markdown(board_frames.composite_formula(proposed, lang))
    with edit_tab:
        buttons = st.columns([2, 2, 2, 5])
        if buttons[0].button(t("rules.save"), type="primary", icon=":material/save:"):
            run(lambda: update_draft(actor, version=draft.version, name=inputs.name, config=config), t("rules.saved", version=draft.version))
        with buttons[1].popover(t("rules.publish"), icon=":material/publish:"):
            earliest = latest.effective_from if latest else None
            effective = st.date_input(
                t("rules.effective_from"), value=max(today, earliest or today), min_value=earliest, format="YYYY-MM-DD",
                key="rules_effective_from", help=t("rules.effective_help", date=format_date(earliest, lang)) if earliest else None,
            )
            st.markdown(t("rules.publish_confirm_dated", version=draft.version, date=format_date(effective, lang), current=latest.version if latest else 0))
            if effective < today:
                st.warning(t("rules.backdated", date=format_date(effective, lang)), icon=":material/history:")
            if latest:
                # Both sides written out in full, so a key an old config leaves to its default is no change.
                changes = rules_diff(
                    board_data.rules_of(latest.version).to_config(), config,
                    since=version_spans(versions)[latest.version].start, effective_from=effective,
                )
                if any(change.section != "effective_from" for change in changes):
                    diff = diff_table(changes, types, lang, before=latest.version, after=draft.version)
                    show_table(diff, key="rules_diff_table")
                    download([diff], stem=diff.title, key="rules_diff_export")
                else:
                    st.caption(t("rules.no_diff", version=latest.version))
            if selection is not None and current is not None and not problems:
                pending = board_data.preview(
                    campaign.id, selection.span.start, selection.span.end, current.group_id, selection.metric, config,
                    draft.version, effective,
                )
                ranking = board_frames.preview_table(current, pending, selection.metric, lang)
                moving = ranking.frame[[bool(row) and row[0] in "▲▼" for row in ranking.frame["move"]]]
                st.markdown(t(
                    "rules.publish_ranking", start=format_date(selection.span.start, lang), end=format_date(selection.span.end, lang),
                    moved=len(moving), total=len(ranking.frame), group=as_text(localized(selection.group)) if selection.group else "",
                ))
                if len(moving):
                    moves = Table(moving, ranking.columns, ranking.title)
                    show_table(moves, key="rules_publish_ranking")
                    download([moves], stem=moves.title, key="rules_publish_ranking_export")
            if st.button(t("rules.publish_now"), type="primary", key="rules_publish_now"):
                def save_and_publish() -> None:
                    update_draft(actor, version=draft.version, name=inputs.name, config=config)
                    publish(actor, version=draft.version, effective_from=effective)
                run(save_and_publish, t("rules.published_from", version=draft.version, date=format_date(effective, lang)))
        with buttons[2].popover(t("rules.discard"), icon=":material/delete:"):
            st.markdown(t("rules.discard_confirm_not_history", version=draft.version))
            if st.button(t("rules.discard_now"), key="rules_discard_now"):
                run(lambda: discard_draft(actor, version=draft.version), t("rules.discarded", version=draft.version))
        buttons[3].caption(t("rules.unsaved_hint"))

with st.expander(t("rules.history"), expanded=draft is None):
    history = history_table(versions, lang, today)
    show_table(history, key="rules_history")
    download([history], stem=history.title, key="rules_history_export")
