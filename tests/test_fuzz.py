"""Fuzzing with a fixed budget (Hypothesis, derandomized so every run tries the same inputs):
each input is accepted cleanly or refused with a message key, never a crash.

Covers the record validators, the Excel reader, the gallery's search against a real database,
and the presenter's address parser.
"""
from __future__ import annotations

import datetime as dt
import io
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from core.excel import ExcelRejected, read_table
from core.i18n import catalogue
from core.presenter import PresenterSettings, parse_settings
from core.record_rules import RecordContext, validate_record
from core.search import search_phrases
from db.catalog_defaults import ACTIVITY_TYPES
from tests.test_import_excel import COLUMNS

BUDGET = settings(max_examples=100, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
MESSAGES = catalogue("zh")

anything = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=300),
    st.dates(),
    st.datetimes(),
    st.lists(st.integers(), max_size=5),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)
CONTEXT = RecordContext(
    campaign_start=dt.date(2026, 1, 1), campaign_end=dt.date(2026, 12, 31),
    cadre_ids=frozenset({1, 2, 3}), branch_ids=frozenset({1}),
)


@BUDGET
@given(
    spec=st.sampled_from(ACTIVITY_TYPES),
    title=st.one_of(st.none(), st.text(max_size=400)),
    occurred_on=st.one_of(st.none(), st.dates()),
    values=st.lists(anything, min_size=0, max_size=12),
)
def test_record_validation_accepts_or_names_each_problem(spec, title, occurred_on, values):
    details = {field["key"]: value for field, value in zip(spec["fields"], values, strict=False)}
    cleaned, problems = validate_record(spec["fields"], title=title or "", occurred_on=occurred_on, details=details, context=CONTEXT)
    for field, key, params in problems:
        assert isinstance(field, str) and isinstance(params, dict)
        assert key in MESSAGES, key
    for value in cleaned.values():
        assert not (isinstance(value, float) and not math.isfinite(value))


cell = st.one_of(
    st.none(),
    # Control characters cannot be written into a worksheet at all (openpyxl refuses them).
    st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=60),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=dt.date(1900, 1, 1)),
    st.sampled_from(["=1+1", "=SUM(A1:A9)", "#DIV/0!", "@cmd", "-2", "  ", "党课"]),
)


def _sheet_bytes(header: list[str], rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@BUDGET
@given(
    header=st.lists(st.sampled_from(["标题", "活动日期", "听众人数", "地点", "其他", "", "Title"]), max_size=6),
    rows=st.lists(st.lists(cell, max_size=6), max_size=8),
)
def test_the_excel_reader_reads_or_refuses_any_workbook(header, rows):
    try:
        table = read_table(_sheet_bytes(header, rows), COLUMNS)
    except ExcelRejected as refused:
        assert refused.key in MESSAGES
        return
    for problem in table.problems:
        assert problem.key in MESSAGES, problem.key


@BUDGET
@given(raw=st.binary(max_size=2048))
def test_the_excel_reader_refuses_arbitrary_bytes_with_a_message(raw):
    with pytest.raises(ExcelRejected) as refused:
        read_table(raw, COLUMNS)
    assert refused.value.key in MESSAGES


@pytest.fixture(scope="module")
def gallery_engine(demo_engine):
    return demo_engine


@BUDGET
@given(query=st.text(max_size=40), tag=st.one_of(st.none(), st.text(max_size=12)))
def test_any_search_text_runs_as_a_search_not_as_syntax(gallery_engine, query, tag):
    from db.gallery import GalleryFilter, gallery_page

    for phrase in search_phrases(query, tag):
        assert '"' not in phrase
    page = gallery_page(None, GalleryFilter(query=query, tag=tag), engine=gallery_engine)
    assert page.total >= 0 and 1 <= page.page <= page.pages


@BUDGET
@given(query=st.dictionaries(
    st.sampled_from(["play", "group", "boards", "rotate", "refresh", "top", "names", "lang", "theme", "snapshot", "period", "reveal", "x"]),
    st.text(max_size=30),
    max_size=8,
))
def test_any_presenter_address_gives_settings_within_bounds(query):
    parsed = parse_settings(query)
    assert isinstance(parsed, PresenterSettings)
