"""App processes the load tests measure: `streamlit run app.py` with its process at hand, so that a
test can read how much CPU it used and its peak memory (Linux /proc), and count its SQL queries."""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.app_server import app_running
from tests.conftest import _new_database_url

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class AppProcess:
    url: str
    database_url: str
    port: int
    pid: int
    queries: Path  # the process appends one byte per SQL query (DB_STATEMENT_LOG)

    def cpu_seconds(self) -> float:
        """User and system CPU time the process has used so far."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS

    def peak_rss_mb(self) -> float:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def query_count(self) -> int:
        return self.queries.stat().st_size


@contextmanager
def app_process(database_url: str, folder: Path, name: str, **settings: str) -> Iterator[AppProcess]:
    """`streamlit run app.py` on a free port against `database_url`, its log and query count in `folder`."""
    queries, log = folder / f"{name}.queries", folder / f"{name}.log"
    queries.touch()
    with app_running(database_url, log, DB_STATEMENT_LOG=str(queries), **settings) as (url, port, pid):
        yield AppProcess(url, database_url, port, pid, queries)


def load_database_url() -> str:
    """The database a load test runs on: LOAD_DATABASE_URL, one already loaded (the bench's
    million records, say: README "Measured figures"), or else a new one the app fills with the
    small demo on its first page view."""
    return os.environ.get("LOAD_DATABASE_URL") or _new_database_url()


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the values lie (nearest rank); 0 for none."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0
