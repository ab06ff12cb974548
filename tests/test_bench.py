"""`python -m bench --quick` runs end to end (about 100,000 records) and reports every figure in
its JSON line, the app's board having matched the hand-written SQL floor and the pandas baseline.

Times are printed, never asserted: this machine's load says nothing about the code.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from bench.__main__ import seed_rate
from bench.figures import MOST_RUNS, timed
from bench.pages import PAGES
from core.config import PROJECT_ROOT

pytestmark = pytest.mark.bench


def test_the_quick_bench_reports_every_figure_with_baselines_equal_to_the_app(tmp_path):
    env = dict(os.environ, BENCH_DIR=os.environ.get("BENCH_DIR") or str(tmp_path))
    env.pop("DATABASE_URL", None)
    finished = subprocess.run(
        [sys.executable, "-m", "bench", "--quick"], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    assert finished.returncode == 0, finished.stderr[-3000:]
    print(finished.stdout)
    report = json.loads(finished.stdout.strip().splitlines()[-1])
    sqlite = report["databases"]["sqlite"]
    assert report["scale"] == "medium"
    assert sqlite["board_baselines"]["equal"] is True and sqlite["board_baselines"]["units_compared"] > 0
    expected_functions = {"board_campaign", "board_month", "board_week", "unit_trend", "presenter_payload",
                          "people_board", "gallery_tags", "gallery_search", "gallery_search_page_50"}
    assert set(sqlite["functions"]) == expected_functions
    assert all(figure["median_s"] > 0 and figure["first_s"] > 0 for figure in sqlite["functions"].values())
    assert set(sqlite["pages"]) == {name for name, *_ in PAGES}
    assert all(page["cold_s"] > 0 and page["rerun_s"] > 0 for page in sqlite["pages"].values())
    assert sqlite["ratios"]["board_vs_floor"] > 0 and sqlite["ratios"]["board_vs_naive"] > 0
    assert 90_000 <= sqlite["size"]["records"] <= 110_000
    assert sqlite["size"]["db_mb_per_million_records"] > 0
    assert report["machine"]["cpus"] >= 1


def test_a_reused_database_seeded_elsewhere_has_no_seed_rate():
    """A database seeded by `python -m seed` and reused here was shown seeding at 0 records a second."""
    assert seed_rate({}) == "not timed here"
    assert seed_rate({"seed_s": 352.0, "seed_records_per_s": 2841}) == "2,841 rec/s"


def test_a_fast_figure_is_the_median_of_many_runs_and_a_slow_one_of_the_few_asked():
    calls: list[int] = []
    timed(lambda: calls.append(1), 3)
    assert len(calls) == 1 + MOST_RUNS  # the first run, then as many as fit in the budget
    calls.clear()
    timed(lambda: calls.append(1), 3, budget_s=0)
    assert len(calls) == 1 + 3  # none fits: the runs asked for, no more
