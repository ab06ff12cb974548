"""The process's heap after start: what it holds then is kept out of the garbage collector's scans.

A board allocates tens of thousands of short-lived objects, so the collector runs several times
per board, and each full collection scanned every object the process held: the modules, the
catalogue, Streamlit's own state. At 1,000,000 records that was a third of the whole-campaign
board's time, on one run in two (73 ms without a full collection, 108 ms with, in the bench
process; a server holds more still). Freezing moves everything alive at that moment to a
generation the collector never scans; objects made later are collected as before, and frozen
ones are still freed when nothing refers to them.
"""
from __future__ import annotations

import gc
import threading

_settled = threading.Event()


def settle() -> None:
    """When the process has imported and prepared what it lives on: collect what the start left
    behind, then freeze the rest. Only the first call does it: what a later one would freeze
    (sessions' objects) dies in its time, and frozen cycles are never collected."""
    if _settled.is_set():
        return
    _settled.set()
    gc.collect()
    gc.freeze()
