"""大屏展示 — set up the meeting-room screen, then project it full screen (?play=1)."""
import datetime as dt
import time

import streamlit as st
import streamlit.components.v1 as components

from core.i18n import format_date
from core.presenter import BOARDS, METRICS, PERIODS, THEMES, moved_up, parse_settings, settings_query, slide_at, slides
from db.access import PermissionDenied, ValidationFailed
from db.presenter import create_snapshot
from ui import board_data, campaign_choice, data, presenter_data
from ui.presenter_view import group_boards, page_css, screen_html
from ui.state import current_actor, language, localized, t

settings = parse_settings(st.query_params.to_dict())
REVEAL_KEY = "presenter_revealed"
# Presenter remotes send PageDown / arrow keys; a key in the projected page reveals the next rank.
KEY_LISTENER = """<script>
const doc = window.parent.document;
if (!doc.__presenterKeys) {
  doc.__presenterKeys = true;
  doc.addEventListener("keydown", (event) => {
    if (![" ", "ArrowRight", "ArrowDown", "PageDown", "Enter"].includes(event.key)) return;
    const button = [...doc.querySelectorAll("button")].find((b) => b.innerText.includes("%s"));
    if (button) { event.preventDefault(); button.click(); }
  });
}
</script>"""


def play() -> None:
    st.html(page_css(settings.theme))
    frozen = presenter_data.snapshot(settings.snapshot) if settings.snapshot else None
    if settings.snapshot and frozen is None:
        st.error(t("presenter.snapshot_missing"))
        return
    started = st.session_state.setdefault("presenter_started", time.time())

    # A snapshot's figures never change; its screen still turns to the next board on time.
    @st.fragment(run_every=settings.rotate if frozen else settings.interval)
    def screen() -> None:
        payload = frozen["payload"] if frozen else presenter_data.live_payload(settings)
        if not payload:
            st.info(t("app.no_campaign"))
            return
        # Reveal mode stays on the first group's leaderboard while the presenter steps through it.
        playlist = [("leaderboard", 0)] if settings.reveal else slides(settings.boards, len(group_boards(payload)))
        slide = slide_at(playlist, settings.rotate, time.time() - started)
        board, group_index = playlist[slide]
        ranks = {row["unit_id"]: row["rank"] for shown in group_boards(payload) for row in shown["leaderboard"]}
        flash = moved_up(st.session_state.get("presenter_ranks", {}), ranks)
        st.session_state["presenter_ranks"] = ranks
        revealed = st.session_state.get(REVEAL_KEY, 0) if settings.reveal else None
        st.html(
            screen_html(
                board=board,
                payload=payload,
                language=settings.language,
                theme=settings.theme,
                updated=dt.datetime.now().strftime("%H:%M:%S"),
                frozen=f"{frozen['name']} · {frozen['created_at']:%Y-%m-%d %H:%M}" if frozen else None,
                flash=flash,
                revealed=revealed,
                position=(slide, len(playlist)),
                group_index=group_index,
            )
        )
        if settings.reveal:
            total = len(group_boards(payload)[0]["leaderboard"])
            label = t("presenter.reveal_next")
            if st.button(label, disabled=revealed >= total, key="reveal_next"):
                st.session_state[REVEAL_KEY] = min(total, revealed + 1)
                st.rerun(scope="fragment")
            components.html(KEY_LISTENER % label, height=0)

    screen()


def setup() -> None:
    lang = language()
    actor = current_actor()
    st.title(t("presenter.heading"))
    st.caption(t("presenter.intro"))
    groups = data.groups()
    with st.form("presenter_setup"):
        boards = st.multiselect(
            t("presenter.boards"), BOARDS, default=list(settings.boards),
            format_func=lambda board: t(f"presenter.board.{board}"), help=t("presenter.boards_help"),
        )
        first, second, third = st.columns(3)
        interval = first.number_input(t("presenter.interval"), 3, 300, settings.interval, step=1)
        rotate = second.number_input(t("presenter.rotate"), 5, 600, settings.rotate, step=5)
        top = third.number_input(t("presenter.top"), 3, 20, settings.top, step=1)
        codes = [group["code"] for group in groups]
        chosen_groups = st.multiselect(
            t("presenter.groups"), codes, default=[code for code in settings.group_codes if code in codes] or codes[:1],
            format_func=lambda code: localized(next(g for g in groups if g["code"] == code)), help=t("presenter.groups_help"),
        )
        period = second.selectbox(t("board.period"), PERIODS, index=PERIODS.index(settings.period), format_func=lambda p: t(f"board.period_kind.{p}"))
        metric = third.selectbox(t("board.metric"), METRICS, index=METRICS.index(settings.metric), format_func=lambda m: t(f"board.metric_kind.{m}"))
        theme = first.radio(t("presenter.theme"), THEMES, index=THEMES.index(settings.theme), format_func=lambda th: t(f"presenter.theme_{th}"), horizontal=True)
        screen_language = second.radio(t("app.language"), ("zh", "en"), index=0 if settings.language == "zh" else 1, format_func={"zh": "中文", "en": "English"}.get, horizontal=True)
        office_hides_names = board_data.names_hidden()
        hide_names = third.toggle(
            t("presenter.hide_names"), value=settings.hide_names or office_hides_names, disabled=office_hides_names,
            help=t("presenter.hide_names_office") if office_hides_names else None,
        )
        snapshots = presenter_data.snapshots()
        snapshot_ids = [None] + [row["id"] for row in snapshots]
        names = {row["id"]: f"{row['name']} · {row['created_at']:%Y-%m-%d %H:%M}" for row in snapshots}
        snapshot = st.selectbox(
            t("presenter.snapshot"), snapshot_ids, index=snapshot_ids.index(settings.snapshot) if settings.snapshot in snapshot_ids else 0,
            format_func=lambda ident: t("presenter.live") if ident is None else names[ident],
        )
        reveal = st.toggle(t("presenter.reveal"), value=settings.reveal, help=t("presenter.reveal_help"))
        campaigns = campaign_choice.choices()
        campaign_labels = {c.id: campaign_choice.label(c) for c in campaigns}
        campaign = st.selectbox(
            t("campaign.choose"), list(campaign_labels), format_func=campaign_labels.get,
            index=next((i for i, c in enumerate(campaigns) if c.id == settings.campaign), 0),
        ) if len(campaigns) > 1 else settings.campaign
        st.form_submit_button(t("presenter.apply"), type="primary")
    chosen = settings.with_changes(
        boards=tuple(boards) or BOARDS, interval=int(interval), rotate=int(rotate), top=int(top), group=",".join(chosen_groups) or None,
        period=period, metric=metric, theme=theme, language=screen_language, hide_names=hide_names,
        snapshot=snapshot, reveal=reveal, campaign=None if campaign == next((c.id for c in campaigns if c.current), None) else campaign,
    )
    query = "&".join(f"{key}={value}" for key, value in settings_query(chosen).items())
    st.link_button(t("presenter.open"), f"presenter?{query}", type="primary", icon=":material/present_to_all:")
    st.code(f"/presenter?{query}", language=None)
    st.caption(t("presenter.bookmark_hint"))

    if actor is not None and actor.is_admin:
        st.subheader(t("presenter.freeze_heading"))
        with st.form("presenter_freeze", clear_on_submit=True):
            name = st.text_input(t("presenter.snapshot_name"), max_chars=120, placeholder=t("presenter.snapshot_placeholder", date=format_date(dt.date.today(), lang)))
            freeze = st.form_submit_button(t("presenter.freeze"), icon=":material/ac_unit:")
        if freeze:
            live = chosen.with_changes(snapshot=None, boards=BOARDS)
            try:
                ident = create_snapshot(actor, name=name, settings=settings_query(live), payload=presenter_data.live_payload(live))
            except ValidationFailed as failure:
                field, key, params = failure.problems[0]
                st.error(f"{t('presenter.snapshot_name')}:{t(key, **params)}")
            except PermissionDenied as denied:
                st.error(t(denied.key))
            else:
                st.success(t("presenter.frozen_done", id=ident))


if settings.play:
    play()
else:
    setup()
