"""A Streamlit viewer without a browser: the websocket protocol a projector's page speaks.

Fifty Chromium pages do not fit on a two-core machine beside the server they measure; fifty of these
do. A viewer asks for a page the way Streamlit's frontend does (a rerun request naming the page and
its query string), and answers the server's auto-rerun messages the way the frontend does: a
fragment rerun every `interval` seconds (st.fragment(run_every=...) is driven from the client).
It keeps the HTML of the last deck the fragment sent to the player, so a test can read the projected screen.
"""
from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg


def screen_html(component_data: str) -> str:
    """The HTML of every slide in the presenter player's deck (ui/presenter_view.deck), one after
    another: what the projector's player can show until the next refresh."""
    deck = json.loads(component_data)
    if isinstance(deck, str):  # the deck travels as a JSON string inside the component's JSON
        deck = json.loads(deck)
    parts = []
    for slide in deck["slides"]:
        parts.extend(slide.get("podium", []) + slide.get("rows", []) + [slide.get("body", "")])
    return "".join(parts)


@dataclass
class StreamlitViewer:
    base_url: str
    page_name: str
    query_string: str
    page_script_hash: str = ""
    fragment_screens: int = 0  # how many times a fragment redrew its HTML
    last_screen: str = ""
    exceptions: list[str] = field(default_factory=list)
    first_screen: asyncio.Event = field(default_factory=asyncio.Event)
    _timers: dict[str, asyncio.Task] = field(default_factory=dict)

    async def watch(self, stop: asyncio.Event, connect_timeout: float = 120) -> None:
        """Open the page and keep it on screen until `stop` is set.

        A connection the server closes early ends the watch with an error instead of a viewer that
        quietly stops refreshing. No client pings: a busy server answers late, and a browser's
        Streamlit frontend does not ping either.
        """
        address = self.base_url.replace("http://", "ws://") + "/_stcore/stream"
        async with websockets.connect(
            address, subprotocols=["streamlit"], max_size=None, open_timeout=connect_timeout, ping_interval=None
        ) as socket:
            await socket.send(self._rerun().SerializeToString())
            receiver = asyncio.create_task(self._receive(socket))
            stopping = asyncio.create_task(stop.wait())
            try:
                await asyncio.wait({receiver, stopping}, return_when=asyncio.FIRST_COMPLETED)
                if receiver.done():
                    receiver.result()  # raises what ended the connection
                    raise ConnectionError("the server closed the connection while the page was on screen")
            finally:
                for task in (receiver, stopping, *self._timers.values()):
                    task.cancel()

    def _rerun(self, fragment_id: str = "") -> BackMsg:
        message = BackMsg()
        request = message.rerun_script
        request.query_string = self.query_string
        request.page_script_hash = self.page_script_hash
        request.page_name = "" if self.page_script_hash else self.page_name
        if fragment_id:
            request.fragment_id = fragment_id
            request.is_auto_rerun = True
        return message

    async def _receive(self, socket) -> None:  # noqa: ANN001 - a websockets connection
        async for data in socket:
            message = ForwardMsg()
            message.ParseFromString(data)
            kind = message.WhichOneof("type")
            if kind == "navigation":
                self.page_script_hash = message.navigation.page_script_hash
            elif kind == "auto_rerun":
                self._start_timer(socket, message.auto_rerun.fragment_id, message.auto_rerun.interval)
            elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                self._draw(message)

    def _draw(self, message: ForwardMsg) -> None:
        element = message.delta.new_element
        kind = element.WhichOneof("type")
        if kind == "exception":
            self.exceptions.append(f"{element.exception.type}: {element.exception.message}")
        elif kind == "bidi_component" and message.delta.fragment_id:
            self.fragment_screens += 1
            self.last_screen = screen_html(element.bidi_component.json)
            self.first_screen.set()

    def _start_timer(self, socket, fragment_id: str, interval: float) -> None:  # noqa: ANN001
        if fragment_id in self._timers:
            return

        async def tick() -> None:
            while True:
                await asyncio.sleep(interval)
                try:
                    await socket.send(self._rerun(fragment_id).SerializeToString())
                except websockets.ConnectionClosed as closed:
                    self.exceptions.append(f"refresh request not sent: {closed}")
                    return

        self._timers[fragment_id] = asyncio.create_task(tick())
