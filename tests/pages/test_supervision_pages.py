"""Supervision's pages under AppTest: the office's desk, the coverage matrix and its missing
people, the lagging units with their notices, and a reporter's workbench."""
from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import select

from core.clock import office_today
from db.engine import read_session
from db.models import Campaign
from db.supervision import coverage, lagging_units
from tests.pages.apptest import open_app, page_texts


def _frame(element) -> pd.DataFrame:
    value = element.value
    return value.data if hasattr(value, "data") else value


def _demo_cells(demo_engine):
    with read_session(demo_engine) as session:
        campaign_id = session.scalar(select(Campaign.id).where(Campaign.active.is_(True)))
        return coverage(session, campaign_id, office_today()), lagging_units(session, campaign_id, office_today())


def test_the_office_starts_on_its_desk(demo_engine, accounts):
    at = open_app(accounts["admin"], "views/office_home.py")  # where the office lands after signing in
    assert at.title[0].value == "督查工作台"
    cells, lagging = _demo_cells(demo_engine)
    metrics = {metric.label: metric.value for metric in at.metric}
    assert metrics["逾期任务"] == str(sum(1 for cell in cells if cell.colour == "red"))
    assert metrics["落后单位"] == str(len(lagging))
    links = [link.proto.label for link in at.get("page_link")]
    assert {"去审核", "去督办", "看完成情况一览"} <= set(links)


def test_the_matrix_shows_every_unit_and_a_cell_opens_who_is_missing(demo_engine, accounts):
    at = open_app(accounts["admin"], "views/coverage.py")
    assert not at.exception
    frame = _frame(at.dataframe[0])
    cells, _ = _demo_cells(demo_engine)
    assert len(frame) == len({cell.unit.id for cell in cells})
    assert {"单位", "完成率", "逾期项", "落后项"} <= set(frame.columns)
    # The page opens on the worst cell: a red one, with its missing people split by why.
    red = next(cell for cell in cells if cell.colour == "red")
    assert at.selectbox(key="coverage_unit").value is not None
    at.selectbox(key="coverage_unit").set_value(red.unit.id)
    at.selectbox(key="coverage_task").set_value(red.target.id).run()
    texts = page_texts(at)
    assert "未填报" in texts and "待审核" in texts and "已退回" in texts
    assert "逾期未完成" in texts
    # Sorting by most overdue puts a unit with a red task first.
    at.segmented_control(key="coverage_sort").set_value("red").run()
    assert _frame(at.dataframe[0])["逾期项"].iloc[0] >= 1


def test_a_reporter_sees_only_their_own_unit(demo_engine, accounts):
    at = open_app(accounts["reporter"], "views/coverage.py")
    frame = _frame(at.dataframe[0])
    assert len(frame) == 1
    assert len(at.selectbox(key="coverage_unit").options) == 1


def test_the_lagging_page_offers_a_notice_per_unit(demo_engine, accounts):
    at = open_app(accounts["admin"], "views/lagging.py")
    assert not at.exception
    _, lagging = _demo_cells(demo_engine)
    assert len(_frame(at.dataframe[0])) == len(lagging)
    notices = [button for button in at.get("download_button") if "下载督办通知" in str(button.proto)]
    assert len(notices) == len(lagging)


def test_the_lagging_page_and_the_desk_are_the_offices(accounts):
    for page in ("views/lagging.py", "views/office_home.py"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            open_app(accounts["reporter"]).switch_page(page)


def test_a_reporter_starts_on_their_workbench(demo_engine, accounts):
    at = open_app(accounts["reporter"], "views/workbench.py")  # where a reporter lands after signing in
    assert at.title[0].value == "我的工作台"
    assert not at.exception
    labels = [metric.label for metric in at.metric]
    assert labels == ["落后的必做任务", "被退回的记录", "草稿"]


def test_the_workbench_is_for_reporters(accounts):
    for user in ("cadre", "admin", "viewer"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            open_app(accounts[user]).switch_page("views/workbench.py")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        open_app(accounts["viewer"]).switch_page("views/coverage.py")
