"""大屏展示 — set up the meeting-room screen, then project it full screen (?play=1)."""
import streamlit as st

from core.clock import office_today
from core.i18n import format_date, format_datetime
from core.presenter import BOARDS, METRICS, PERIODS, THEMES, TOP_RANGE, parse_settings, setting_warnings, settings_query
from db.access import PermissionDenied, ValidationFailed
from db.presenter import create_snapshot
from ui import board_data, data, presenter_data
from ui.presenter_player import presenter_player
from ui.presenter_setup import screen_address, show_address
from ui.presenter_view import message_deck, page_css
from ui.state import current_actor, language, localized, t

settings = parse_settings(st.query_params.to_dict())
FROZEN_KEY = "presenter_just_frozen"


def play() -> None:
    st.html(page_css(settings.theme))
    frozen = presenter_data.snapshot(settings.snapshot, hide_names=settings.hide_names) if settings.snapshot else None
    if settings.snapshot and frozen is None:
        presenter_player(message_deck(settings, "presenter.snapshot_missing"))
        return

    # The data refreshes on its own interval; the player turns the slides on the browser's clock.
    # A snapshot's figures never change, so it never refreshes.
    @st.fragment(run_every=None if frozen else settings.interval)
    def screen() -> None:
        presenter_player(presenter_data.screen_deck(settings, frozen))

    screen()


def setup() -> None:
    lang = language()
    actor = current_actor()
    st.title(t("presenter.heading"))
    st.caption(t("presenter.intro"))
    groups = data.groups()
    codes = [group["code"] for group in groups]
    unknown_in_address = [code for code in settings.group_codes if code not in codes]
    if data.campaign() is None:
        st.warning(t("presenter.no_campaign"))
    if not groups:
        st.warning(t("presenter.no_groups"))
    just_frozen = st.session_state.pop(FROZEN_KEY, None)
    with st.form("presenter_setup"):
        boards = st.multiselect(
            t("presenter.boards"), BOARDS, default=list(settings.boards),
            format_func=lambda board: t(f"presenter.board.{board}"), help=t("presenter.boards_help"),
        )
        first, second, third = st.columns(3)
        rotate = first.number_input(t("presenter.rotate"), 5, 600, settings.rotate, step=5, help=t("presenter.rotate_help"))
        interval = second.number_input(t("presenter.interval"), 3, 300, settings.interval, step=1, help=t("presenter.interval_help"))
        top = third.number_input(t("presenter.top"), *TOP_RANGE, settings.top, step=1, help=t("presenter.top_help"))
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
        names = {row["id"]: f"{row['name']} · {format_datetime(row['created_at'], lang)}" for row in snapshots}
        wanted = just_frozen if just_frozen in snapshot_ids else settings.snapshot
        snapshot = st.selectbox(
            t("presenter.snapshot"), snapshot_ids, index=snapshot_ids.index(wanted) if wanted in snapshot_ids else 0,
            format_func=lambda ident: t("presenter.live") if ident is None else names[ident],
        )
        fade = first.toggle(t("presenter.fade"), value=settings.fade)
        reveal = st.toggle(t("presenter.reveal"), value=settings.reveal, help=t("presenter.reveal_help"))
        st.form_submit_button(t("presenter.apply"), type="primary")
    chosen = settings.with_changes(
        boards=tuple(boards) or BOARDS, interval=int(interval), rotate=int(rotate), top=int(top),
        group=",".join(chosen_groups) if chosen_groups else settings.group,
        period=period, metric=metric, theme=theme, language=screen_language, hide_names=hide_names,
        snapshot=snapshot, reveal=reveal, fade=fade,
    )
    for key, params in setting_warnings(chosen, tuple(unknown_in_address)):
        st.warning(t(key, **params))
    show_address(screen_address(chosen))
    st.caption(t("presenter.keys_hint"))

    if actor is not None and actor.is_admin:
        st.subheader(t("presenter.freeze_heading"))
        if just_frozen is not None:
            st.success(t("presenter.frozen_done", id=just_frozen))
            st.link_button(t("presenter.open_frozen"), screen_address(chosen.with_changes(snapshot=just_frozen)), type="primary",
                           icon=":material/present_to_all:")
        with st.form("presenter_freeze", clear_on_submit=True):
            name = st.text_input(t("presenter.snapshot_name"), max_chars=120,
                                 placeholder=t("presenter.snapshot_placeholder", date=format_date(office_today(), lang)))
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
                # The new snapshot is chosen at once, in the list above and in the address to open.
                data.refresh()
                st.session_state[FROZEN_KEY] = ident
                st.rerun()


if settings.play:
    play()
else:
    setup()

