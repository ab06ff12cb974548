"""The office praises and reports: it publishes an honour roll, everyone reads it on its page, the
briefing of the same period carries it, and both files download; the tables offer Excel, not
Streamlit's raw CSV."""
import io
import re
import shutil
import subprocess

from docx import Document
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.helpers import alerts, no_exception, open_page, screenshot, settle, sign_in

CITATION = "浏览器测试:带头讲党课,读书笔记质量高"


def _pdf_text(raw: bytes, tmp_path) -> str:
    assert shutil.which("pdftotext"), "pdftotext is missing: apt-get install poppler-utils"
    path = tmp_path / "briefing.pdf"
    path.write_bytes(raw)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _download(page, button_name: str) -> bytes:
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name=button_name, exact=True).click()
    return open(download.value.path(), "rb").read()


def test_an_honour_roll_is_published_read_and_briefed(app_url, new_page, tmp_path):
    office = new_page()
    sign_in(office, app_url, "admin")
    open_page(office, app_url, "honour-roll")
    office.get_by_role("tab", name="编制").click()
    settle(office)
    # The whole campaign, not the default month: in the first hours of a month (office time) the
    # month has no approved records yet and the rankings suggest nobody.
    office.get_by_role("radio", name="整个活动", exact=True).first.click()
    settle(office)
    picker = office.get_by_test_id("stMultiSelect").filter(has_text="上榜的单位和个人")
    picker.locator("input").click()
    office.get_by_role("option").filter(has_text="单位 · ").first.click()
    office.keyboard.press("Escape")
    settle(office)
    citation = office.get_by_test_id("stTextInput").filter(has_text="事迹:").locator("input")
    expect(citation).to_have_count(1)
    expect(citation).not_to_have_value("")  # drafted from the rankings' figure
    citation.fill(CITATION)
    citation.press("Enter")
    settle(office)
    office.get_by_role("button", name="发布光荣榜").click()
    settle(office)
    expect(alerts(office, "success").filter(has_text="光荣榜已发布。")).to_have_count(1)
    expect(office.get_by_test_id("honour-roll").filter(has_text=CITATION)).to_have_count(1)
    screenshot(office, "honour-roll-office")
    no_exception(office)

    visitor = new_page()
    open_page(visitor, app_url, "honour-roll")
    expect(visitor.get_by_test_id("honour-roll").filter(has_text=CITATION)).to_have_count(1)
    expect(visitor.get_by_role("tab", name="编制")).to_have_count(0)
    # The meeting-room screen shows the same roll on its honour-roll slide.
    visitor.goto(f"{app_url.rstrip('/')}/presenter?play=1&boards=honours&rotate=600&embed=true", timeout=60_000)
    expect(visitor.locator(".pr-body")).to_contain_text(CITATION, timeout=60_000)
    expect(visitor.locator(".pr-title")).to_contain_text("光荣榜")
    screenshot(visitor, "honour-roll-presenter")

    open_page(office, app_url, "briefing")
    office.get_by_role("radio", name="整个活动", exact=True).first.click()  # the roll's period
    settle(office)
    lead = office.get_by_role("textbox", name="导语(生成前可修改)")
    expect(lead).not_to_have_value("")
    office.get_by_role("button", name="生成简报", exact=True).click()
    expect(alerts(office, "success").filter(has_text="期简报已生成并保存")).to_have_count(1, timeout=180_000)
    settle(office)
    screenshot(office, "briefing-issued")
    word = Document(io.BytesIO(_download(office, "下载 Word")))
    texts = [paragraph.text for paragraph in word.paragraphs]
    assert "组工动态" in texts and any(CITATION in text for text in texts)
    pdf = _pdf_text(_download(office, "下载 PDF"), tmp_path)
    assert "光荣榜" in pdf and "浏览器测试" in pdf
    no_exception(office)

    # Withdrawn, the roll leaves the public page and the screen, and the office still sees it.
    open_page(office, app_url, "honour-roll")
    withdraw = office.get_by_test_id("stExpander").filter(has_text="撤回光荣榜")
    expect(withdraw).to_have_count(1)
    withdraw.get_by_text("撤回光荣榜").click()
    withdraw.get_by_role("textbox", name="撤回原因").fill("浏览器测试:事迹需再核实")
    withdraw.get_by_role("button", name="确认撤回").click()
    settle(office)
    expect(alerts(office, "success").filter(has_text="光荣榜已撤回。")).to_have_count(1)
    expect(office.get_by_test_id("stMain")).to_contain_text("浏览器测试:事迹需再核实")
    screenshot(office, "honour-roll-withdrawn")
    no_exception(office)
    visitor.goto(f"{app_url.rstrip('/')}/honour-roll", timeout=60_000)
    settle(visitor)
    expect(visitor.get_by_test_id("stMain")).to_contain_text("还没有发布的光荣榜")
    expect(visitor.get_by_test_id("stMain")).not_to_contain_text(CITATION)


def test_tables_export_to_excel_and_hide_streamlits_csv(app_url, new_page):
    office = new_page()
    sign_in(office, app_url, "admin")
    open_page(office, app_url, "review")
    table = office.get_by_test_id("stDataFrame").first
    table.hover()
    office.wait_for_timeout(500)
    toolbar = office.get_by_test_id("stElementToolbar").first
    expect(toolbar.get_by_role("button", name=re.compile("^Search"))).to_have_count(1)  # the toolbar is showing
    expect(toolbar.get_by_role("button", name=re.compile("^Download as CSV"))).to_have_count(0)
    office.mouse.move(0, 0)
    book = load_workbook(io.BytesIO(_download(office, "导出 Excel")))
    sheet = book.worksheets[0]
    headers = [cell.value for cell in next(sheet.iter_rows(min_row=3, max_row=3))]
    assert headers[:5] == ["编号", "单位", "活动类型", "标题", "提示"]
    assert all(isinstance(row[0], int) for row in sheet.iter_rows(min_row=4, values_only=True))
    open_page(office, app_url, "people")
    full = _download(office, "导出完整名单") if office.get_by_role("button", name="导出完整名单").count() else _download(office, "导出 Excel")
    people = load_workbook(io.BytesIO(full)).worksheets[0]
    rows = list(people.iter_rows(values_only=True))
    header = next(index for index, row in enumerate(rows) if row[0] == "名次")
    assert rows[header][:3] == ("名次", "并列", "姓名")
    ranks = [row[0] for row in rows[header + 1:]]
    # A place is a number, best first; those without points have no place (an empty cell), last.
    placed = [rank for rank in ranks if rank is not None]
    assert placed and all(isinstance(rank, int) for rank in placed) and placed == sorted(placed)
    assert ranks == placed + [None] * (len(ranks) - len(placed))
    no_exception(office)
