"""The briefing for the demo data: the Word file's sections and figures equal the database's,
the PDF's text is Chinese (the font is embedded), and an issue downloads again exactly as issued."""
import io
import shutil
import subprocess

import pytest
from docx import Document
from sqlalchemy import func, select

from core.clock import office_today
from core.i18n import translate
from core.periods import period_range
from db import briefings as db_briefings
from db.access import Actor, PermissionDenied
from db.board_queries import bonus_counts
from db.boards import unit_board
from db.briefings import Scope, briefing_file, default_lead, issue_briefing, list_briefings
from db.engine import read_session
from db.honours import EntryInput, save_roll
from db.models import ActivityRecord, ActivityType, ComparisonGroup, Unit, User
from db.reference import campaign

SECTIONS = ("rankings", "completion", "coverage", "highlights", "honours", "publicity")


def _zh(key, **params):
    return translate("zh", f"reports.briefing.{key}", **params)


@pytest.fixture(scope="module")
def issued(demo_engine):
    """One issue of the demo's current quarter with a published honour roll in it."""
    with read_session(demo_engine) as session:
        admin = Actor(user_id=session.scalar(select(User.id).where(User.username == "admin")), role="admin")
        unit = session.scalar(select(Unit).where(Unit.group_id.is_not(None)).order_by(Unit.sort_order))
        unit_id, unit_name = unit.id, unit.name_zh
    info = campaign(demo_engine)
    span = period_range("quarter", min(office_today(), info.end_date), info.start_date, info.end_date)
    month = period_range("month", min(office_today(), info.end_date), info.start_date, info.end_date)
    save_roll(admin, campaign_id=info.id, period_kind="month", start=month.start, end=month.end, title="测试光荣榜",
              entries=[EntryInput("unit", unit_id, None, "office", "工作扎实,成效显著")], publish=True, engine=demo_engine)
    scope = Scope(info.id, "quarter", span, None)
    steps = []
    briefing_id = issue_briefing(admin, scope, lead="本期导语:各单位扎实推进。", progress=lambda f, label: steps.append((f, label)), engine=demo_engine)
    return {"admin": admin, "scope": scope, "id": briefing_id, "steps": steps, "unit": unit_name,
            "docx": briefing_file(admin, briefing_id, "docx", engine=demo_engine),
            "pdf": briefing_file(admin, briefing_id, "pdf", engine=demo_engine)}


def _paragraphs(document):
    return [paragraph.text for paragraph in document.paragraphs]


def test_the_word_file_has_every_section_in_order(issued):
    texts = _paragraphs(Document(io.BytesIO(issued["docx"])))
    assert texts[0] == "组工动态" and texts[1].startswith("第") and texts[1].endswith("期")
    headings = [f"{number}、{_zh(f'section.{key}')}" for number, key in zip("一二三四五六", SECTIONS, strict=True)]
    positions = [texts.index(heading) for heading in headings]
    assert positions == sorted(positions)
    assert "本期导语:各单位扎实推进。" in texts
    assert [fraction for fraction, _label in issued["steps"]] == sorted(fraction for fraction, _label in issued["steps"])


def test_the_rankings_in_the_word_file_equal_the_boards(issued, demo_engine):
    document = Document(io.BytesIO(issued["docx"]))
    scope = issued["scope"]
    with read_session(demo_engine) as session:
        groups = session.execute(select(ComparisonGroup.id).order_by(ComparisonGroup.sort_order)).scalars().all()
    tables = [table for table in document.tables if table.rows[0].cells[0].text == _zh("col.rank")]
    assert len(tables) == len(groups)
    for group_id, table in zip(groups, tables, strict=True):
        board = unit_board(campaign_id=scope.campaign_id, start=scope.span.start, end=scope.span.end, group_id=group_id, metric="composite", engine=demo_engine)
        rows = [[cell.text for cell in row.cells] for row in table.rows[1:]]
        assert [row[1] for row in rows] == [s.name_zh for s in board.standings]
        assert [row[3] for row in rows] == [f"{s.points:,.1f}" for s in board.standings]
        assert [row[5] for row in rows] == [f"{s.completion * 100:.1f}%" if s.completion is not None else "—" for s in board.standings]
    assert len(document.inline_shapes) >= len(groups) + 1  # a chart per group and the tasks chart


def test_highlights_honours_and_publicity_equal_the_database(issued, demo_engine):
    texts = _paragraphs(Document(io.BytesIO(issued["docx"])))
    scope = issued["scope"]
    with read_session(demo_engine) as session:
        counts = bonus_counts(session, campaign_id=scope.campaign_id, start=scope.span.start, end=scope.span.end)
        grouped = set(session.scalars(select(Unit.id).where(Unit.group_id.is_not(None))))
        publicity = session.scalar(
            select(func.count()).select_from(ActivityRecord).join(ActivityType, ActivityType.id == ActivityRecord.type_id)
            .where(ActivityType.code == "publicity", ActivityRecord.status == "approved", ActivityRecord.unit_id.in_(grouped),
                   ActivityRecord.occurred_on.between(scope.span.start, scope.span.end))
        )
    total = {kind: sum(count for (unit_id,), count in rows.items() if unit_id in grouped) for kind, rows in counts.items()}
    assert _zh("highlights_lead", featured=total["featured_note"], adopted=total["adopted_suggestion"], solved=total["solved_problem"]) in texts
    assert f"先进单位 {issued['unit']}:工作扎实,成效显著" in texts
    assert any(text.startswith(_zh("publicity_lead", count=publicity, outlets="")[:8]) and f"{publicity}篇" in text for text in texts)


def _poppler(tool: str, pdf: bytes, tmp_path) -> str:
    """Run a poppler-utils tool (apt-get install poppler-utils; .ci/run installs it) on the PDF."""
    assert shutil.which(tool), f"{tool} is missing: apt-get install poppler-utils"
    path = tmp_path / "briefing.pdf"
    path.write_bytes(pdf)
    return subprocess.run([tool, str(path), *(["-"] if tool == "pdftotext" else [])], capture_output=True, text=True, check=True).stdout


def test_the_pdf_text_is_chinese_with_the_font_embedded(issued, tmp_path):
    text = _poppler("pdftotext", issued["pdf"], tmp_path)
    for key in SECTIONS:
        assert _zh(f"section.{key}") in text
    assert "组工动态" in text and issued["unit"] in text
    fonts = [line for line in _poppler("pdffonts", issued["pdf"], tmp_path).splitlines() if "CJK" in line]
    assert fonts and all(" yes " in line for line in fonts)  # embedded (a subset), not left to the reader's machine


def test_issues_are_numbered_kept_and_for_the_office_only(issued, demo_engine):
    admin, scope = issued["admin"], issued["scope"]
    second = issue_briefing(admin, scope, lead=default_lead(admin, scope, engine=demo_engine), engine=demo_engine)
    numbers = {row["id"]: row["issue_number"] for row in list_briefings(admin, engine=demo_engine)}
    assert numbers[second] == numbers[issued["id"]] + 1
    assert briefing_file(admin, issued["id"], "docx", engine=demo_engine) == issued["docx"]  # exactly as issued
    assert briefing_file(admin, issued["id"], "pdf", engine=demo_engine) == issued["pdf"]
    reporter = Actor(user_id=admin.user_id, role="reporter", unit_id=1)
    for call in (lambda: list_briefings(reporter, engine=demo_engine), lambda: briefing_file(None, issued["id"], "pdf", engine=demo_engine),
                 lambda: issue_briefing(reporter, scope, lead="", engine=demo_engine)):
        with pytest.raises(PermissionDenied):
            call()


def test_the_coverage_colours_equal_the_supervision_engine(issued, demo_engine):
    from core.clock import office_today
    from db.supervision import coverage, lagging_units

    scope = issued["scope"]
    as_of = min(scope.span.end, office_today())
    with read_session(demo_engine) as session:
        cells = coverage(session, scope.campaign_id, as_of)
        behind = lagging_units(session, scope.campaign_id, as_of)
    document = Document(io.BytesIO(issued["docx"]))
    [grid] = [table for table in document.tables if table.rows[0].cells[1].text == _zh("colour.done")]
    rows = {row.cells[0].text: [int(cell.text) for cell in row.cells[1:]] for row in grid.rows[1:]}
    for name, counts in rows.items():
        mine = [cell for cell in cells if cell.target.name_zh == name]
        assert counts == [sum(1 for cell in mine if cell.colour == colour) for colour in ("done", "green", "amber", "red")]
    texts = _paragraphs(document)
    assert (_zh("lagging_heading", count=len(behind)) if behind else _zh("no_lagging")) in texts


def test_every_run_of_the_word_file_names_a_chinese_font_a_chinese_windows_has(issued):
    """Without w:eastAsia, Word and WPS draw Chinese text in the theme's font, whatever font.name says."""
    from docx.oxml.ns import qn

    from core.briefing_docx import BODY_FONT, HEADING_FONT, TABLE_FONT, TITLE_FONT

    windows_fonts = {"宋体", "黑体", "仿宋"}  # SimSun, SimHei, FangSong: on every Chinese Windows
    assert {BODY_FONT, HEADING_FONT, TABLE_FONT, TITLE_FONT} <= windows_fonts
    document = Document(io.BytesIO(issued["docx"]))
    body = document.element.body
    runs = body.iter(qn("w:r"))
    missing, used, count = [], set(), 0
    for run in runs:
        count += 1
        fonts = run.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        east_asian = fonts.get(qn("w:eastAsia")) if fonts is not None else None
        if east_asian is None:
            missing.append("".join(text.text or "" for text in run.iter(qn("w:t"))))
        used.add(east_asian)
    assert count > 100
    assert not missing, missing[:5]
    assert used <= windows_fonts
    normal = document.styles["Normal"].element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
    assert normal.get(qn("w:eastAsia")) == BODY_FONT


def test_an_issue_whose_number_was_taken_meanwhile_is_rebuilt_with_the_next(issued, demo_engine, monkeypatch):
    admin, scope = issued["admin"], issued["scope"]
    taken = max(row["issue_number"] for row in list_briefings(admin, engine=demo_engine))
    next_issue = db_briefings._next_issue
    numbers = iter([taken])  # the first attempt reads a number another issue already holds

    monkeypatch.setattr(db_briefings, "_next_issue", lambda engine: next(numbers, None) or next_issue(engine))
    issued_again = issue_briefing(admin, scope, lead="导语", engine=demo_engine)
    numbers_by_id = {row["id"]: row["issue_number"] for row in list_briefings(admin, engine=demo_engine)}
    assert numbers_by_id[issued_again] == taken + 1
