"""Reading never writes: a signed-in person opening the main pages (the session checked from its
token on every run) changes no row and no data version, so fifty signed-in viewers share every
cached board instead of invalidating it for each other."""
from sqlalchemy import event

from db.accounts import issue_session_token
from db.engine import data_versions
from tests.pages.apptest import open_app

PAGES = {
    "admin": ["views/office_home.py", "views/leaderboard.py", "views/unit_detail.py", "views/people_board.py",
              "views/presenter.py", "views/gallery.py", "views/books.py", "views/review.py", "views/coverage.py"],
    "reporter": ["views/workbench.py", "views/leaderboard.py", "views/my_records.py", "views/gallery.py"],
}


def test_signed_in_pages_write_nothing(demo_engine, accounts):
    tokens = {name: issue_session_token(accounts[name].actor.user_id, engine=demo_engine) for name in PAGES}
    open_app(accounts["admin"])  # the process prepares its database once, before anything is measured
    writes: list[str] = []

    def count_writes(_connection, _cursor, statement, *_args) -> None:  # noqa: ANN001
        if statement.lstrip().split(None, 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}:
            writes.append(statement)

    before = data_versions(demo_engine)
    event.listen(demo_engine, "before_cursor_execute", count_writes)
    try:
        for name, pages in PAGES.items():
            for page in pages:
                at = open_app(accounts[name], page)
                at.session_state["session_token"] = tokens[name]  # every run checks the token, as after a reload
                at.run()
                assert not at.exception, (page, at.exception)
                assert at.session_state["signed_in"].username == name
    finally:
        event.remove(demo_engine, "before_cursor_execute", count_writes)
    assert writes == []
    assert data_versions(demo_engine) == before
