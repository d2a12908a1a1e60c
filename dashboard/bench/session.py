"""A Streamlit session without a browser, for `loadtest`.

It speaks Streamlit's own websocket protocol with the protobufs Streamlit
ships (`streamlit.proto`), as its frontend does: a `BackMsg` asks for a run
(the page, the URL's query string, the widgets the user changed), and the
server answers with `ForwardMsg`s, the page's elements, until `script_finished`.
So dozens of sessions fit in one process on two cores, where a Chromium page
each would not. What it leaves out is the browser's part: drawing, the map's
iframe, static files.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect

#: How long one run may take before it counts as failed.
RUN_TIMEOUT_S = 300
_EARLY = ForwardMsg.FINISHED_EARLY_FOR_RERUN


class RunFailed(Exception):
    """The server did not finish a run: it failed to compile, or the connection broke."""


@dataclass
class Run:
    """What one run of the script sent: its elements, every message's bytes
    (to look for a text anywhere, tables included), and how long it took."""

    seconds: float = 0.0
    elements: list[Element] = field(default_factory=list)
    #: The widget ids of the expanders that track their state (built when opened).
    expanders: list[str] = field(default_factory=list)
    payload: bytearray = field(default_factory=bytearray)

    def widgets(self, kind: str, label: str) -> list:
        """The widgets of one kind ('selectbox', 'text_area', ...) with this label."""
        return [getattr(e, kind) for e in self.elements if e.WhichOneof("type") == kind and getattr(e, kind).label == label]

    def submit(self, form_id: str, **values: WidgetState) -> list[WidgetState]:
        """What the browser sends when the form `form_id` is submitted: every
        field of it, at its default unless given in `values` (by label), and
        the click on its submit button."""
        states = []
        for element in self.elements:
            kind = element.WhichOneof("type")
            widget = getattr(element, kind)
            if getattr(widget, "form_id", None) != form_id:
                continue
            if kind == "button" and widget.is_form_submitter:
                states.append(click(widget.id))
            elif kind != "button":
                given = values.get(widget.label)
                states.append(given if given is not None else _default(kind, widget))
        return states

    def exceptions(self) -> list[str]:
        """The exceptions the page shows (an error in the app)."""
        return [f"{e.exception.type}: {e.exception.message}" for e in self.elements if e.WhichOneof("type") == "exception"]

    def alerts(self) -> list[str]:
        return [e.alert.body for e in self.elements if e.WhichOneof("type") == "alert"]

    def shows(self, text: str) -> bool:
        return text.encode() in self.payload


class Session:
    """One browser tab's session on the app at `url` (http://host:port); use
    `async with`. `open` runs a page as a link would, `change` reruns it with
    widgets set, each returning the finished `Run`."""

    def __init__(self, url: str):
        self.stream = url.replace("http", "ws", 1) + "/_stcore/stream"
        self.page, self.query = "", ""

    async def __aenter__(self) -> Session:
        self.ws = await connect(self.stream, subprotocols=["streamlit"], max_size=None, open_timeout=60)
        return self

    async def __aexit__(self, *exc) -> None:
        await self.ws.close()

    async def open(self, page: str, query: str = "") -> Run:
        """The page `page` (its URL path; '' the default page) with `query` as a link opens it."""
        self.page, self.query = page, query
        return await self.change([])

    async def change(self, widgets: list[WidgetState]) -> Run:
        """Rerun the page with `widgets` set, as after a click."""
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string, state.page_name = self.query, self.page
        state.widget_states.widgets.extend(widgets)
        started = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        run = await self._finished()
        run.seconds = time.perf_counter() - started
        return run

    async def _finished(self) -> Run:
        try:
            async with asyncio.timeout(RUN_TIMEOUT_S):
                return await self._messages()
        except TimeoutError:
            raise RunFailed(f"no finished run within {RUN_TIMEOUT_S} s") from None

    async def _messages(self) -> Run:
        run = Run()
        while True:
            data = await self.ws.recv(decode=False)
            fwd = ForwardMsg()
            fwd.ParseFromString(data)
            kind = fwd.WhichOneof("type")
            if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                run.elements.append(fwd.delta.new_element)
                run.payload += data
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "add_block" and fwd.delta.add_block.expandable.id:
                run.expanders.append(fwd.delta.add_block.expandable.id)
            elif kind == "session_event" and fwd.session_event.WhichOneof("type") == "script_compilation_exception":
                raise RunFailed(fwd.session_event.script_compilation_exception.message)
            elif kind == "script_finished" and fwd.script_finished != _EARLY:
                if fwd.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    raise RunFailed("the script did not compile")
                return run


def _default(kind: str, widget) -> WidgetState:
    """A form field's state at its default, as the frontend serialises it."""
    state = WidgetState(id=widget.id)
    if kind == "selectbox":
        state.string_value = widget.options[widget.default]
    elif kind in ("text_area", "text_input"):
        state.string_value = widget.default
    elif kind == "slider":
        state.double_array_value.data.extend(widget.default)
    elif kind == "multiselect":
        state.string_array_value.data.extend(widget.options[i] for i in widget.default)
    else:
        raise ValueError(f"no default state for a {kind} in a form")
    return state


def text(widget_id: str, value: str) -> WidgetState:
    state = WidgetState(id=widget_id)
    state.string_value = value
    return state


def opened(widget_id: str) -> WidgetState:
    """An expander opened (or a checkbox ticked)."""
    state = WidgetState(id=widget_id)
    state.bool_value = True
    return state


def click(widget_id: str) -> WidgetState:
    state = WidgetState(id=widget_id)
    state.trigger_value = True
    return state
