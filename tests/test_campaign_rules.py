"""Campaign rules without a database: periods from dates, validation, the current campaign."""
import datetime as dt
from dataclasses import dataclass, replace

from core.campaign_rules import (
    CampaignSpec,
    PeriodSpec,
    TargetSpec,
    generate_periods,
    pick_current,
    shift_date,
    validate_campaign,
    validate_periods,
    validate_targets,
)

D = dt.date


def _spec(**changes):
    values = dict(code="cxzy-2027", name_zh="活动", name_en="Campaign", start_date=D(2027, 1, 1), end_date=D(2027, 12, 31), young_born_from=1991)
    values.update(changes)
    return CampaignSpec(**values)


def _keys(problems):
    return [key for _field, key, _params in problems]


def test_months_and_quarters_are_cut_to_the_campaigns_days():
    periods = generate_periods(D(2026, 3, 15), D(2026, 8, 10))
    months = [p for p in periods if p.kind == "month"]
    quarters = [p for p in periods if p.kind == "quarter"]
    assert [p.label for p in months] == ["2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08"]
    assert (months[0].start_date, months[0].end_date) == (D(2026, 3, 15), D(2026, 3, 31))
    assert months[-1].end_date == D(2026, 8, 10)
    assert [(p.label, p.start_date, p.end_date) for p in quarters] == [
        ("2026Q1", D(2026, 3, 15), D(2026, 3, 31)),
        ("2026Q2", D(2026, 4, 1), D(2026, 6, 30)),
        ("2026Q3", D(2026, 7, 1), D(2026, 8, 10)),
    ]
    assert validate_periods(periods, D(2026, 3, 15), D(2026, 8, 10)) == []


def test_a_year_across_new_year_has_twelve_months_and_four_quarters():
    periods = generate_periods(D(2026, 12, 1), D(2027, 11, 30))
    assert sum(p.kind == "month" for p in periods) == 12
    assert [p.label for p in periods if p.kind == "quarter"] == ["2026Q4", "2027Q1", "2027Q2", "2027Q3", "2027Q4"]


def test_a_campaign_ending_before_it_starts_is_refused():
    assert _keys(validate_campaign(_spec(end_date=D(2026, 12, 31)))) == ["campaign.error.ends_before_start"]
    assert _keys(validate_campaign(_spec(end_date=None))) == ["campaign.error.dates_required"]


def test_codes_names_and_the_young_year_are_checked():
    assert _keys(validate_campaign(_spec(code="CXZY-2027"), ["cxzy-2027"])) == ["campaign.error.code_taken"]
    assert _keys(validate_campaign(_spec(code="创先 争优"))) == ["campaign.error.code_format"]
    assert _keys(validate_campaign(_spec(name_zh="  "))) == ["campaign.error.name_required"]
    assert _keys(validate_campaign(_spec(young_born_from=19910))) == ["campaign.error.young_year"]
    assert validate_campaign(_spec(), ["cxzy"]) == []


def test_overlapping_outside_and_duplicate_periods_are_refused():
    start, end = D(2027, 1, 1), D(2027, 12, 31)
    overlapping = [PeriodSpec("month", "一月", D(2027, 1, 1), D(2027, 1, 31)), PeriodSpec("month", "二月", D(2027, 1, 31), D(2027, 2, 28))]
    assert _keys(validate_periods(overlapping, start, end)) == ["campaign.error.period_overlap"]
    # A month and a quarter may cover the same days: only periods of one kind must not overlap.
    nested = [PeriodSpec("month", "一月", D(2027, 1, 1), D(2027, 1, 31)), PeriodSpec("quarter", "一季度", D(2027, 1, 1), D(2027, 3, 31))]
    assert validate_periods(nested, start, end) == []
    outside = [PeriodSpec("month", "上年", D(2026, 12, 1), D(2026, 12, 31))]
    assert _keys(validate_periods(outside, start, end)) == ["campaign.error.period_outside"]
    backwards = [PeriodSpec("month", "倒", D(2027, 2, 1), D(2027, 1, 1))]
    assert _keys(validate_periods(backwards, start, end)) == ["campaign.error.period_order"]
    twins = [PeriodSpec("month", "同名", D(2027, 1, 1), D(2027, 1, 31)), PeriodSpec("month", "同名", D(2027, 2, 1), D(2027, 2, 28))]
    assert _keys(validate_periods(twins, start, end)) == ["campaign.error.period_duplicate"]


def test_targets_need_a_campaign_type_a_basis_a_count_and_a_due_date_inside():
    start, end = D(2027, 1, 1), D(2027, 12, 31)
    good = TargetSpec(1, "per_principal", 1, D(2027, 6, 30), 1.0)
    assert validate_targets([good], start, end, {1, 2}) == []
    assert _keys(validate_targets([replace(good, due_on=D(2028, 1, 1))], start, end, {1})) == ["campaign.error.due_outside"]
    assert _keys(validate_targets([replace(good, due_on=D(2026, 12, 31))], start, end, {1})) == ["campaign.error.due_outside"]
    assert _keys(validate_targets([TargetSpec(3, "per_unit", 1, end, 1.0)], start, end, {1})) == ["campaign.error.target_type"]
    assert _keys(validate_targets([good, good], start, end, {1})) == ["campaign.error.target_duplicate"]
    assert _keys(validate_targets([TargetSpec(1, "per_person", 0, end, 0.0)], start, end, {1})) == [
        "campaign.error.target_basis", "campaign.error.target_count", "campaign.error.target_weight",
    ]


@dataclass
class _Campaign:
    name: str
    start_date: dt.date
    end_date: dt.date


def test_the_current_campaign_is_the_latest_started_else_the_soonest_to_start():
    this_year = _Campaign("2026", D(2026, 1, 1), D(2026, 12, 31))
    next_year = _Campaign("2027", D(2027, 1, 1), D(2027, 12, 31))
    later = _Campaign("2028", D(2028, 1, 1), D(2028, 12, 31))
    assert pick_current([next_year, this_year], D(2026, 11, 30)) is this_year
    assert pick_current([next_year, this_year], D(2027, 1, 1)) is next_year
    assert pick_current([later, next_year], D(2026, 11, 30)) is next_year
    assert pick_current([], D(2026, 11, 30)) is None


def test_a_due_date_moves_to_the_same_place_in_the_next_campaign():
    assert shift_date(D(2026, 6, 30), D(2026, 1, 1), D(2027, 1, 1), D(2027, 12, 31)) == D(2027, 6, 30)
    # A shorter next stage keeps the due date inside it.
    assert shift_date(D(2026, 12, 31), D(2026, 1, 1), D(2027, 1, 1), D(2027, 6, 30)) == D(2027, 6, 30)


def test_the_presenter_address_names_a_campaign_and_reopens_it():
    from core.presenter import parse_settings, settings_query

    chosen = parse_settings({"campaign": "7", "boards": "leaderboard"})
    assert chosen.campaign == 7
    assert parse_settings(settings_query(chosen)) == chosen.with_changes(play=True)
    assert parse_settings({"campaign": "seven"}).campaign is None
    assert "campaign" not in settings_query(parse_settings({}))
