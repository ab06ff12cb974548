"""User text shown as text: the one way untrusted strings reach Streamlit's Markdown elements.

st.title, st.caption, st.markdown, st.write, alerts and widget labels all read Markdown (with
Streamlit's :red[...] and :material/...: directives, and GitHub's autolinks of bare URLs and
e-mail addresses). A book title such as ``![x](http://evil/x.png)`` or ``www.evil.example`` would
otherwise render as a live image or link on a public page. CommonMark lets every ASCII
punctuation character be escaped with a backslash, and an escaped character is always literal
text: so escaping all of them leaves no Markdown, no HTML tag (``\\<`` is text even where raw HTML
is allowed), no directive and no autolink (``www\\.`` and ``https\\:`` are not URLs), while the
reader sees exactly what was typed. For raw HTML (st.html) use html.escape instead.
"""
from __future__ import annotations

import re
import string

_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")


def as_text(value: object) -> str:
    """`value` as Markdown that renders as its own characters and nothing else."""
    if value is None:
        return ""
    return _PUNCTUATION.sub(r"\\\1", str(value))
