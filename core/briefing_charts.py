"""The briefing's charts as PNG images with readable Chinese labels (matplotlib, Agg, no display).

The CJK font is registered with matplotlib explicitly (core/briefing_fonts.py): without it
Chinese labels come out as empty boxes.
"""
from __future__ import annotations

import io
import threading
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
from matplotlib import font_manager  # noqa: E402 - the backend is chosen before pyplot loads
from matplotlib.figure import Figure  # noqa: E402

from core.briefing_fonts import cjk_font  # noqa: E402

ACCENT = "#B71C1C"
SOFT = "#E6B8B8"
GREY = "#6B6B6B"
_registered = threading.Lock()
_families: list[str] = []


def _family() -> str:
    """Register the CJK font once per process and return its family name."""
    with _registered:
        if not _families:
            font = cjk_font()
            font_manager.fontManager.addfont(str(font.path))
            _families.append(font.family)
        return _families[0]


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=150, bbox_inches="tight", facecolor="white")
    return buffer.getvalue()


def ranked_bars(labels: Sequence[str], values: Sequence[float | None], *, title: str, value_label: str, percent: bool = False) -> bytes:
    """Horizontal bars, best at the top; the leader in the accent colour, the value at each bar's end."""
    family = _family()
    shown = [0.0 if value is None else float(value) for value in values]
    height = max(1.6, 0.38 * len(labels) + 0.9)
    # Figure rather than pyplot: no global state, safe in a server that renders for several people.
    figure = Figure(figsize=(7.2, height))
    axes = figure.subplots()
    positions = list(range(len(labels)))[::-1]
    colours = [ACCENT if index == 0 else SOFT for index in range(len(labels))]
    axes.barh(positions, shown, color=colours, height=0.62)
    axes.set_yticks(positions, labels=list(labels), fontfamily=family, fontsize=9)
    top = max(shown, default=0.0) or 1.0
    axes.set_xlim(0, top * 1.18)
    for position, value, original in zip(positions, shown, values, strict=True):
        text = "—" if original is None else (f"{value * 100:.1f}%" if percent else f"{value:,.1f}")
        axes.text(value + top * 0.01, position, text, va="center", fontsize=8, color=GREY, fontfamily=family)
    axes.set_title(title, fontfamily=family, fontsize=11, loc="left", color="#1F1F1F")
    axes.set_xlabel(value_label, fontfamily=family, fontsize=9, color=GREY)
    if percent:
        axes.xaxis.set_major_formatter(lambda x, _pos: f"{x * 100:.0f}%")
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(axis="x", labelsize=8, colors=GREY)
    return _png(figure)
