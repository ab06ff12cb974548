"""The gallery and book pages under AppTest, as visitors, viewers and the office see them (shared demo data).

Writes made here (a like, featuring) are undone before each test ends, so other tests see the demo as seeded.
"""
import re

from sqlalchemy import select

from db.engine import read_session
from db.gallery import GalleryFilter, book_board, gallery_page
from db.models import ActivityRecord, StudyLike, StudyRecord
from tests.pages.apptest import open_app


def open_gallery(user=None, **query):
    return open_app(user, "views/gallery.py", **query)


def _html(at) -> str:
    return " ".join(element.proto.body for element in at.get("html"))


def _summary_total(at) -> int:
    caption = next(c.value for c in at.caption if c.value.startswith("共 "))
    return int(re.match(r"共 ([\d,]+) 篇", caption).group(1).replace(",", ""))


def _card_titles(at) -> list[str]:
    return re.findall(r'<div class="eb-card-title">([^<]*)</div>', _html(at))


def test_visitors_see_the_newest_approved_notes_and_can_search(demo_engine):
    at = open_gallery()
    assert at.title[0].value == "读书笔记展评"
    newest = gallery_page(None, engine=demo_engine)
    assert _summary_total(at) == newest.total > 0
    assert _card_titles(at) == [card["title"] for card in newest.cards]
    assert "登录后可点赞" in " ".join(c.value for c in at.caption)
    assert not [b for b in at.button if b.key and b.key.startswith("gallery_like_")]  # visitors cannot like

    at.text_input(key="gallery_q").input("党性").run()
    found = gallery_page(None, GalleryFilter(query="党性"), engine=demo_engine)
    assert _summary_total(at) == found.total < newest.total
    at.text_input(key="gallery_q").input("量子物理").run()
    assert "没有找到包含“量子物理”的笔记" in at.info[0].value


def test_the_filters_narrow_the_gallery(demo_engine):
    at = open_gallery()
    at.selectbox(key="gallery_kind_zh").set_value("recommendation").run()
    assert _summary_total(at) == gallery_page(None, GalleryFilter(kind="recommendation"), engine=demo_engine).total
    at.toggle(key="gallery_featured").set_value(True).run()
    featured = gallery_page(None, GalleryFilter(kind="recommendation", featured_only=True), engine=demo_engine).total
    if featured:
        assert _summary_total(at) == featured
    else:
        assert "没有符合条件的笔记" in at.info[0].value


def test_the_next_page_shows_the_next_cards(demo_engine):
    at = open_gallery()
    second = gallery_page(None, engine=demo_engine, page=2)
    next(b for b in at.button if b.key == "gallery_pager_next").click().run()
    assert _card_titles(at) == [card["title"] for card in second.cards]


def test_a_signed_in_reporter_likes_a_card_and_takes_it_back(demo_engine, accounts):
    reporter = accounts["reporter"]
    with read_session(demo_engine) as session:
        card = next(
            card for card in gallery_page(None, engine=demo_engine).cards
            if session.get(ActivityRecord, session.get(StudyRecord, card["study_id"]).record_id).created_by != reporter.actor.user_id
        )
    at = open_gallery(reporter)
    key = f"gallery_like_{card['study_id']}"
    at.button(key=key).click().run()
    with read_session(demo_engine) as session:
        assert session.scalar(select(StudyLike.id).where(StudyLike.study_id == card["study_id"], StudyLike.user_id == reporter.actor.user_id))
        assert session.get(StudyRecord, card["study_id"]).like_count == card["like_count"] + 1
    assert at.button(key=key).label == f"{card['like_count'] + 1:,}"
    at.button(key=key).click().run()
    with read_session(demo_engine) as session:
        assert session.get(StudyRecord, card["study_id"]).like_count == card["like_count"]


def test_a_read_only_viewer_sees_likes_but_no_like_button(demo_engine, accounts):
    at = open_gallery(accounts["viewer"])
    card = gallery_page(None, engine=demo_engine).cards[0]
    assert not [button for button in at.button if button.key == f"gallery_like_{card['study_id']}"]


def test_the_detail_shows_the_whole_note_and_the_office_features_it(demo_engine, accounts):
    card = gallery_page(None, GalleryFilter(featured_only=False), engine=demo_engine).cards[0]
    with read_session(demo_engine) as session:
        study = session.get(StudyRecord, card["study_id"])
        body, was_featured = study.body, study.featured
    visitor = open_gallery(study=card["study_id"])
    assert body in _html(visitor)
    assert not [b for b in visitor.button if b.label in ("评为精选", "取消精选")]

    admin = open_gallery(accounts["admin"], study=card["study_id"])
    label = "取消精选" if was_featured else "评为精选"
    next(b for b in admin.button if b.label == label).click().run()
    assert not admin.exception, admin.exception
    with read_session(demo_engine) as session:
        assert session.get(StudyRecord, card["study_id"]).featured is (not was_featured)
    next(b for b in admin.button if b.label in ("评为精选", "取消精选")).click().run()
    with read_session(demo_engine) as session:
        assert session.get(StudyRecord, card["study_id"]).featured is was_featured


def test_a_record_not_in_the_gallery_says_so(demo_engine):
    at = open_gallery(study=999_999)
    assert "这篇笔记不在展评中" in at.info[0].value
    at = open_gallery(study="abc")
    assert "这篇笔记不在展评中" in at.info[0].value


def test_the_book_board_lists_books_and_opens_the_notes_on_one(demo_engine):
    at = open_app(page="views/books.py")
    assert at.title[0].value == "书香榜"
    books = book_board(None, engine=demo_engine, limit=24)
    assert f"1. {books[0]['title']}" in _html(at)
    at = open_app(page="views/books.py", book=books[0]["book_id"])
    assert at.title[0].value == f"《{books[0]['title']}》的读书笔记和推荐"
    on_book = gallery_page(None, GalleryFilter(book_id=books[0]["book_id"]), engine=demo_engine)
    assert _card_titles(at) == [card["title"] for card in on_book.cards]


def test_the_gallery_speaks_english(demo_engine):
    at = open_gallery()
    at.session_state["language"] = "en"  # what the sidebar's language switch sets
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Reading-note exhibition"
    assert any(c.value.endswith("Sign in to like") for c in at.caption)
