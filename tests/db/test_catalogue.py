"""The catalogue editor's commands: a new type with its own fields works in entry and imports;
malformed types are refused; everything is admin-only and audited."""
import datetime as dt
import functools
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from core.campaign_rules import CampaignSpec
from core.catalogue_rules import TypeSpec, clean_field
from db.access import PermissionDenied, ValidationFailed
from db.campaigns import create_campaign, current_type_codes
from db.catalogue import catalogue, create_type, spec_of, update_type, update_types
from db.engine import read_session
from db.imports import import_records, record_template
from db.models import ActivityRecord, ActivityType, AuditLog
from db.records import save_record
from tests.db.world import add_account, build_world

FIELDS = [
    clean_field({"key": "visitor", "kind": "cadre"}),
    clean_field({"key": "village", "kind": "text", "label_zh": "走访村社", "label_en": "Village"}),
    clean_field({"key": "visit_date", "kind": "date", "label_zh": "回访日期", "label_en": "Follow-up date", "required": False}),
    clean_field({"key": "households", "kind": "int", "label_zh": "走访户数", "label_en": "Households", "min": 1.0}),
    clean_field({"key": "channel", "kind": "choice", "label_zh": "方式", "label_en": "Channel", "choices": "入户,座谈、电话"}),
    clean_field({"key": "findings", "kind": "longtext", "label_zh": "了解情况", "label_en": "Findings", "min_len": 10}),
]


def _spec(**changes):
    values = dict(code="door_visit", name_zh="入户走访", name_en="Door-to-door visit", area="grassroots", level="person",
                  default_points=3, fields=FIELDS, photo="optional")
    values.update(changes)
    return TypeSpec(**values)


@pytest.fixture
def setup(fresh_engine):
    world = build_world(fresh_engine)

    user = functools.partial(add_account, fresh_engine, world)

    return fresh_engine, world, {"admin": user("admin", "admin"), "reporter_a": user("ra", "reporter", "A")}


def _keys(refused):
    return [key for _field, key, _params in refused.value.problems]


def test_fields_from_the_editor_are_cleaned():
    assert FIELDS[4]["choices"] == ["入户", "座谈", "电话"]
    assert FIELDS[3]["min"] == 1 and isinstance(FIELDS[3]["min"], int)
    assert "choices" not in FIELDS[1] and FIELDS[2]["required"] is False


def test_a_new_type_works_in_entry_and_in_the_import_template_and_import(setup):
    engine, world, actors = setup
    type_id = create_type(actors["admin"], _spec(), engine=engine)
    assert "door_visit" in current_type_codes(engine=engine)
    details = {"visitor": world.cadres["a1"], "village": "东村", "visit_date": dt.date(2026, 6, 1), "households": 12,
               "channel": "入户", "findings": "群众反映道路需要修缮,已登记。"}
    saved = save_record(actors["reporter_a"], unit_id=world.units["A"], type_code="door_visit", title="东村走访",
                        occurred_on=dt.date(2026, 5, 20), details=details, submit=True, engine=engine)
    with read_session(engine) as session:
        record = session.get(ActivityRecord, saved.record_id)
        assert record.cadre_id == world.cadres["a1"] and record.details["visit_date"] == "2026-06-01"
    with pytest.raises(ValidationFailed) as refused:
        save_record(actors["reporter_a"], unit_id=world.units["A"], type_code="door_visit", title="西村走访",
                    occurred_on=dt.date(2026, 5, 20), details={**details, "channel": "短信", "households": 0}, submit=True, engine=engine)
    assert sorted(_keys(refused)) == ["validation.bad_choice", "validation.out_of_range"]

    workbook = load_workbook(io.BytesIO(record_template(actors["reporter_a"], unit_id=world.units["A"], type_code="door_visit", engine=engine)))
    headers = [cell.value for cell in next(workbook.worksheets[0].iter_rows(max_row=1))]
    assert any("走访村社" in str(header) for header in headers) and any("回访日期" in str(header) for header in headers)
    rows = [(2, {"title": "南村走访", "occurred_on": "2026-07-01", "visitor": "A1", "village": "南村", "visit_date": "2026/7/3",
                 "households": "5", "channel": "座谈", "findings": "座谈了解到村里需要培训。"})]
    (record_id,) = import_records(actors["reporter_a"], unit_id=world.units["A"], type_code="door_visit", rows=rows, submit=False, engine=engine)
    with read_session(engine) as session:
        assert session.get(ActivityRecord, record_id).details["visit_date"] == "2026-07-03"
        assert session.get(ActivityType, type_id).evidence == {"photo": "optional"}
    (row,) = [r for r in _audits(engine) if r.action == "catalogue.create"]
    assert row.detail["after"]["code"] == "door_visit"


def _audits(engine):
    with read_session(engine) as session:
        return session.scalars(select(AuditLog).order_by(AuditLog.id)).all()


def test_a_campaign_with_chosen_types_gets_a_new_type_only_when_asked(setup):
    engine, _world, actors = setup
    admin = actors["admin"]
    with read_session(engine) as session:
        lecture = session.scalar(select(ActivityType.id).where(ActivityType.code == "party_lecture"))
    create_campaign(admin, CampaignSpec("next", "下一期", "Next", dt.date(2026, 6, 1), dt.date(2027, 5, 31), 1991), type_ids=[lecture], engine=engine)
    create_type(admin, _spec(code="quiet_type"), add_to_current=False, engine=engine)
    assert current_type_codes(engine=engine) == {"party_lecture"}
    create_type(admin, _spec(code="loud_type"), engine=engine)
    assert current_type_codes(engine=engine) == {"party_lecture", "loud_type"}


@pytest.mark.parametrize(("fields", "expected"), [
    ([*FIELDS, {"key": "village", "kind": "text", "required": True, "label_zh": "村", "label_en": "V"}], ["catalogue.error.duplicate_key"]),
    ([*FIELDS, {"key": "mood", "kind": "choice", "required": True, "choices": [], "label_zh": "心情", "label_en": "Mood"}], ["catalogue.error.empty_choices"]),
    ([*FIELDS, {"key": "mood", "kind": "colour", "required": True, "label_zh": "心情", "label_en": "Mood"}], ["catalogue.error.unknown_kind"]),
    ([*FIELDS, {"key": "mood", "kind": "text", "required": True}], ["catalogue.error.field_label"]),
    ([*FIELDS, {"key": "Bad Key", "kind": "text", "required": True, "label_zh": "坏", "label_en": "Bad"}], ["catalogue.error.field_key"]),
    (FIELDS[1:], ["catalogue.error.person_field"]),
])
def test_malformed_fields_are_refused(setup, fields, expected):
    engine, _world, actors = setup
    with pytest.raises(ValidationFailed) as refused:
        create_type(actors["admin"], _spec(fields=fields), engine=engine)
    assert _keys(refused) == expected
    with read_session(engine) as session:
        assert session.scalar(select(ActivityType).where(ActivityType.code == "door_visit")) is None


def test_duplicate_codes_bad_points_and_unknown_areas_are_refused(setup):
    engine, _world, actors = setup
    with pytest.raises(ValidationFailed) as refused:
        create_type(actors["admin"], _spec(code="party_lecture", default_points=500, area="nowhere"), engine=engine)
    assert _keys(refused) == ["catalogue.error.code_taken", "catalogue.error.area", "catalogue.error.points"]


def test_only_the_admin_edits_the_catalogue(setup):
    engine, _world, actors = setup
    for actor in (None, actors["reporter_a"]):
        with pytest.raises(PermissionDenied):
            create_type(actor, _spec(), engine=engine)
        with pytest.raises(PermissionDenied):
            catalogue(actor, engine=engine)
        with pytest.raises(PermissionDenied):
            update_types(actor, [], engine=engine)


def test_editing_names_points_evidence_and_order_is_audited(setup):
    engine, _world, actors = setup
    admin = actors["admin"]
    lecture = next(row for row in catalogue(admin, engine=engine) if row["code"] == "party_lecture")
    assert update_types(admin, [{"id": lecture["id"], "name_zh": "讲党课(带头讲)", "default_points": 9, "photo": "required", "sort_order": 99}], engine=engine) == 1
    changed = next(row for row in catalogue(admin, engine=engine) if row["code"] == "party_lecture")
    assert (changed["name_zh"], changed["default_points"], changed["photo"]) == ("讲党课(带头讲)", 9, "required")
    assert catalogue(admin, engine=engine)[-1]["code"] == "party_lecture"
    row = [r for r in _audits(engine) if r.action == "catalogue.update"][-1]
    assert row.detail["before"]["default_points"] == 8 and row.detail["after"]["default_points"] == 9
    with pytest.raises(ValidationFailed) as refused:
        update_type(admin, lecture["id"], spec_of({**changed, "code": "renamed"}), engine=engine)
    assert _keys(refused) == ["catalogue.error.code_fixed"]
    with pytest.raises(ValidationFailed):
        update_types(admin, [{"id": lecture["id"], "default_points": -1}], engine=engine)


def test_a_deactivated_type_is_no_longer_offered(setup):
    engine, world, actors = setup
    admin = actors["admin"]
    publicity = next(row for row in catalogue(admin, engine=engine) if row["code"] == "publicity")
    update_types(admin, [{"id": publicity["id"], "active": False}], engine=engine)
    assert "publicity" not in current_type_codes(engine=engine)
    with pytest.raises(ValidationFailed):
        save_record(actors["reporter_a"], unit_id=world.units["A"], type_code="publicity", title="报道", occurred_on=dt.date(2026, 5, 1),
                    details={"outlet": "其他"}, submit=False, engine=engine)
