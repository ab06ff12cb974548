"""读书笔记展评 in the browser: a cadre's reading note with a photo goes through review into the gallery, is
liked and featured, and reaches the presenter's highlights; a note made of markup shows as text and runs nothing.
"""
from __future__ import annotations

import os
import re
import uuid

import pytest

if not os.environ.get("CI"):  # in CI a missing Playwright is an error, never a silent skip
    pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright package")

from playwright.sync_api import Page, expect
from sqlalchemy import select

from core.clock import office_today
from db.engine import get_engine, read_session, write_session
from db.gallery import highlights
from db.models import ActivityRecord, ActivityType, Cadre, StudyRecord, Unit
from db.records import active_campaign
from db.study import sync_study_record
from seed.pictures import note_photo
from tests.browser.helpers import (
    alerts,
    choose,
    heading,
    no_exception,
    open_page,
    screenshot,
    settle,
    sign_in,
)

MARKUP = "<img src=x onerror=alert(1)>"


def _study_of(database_url: str, record_id: int) -> int:
    with read_session(get_engine(database_url)) as session:
        return session.scalar(select(StudyRecord.id).where(StudyRecord.record_id == record_id))


def _search(page: Page, word: str) -> None:
    box = page.get_by_label("搜索", exact=True)
    box.fill(word)
    box.press("Enter")
    settle(page)


def _card(page: Page, study_id: int):
    """The gallery's card of that study record (its container's key names it)."""
    return page.locator(f".st-key-gallery_card_{study_id}")


def test_a_reading_note_goes_from_entry_through_review_to_the_gallery_and_the_highlights(app_server, new_page, tmp_path):
    base = app_server.url
    tag = uuid.uuid4().hex[:6]
    title = f"读《平凡的世界》有感 bt{tag}"
    photo = tmp_path / "handwritten-note.jpg"
    photo.write_bytes(note_photo("平凡的世界里,每个普通人都在认真地生活。", seed=11))

    # a. The cadre opens the form from the gallery's link and submits a reading note with a photo.
    cadre = new_page()
    sign_in(cadre, base, "cadre")
    open_page(cadre, base, "/gallery")
    expect(heading(cadre, "读书笔记展评")).to_be_visible()
    cadre.get_by_role("link", name="提交读书笔记").click()
    settle(cadre)
    expect(heading(cadre, "活动填报")).to_be_visible()
    expect(cadre.get_by_role("combobox", name="活动类型", exact=True)).to_have_value(re.compile("读书笔记"))
    main = cadre.get_by_test_id("stMain")
    main.get_by_label("标题(可不填)", exact=True).fill(title)
    main.get_by_label("书名 *", exact=True).fill("平凡的世界")
    main.get_by_label("作者", exact=True).fill("路遥")
    main.get_by_label("笔记正文 *", exact=True).fill(
        "孙少平在艰难的环境里始终没有放弃读书和思考,他把苦难当作磨炼。读到这里,我想到组工干部的本色就是在平凡岗位上"
        "认真做好每一件小事,公道正派地对待每一位干部和群众,把组织的温暖送到基层。"
    )
    main.get_by_label("心得体会 *", exact=True).fill("要在平凡的岗位上做出不平凡的业绩,始终保持对工作的热爱和敬畏。")
    main.locator("input[type=file]").set_input_files(str(photo))
    expect(main.get_by_text("handwritten-note.jpg")).to_be_visible()
    main.get_by_role("button", name="提交审核", exact=True).click()
    settle(cadre)
    success = alerts(cadre, "success")
    expect(success).to_contain_text("已提交审核")
    record_id = int(re.search(r"编号\s*(\d+)", success.inner_text()).group(1))
    no_exception(cadre)
    screenshot(cadre, "gallery-01-note-submitted")

    # b. Until the office approves it, the gallery does not show it.
    open_page(cadre, base, "/gallery")
    _search(cadre, f"bt{tag}")
    expect(alerts(cadre, "info")).to_contain_text("没有找到")

    # c. The office approves it.
    admin = new_page()
    sign_in(admin, base, "admin")
    open_page(admin, base, "/review")
    choose(admin, "查看记录", re.compile(rf"^{record_id} · "), typed=f"{record_id} ·")
    admin.get_by_role("button", name="通过此条", exact=True).click()
    settle(admin)
    expect(alerts(admin, "success")).to_contain_text("已通过 1 条记录")

    # d. A colleague finds it in the gallery, with its photo, and likes it (once); a read-only
    #    viewer sees the count but has no button to like with.
    study_id = _study_of(app_server.database_url, record_id)
    colleague = new_page()
    sign_in(colleague, base, "reporter")
    open_page(colleague, base, "/gallery")
    _search(colleague, f"bt{tag}")
    card = _card(colleague, study_id)
    expect(card.locator(".eb-card-title")).to_have_text(title)
    expect(card.get_by_test_id("stImage")).to_have_count(1)
    expect(card).to_contain_text("平凡的世界")
    card.get_by_role("button", name="0", exact=True).click()
    settle(colleague)
    expect(_card(colleague, study_id).get_by_role("button", name="1", exact=True)).to_be_visible()
    no_exception(colleague)
    screenshot(colleague, "gallery-02-liked")
    viewer = new_page()
    sign_in(viewer, base, "viewer")
    open_page(viewer, base, "/gallery")
    _search(viewer, f"bt{tag}")
    expect(_card(viewer, study_id)).to_contain_text("♥ 1")
    expect(_card(viewer, study_id).get_by_role("button", name="1", exact=True)).to_have_count(0)
    no_exception(viewer)

    # e. The office opens it, sees the photo at full size, and features it.
    open_page(admin, base, f"/gallery?study={study_id}")
    detail = admin.get_by_test_id("stMain")
    expect(detail).to_contain_text(title)
    expect(detail).to_contain_text("孙少平在艰难的环境里")
    expect(detail.get_by_test_id("stImage")).to_have_count(1)
    admin.get_by_role("button", name="评为精选", exact=True).click()
    settle(admin)
    expect(detail.locator(".eb-badge-featured")).to_be_visible()
    expect(admin.get_by_role("button", name="取消精选", exact=True)).to_be_visible()
    no_exception(admin)
    screenshot(admin, "gallery-03-featured")

    # f. The presenter's highlights lead with it (the lead's screen reads db.gallery.highlights).
    shown = highlights(6, get_engine(app_server.database_url))
    assert shown[0]["study_id"] == study_id
    assert shown[0]["featured"] and shown[0]["like_count"] == 1 and shown[0]["thumbnail"]
    assert shown[0]["unit_zh"] == "东湖区委组织部" and shown[0]["book_title"] == "平凡的世界"


def _approved_markup_note(database_url: str) -> int:
    """Through the data layer: an approved reading note whose title, book, note and takeaway are markup."""
    engine = get_engine(database_url)
    with write_session(engine) as session:
        campaign = active_campaign(session)
        unit_id = session.scalar(select(Unit.id).where(Unit.name_zh == "东湖区委组织部"))
        cadre_id = session.scalar(select(Cadre.id).where(Cadre.unit_id == unit_id).order_by(Cadre.id).limit(1))
        details = {"writer": cadre_id, "book": MARKUP, "book_author": MARKUP, "note": MARKUP, "takeaway": MARKUP}
        record = ActivityRecord(
            campaign_id=campaign.id, unit_id=unit_id, cadre_id=cadre_id, title=MARKUP, occurred_on=office_today(),
            type_id=session.scalar(select(ActivityType.id).where(ActivityType.code == "reading_note")),
            status="approved", details=details,
        )
        session.add(record)
        session.flush()
        sync_study_record(session, record, "reading_note", details)
        session.flush()
        return session.scalar(select(StudyRecord.id).where(StudyRecord.record_id == record.id))


def test_a_note_made_of_markup_shows_as_text_and_runs_no_script(app_server, new_page):
    study_id = _approved_markup_note(app_server.database_url)
    page = new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    open_page(page, app_server.url, "/gallery")
    _search(page, "onerror")
    expect(_card(page, study_id).locator(".eb-card-title")).to_have_text(MARKUP)

    open_page(page, app_server.url, f"/gallery?study={study_id}")
    main = page.get_by_test_id("stMain")
    expect(main.locator(".eb-note").first).to_have_text(MARKUP)
    expect(main.get_by_text(MARKUP, exact=True).first).to_be_visible()
    page.wait_for_timeout(1_000)  # time for an injected onerror to fire, were there one
    assert page.locator('img[src="x"]').count() == 0
    assert dialogs == [], f"a script ran: {dialogs}"
    no_exception(page)
    screenshot(page, "gallery-04-markup-as-text")
