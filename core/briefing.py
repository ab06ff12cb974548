"""简报 — the 《组工动态》-style briefing as plain content, before any file format.

db/briefings.py gathers the figures into a `Briefing`; core/briefing_docx.py and
core/briefing_pdf.py lay the same content out as Word and PDF, so both files always say the same.
Pure: no database, no Streamlit.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

BLOCK_KINDS = ("paragraph", "bullets", "table", "chart")


@dataclass(frozen=True)
class TableBlock:
    headers: list[str]
    rows: list[list[str]]
    numeric: frozenset[int] = frozenset()  # columns whose figures align right
    widths: tuple[float, ...] = ()  # relative column widths; equal when empty


@dataclass(frozen=True)
class Block:
    kind: str  # one of BLOCK_KINDS
    text: str = ""  # a paragraph, a table's or a chart's caption
    items: tuple[str, ...] = ()  # bullets
    table: TableBlock | None = None
    image: bytes = b""  # a chart as PNG


@dataclass(frozen=True)
class Section:
    key: str  # rankings / completion / coverage / highlights / honours / publicity
    heading: str
    blocks: list[Block] = field(default_factory=list)


@dataclass(frozen=True)
class Briefing:
    masthead: str  # 组工动态
    issue_number: int  # 期号
    issue_text: str  # 第3期 / Issue 3
    issuer: str  # 编发单位
    issued_on: dt.date
    issued_text: str  # 2026年11月30日 / 2026-11-30
    title: str
    period_text: str
    lead: str  # 导语: the office's own words, edited before generating
    sections: list[Section]
    language: str = "zh"

    def numbered(self, number: int, heading: str) -> str:
        """一、标题 in Chinese, 1. Heading in English."""
        return f"{chinese_number(number)}、{heading}" if self.language == "zh" else f"{number}. {heading}"

    def section(self, key: str) -> Section:
        return next(section for section in self.sections if section.key == key)


def paragraph(text: str) -> Block:
    return Block("paragraph", text=text)


def bullets(items: list[str]) -> Block:
    return Block("bullets", items=tuple(items))


def table(headers: list[str], rows: list[list[str]], *, numeric: set[int] = frozenset(), caption: str = "", widths: tuple[float, ...] = ()) -> Block:
    return Block("table", text=caption, table=TableBlock(headers, rows, frozenset(numeric), widths))


def chart(image: bytes, caption: str) -> Block:
    return Block("chart", text=caption, image=image)


def chinese_number(number: int) -> str:
    """一 … 九十九, for the numbered section headings (一、二、…) of an official document."""
    digits = "零一二三四五六七八九"
    if not 0 < number < 100:
        return str(number)
    tens, ones = divmod(number, 10)
    if tens == 0:
        return digits[ones]
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def figure(value: float | None, decimals: int = 1) -> str:
    return "—" if value is None else f"{value:,.{decimals}f}"
