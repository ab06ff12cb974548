"""Importing activity records from Excel and the bulk grid: scope, every type, problems by row, all or nothing."""
import datetime as dt
import io
import random

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from core.excel import CHOICES_SHEET, DATA_SHEET, ExcelRejected
from db.access import Actor, PermissionDenied
from db.accounts import create_user
from db.catalog_defaults import ACTIVITY_TYPES
from db.engine import read_session, write_session
from db.imports import (
    DuplicatesFound,
    ImportRejected,
    check_record_file,
    check_records,
    import_record_file,
    import_records,
    record_template,
)
from db.models import ActivityRecord, AuditLog, Book, Cadre, StudyRecord
from db.record_queries import review_queue
from seed.activity import details_for
from tests.db.world import build_world

PASSWORD = "a-long-enough-password"
ON = dt.date(2026, 5, 1)


@pytest.fixture
def setup(fresh_engine):
    world = build_world(fresh_engine)

    def user(name, role, unit=None, cadre=None):
        unit_id = world.units[unit] if unit else None
        cadre_id = world.cadres[cadre] if cadre else None
        user_id = create_user(username=name, display_name=name, password=PASSWORD, role=role, rounds=4, engine=fresh_engine, unit_id=unit_id, cadre_id=cadre_id)
        return Actor(user_id=user_id, role=role, unit_id=unit_id, cadre_id=cadre_id)

    actors = {
        "admin": user("admin", "admin"),
        "reporter_a": user("ra", "reporter", "A"),
        "reporter_b": user("rb", "reporter", "B"),
        "cadre_a2": user("ca2", "cadre", "A", "a2"),
        "viewer": user("v", "viewer"),
    }
    return fresh_engine, world, actors


def _filled(template: bytes, rows: list[list]) -> bytes:
    """The downloaded template with rows typed into its data sheet, as a person would."""
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook[DATA_SHEET]
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _headers(template: bytes) -> list[str]:
    return [cell.value for cell in load_workbook(io.BytesIO(template))[DATA_SHEET][1]]


def _count(engine, model=ActivityRecord):
    with read_session(engine) as session:
        return session.scalar(select(func.count()).select_from(model))


def _lecture_template(engine, world, actor):
    return record_template(actor, unit_id=world.units["A"], type_code="party_lecture", engine=engine)


@pytest.mark.parametrize("spec", ACTIVITY_TYPES, ids=[spec["code"] for spec in ACTIVITY_TYPES])
def test_every_activity_type_imports_from_its_own_template(setup, spec):
    engine, world, actors = setup
    cadre = {"id": world.cadres["a1"], "name": "A1", "is_principal": True, "branch_id": world.branches["ab1"]}
    branch = {"id": world.branches["ab1"], "name": "A支部1"}
    title, details = details_for(spec["code"], random.Random(3), cadre, branch)
    template = record_template(actors["reporter_a"], unit_id=world.units["A"], type_code=spec["code"], engine=engine)
    typed = {"title": title, "occurred_on": "2026/5/1"}
    for field in spec["fields"]:
        value = details.get(field["key"])
        typed[field["key"]] = {"cadre": "A1", "branch": "A支部1"}.get(field["kind"], value) if value is not None else None
    keys = ["title", "occurred_on", *(field["key"] for field in spec["fields"])]
    assert len(_headers(template)) == len(keys)
    raw = _filled(template, [[typed[key] for key in keys]])
    submit = spec["evidence"].get("photo") != "required"
    check = check_record_file(actors["reporter_a"], unit_id=world.units["A"], type_code=spec["code"], raw=raw, submit=submit, engine=engine)
    assert (check.rows, check.problems) == (1, [])
    [record_id] = import_record_file(actors["reporter_a"], unit_id=world.units["A"], type_code=spec["code"], raw=raw, submit=submit, engine=engine)
    with read_session(engine) as session:
        record = session.get(ActivityRecord, record_id)
        assert (record.title, record.occurred_on, record.unit_id) == (title, ON, world.units["A"])
        assert record.details == {key: value for key, value in details.items() if value is not None}
        assert record.status == ("pending" if submit else "draft")
        has_cadre = any(field["kind"] == "cadre" for field in spec["fields"])
        assert record.cadre_id == (world.cadres["a1"] if has_cadre else None)
        study = session.scalar(select(StudyRecord).where(StudyRecord.record_id == record_id))
        assert (study is not None) == bool(spec.get("is_study"))


def test_the_template_lists_the_units_own_people_and_choices(setup):
    engine, world, actors = setup
    template = _lecture_template(engine, world, actors["reporter_a"])
    assert _headers(template) == ["标题", "活动日期", "主讲人", "形式", "听众人数", "地点"]
    lists = list(load_workbook(io.BytesIO(template))[CHOICES_SHEET].iter_cols(min_row=2, values_only=True))
    assert [value for value in lists[0] if value] == ["主讲人", "A1", "A2", "A3", "A4"]  # not A离, not unit B's
    assert [value for value in lists[1] if value] == ["形式", "带头讲", "回家讲", "交流讲"]


def test_a_file_with_bad_rows_lists_each_problem_saves_nothing_and_the_corrected_file_imports(setup):
    engine, world, actors = setup
    reporter = actors["reporter_a"]
    template = _lecture_template(engine, world, reporter)
    bad = _filled(template, [
        ["党课一", "2026-05-01", "A1", "带头讲", 40, "礼堂"],
        ["党课二", "2026-13-01", "A1", "带头讲", 40, "礼堂"],  # no 13th month
        ["党课三", "2026/5/2", "B1", "带头讲", "四十", "礼堂"],  # another unit's cadre, words for a number
        ["党课四", "2026年5月3日", "A2", "随便讲", 40, None],  # not a form, place missing
        [None, "2025-12-31", "A3", "交流讲", 0, "会议室"],  # no title, before the campaign, nobody listened
    ])
    check = check_record_file(reporter, unit_id=world.units["A"], type_code="party_lecture", raw=bad, submit=True, engine=engine)
    assert check.rows == 5
    assert [(p.row, p.column, p.key) for p in check.problems] == [
        (3, "occurred_on", "imports.bad_date"),
        (4, "speaker", "imports.unknown_person"),
        (4, "audience", "validation.not_integer"),
        (5, "form", "validation.bad_choice"),
        (5, "place", "validation.required"),
        (6, "title", "validation.required"),
        (6, "occurred_on", "validation.outside_campaign"),
        (6, "audience", "validation.out_of_range"),
    ]
    with pytest.raises(ImportRejected) as rejected:
        import_record_file(reporter, unit_id=world.units["A"], type_code="party_lecture", raw=bad, submit=True, engine=engine)
    assert rejected.value.problems == check.problems
    assert _count(engine) == 0

    fixed = _filled(template, [
        ["党课一", "2026-05-01", "A1", "带头讲", 40, "礼堂"],
        ["党课二", "2026-10-01", "A1", "带头讲", 40, "礼堂"],
        ["党课三", "2026/5/2", "A2", "带头讲", "40", "礼堂"],
        ["党课四", "2026年5月3日", "A2", "交流讲", 40, "会议室"],
        ["党课五", 46150, "A3", "交流讲", 12, "会议室"],
    ])
    ids = import_record_file(reporter, unit_id=world.units["A"], type_code="party_lecture", raw=fixed, submit=True, engine=engine)
    with read_session(engine) as session:
        records = session.scalars(select(ActivityRecord).where(ActivityRecord.id.in_(ids)).order_by(ActivityRecord.id)).all()
        actions = session.scalars(select(AuditLog.action).where(AuditLog.entity == "activity_record")).all()
    assert [r.title for r in records] == ["党课一", "党课二", "党课三", "党课四", "党课五"]
    assert [r.occurred_on for r in records][-1] == dt.date(2026, 5, 8)  # an Excel serial date
    assert {r.status for r in records} == {"pending"}
    assert records[2].details["audience"] == 40 and records[2].participants == 40
    assert records[3].cadre_id == world.cadres["a2"] and records[3].branch_id == world.branches["ab1"]
    assert actions == ["record.import"] * 5


def test_formulas_and_merged_cells_refuse_the_file(setup):
    engine, world, actors = setup
    workbook = load_workbook(io.BytesIO(_lecture_template(engine, world, actors["reporter_a"])))
    sheet = workbook[DATA_SHEET]
    sheet.append(["党课一", "2026-05-01", "A1", "带头讲", "=20*2", "礼堂"])
    sheet.append(["党课二", "2026-05-02", "A1", "带头讲", 30, "礼堂"])
    sheet.append(["党课三", "2026-05-03", "A1", "带头讲", 30, None])
    sheet.merge_cells("F3:F4")
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(ImportRejected) as rejected:
        import_record_file(actors["reporter_a"], unit_id=world.units["A"], type_code="party_lecture", raw=buffer.getvalue(), submit=True, engine=engine)
    assert [(p.row, p.column, p.key) for p in rejected.value.problems] == [
        (2, "audience", "imports.formula_no_value"),
        (3, "place", "imports.merged_cells"),
    ]
    assert _count(engine) == 0


def test_a_file_that_is_not_excel_is_refused_before_anything_else(setup):
    engine, world, actors = setup
    for raw, key in ((b"", "imports.file_empty"), ("标题,日期\n党课,2026-05-01".encode(), "imports.not_excel")):
        with pytest.raises(ExcelRejected) as refused:
            check_record_file(actors["reporter_a"], unit_id=world.units["A"], type_code="party_lecture", raw=raw, submit=True, engine=engine)
        assert refused.value.key == key


def test_a_file_with_the_wrong_columns_is_refused_with_the_columns_named(setup):
    engine, world, actors = setup
    template = record_template(actors["reporter_a"], unit_id=world.units["A"], type_code="publicity", engine=engine)
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook[DATA_SHEET]
    sheet["C1"] = "平台"  # renamed header
    sheet.append(["报道", "2026-05-01", "《组工动态》"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    check = check_record_file(actors["reporter_a"], unit_id=world.units["A"], type_code="publicity", raw=buffer.getvalue(), submit=True, engine=engine)
    assert [(p.key, p.params.get("name")) for p in check.problems] == [("imports.unknown_column", "平台"), ("imports.missing_column", "刊发平台")]


def test_namesakes_must_be_told_apart(setup):
    engine, world, actors = setup
    with write_session(engine) as session:
        session.add(Cadre(unit_id=world.units["A"], name="A2", position="科长", branch_id=world.branches["ab2"]))
    template = _lecture_template(engine, world, actors["reporter_a"])
    raw = _filled(template, [["党课", "2026-05-01", "A2", "交流讲", 20, "礼堂"]])
    check = check_record_file(actors["reporter_a"], unit_id=world.units["A"], type_code="party_lecture", raw=raw, submit=True, engine=engine)
    assert [(p.key, p.params["count"]) for p in check.problems] == [("imports.ambiguous_person", 2)]
    raw = _filled(template, [["党课", "2026-05-01", "A2(科长)", "交流讲", 20, "礼堂"]])
    [record_id] = import_record_file(actors["reporter_a"], unit_id=world.units["A"], type_code="party_lecture", raw=raw, submit=True, engine=engine)
    with read_session(engine) as session:
        record = session.get(ActivityRecord, record_id)
        assert (record.branch_id, session.get(Cadre, record.cadre_id).position) == (world.branches["ab2"], "科长")


def test_types_that_need_photos_import_only_as_drafts(setup):
    engine, world, actors = setup
    template = record_template(actors["reporter_a"], unit_id=world.units["A"], type_code="analysis_meeting", engine=engine)
    raw = _filled(template, [["评议会", "2026-05-01", "A支部1", 12, "会上每名同志对照党性分析报告作了发言,开展了批评与自我批评。"]])
    with pytest.raises(ImportRejected) as rejected:
        import_record_file(actors["reporter_a"], unit_id=world.units["A"], type_code="analysis_meeting", raw=raw, submit=True, engine=engine)
    assert [(p.row, p.key) for p in rejected.value.problems] == [(None, "imports.photo_required_draft_only")]
    assert len(import_record_file(actors["reporter_a"], unit_id=world.units["A"], type_code="analysis_meeting", raw=raw, submit=False, engine=engine)) == 1


def test_only_the_units_reporter_and_the_office_import_for_a_unit(setup):
    engine, world, actors = setup
    raw = _filled(_lecture_template(engine, world, actors["admin"]), [["党课", "2026-05-01", "A1", "带头讲", 40, "礼堂"]])
    arguments = dict(unit_id=world.units["A"], type_code="party_lecture", raw=raw, submit=True, engine=engine)
    for outsider in (actors["reporter_b"], actors["cadre_a2"], actors["viewer"], None):
        with pytest.raises(PermissionDenied):
            record_template(outsider, unit_id=world.units["A"], type_code="party_lecture", engine=engine)
        with pytest.raises(PermissionDenied):
            check_record_file(outsider, **arguments)
        with pytest.raises(PermissionDenied):
            import_record_file(outsider, **arguments)
        with pytest.raises(PermissionDenied):
            import_records(outsider, unit_id=world.units["A"], type_code="party_lecture", rows=[(1, {"title": "x"})], submit=True, engine=engine)
    assert _count(engine) == 0
    assert len(import_record_file(actors["admin"], **arguments)) == 1


def test_a_failure_half_way_through_the_write_leaves_nothing_behind(setup, monkeypatch):
    engine, world, actors = setup
    import db.imports

    calls = []
    real = db.imports.sync_study

    def failing(session, record, type_code, cleaned):
        calls.append(record.id)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        real(session, record, type_code, cleaned)

    monkeypatch.setattr(db.imports, "sync_study", failing)
    template = record_template(actors["reporter_a"], unit_id=world.units["A"], type_code="reading_note", engine=engine)
    rows = [["", f"2026-05-0{n + 1}", "A1", f"新书{n}", "作者", "读书笔记正文" * 20, "心得体会" * 6] for n in range(5)]
    with pytest.raises(RuntimeError):
        import_record_file(actors["reporter_a"], unit_id=world.units["A"], type_code="reading_note", raw=_filled(template, rows), submit=True, engine=engine)
    assert len(calls) == 3
    assert (_count(engine), _count(engine, StudyRecord), _count(engine, Book)) == (0, 0, 0)


def test_ten_thousand_rows_import_in_one_go_with_progress(setup):
    engine, world, actors = setup
    template = record_template(actors["reporter_a"], unit_id=world.units["A"], type_code="publicity", engine=engine)
    outlets = ["《xx组工网》", "《组工动态》", "《手机党建报》"]
    rows = [[f"报道{n}", ON + dt.timedelta(days=n % 200), outlets[n % 3], None] for n in range(10_000)]
    raw = _filled(template, rows)
    seen: list[float] = []
    ids = import_record_file(actors["reporter_a"], unit_id=world.units["A"], type_code="publicity", raw=raw, submit=True, progress=seen.append, engine=engine)
    assert len(ids) == _count(engine) == 10_000
    assert seen == sorted(seen) and seen[-1] == pytest.approx(1.0) and len(seen) > 10
    with read_session(engine) as session:
        assert session.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "record.import")) == 10_000
        assert session.scalar(select(func.max(ActivityRecord.occurred_on))) == ON + dt.timedelta(days=199)


def test_the_grid_is_checked_row_by_row_before_anything_is_saved(setup):
    engine, world, actors = setup
    reporter = actors["reporter_a"]
    rows = [
        (1, {"title": "组工论坛第一期", "occurred_on": ON, "topic": "干部工作", "speaker": "A1", "participants": 30}),
        (2, {"title": None, "occurred_on": None, "topic": None, "speaker": None, "participants": None}),  # blank: ignored
        (3, {"title": "组工论坛第二期", "occurred_on": ON, "topic": "人才工作", "speaker": "A9", "participants": 30.0}),
    ]
    check = check_records(reporter, unit_id=world.units["A"], type_code="cadre_forum", rows=rows, submit=True, engine=engine)
    assert check.rows == 2
    assert [(p.row, p.column, p.key) for p in check.problems] == [(3, "speaker", "imports.unknown_person")]
    assert check.preview[0]["speaker"] == "A1"
    with pytest.raises(ImportRejected):
        import_records(reporter, unit_id=world.units["A"], type_code="cadre_forum", rows=rows, submit=True, engine=engine)
    assert _count(engine) == 0
    rows[2][1]["speaker"] = "A3"
    ids = import_records(reporter, unit_id=world.units["A"], type_code="cadre_forum", rows=rows, submit=False, source="grid", engine=engine)
    with read_session(engine) as session:
        assert [session.get(ActivityRecord, i).status for i in ids] == ["draft", "draft"]
        assert set(session.scalars(select(AuditLog.action).where(AuditLog.entity_id.in_(ids), AuditLog.entity == "activity_record")).all()) == {"record.bulk_entry"}
    empty = check_records(reporter, unit_id=world.units["A"], type_code="cadre_forum", rows=[rows[1]], submit=True, engine=engine)
    assert [p.key for p in empty.problems] == ["imports.file_no_rows"]


def test_the_bulk_grid_has_the_same_row_cap_as_the_import(setup):
    from core.excel import MAX_ROWS

    engine, world, actors = setup
    row = {"title": "党课", "occurred_on": ON, "speaker": world.cadres["a1"], "audience": 20}
    rows = [(number, dict(row)) for number in range(1, MAX_ROWS + 2)]
    for call in (check_records, import_records):
        with pytest.raises(ImportRejected) as refused:
            call(actors["reporter_a"], unit_id=world.units["A"], type_code="party_lecture", rows=rows, submit=False, engine=engine)
        assert [problem.key for problem in refused.value.problems] == ["imports.too_many_rows"]
    assert _count(engine) == 0


def test_rows_of_one_grid_that_describe_the_same_activity_are_named_before_saving(setup):
    engine, world, actors = setup
    reporter = actors["reporter_a"]
    lecture = {"title": "党课", "occurred_on": ON, "speaker": "A1", "form": "带头讲", "audience": 20, "place": "会议室"}
    rows = [
        (1, dict(lecture)),
        (2, {**lecture, "occurred_on": ON + dt.timedelta(days=1)}),  # another day: another lecture
        (3, {**lecture, "title": "党课(补录)"}),  # same speaker, same day: the same lecture
    ]
    check = check_records(reporter, unit_id=world.units["A"], type_code="party_lecture", rows=rows, submit=True, engine=engine)
    assert check.problems == []
    assert [(w.row, w.key, w.params["first"]) for w in check.warnings] == [(3, "imports.duplicate_in_file", 1)]
    with pytest.raises(DuplicatesFound) as found:
        import_records(reporter, unit_id=world.units["A"], type_code="party_lecture", rows=rows, submit=True, engine=engine)
    assert [w.row for w in found.value.warnings] == [3]
    assert _count(engine) == 0
    # A confirmation covers only the warnings the person saw: a row edited into a new twin asks again.
    with pytest.raises(DuplicatesFound) as again:
        import_records(
            reporter, unit_id=world.units["A"], type_code="party_lecture", submit=True, engine=engine,
            rows=[*rows, (4, {**lecture, "title": "党课(又一次)"})], accept_duplicates=found.value.warnings,
        )
    assert [w.row for w in again.value.warnings] == [3, 4]
    assert _count(engine) == 0
    ids = import_records(
        reporter, unit_id=world.units["A"], type_code="party_lecture", rows=rows, submit=True, accept_duplicates=found.value.warnings, engine=engine,
    )
    flagged = {row["id"] for row in review_queue(actors["admin"], engine=engine) if "duplicate" in row["flags"]}
    assert flagged == {ids[0], ids[2]}  # saved anyway, the twins are flagged for the reviewer


def test_unit_records_naming_nobody_are_twins_by_title_and_date(setup):
    engine, world, actors = setup
    template = record_template(actors["reporter_a"], unit_id=world.units["A"], type_code="publicity", engine=engine)
    raw = _filled(template, [["报道一", ON, "《组工动态》", None], ["报道二", ON, "《组工动态》", None], [" 报道一", ON, "《手机党建报》", None]])
    check = check_record_file(actors["reporter_a"], unit_id=world.units["A"], type_code="publicity", raw=raw, submit=True, engine=engine)
    assert [(w.row, w.params["first"]) for w in check.warnings] == [(4, 2)]  # sheet rows: the header is row 1


def test_the_same_file_imported_twice_is_recognised_with_when_and_by_whom(setup):
    engine, world, actors = setup
    template = record_template(actors["reporter_a"], unit_id=world.units["A"], type_code="publicity", engine=engine)
    raw = _filled(template, [["报道一", ON, "《组工动态》", None], ["报道二", ON, "《组工动态》", None]])
    first = check_record_file(actors["reporter_a"], unit_id=world.units["A"], type_code="publicity", raw=raw, submit=True, engine=engine)
    assert first.warnings == []
    import_record_file(actors["reporter_a"], unit_id=world.units["A"], type_code="publicity", raw=raw, submit=True, engine=engine)
    again = check_record_file(actors["admin"], unit_id=world.units["A"], type_code="publicity", raw=raw, submit=True, engine=engine)
    [warning] = again.warnings
    assert warning.key == "imports.file_imported_before" and warning.row is None
    assert (warning.params["user"], warning.params["rows"]) == ("ra", 2)
    assert isinstance(warning.params["at"], dt.datetime)
    with pytest.raises(DuplicatesFound) as found:
        import_record_file(actors["admin"], unit_id=world.units["A"], type_code="publicity", raw=raw, submit=True, engine=engine)
    assert _count(engine) == 2
    other_unit = check_record_file(actors["admin"], unit_id=world.units["B"], type_code="publicity", raw=raw, submit=True, engine=engine)
    assert other_unit.warnings == []  # the fingerprint is per unit
    import_record_file(
        actors["admin"], unit_id=world.units["A"], type_code="publicity", raw=raw, submit=True, accept_duplicates=found.value.warnings, engine=engine,
    )
    assert _count(engine) == 4
