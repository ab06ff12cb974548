"""A Streamlit viewer without a browser: the websocket protocol a projector's page speaks.

Fifty Chromium pages do not fit on a two-core machine beside the server they measure; fifty of these
do. A viewer asks for a page the way Streamlit's frontend does (a rerun request naming the page and
its query string), and answers the server's auto-rerun messages the way the frontend does: a
fragment rerun every `interval` seconds (st.fragment(run_every=...) is driven from the client).
It keeps the HTML of the last deck the fragment sent to the player, so a test can read the projected screen.

A signed-in viewer sends the session cookie with its connection, as a browser does after signing
in. A page without a timer of its own (the leaderboard) is rerun every `rerun_every` seconds, as a
person changing a control would. Every run's latency is measured from the request to the
server's "script finished".
"""
from __future__ import annotations

import asyncio
import json
import time
from collections import deque
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
    cookie: str = ""  # "name=value" of the session cookie; empty for an anonymous viewer
    rerun_every: float = 0
    fragment_screens: int = 0  # how many times a fragment redrew its HTML
    last_screen: str = ""
    exceptions: list[str] = field(default_factory=list)
    first_screen: asyncio.Event = field(default_factory=asyncio.Event)
    finished_runs: int = 0  # runs of the page or of a fragment the server finished
    latencies: list[float] = field(default_factory=list)  # seconds from request to finished run
    captions: set[str] = field(default_factory=set)  # every caption shown (who is signed in)
    served_by: str = ""  # a reverse proxy's X-Upstream answer to the connection, if any
    _timers: dict[str, asyncio.Task] = field(default_factory=dict)
    _requested: deque[float] = field(default_factory=deque)

    async def watch(self, stop: asyncio.Event, connect_timeout: float = 120) -> None:
        """Open the page and keep it on screen until `stop` is set.

        A connection the server closes early ends the watch with an error instead of a viewer that
        quietly stops refreshing. No client pings: a busy server answers late, and a browser's
        Streamlit frontend does not ping either.
        """
        address = self.base_url.replace("http://", "ws://") + "/_stcore/stream"
        headers = {"Cookie": self.cookie} if self.cookie else None
        async with websockets.connect(
            address, subprotocols=["streamlit"], max_size=None, open_timeout=connect_timeout, ping_interval=None,
            additional_headers=headers,
        ) as socket:
            self.served_by = socket.response.headers.get("X-Upstream", "")
            await self._send(socket, self._rerun())
            if self.rerun_every:
                self._timers[""] = asyncio.create_task(self._tick(socket, "", self.rerun_every))
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

    async def _send(self, socket, message: BackMsg) -> None:  # noqa: ANN001 - a websockets connection
        self._requested.append(time.monotonic())
        await socket.send(message.SerializeToString())

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
            elif kind == "script_finished":
                self._finished(message.script_finished)

    def _finished(self, status: int) -> None:
        requested = self._requested.popleft() if self._requested else None
        if status in (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY):
            self.finished_runs += 1
            if requested is not None:
                self.latencies.append(time.monotonic() - requested)

    def _draw(self, message: ForwardMsg) -> None:
        element = message.delta.new_element
        kind = element.WhichOneof("type")
        if kind == "exception":
            self.exceptions.append(f"{element.exception.type}: {element.exception.message}")
        elif kind == "markdown" and element.markdown.element_type == element.markdown.CAPTION:
            self.captions.add(element.markdown.body)
        elif kind == "bidi_component" and message.delta.fragment_id:
            self.fragment_screens += 1
            self.last_screen = screen_html(element.bidi_component.json)
            self.first_screen.set()

    def _start_timer(self, socket, fragment_id: str, interval: float) -> None:  # noqa: ANN001
        if fragment_id not in self._timers:
            self._timers[fragment_id] = asyncio.create_task(self._tick(socket, fragment_id, interval))

    async def _tick(self, socket, fragment_id: str, interval: float) -> None:  # noqa: ANN001
        while True:
            await asyncio.sleep(interval)
            try:
                await self._send(socket, self._rerun(fragment_id))
            except websockets.ConnectionClosed as closed:
                self.exceptions.append(f"refresh request not sent: {closed}")
                return
