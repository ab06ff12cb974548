"""No "None", no "nan" and no "8.0" for a whole number in any table of the Chinese interface
(issue 13.14): every table each kind of user sees, built from the demo data."""
from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from core.i18n import format_points
from tests.pages.apptest import open_app
from tests.pages.display_cells import display_offences

OFFICE_PAGES = [
    "views/leaderboard.py", "views/unit_detail.py", "views/people_board.py", "views/review.py", "views/my_records.py",
    "views/problems.py", "views/suggestions.py", "views/surveys.py", "views/coverage.py", "views/lagging.py",
    "views/office_home.py", "views/rules.py", "views/honour_roll.py", "views/books.py", "views/organization.py",
    "views/people_roster.py", "views/accounts.py", "views/campaign.py", "views/catalogue.py", "views/audit.py",
    "views/briefing.py",
]
REPORTER_PAGES = ["views/workbench.py", "views/my_records.py", "views/bulk_entry.py", "views/people_roster.py", "views/coverage.py"]
CADRE_PAGES = ["views/my_records.py", "views/people_board.py"]


def test_the_check_sees_none_nan_and_whole_numbers_with_a_decimal_part():
    def page() -> None:
        import pandas as pd
        import streamlit as st

        st.dataframe(pd.DataFrame({"name": ["甲", None], "points": [8.0, 3.0], "share": [2.5, float("nan")]}))
        st.dataframe(pd.DataFrame({"name": ["甲", None], "points": [8.0, 3.0]}), placeholder="—",
                     column_config={"points": st.column_config.NumberColumn("积分", format="localized")})

    at = AppTest.from_function(page).run()
    assert display_offences(at) == [
        "name: 1 missing values shown as None", "points: whole numbers shown as 8.0", "share: 1 missing values shown as None",
    ]


def test_points_read_as_people_write_them():
    assert [format_points(value) for value in (1251.0, 2.5, 7.25, 0.0, 1000.004, None)] == ["1,251", "2.5", "7.25", "0", "1,000", "—"]
    assert pd.Series([format_points(8.0)]).str.endswith(".0").sum() == 0


@pytest.mark.parametrize(
    ("account", "page"),
    [("admin", page) for page in OFFICE_PAGES] + [("reporter", page) for page in REPORTER_PAGES] + [("cadre", page) for page in CADRE_PAGES],
)
def test_no_table_shows_none_nan_or_a_whole_number_with_a_decimal_part(accounts, account, page):
    at = open_app(accounts[account], page)
    assert display_offences(at) == []
