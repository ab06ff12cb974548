"""The look: a restrained red accent on white, Chinese system fonts, right-aligned figures."""
from __future__ import annotations

import streamlit as st

ACCENT = "#B71C1C"
ACCENT_SOFT = "#F3D9D9"
GREY = "#6B6B6B"
# Ranks rising are red and falling green, the Chinese convention.
RISE = "#C62828"
FALL = "#2E7D32"

FONT_STACK = '"Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif'

_CSS = f"""
<style>
html, body, [class*="css"], .stApp, .stMarkdown, button, input, textarea {{
    font-family: {FONT_STACK};
}}
h1, h2, h3 {{ letter-spacing: 0.02em; }}
.block-container {{ padding-top: 3.2rem; padding-bottom: 2rem; }}
h1 {{ font-size: 2.1rem !important; padding-top: 0.2rem !important; }}
.eb-banner {{
    border-left: 4px solid {ACCENT}; background: {ACCENT_SOFT}; color: #4A0B0B;
    padding: 0.45rem 0.9rem; border-radius: 4px; margin-bottom: 0.8rem; font-size: 0.92rem;
}}
.eb-muted {{ color: {GREY}; font-size: 0.9rem; }}
[data-testid="stMetricValue"] {{ font-variant-numeric: tabular-nums; font-size: 1.75rem; }}
/* Tables' own CSV download writes cells as they are (a name "=..." becomes a live formula):
   the app's Excel downloads (core/xlsx_export.py) replace it. */
[data-testid="stElementToolbarButton"]:has(button[aria-label^="Download as CSV"]) {{ display: none; }}
</style>
"""


def apply_theme() -> None:
    st.html(_CSS)
