"""The presenter's player, a Streamlit custom component (components v2, no iframe).

The deck goes in as JSON; the JavaScript (presenter_player.js) plays it on the browser's clock,
listens to the clicker's keys and says when the server cannot be reached. Nothing comes back to
Python: the playlist and the reveal never cost a rerun.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import streamlit as st

HERE = Path(__file__).resolve().parent
_player = st.components.v2.component(
    "excellence_board.presenter_player",
    js=(HERE / "presenter_player.js").read_text(encoding="utf-8"),
    css=(HERE / "presenter_player.css").read_text(encoding="utf-8"),
)


def presenter_player(deck: dict[str, Any] | str, *, key: str = "presenter_player") -> None:
    """Show the deck (a dict, or its JSON) full screen; the player keeps its place across data refreshes."""
    _player(data=deck if isinstance(deck, str) else json.dumps(deck, ensure_ascii=False), key=key)
