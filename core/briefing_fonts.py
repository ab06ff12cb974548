"""The CJK font the briefing's PDF embeds and its charts draw with, found at run time.

Debian's fonts-noto-cjk installs Noto Sans CJK as font collections (.ttc) whose faces are JP, KR,
SC, TC, HK; the simplified-Chinese face is picked by name, not by position. BRIEFING_FONT may name
another .ttf/.otf/.ttc file. A missing font fails with a message that says what to install.
"""
from __future__ import annotations

import functools
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

FONT_ENV = "BRIEFING_FONT"
SEARCH_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", str(Path.home() / ".local/share/fonts"))
NAMES = ("NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular.otf", "NotoSansSC-Regular.otf", "NotoSansSC-Regular.ttf",
         "SourceHanSansSC-Regular.otf", "wqy-microhei.ttc")
BOLD_NAMES = ("NotoSansCJK-Bold.ttc", "NotoSansCJKsc-Bold.otf", "NotoSansSC-Bold.otf", "SourceHanSansSC-Bold.otf")


class FontMissing(Exception):
    """No CJK font was found; `key` names the message (which tells what to install)."""

    key = "reports.error.font_missing"


@dataclass(frozen=True)
class CjkFont:
    path: Path
    index: int  # the face inside a .ttc collection
    family: str  # e.g. "Noto Sans CJK SC"
    bold_path: Path | None
    bold_index: int


def _face(path: Path) -> tuple[int, str]:
    """The simplified-Chinese face of a collection (its index and family), or the font's only face."""
    from fontTools.ttLib import TTCollection, TTFont

    if path.suffix.lower() == ".ttc":
        collection = TTCollection(str(path), lazy=True)
        families = [font["name"].getDebugName(1) or "" for font in collection.fonts]
        for preferred in (" SC", "SC", "CN", "GB"):
            for index, family in enumerate(families):
                if family.endswith(preferred) and "Mono" not in family:
                    return index, family
        return 0, families[0]
    return 0, TTFont(str(path), lazy=True)["name"].getDebugName(1) or path.stem


def _find(names: tuple[str, ...]) -> Path | None:
    for directory in SEARCH_DIRS:
        root = Path(directory)
        if not root.is_dir():
            continue
        for name in names:
            found = next(root.rglob(name), None)
            if found is not None:
                return found
    return None


def _fc_match() -> Path | None:
    """fontconfig's own answer for a Chinese sans-serif font, where fontconfig is installed."""
    if shutil.which("fc-match") is None:
        return None
    try:
        answer = subprocess.run(
            ["fc-match", "-f", "%{file}", "sans-serif:lang=zh-cn"], capture_output=True, text=True, timeout=5, check=False,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    path = Path(answer) if answer else None
    return path if path is not None and path.suffix.lower() in {".ttc", ".otf", ".ttf"} and path.is_file() else None


@functools.lru_cache(maxsize=1)
def cjk_font() -> CjkFont:
    """The font to embed: BRIEFING_FONT, else Noto Sans CJK / Source Han Sans, else fontconfig's choice."""
    configured = os.environ.get(FONT_ENV)
    path = Path(configured) if configured else _find(NAMES) or _fc_match()
    if path is None or not path.is_file():
        raise FontMissing(str(path or "Noto Sans CJK"))
    index, family = _face(path)
    bold = _find(BOLD_NAMES) if not configured else None
    bold_index = _face(bold)[0] if bold is not None else 0
    return CjkFont(path, index, family, bold, bold_index)
