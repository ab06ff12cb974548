"""The briefing as a Word document (python-docx), laid out like a 《组工动态》 issue: the red
masthead, the issue number and issuer over a red rule, the title, the lead, numbered sections."""
from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.run import Run

from core.briefing import Block, Briefing

RED = RGBColor(0xB7, 0x1C, 0x1C)
GREY = RGBColor(0x6B, 0x6B, 0x6B)
# The .docx names its fonts and does not embed them (python-docx cannot): these are the ones
# every Chinese Windows has (宋体 SimSun, 黑体 SimHei, 仿宋 FangSong), set as official documents
# are: the body in 仿宋, headings in 黑体, the masthead, title and tables in 宋体; Latin letters
# and digits in Times New Roman. The PDF embeds its font (core/briefing_fonts.py).
BODY_FONT = "仿宋"
HEADING_FONT = "黑体"
TITLE_FONT = "宋体"
TABLE_FONT = "宋体"
LATIN_FONT = "Times New Roman"


def _east_asian(properties, name: str) -> None:  # noqa: ANN001 - a w:rPr element
    """Chinese text is drawn with the w:eastAsia font, which python-docx's font.name leaves unset:
    without it Word and WPS fall back to the theme's font for every Chinese character."""
    fonts = properties.get_or_add_rFonts()
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), name)
    fonts.set(qn("w:hint"), "eastAsia")


def _font(run: Run, name: str, size: float, *, bold: bool = False, colour: RGBColor | None = None) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    if colour is not None:
        run.font.color.rgb = colour
    _east_asian(run._element.get_or_add_rPr(), name)


def _red_rule(paragraph) -> None:  # noqa: ANN001 - a python-docx Paragraph
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "18"), ("w:space", "4"), ("w:color", "B71C1C")):
        bottom.set(qn(key), value)
    border.append(bottom)
    paragraph._p.get_or_add_pPr().append(border)


def _block(document, block: Block) -> None:  # noqa: ANN001 - a python-docx Document
    if block.kind == "paragraph":
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Pt(24)
        _font(paragraph.add_run(block.text), BODY_FONT, 12)
    elif block.kind == "bullets":
        for item in block.items:
            paragraph = document.add_paragraph(style="List Bullet")
            _font(paragraph.add_run(item), BODY_FONT, 12)
    elif block.kind == "table" and block.table is not None:
        if block.text:
            _font(document.add_paragraph().add_run(block.text), HEADING_FONT, 11, bold=True)
        grid = document.add_table(rows=1, cols=len(block.table.headers))
        grid.style = "Table Grid"
        grid.alignment = WD_TABLE_ALIGNMENT.CENTER
        for index, header in enumerate(block.table.headers):
            cell = grid.rows[0].cells[index]
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            _font(cell.paragraphs[0].add_run(header), HEADING_FONT, 10, bold=True)
        for row in block.table.rows:
            cells = grid.add_row().cells
            for index, value in enumerate(row):
                paragraph = cells[index].paragraphs[0]
                if index in block.table.numeric:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                _font(paragraph.add_run(value), TABLE_FONT, 10)
        document.add_paragraph()
    elif block.kind == "chart" and block.image:
        document.add_picture(io.BytesIO(block.image), width=Cm(15))
        picture = document.paragraphs[-1]
        picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for run in picture.runs:
            _font(run, TABLE_FONT, 10)
        if block.text:
            caption = document.add_paragraph()
            caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _font(caption.add_run(block.text), TABLE_FONT, 9, colour=GREY)


def docx_bytes(briefing: Briefing) -> bytes:
    document = Document()
    normal = document.styles["Normal"]  # empty paragraphs and bullet marks follow the body font too
    normal.font.size = Pt(12)
    _east_asian(normal.element.get_or_add_rPr(), BODY_FONT)
    for section in document.sections:
        section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.2)
        section.left_margin, section.right_margin = Cm(2.6), Cm(2.6)
    document.core_properties.title = f"{briefing.masthead} {briefing.title}"
    document.core_properties.author = briefing.issuer

    masthead = document.add_paragraph()
    masthead.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(masthead.add_run(briefing.masthead), TITLE_FONT, 36, bold=True, colour=RED)
    issue = document.add_paragraph()
    issue.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(issue.add_run(briefing.issue_text), BODY_FONT, 14)
    byline = document.add_paragraph()
    byline.paragraph_format.tab_stops.add_tab_stop(Cm(15.8), alignment=2)  # right-aligned tab for the date
    _font(byline.add_run(briefing.issuer), BODY_FONT, 12)
    _font(byline.add_run("\t" + briefing.issued_text), BODY_FONT, 12)
    _red_rule(byline)

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_before = Pt(12)
    _font(title.add_run(briefing.title), TITLE_FONT, 18, bold=True)
    period = document.add_paragraph()
    period.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(period.add_run(briefing.period_text), BODY_FONT, 11, colour=GREY)
    for text in [line for line in briefing.lead.splitlines() if line.strip()]:
        _block(document, Block("paragraph", text=text.strip()))

    for number, section in enumerate(briefing.sections, start=1):
        heading = document.add_paragraph()
        heading.paragraph_format.space_before = Pt(10)
        _font(heading.add_run(briefing.numbered(number, section.heading)), HEADING_FONT, 14, bold=True)
        for block in section.blocks:
            _block(document, block)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
