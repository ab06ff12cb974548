"""The briefing as PDF (fpdf2) with the CJK font embedded (a subset of it), so that it prints and
shows the same everywhere and its text can be searched and copied as Chinese."""
from __future__ import annotations

import io

from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos
from fpdf.fonts import FontFace

from core.briefing import Block, Briefing
from core.briefing_fonts import cjk_font

RED = (183, 28, 28)
GREY = (107, 107, 107)
INK = (31, 31, 31)
FAMILY = "cjk"


class _Pdf(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(format="A4")
        self.footer_text = footer_text

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(*GREY)
        self.cell(0, 6, f"{self.footer_text} · {self.page_no()}", align=Align.C)


def _fonts(pdf: FPDF) -> None:
    font = cjk_font()
    pdf.add_font(FAMILY, "", str(font.path), collection_font_number=font.index)
    if font.bold_path is not None:
        pdf.add_font(FAMILY, "B", str(font.bold_path), collection_font_number=font.bold_index)
    else:  # no bold face: bold text is set in the regular face
        pdf.add_font(FAMILY, "B", str(font.path), collection_font_number=font.index)


def _block(pdf: FPDF, block: Block) -> None:
    width = pdf.epw
    if block.kind == "paragraph":
        pdf.set_font(FAMILY, "", 11)
        pdf.set_text_color(*INK)
        pdf.multi_cell(width, 7, "\u3000\u3000" + block.text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1)
    elif block.kind == "bullets":
        pdf.set_font(FAMILY, "", 10.5)
        pdf.set_text_color(*INK)
        for item in block.items:
            pdf.multi_cell(width, 6.5, "• " + item, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1)
    elif block.kind == "table" and block.table is not None:
        if block.text:
            pdf.set_font(FAMILY, "B", 10.5)
            pdf.cell(width, 7, block.text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(FAMILY, "", 9)
        widths = block.table.widths or tuple(1 for _ in block.table.headers)
        aligns = tuple("RIGHT" if index in block.table.numeric else "LEFT" for index in range(len(block.table.headers)))
        with pdf.table(
            col_widths=widths, text_align=aligns, line_height=6, first_row_as_headings=True,
            headings_style=FontFace(family=FAMILY, emphasis="BOLD", color=(255, 255, 255), fill_color=RED),
            borders_layout="HORIZONTAL_LINES",
        ) as grid:
            grid.row(block.table.headers)
            for row in block.table.rows:
                grid.row(row)
        pdf.ln(3)
    elif block.kind == "chart" and block.image:
        pdf.image(io.BytesIO(block.image), w=width * 0.92, x=pdf.l_margin + width * 0.04)
        if block.text:
            pdf.set_font(FAMILY, "", 8.5)
            pdf.set_text_color(*GREY)
            pdf.cell(width, 5, block.text, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)


def pdf_bytes(briefing: Briefing) -> bytes:
    pdf = _Pdf(f"{briefing.masthead} {briefing.issue_text}")
    pdf.set_title(f"{briefing.masthead} {briefing.title}")
    pdf.set_author(briefing.issuer)
    pdf.set_margins(22, 20, 22)
    pdf.set_auto_page_break(True, margin=18)
    _fonts(pdf)
    pdf.add_page()
    width = pdf.epw
    pdf.set_font(FAMILY, "B", 34)
    pdf.set_text_color(*RED)
    pdf.cell(width, 18, briefing.masthead, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, "", 13)
    pdf.set_text_color(*INK)
    pdf.cell(width, 9, briefing.issue_text, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, "", 11)
    pdf.cell(width / 2, 8, briefing.issuer)
    pdf.cell(width / 2, 8, briefing.issued_text, align=Align.R, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_draw_color(*RED)
    pdf.set_line_width(0.8)
    pdf.line(pdf.l_margin, pdf.get_y() + 1, pdf.l_margin + width, pdf.get_y() + 1)
    pdf.ln(6)
    pdf.set_font(FAMILY, "B", 16)
    pdf.multi_cell(width, 9, briefing.title, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, "", 10)
    pdf.set_text_color(*GREY)
    pdf.cell(width, 7, briefing.period_text, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    for text in [line for line in briefing.lead.splitlines() if line.strip()]:
        _block(pdf, Block("paragraph", text=text.strip()))
    pdf.set_line_width(0.2)
    for number, section in enumerate(briefing.sections, start=1):
        pdf.ln(2)
        pdf.set_font(FAMILY, "B", 13)
        pdf.set_text_color(*INK)
        pdf.cell(width, 9, briefing.numbered(number, section.heading), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        for block in section.blocks:
            _block(pdf, block)
    return bytes(pdf.output())
