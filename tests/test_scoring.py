"""The scoring rules as pure functions, against figures worked out by hand."""
import pytest

from core.scoring import (
    DEFAULT_BONUSES,
    DEFAULT_CAP,
    DEFAULT_WEIGHTS,
    ScoringRules,
    bonus_points,
    competition_ranks,
    composite_indices,
    median,
    rank_change,
    tied_ranks,
    type_scorer,
    validate_config,
)

DEFAULTS = {"reading_note": 2.0, "publicity": 2.0, "analysis_report": 5.0}


def test_a_config_overrides_the_catalogue_and_missing_keys_take_the_defaults():
    rules = ScoringRules.from_config(3, {"points": {"reading_note": 3}, "caps": {"publicity": 4}}, DEFAULTS)
    assert rules.points == {"reading_note": 3.0, "publicity": 2.0, "analysis_report": 5.0}
    assert rules.cap_for("publicity") == 4 and rules.cap_for("reading_note") == DEFAULT_CAP
    assert rules.unit_cap_for("publicity") is None
    assert rules.bonuses == DEFAULT_BONUSES and rules.weights == DEFAULT_WEIGHTS
    # Stored back, every key is written out, so the version never drifts with the code's defaults.
    again = ScoringRules.from_config(3, rules.to_config(), {code: 0.0 for code in DEFAULTS})
    assert again == rules


def test_caps_per_person_then_per_unit():
    rules = ScoringRules.from_config(1, {"unit_caps": {"publicity": 5}}, DEFAULTS)
    # 9 records, 9 left after the per-person cap (SQL), 5 after the unit cap: 5 x 2 points.
    line = type_scorer(rules)("publicity", 9, 9)
    assert (line.records, line.counted, line.points, line.capped_away) == (9, 5, 10.0, 4)
    # A person's board ignores unit caps.
    assert type_scorer(rules, unit_cap=False)("publicity", 9, 9).points == 18.0
    # Without a unit cap only the per-person cap (already applied: 15 -> 12) matters.
    assert type_scorer(rules)("reading_note", 15, 12).points == 24.0


def test_a_scorer_bound_to_rules_scores_every_line_by_them():
    rules = ScoringRules.from_config(1, {"points": {"publicity": 3}, "unit_caps": {"publicity": 5}}, DEFAULTS)
    score, for_a_person = type_scorer(rules), type_scorer(rules, unit_cap=False)
    assert tuple(score("publicity", 9, 8)) == ("publicity", 9, 8, 5, 3.0, 15.0)
    assert tuple(for_a_person("publicity", 9, 8)) == ("publicity", 9, 8, 8, 3.0, 24.0)
    assert tuple(score("analysis_report", 2, 2)) == ("analysis_report", 2, 2, 2, 5.0, 10.0)
    assert tuple(score("unknown", 4, 4)) == ("unknown", 4, 4, 4, 0.0, 0.0)  # a type the rules do not score


def test_bonuses_multiply_their_counts():
    rules = ScoringRules.from_config(1, {"bonuses": {"featured_note": 4}}, DEFAULTS)
    assert bonus_points({"featured_note": 2, "solved_problem": 3}, rules) == {
        "featured_note": 8.0, "adopted_suggestion": 0.0, "solved_problem": 3.0,
    }


def test_composite_scales_per_capita_to_the_best_and_weights_the_components():
    rows = [
        {"per_capita": 8.5, "completion": 0.25, "survey": 85.0},
        {"per_capita": 9.0, "completion": 0.6, "survey": 75.0},
        {"per_capita": 9.0, "completion": 0.0, "survey": None},
    ]
    result, used = composite_indices(rows, {"per_capita": 50, "completion": 30, "survey": 20})
    assert used == pytest.approx({"per_capita": 0.5, "completion": 0.3, "survey": 0.2})
    # 0.5 x (8.5 / 9 x 100) + 0.3 x 25 + 0.2 x 85
    assert result[0].value == pytest.approx(71.722222, abs=1e-5)
    assert result[1].value == pytest.approx(83.0)
    # No survey while others have one: its index is the mean of its other components, their
    # weights sharing the survey's part (0.5 / 0.8 x 100 + 0.3 / 0.8 x 0), and it says so.
    assert result[2].value == pytest.approx(62.5)
    assert result[2].components["survey"] is None
    assert result[2].weights == pytest.approx({"per_capita": 0.625, "completion": 0.375})
    assert result[0].weights == pytest.approx(used)


def test_a_component_nobody_has_is_left_out_for_everyone():
    rows = [{"per_capita": 8.5, "completion": 0.25, "survey": None}, {"per_capita": 9.0, "completion": 0.6, "survey": None}]
    result, used = composite_indices(rows, {"per_capita": 50, "completion": 30, "survey": 20})
    assert used == pytest.approx({"per_capita": 0.625, "completion": 0.375})
    assert result[0].value == pytest.approx(0.625 * 8.5 / 9 * 100 + 0.375 * 25)
    assert result[1].value == pytest.approx(85.0)


def test_nobody_with_points_gives_a_zero_per_capita_component():
    result, _ = composite_indices([{"per_capita": 0.0, "completion": 0.5, "survey": None}], DEFAULT_WEIGHTS)
    assert result[0].components["per_capita"] == 0.0
    assert result[0].value == pytest.approx(0.375 * 50)


def test_ties_share_a_rank_and_are_marked():
    values = [9.0, 9.0, 8.5, 8.5, 8.5, 1.0]
    ranks = competition_ranks(values, lambda value: value)
    assert ranks == [1, 1, 3, 3, 3, 6]
    assert tied_ranks(ranks) == [True, True, True, True, True, False]


def test_rank_change_counts_places_gained():
    assert rank_change(5, 2) == 3
    assert rank_change(1, 3) == -2
    assert rank_change(None, 1) is None
    assert rank_change(2, None) is None


def test_nothing_and_nothing_yet_are_not_ranks():
    ranks = competition_ranks([4.0, 4.0, 1.0, 0.0, 0.0, None], lambda value: value)
    assert ranks == [1, 1, 3, None, None, None]
    assert tied_ranks(ranks) == [True, True, False, False, False, False]


def test_a_board_where_nobody_scored_ranks_nobody():
    ranks = competition_ranks([0.0] * 826, lambda value: value)
    assert ranks == [None] * 826 and not any(tied_ranks(ranks))


def test_median():
    assert median([3.0, None, 1.0, 2.0]) == 2.0
    assert median([4.0, 1.0]) == 2.5
    assert median([None]) is None


@pytest.mark.parametrize(
    ("config", "field", "key"),
    [
        ({"points": {"reading_note": -1}}, "points.reading_note", "validation.out_of_range"),
        ({"points": {"reading_note": "two"}}, "points.reading_note", "rules.problem.not_number"),
        ({"caps": {"reading_note": 2.5}}, "caps.reading_note", "validation.not_integer"),
        ({"caps": {"reading_note": 0}}, "caps.reading_note", "validation.out_of_range"),
        ({"unit_caps": {"nonsense": 3}}, "unit_caps.nonsense", "rules.problem.unknown"),
        ({"bonuses": {"featured_note": 5000}}, "bonuses.featured_note", "validation.out_of_range"),
        ({"weights": {"per_capita": 0, "completion": 0, "survey": 0}}, "weights", "rules.problem.weights_zero"),
    ],
)
def test_invalid_configs_are_refused_with_a_reason(config, field, key):
    assert (field, key) in [(problem[0], problem[1]) for problem in validate_config(config, DEFAULTS)]


def test_a_valid_config_has_no_problems():
    config = ScoringRules.from_config(1, {"unit_caps": {"publicity": 5}}, DEFAULTS).to_config()
    assert validate_config(config, DEFAULTS) == []
