"""建议征集, 突出问题台账 and surveys in the data layer: each command, each refusal, the audit trail,
and the bonus counted once in the right period (worked out by hand on tests/db/world.py)."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook
from PIL import Image
from sqlalchemy import func, select

from db.access import Actor, ConflictError, PermissionDenied, ValidationFailed
from db.boards import unit_board
from db.engine import read_session, write_session
from db.imports import ImportRejected
from db.models import ActivityRecord, AuditLog, Period, Problem, ProblemEvidence, Suggestion, SurveyScore, Unit
from db.people_boards import people_board
from db.problems import Photo, create_problem, list_problems, problem_detail, status_counts, update_problem
from db.record_queries import record_detail, review_queue
from db.records import delete_record, save_record
from db.suggestions import (
    answer_suggestion,
    list_suggestions,
    route_suggestion,
    set_anonymous,
    set_anonymous_allowed,
    submit_suggestion,
    suggestion_of_record,
)
from db.surveys import check_survey_file, import_survey_file, save_survey, survey_rows, survey_template
from tests.db.world import END, START, build_world

ADMIN = Actor(user_id=None, role="admin")
VIEWER = Actor(user_id=None, role="viewer")
CONTENT = "建议建立干部考察谈话预约制度,方便基层干部反映情况。"
MAY = dt.date(2026, 5, 10)


@pytest.fixture
def world(fresh_engine):
    world = build_world(fresh_engine)
    with write_session(fresh_engine) as session:
        session.add(Unit(code="div", name_zh="干部一处", name_en="Division 1", kind="division"))
        q2 = Period(campaign_id=world.campaign_id, kind="quarter", label="2026Q2", start_date=dt.date(2026, 4, 1), end_date=dt.date(2026, 6, 30))
        session.add(q2)
    with read_session(fresh_engine) as session:
        world.units["div"] = session.scalar(select(Unit.id).where(Unit.code == "div"))
        world.branches["q2"] = session.scalar(select(Period.id).where(Period.label == "2026Q2"))
    return world


def _reporter(world, unit="A") -> Actor:
    return Actor(user_id=None, role="reporter", unit_id=world.units[unit])


def _cadre(world, name="a2", unit="A") -> Actor:
    return Actor(user_id=None, role="cadre", unit_id=world.units[unit], cadre_id=world.cadres[name])


def _suggest(engine, world, *, actor=None, anonymous=False, on=MAY) -> int:
    actor = actor or _cadre(world)
    result = submit_suggestion(actor, unit_id=actor.unit_id, title="考察谈话预约", content=CONTENT, occurred_on=on, anonymous=anonymous, engine=engine)
    with read_session(engine) as session:
        return session.scalar(select(Suggestion.id).where(Suggestion.record_id == result.record_id))


def _points(engine, world, unit="A", start=START, end=END) -> float:
    board = unit_board(campaign_id=world.campaign_id, start=start, end=end, group_id=world.groups["G1"], engine=engine, compare_previous=False)
    return next(s for s in board.standings if s.unit_id == world.units[unit]).points


def _audits(engine, action: str) -> list[AuditLog]:
    with read_session(engine) as session:
        return list(session.scalars(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)))


# --- suggestions ------------------------------------------------------------------------------


def test_a_submitted_suggestion_record_makes_one_unanswered_suggestion(fresh_engine, world):
    suggestion_id = _suggest(fresh_engine, world)
    rows = list_suggestions(_cadre(world), engine=fresh_engine)
    assert [(row["id"], row["status"], row["submitter"], row["body"]) for row in rows] == [(suggestion_id, "submitted", "A2", CONTENT)]
    # A draft makes none; sending the record back to draft takes an unanswered suggestion with it.
    actor = _cadre(world, "a3")
    draft = save_record(actor, unit_id=actor.unit_id, type_code="suggestion", title="草稿", occurred_on=MAY, details={"writer": world.cadres["a3"], "content": CONTENT}, submit=False, engine=fresh_engine)
    assert suggestion_of_record(actor, draft.record_id, engine=fresh_engine) is None
    with read_session(fresh_engine) as session:
        record_id = session.scalar(select(Suggestion.record_id).where(Suggestion.id == suggestion_id))
    save_record(_cadre(world), unit_id=world.units["A"], type_code="suggestion", title="改为草稿", occurred_on=MAY,
                details={"writer": world.cadres["a2"], "content": CONTENT}, submit=False, record_id=record_id, engine=fresh_engine)
    with read_session(fresh_engine) as session:
        assert session.scalar(select(func.count()).select_from(Suggestion)) == 0


def test_the_office_routes_and_adopts_and_the_unit_earns_the_bonus_once_dated_by_adoption(fresh_engine, world):
    suggestion_id = _suggest(fresh_engine, world, on=dt.date(2026, 3, 1))
    before = _points(fresh_engine, world)
    route_suggestion(ADMIN, suggestion_id, world.units["div"], engine=fresh_engine)
    answer_suggestion(ADMIN, suggestion_id, status="adopted", answer="已采纳,纳入工作安排。", today=MAY, engine=fresh_engine)
    # Answering again (a wording fix) keeps the adoption date: the bonus stays one, in May.
    answer_suggestion(ADMIN, suggestion_id, status="partial", answer="部分采纳。", reason="先在试点单位实施。", today=dt.date(2026, 6, 20), engine=fresh_engine)
    assert _points(fresh_engine, world) == pytest.approx(before + 2.0)
    assert _points(fresh_engine, world, start=dt.date(2026, 5, 1), end=dt.date(2026, 5, 31)) == pytest.approx(2.0)
    assert _points(fresh_engine, world, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31)) == pytest.approx(0.0)
    # The submitter sees the answer on their own record.
    with read_session(fresh_engine) as session:
        record_id = session.scalar(select(Suggestion.record_id).where(Suggestion.id == suggestion_id))
    seen = suggestion_of_record(_cadre(world), record_id, engine=fresh_engine)
    assert (seen["status"], seen["answer"], seen["decision_reason"], seen["division_zh"]) == ("partial", "部分采纳。", "先在试点单位实施。", "干部一处")
    assert seen["adopted_on"] == MAY
    # Not adopted after all: the bonus goes.
    answer_suggestion(ADMIN, suggestion_id, status="declined", answer="经研究暂不采纳。", reason="现行制度已有安排。", engine=fresh_engine)
    assert _points(fresh_engine, world) == pytest.approx(before)
    trail = _audits(fresh_engine, "suggestion.answer")
    assert [entry.detail["after"]["status"] for entry in trail] == ["adopted", "partial", "declined"]
    assert trail[1].detail["before"]["answer"] == "已采纳,纳入工作安排。"


def test_the_person_board_credits_the_adopter(fresh_engine, world):
    suggestion_id = _suggest(fresh_engine, world)
    answer_suggestion(ADMIN, suggestion_id, status="adopted", answer="采纳,谢谢建议。", today=MAY, engine=fresh_engine)
    board = people_board(ADMIN, campaign_id=world.campaign_id, start=START, end=END, unit_id=world.units["A"], engine=fresh_engine)
    row = next(row for row in board.rows if row.cadre_id == world.cadres["a2"])
    assert row.adopted == 1


def test_answers_that_cannot_be_saved_are_refused_in_words(fresh_engine, world):
    suggestion_id = _suggest(fresh_engine, world)
    with pytest.raises(ValidationFailed) as refused:
        answer_suggestion(ADMIN, suggestion_id, status="declined", answer="不", reason="", engine=fresh_engine)
    assert {(field, key) for field, key, _ in refused.value.problems} == {("answer", "validation.too_short"), ("reason", "validation.required")}
    with pytest.raises(ValidationFailed) as refused:
        answer_suggestion(ADMIN, suggestion_id, status="maybe", answer="再研究研究。", engine=fresh_engine)
    assert refused.value.problems[0][1] == "ledgers.problem.bad_decision"
    with pytest.raises(ValidationFailed) as refused:
        route_suggestion(ADMIN, suggestion_id, world.units["B"], engine=fresh_engine)
    assert refused.value.problems[0][1] == "ledgers.problem.not_division"
    with pytest.raises(ConflictError):
        answer_suggestion(ADMIN, suggestion_id, status="adopted", answer="采纳,谢谢建议。", expected_version=99, engine=fresh_engine)
    with read_session(fresh_engine) as session:
        assert session.get(Suggestion, suggestion_id).status == "submitted"


def test_only_the_office_answers_and_units_see_only_their_own(fresh_engine, world):
    suggestion_id = _suggest(fresh_engine, world)
    for actor in (_reporter(world), _cadre(world), VIEWER, None):
        with pytest.raises(PermissionDenied):
            answer_suggestion(actor, suggestion_id, status="adopted", answer="采纳,谢谢建议。", engine=fresh_engine)
    assert list_suggestions(_reporter(world, "B"), engine=fresh_engine) == []
    assert len(list_suggestions(_reporter(world), engine=fresh_engine)) == 1
    for actor in (VIEWER, None):
        with pytest.raises(PermissionDenied):
            list_suggestions(actor, engine=fresh_engine)
    with pytest.raises(PermissionDenied):
        submit_suggestion(_reporter(world, "B"), unit_id=world.units["A"], title="越权", content=CONTENT, cadre_id=world.cadres["a2"], engine=fresh_engine)


def test_anonymity_needs_the_office_setting_and_hides_the_submitter_but_credits_the_unit(fresh_engine, world):
    with pytest.raises(ValidationFailed) as refused:
        _suggest(fresh_engine, world, anonymous=True)
    assert refused.value.problems[0][1] == "ledgers.problem.anonymous_off"
    with read_session(fresh_engine) as session:  # refused whole: no record either
        assert session.scalar(select(func.count()).select_from(ActivityRecord)) == 0
    with pytest.raises(PermissionDenied):
        set_anonymous_allowed(_reporter(world), True, engine=fresh_engine)
    set_anonymous_allowed(ADMIN, True, engine=fresh_engine)
    suggestion_id = _suggest(fresh_engine, world, anonymous=True)
    for actor in (ADMIN, _reporter(world), _cadre(world, "a3")):
        row = list_suggestions(actor, engine=fresh_engine)[0]
        assert (row["submitter"], row["cadre_id"], row["anonymous"]) == (None, None, True)
    own = list_suggestions(_cadre(world), engine=fresh_engine)[0]
    assert (own["submitter"], own["is_mine"]) == ("A2", True)
    # The record under review names nobody either: not in the queue, not in its fields.
    [queued] = review_queue(ADMIN, engine=fresh_engine)
    assert queued["cadre_name"] is None
    assert [key for key, _ in record_detail(ADMIN, queued["id"], engine=fresh_engine)["shown"]] == ["content"]
    before = _points(fresh_engine, world)
    answer_suggestion(ADMIN, suggestion_id, status="adopted", answer="采纳,谢谢建议。", today=MAY, engine=fresh_engine)
    assert _points(fresh_engine, world) == pytest.approx(before + 2.0)
    board = people_board(ADMIN, campaign_id=world.campaign_id, start=START, end=END, unit_id=world.units["A"], engine=fresh_engine)
    assert all(row.adopted == 0 for row in board.rows)  # a person's bonus would name them
    # The submitter may show their name again; nobody else may, the office and the unit's reporter included.
    for actor in (_reporter(world), _cadre(world, "a3"), ADMIN):
        with pytest.raises(PermissionDenied):
            set_anonymous(actor, suggestion_id, False, engine=fresh_engine)
    set_anonymous(_cadre(world), suggestion_id, False, engine=fresh_engine)
    assert list_suggestions(ADMIN, engine=fresh_engine)[0]["submitter"] == "A2"


def test_filters_by_status_unit_division_and_period(fresh_engine, world):
    first = _suggest(fresh_engine, world)
    _suggest(fresh_engine, world, actor=_cadre(world, "b2", "B"))
    route_suggestion(ADMIN, first, world.units["div"], engine=fresh_engine)
    answer_suggestion(ADMIN, first, status="adopted", answer="采纳,谢谢建议。", engine=fresh_engine)
    assert [row["id"] for row in list_suggestions(ADMIN, status="adopted", engine=fresh_engine)] == [first]
    assert len(list_suggestions(ADMIN, status="submitted", engine=fresh_engine)) == 1
    assert [row["id"] for row in list_suggestions(ADMIN, division_id=world.units["div"], engine=fresh_engine)] == [first]
    assert len(list_suggestions(ADMIN, unit_id=world.units["B"], engine=fresh_engine)) == 1
    far = dt.date(2000, 1, 1)
    assert list_suggestions(ADMIN, start=far, end=far, engine=fresh_engine) == []
    assert len(list_suggestions(ADMIN, search="谈话预约", engine=fresh_engine)) == 2
    assert list_suggestions(ADMIN, search="100%_", engine=fresh_engine) == []


def test_deleting_the_record_removes_its_suggestion(fresh_engine, world):
    suggestion_id = _suggest(fresh_engine, world)
    with read_session(fresh_engine) as session:
        record_id = session.get(Suggestion, suggestion_id).record_id
    delete_record(ADMIN, record_id, engine=fresh_engine)
    with read_session(fresh_engine) as session:
        assert session.get(Suggestion, suggestion_id) is None


# --- problems ---------------------------------------------------------------------------------


def _visit(engine, world, problems: str, *, on=dt.date(2026, 3, 1), record_id=None) -> int:
    actor = _reporter(world)
    return save_record(
        actor, unit_id=actor.unit_id, type_code="grassroots_visit", title="调研", occurred_on=on, submit=True,
        details={"visitor": world.cadres["a2"], "place": "某社区", "problems_found": 2, "problems_solved": 0, "problem_list": problems},
        record_id=record_id, engine=engine,
    ).record_id


def _picture() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_a_visit_report_lists_its_problems_in_the_ledger_and_an_edit_keeps_worked_ones(fresh_engine, world):
    record_id = _visit(fresh_engine, world, "1. 社区党组织活动场所不足\n2、流动党员管理底数不清\n\n社区党组织活动场所不足")
    rows = list_problems(_reporter(world), engine=fresh_engine, today=dt.date(2026, 3, 2))
    assert sorted(row["description"] for row in rows) == ["流动党员管理底数不清", "社区党组织活动场所不足"]
    assert {(row["unit_id"], row["found_on"], row["due_on"], row["status"]) for row in rows} == {
        (world.units["A"], dt.date(2026, 3, 1), dt.date(2026, 4, 30), "open")
    }
    worked = next(row for row in rows if row["description"] == "流动党员管理底数不清")
    update_problem(_reporter(world), worked["id"], status="in_progress", resolution="已建立台账。", engine=fresh_engine)
    _visit(fresh_engine, world, "村级后备干部储备不足", record_id=record_id)
    rows = list_problems(ADMIN, engine=fresh_engine)
    assert sorted(row["description"] for row in rows) == ["村级后备干部储备不足", "流动党员管理底数不清"]


def test_a_solved_problem_earns_the_bonus_once_in_the_month_it_was_solved(fresh_engine, world):
    problem_id = create_problem(_reporter(world), unit_id=world.units["A"], description="基层党务干部培训不够", found_on=dt.date(2026, 3, 1), due_on=dt.date(2026, 6, 1), engine=fresh_engine)
    before = _points(fresh_engine, world)
    update_problem(ADMIN, problem_id, status="solved", resolution="已完成专项培训。", today=dt.date(2026, 5, 20), engine=fresh_engine)
    update_problem(ADMIN, problem_id, status="solved", resolution="已完成专项培训两期。", today=dt.date(2026, 6, 20), engine=fresh_engine)
    with read_session(fresh_engine) as session:
        assert session.get(Problem, problem_id).solved_on == dt.date(2026, 5, 20)
    assert _points(fresh_engine, world) == pytest.approx(before + 1.0)
    assert _points(fresh_engine, world, start=dt.date(2026, 5, 1), end=dt.date(2026, 5, 31)) == pytest.approx(1.0)
    assert _points(fresh_engine, world, start=dt.date(2026, 6, 1), end=dt.date(2026, 6, 30)) == pytest.approx(0.0)
    # Reopened: solved_on goes with the status, and the bonus with it.
    update_problem(ADMIN, problem_id, status="in_progress", resolution="复查发现仍有不足。", engine=fresh_engine)
    with read_session(fresh_engine) as session:
        assert session.get(Problem, problem_id).solved_on is None
    assert _points(fresh_engine, world) == pytest.approx(before)
    trail = _audits(fresh_engine, "problem.update")
    assert [(entry.detail["before"]["status"], entry.detail["after"]["status"]) for entry in trail] == [
        ("open", "solved"), ("solved", "solved"), ("solved", "in_progress")
    ]


def test_overdue_is_past_due_and_not_solved(fresh_engine, world):
    late = create_problem(ADMIN, unit_id=world.units["A"], description="两新组织党建覆盖不全", found_on=dt.date(2026, 1, 5), due_on=dt.date(2026, 2, 1), engine=fresh_engine)
    create_problem(ADMIN, unit_id=world.units["A"], description="软弱涣散党组织整顿偏慢", found_on=dt.date(2026, 1, 5), due_on=dt.date(2026, 9, 1), engine=fresh_engine)
    today = dt.date(2026, 3, 1)
    rows = list_problems(ADMIN, today=today, engine=fresh_engine)
    assert [(row["id"], row["overdue"]) for row in rows][0] == (late, True)
    assert [row["id"] for row in list_problems(ADMIN, overdue_only=True, today=today, engine=fresh_engine)] == [late]
    assert status_counts(ADMIN, today=today, engine=fresh_engine)["overdue"] == 1
    update_problem(ADMIN, late, status="not_feasible", resolution="不具备解决条件。", today=today, engine=fresh_engine)
    assert status_counts(ADMIN, today=today, engine=fresh_engine)["overdue"] == 0


def test_the_unit_reports_progress_with_evidence_and_only_the_office_confirms(fresh_engine, world):
    problem_id = create_problem(_reporter(world), unit_id=world.units["A"], description="党员组织关系转接不畅", found_on=dt.date(2026, 3, 1), due_on=dt.date(2026, 6, 1), engine=fresh_engine)
    update_problem(_reporter(world), problem_id, status="in_progress", resolution="已与街道对接。", photo=Photo("整改.jpg", _picture()), engine=fresh_engine)
    detail = problem_detail(_cadre(world), problem_id, engine=fresh_engine)
    assert detail["thumbnail"] and detail["evidence_id"]
    for change in ({"status": "solved"}, {"status": "in_progress", "due_on": dt.date(2026, 12, 1)}, {"status": "in_progress", "unit_id": world.units["B"]}):
        with pytest.raises(PermissionDenied):
            update_problem(_reporter(world), problem_id, resolution="已解决。", engine=fresh_engine, **change)
    for actor in (_reporter(world, "B"), _cadre(world), VIEWER):
        with pytest.raises(PermissionDenied):
            update_problem(actor, problem_id, status="in_progress", resolution="", engine=fresh_engine)
    with pytest.raises(PermissionDenied):
        problem_detail(_reporter(world, "B"), problem_id, engine=fresh_engine)
    with pytest.raises(PermissionDenied):
        create_problem(_cadre(world), unit_id=world.units["A"], description="干部越权登记", found_on=dt.date(2026, 3, 1), due_on=dt.date(2026, 4, 1), engine=fresh_engine)
    with pytest.raises(ValidationFailed) as refused:
        update_problem(ADMIN, problem_id, status="solved", resolution="", engine=fresh_engine)
    assert refused.value.problems == [("resolution", "validation.required", {})]
    with pytest.raises(ValidationFailed) as refused:
        update_problem(ADMIN, problem_id, status="in_progress", resolution="照片", photo=Photo("不是图片.jpg", b"not a picture"), engine=fresh_engine)
    assert refused.value.problems[0][:2] == ("photo", "image.not_an_image")
    update_problem(ADMIN, problem_id, status="in_progress", resolution="已与街道对接。", remove_photo=True, engine=fresh_engine)
    with read_session(fresh_engine) as session:
        assert session.scalar(select(func.count()).select_from(ProblemEvidence)) == 0


def test_a_problem_that_cannot_be_saved_is_refused_in_words(fresh_engine, world):
    with pytest.raises(ValidationFailed) as refused:
        create_problem(ADMIN, unit_id=world.units["A"], description="短", found_on=dt.date(2026, 3, 1), due_on=dt.date(2026, 2, 1), source="rumour", engine=fresh_engine)
    assert {(field, key) for field, key, _ in refused.value.problems} == {
        ("description", "validation.too_short"), ("due_on", "ledgers.problem.due_before_found"), ("source", "validation.bad_choice"),
    }


# --- surveys ----------------------------------------------------------------------------------


def _survey_file(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "填报"
    sheet.append(["单位", "期间", "选人用人公信度", "组织工作满意度", "参评人数"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_survey_results_are_entered_corrected_and_audited(fresh_engine, world):
    q2 = world.branches["q2"]
    save_survey(ADMIN, unit_id=world.units["A"], period_id=q2, credibility=80, satisfaction=90, respondents=40, engine=fresh_engine)
    save_survey(ADMIN, unit_id=world.units["A"], period_id=q2, credibility=82.5, satisfaction=90, respondents=41, engine=fresh_engine)
    rows = survey_rows(_reporter(world), engine=fresh_engine)
    assert [(row["period"], row["credibility"], row["respondents"]) for row in rows] == [("2026Q2", 82.5, 41)]
    assert survey_rows(_reporter(world, "B"), engine=fresh_engine) == []
    trail = _audits(fresh_engine, "survey.save")
    assert (trail[1].detail["before"]["credibility"], trail[1].detail["after"]["credibility"]) == (80.0, 82.5)
    board = unit_board(campaign_id=world.campaign_id, start=START, end=END, group_id=world.groups["G1"], engine=fresh_engine, compare_previous=False)
    assert next(s for s in board.standings if s.unit_id == world.units["A"]).survey == pytest.approx(86.25)


def test_bad_survey_figures_and_intruders_are_refused(fresh_engine, world):
    q2 = world.branches["q2"]
    with pytest.raises(ValidationFailed) as refused:
        save_survey(ADMIN, unit_id=world.units["A"], period_id=q2, credibility=101, satisfaction=None, respondents=0, engine=fresh_engine)
    assert {(field, key) for field, key, _ in refused.value.problems} == {
        ("credibility", "validation.out_of_range"), ("satisfaction", "validation.required"), ("respondents", "validation.out_of_range"),
    }
    for actor in (_reporter(world), _cadre(world), VIEWER, None):
        with pytest.raises(PermissionDenied):
            save_survey(actor, unit_id=world.units["A"], period_id=q2, credibility=80, satisfaction=80, respondents=5, engine=fresh_engine)
    for actor in (VIEWER, None):
        with pytest.raises(PermissionDenied):
            survey_rows(actor, engine=fresh_engine)


def test_a_survey_file_imports_whole_or_not_at_all(fresh_engine, world):
    bad = _survey_file([
        ["单位A", "2026Q2", 88, "九十", 30],
        ["单位Z", "2026Q2", 80, 80, 30],
        ["单位B", "2030Q1", 80, 80, 0],
        ["单位C", "2026Q2", "=1+1", 80, 12.5],
    ])
    check = check_survey_file(ADMIN, bad, engine=fresh_engine)
    assert {(problem.row, problem.column, problem.key) for problem in check.problems} >= {
        (2, "satisfaction", "ledgers.problem.not_number"), (3, "unit", "ledgers.problem.unknown_unit_name"),
        (4, "period", "ledgers.problem.unknown_period_name"), (4, "respondents", "validation.out_of_range"),
        (5, "respondents", "validation.not_integer"),
    }
    with pytest.raises(ImportRejected):
        import_survey_file(ADMIN, bad, engine=fresh_engine)
    with read_session(fresh_engine) as session:
        assert session.scalar(select(func.count()).select_from(SurveyScore)) == 0
    good = _survey_file([["单位A", "2026Q2", 88, "90.5%", 30], ["单位B", "2026Q2", 70, 75, 12], ["单位C", None, None, None, None]])
    assert import_survey_file(ADMIN, good, engine=fresh_engine) == 2
    with read_session(fresh_engine) as session:
        assert session.scalar(select(SurveyScore.satisfaction).where(SurveyScore.unit_id == world.units["A"])) == 90.5
    with pytest.raises(PermissionDenied):
        check_survey_file(_reporter(world), good, engine=fresh_engine)


def test_the_survey_template_lists_every_ranked_unit(fresh_engine, world):
    sheet = load_workbook(io.BytesIO(survey_template(ADMIN, engine=fresh_engine)))["填报"]
    assert [cell.value for cell in sheet[1]] == ["单位", "期间", "选人用人公信度", "组织工作满意度", "参评人数"]
    assert sorted(row[0].value for row in sheet.iter_rows(min_row=2)) == ["单位A", "单位B", "单位C", "单位D"]
