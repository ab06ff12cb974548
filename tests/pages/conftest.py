"""Pages under Streamlit's AppTest: the demo accounts, signed in once per run."""
from __future__ import annotations

import pytest

from db.accounts import sign_in
from seed.demo import DEMO_PASSWORD


@pytest.fixture(scope="session")
def accounts(demo_engine):
    """Signed-in sessions of the demo accounts (bcrypt is slow on purpose: sign in once)."""
    return {name: sign_in(name, DEMO_PASSWORD, engine=demo_engine) for name in ("admin", "reporter", "cadre", "viewer")}
