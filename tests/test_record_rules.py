import datetime as dt
import random

import pytest

from core.record_rules import RecordContext, fill_title, is_far_short, needs_title, validate_record
from db.catalog_defaults import ACTIVITY_TYPES
from seed.activity import details_for

CONTEXT = RecordContext(
    campaign_start=dt.date(2026, 1, 1),
    campaign_end=dt.date(2026, 12, 31),
    cadre_ids=frozenset({7}),
    branch_ids=frozenset({3}),
)
CADRE = {"id": 7, "name": "王伟", "is_principal": True, "branch_id": 3}
BRANCH = {"id": 3, "name": "第1党支部"}


@pytest.mark.parametrize("spec", ACTIVITY_TYPES, ids=[spec["code"] for spec in ACTIVITY_TYPES])
def test_a_well_filled_record_of_every_type_passes(spec):
    title, details = details_for(spec["code"], random.Random(1), CADRE, BRANCH)
    cleaned, problems = validate_record(spec["fields"], title=title, occurred_on=dt.date(2026, 5, 1), details=details, context=CONTEXT)
    assert problems == []
    assert set(cleaned) <= {field["key"] for field in spec["fields"]}


@pytest.mark.parametrize("spec", ACTIVITY_TYPES, ids=[spec["code"] for spec in ACTIVITY_TYPES])
def test_an_empty_record_of_every_type_names_each_required_field(spec):
    _, problems = validate_record(spec["fields"], title="  ", occurred_on=None, details={}, context=CONTEXT)
    required = {field["key"] for field in spec["fields"] if field.get("required", True)}
    assert {(field, key) for field, key, _ in problems} == {("title", "validation.required"), ("occurred_on", "validation.required")} | {
        (field, "validation.required") for field in required
    }


def test_analysis_report_needs_real_content_in_each_part():
    spec = next(s for s in ACTIVITY_TYPES if s["code"] == "analysis_report")
    _, problems = validate_record(
        spec["fields"], title="党性分析报告", occurred_on=dt.date(2026, 3, 1),
        details={"writer": 7, "problems": "短", "causes": "原因" * 30, "measures": "措施" * 30}, context=CONTEXT,
    )
    assert problems == [("problems", "validation.too_short", {"min": 50, "actual": 1})]


def test_a_date_outside_the_campaign_is_refused():
    spec = next(s for s in ACTIVITY_TYPES if s["code"] == "publicity")
    _, problems = validate_record(spec["fields"], title="报道", occurred_on=dt.date(2025, 12, 31), details={"outlet": "《组工动态》"}, context=CONTEXT)
    assert [p[:2] for p in problems] == [("occurred_on", "validation.outside_campaign")]


def test_people_and_branches_must_belong_to_the_unit():
    spec = next(s for s in ACTIVITY_TYPES if s["code"] == "analysis_meeting")
    _, problems = validate_record(
        spec["fields"], title="评议会", occurred_on=dt.date(2026, 3, 1),
        details={"branch": 99, "participants": 10, "summary": "摘要" * 20}, context=CONTEXT,
    )
    assert [p[:2] for p in problems] == [("branch", "validation.not_in_unit")]


@pytest.mark.parametrize("value, key", [("abc", "validation.not_integer"), (2.5, "validation.not_integer"), (0, "validation.out_of_range")])
def test_counts_must_be_whole_positive_numbers(value, key):
    spec = next(s for s in ACTIVITY_TYPES if s["code"] == "theory_study")
    _, problems = validate_record(spec["fields"], title="学习", occurred_on=dt.date(2026, 3, 1), details={"topic": "理论", "participants": value}, context=CONTEXT)
    assert [p[:2] for p in problems] == [("participants", key)]


def test_a_choice_outside_the_list_is_refused():
    spec = next(s for s in ACTIVITY_TYPES if s["code"] == "party_lecture")
    _, problems = validate_record(spec["fields"], title="党课", occurred_on=dt.date(2026, 3, 1), details={"speaker": 7, "form": "随便讲", "audience": 30, "place": "礼堂"}, context=CONTEXT)
    assert [p[:2] for p in problems] == [("form", "validation.bad_choice")]


def test_a_book_record_left_untitled_is_named_after_its_book():
    spec = next(s for s in ACTIVITY_TYPES if s["code"] == "reading_note")
    assert fill_title("  ", spec["fields"], {"book": "《红岩》"}, "读书笔记") == "《红岩》读书笔记"
    assert fill_title("我的笔记", spec["fields"], {"book": "红岩"}, "读书笔记") == "我的笔记"
    assert fill_title("", spec["fields"], {}, "读书笔记") == ""  # no book, no title: the rules say it is missing
    assert not needs_title(spec["fields"])
    assert needs_title(next(s for s in ACTIVITY_TYPES if s["code"] == "publicity")["fields"])


@pytest.mark.parametrize("length, short", [(99, True), (100, False), (300, False)])
def test_a_report_under_half_its_expected_length_is_flagged(length, short):
    spec = next(s for s in ACTIVITY_TYPES if s["code"] == "analysis_report")  # 600 characters expected
    details = {"problems": "问" * length, "causes": "因" * length, "measures": "措" * length}
    assert is_far_short(spec["fields"], spec["evidence"], details) is short


def test_types_without_an_expected_length_are_never_flagged_short():
    spec = next(s for s in ACTIVITY_TYPES if s["code"] == "innovation")
    assert not is_far_short(spec["fields"], spec["evidence"], {"problem_solved": "短"})


@pytest.mark.parametrize("link", ["javascript:alert(1)", "data:text/html,<b>x</b>", "file:///etc/passwd", "www.example.com",
                                  "http://", "https://exa mple.com", 'https://example.com/"onmouseover="x', "http://[::1"])
def test_a_publicity_link_must_be_a_plain_web_address(link):
    spec = next(s for s in ACTIVITY_TYPES if s["code"] == "publicity")
    _, problems = validate_record(spec["fields"], title="报道", occurred_on=dt.date(2026, 5, 1), details={"outlet": "《组工动态》", "link": link}, context=CONTEXT)
    assert problems == [("link", "reports.error.bad_url", {})]


def test_a_publicity_link_over_http_or_https_is_kept():
    spec = next(s for s in ACTIVITY_TYPES if s["code"] == "publicity")
    for link in ("http://zgw.example.gov.cn/news/1.html", "HTTPS://example.com/a?b=1#c"):
        cleaned, problems = validate_record(spec["fields"], title="报道", occurred_on=dt.date(2026, 5, 1), details={"outlet": "《组工动态》", "link": link}, context=CONTEXT)
        assert problems == [] and cleaned["link"] == link


def _spec(code):
    return next(spec for spec in ACTIVITY_TYPES if spec["code"] == code)


def test_a_draft_needs_only_what_identifies_it():
    fields = _spec("analysis_report")["fields"]
    _, problems = validate_record(fields, title="", occurred_on=dt.date(2026, 5, 1), details={"problems": "刚开个头"}, context=CONTEXT, draft=True)
    assert problems == []
    _, problems = validate_record(fields, title="", occurred_on=dt.date(2026, 5, 1), details={"problems": "刚开个头"}, context=CONTEXT)
    assert {p[:2] for p in problems} >= {("title", "validation.required"), ("writer", "validation.required"), ("problems", "validation.too_short")}


def test_what_a_draft_holds_must_still_be_valid():
    _, problems = validate_record(_spec("analysis_report")["fields"], title="", occurred_on=dt.date(2026, 5, 1), details={"writer": 99}, context=CONTEXT, draft=True)
    assert [p[:2] for p in problems] == [("writer", "validation.not_in_unit")]


def test_an_activity_after_the_offices_today_is_refused_within_the_campaign():
    context = RecordContext(**{**CONTEXT.__dict__, "today": dt.date(2026, 5, 1)})
    _, problems = validate_record(_spec("publicity")["fields"], title="报道", occurred_on=dt.date(2026, 5, 2), details={"outlet": "《组工动态》"}, context=context)
    assert problems == [("occurred_on", "entry.future_date", {"today": "2026-05-01"})]
    _, problems = validate_record(_spec("publicity")["fields"], title="报道", occurred_on=dt.date(2026, 5, 1), details={"outlet": "《组工动态》"}, context=context)
    assert problems == []


@pytest.mark.parametrize("details, problem", [
    ({"audience": 100_000}, ("audience", "validation.out_of_range", {"min": 1, "max": 5_000})),
    ({"audience": 0}, ("audience", "validation.out_of_range", {"min": 1, "max": 5_000})),
    ({"audience": 4_000}, None),
])
def test_numbers_have_plausible_bounds(details, problem):
    base = {"speaker": 7, "form": "带头讲", "place": "礼堂"}
    _, problems = validate_record(_spec("party_lecture")["fields"], title="党课", occurred_on=dt.date(2026, 3, 1), details={**base, **details}, context=CONTEXT)
    assert problems == ([problem] if problem else [])


def test_problems_solved_cannot_exceed_problems_found():
    spec = next(spec for spec in ACTIVITY_TYPES if any(field["key"] == "problems_solved" for field in spec["fields"]))
    title, details = details_for(spec["code"], random.Random(1), CADRE, BRANCH)
    _, problems = validate_record(spec["fields"], title=title, occurred_on=dt.date(2026, 5, 1), details={**details, "problems_found": 2, "problems_solved": 3}, context=CONTEXT)
    assert problems == [("problems_solved", "entry.more_than.problems_found", {"max": 2})]
