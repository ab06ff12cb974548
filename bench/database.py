"""The bench's database: built once with `python -m seed`'s loader, then reused.

SQLite files live outside the repository, in $BENCH_DIR (default /work/bench-data); with a URL
(PostgreSQL) the database is seeded if it is empty. How long the seed took is kept beside the
data (seed-<scale>-<name>.json), so a reused database still reports its seed rate.
"""
from __future__ import annotations

import json
import os
import resource
import time
from pathlib import Path

from sqlalchemy import Engine, func, select, text

from core.clock import office_today
from db.bootstrap import DEMO_KEY
from db.engine import get_engine, is_sqlite, read_session
from db.models import ActivityRecord, AppMeta, Attachment, Book
from seed.demo import seed_demo

DEFAULT_DIR = "/work/bench-data"


def bench_dir() -> Path:
    path = Path(os.environ.get("BENCH_DIR", DEFAULT_DIR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url(scale: str, url: str | None) -> str:
    return url or f"sqlite:///{bench_dir() / f'{scale}.db'}"


def _seed_record(engine: Engine, scale: str) -> Path:
    name = "sqlite" if is_sqlite(engine) else f"pg-{engine.url.database}"
    return bench_dir() / f"seed-{scale}-{name}.json"


def ensure_database(scale: str, url: str | None, *, log=print) -> tuple[Engine, dict]:  # noqa: ANN001 - a print-like callable
    """The engine of a finished demo database of `scale`, seeding it first if needed; and the
    seed's figures (seconds, records per second, peak memory of the process that seeded)."""
    engine = get_engine(database_url(scale, url))
    record = _seed_record(engine, scale)
    if _loaded(engine):
        return engine, json.loads(record.read_text()) if record.is_file() else {}
    log(f"seeding {engine.url.render_as_string(hide_password=True)} at scale {scale} (this is the slow part)…")
    began = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_SELF)
    cpu_before = before.ru_utime + before.ru_stime
    counts = seed_demo(scale=scale, engine=engine, today=office_today())
    seconds = time.perf_counter() - began
    usage = resource.getrusage(resource.RUSAGE_SELF)
    figures = {
        "seed_s": round(seconds, 1),
        "seed_records_per_s": round(counts["records"] / seconds),
        # CPU time says what the seed costs whatever else the machine is doing.
        "seed_cpu_s": round(usage.ru_utime + usage.ru_stime - cpu_before, 1),
        "seed_peak_rss_mb": round(usage.ru_maxrss / 1024),
    }
    record.write_text(json.dumps(figures))
    return engine, figures


def _loaded(engine: Engine) -> bool:
    try:
        with read_session(engine) as session:
            return session.get(AppMeta, DEMO_KEY) is not None
    except Exception:  # noqa: BLE001 - no schema yet: not loaded
        return False


def size_figures(engine: Engine) -> dict:
    """Size of the database and what the pictures take of it, in MB, and MB per million records."""
    with read_session(engine) as session:
        records = session.scalar(select(func.count()).select_from(ActivityRecord)) or 0
        pictures = session.scalar(
            select(func.coalesce(func.sum(func.length(Attachment.data) + func.length(Attachment.thumbnail)), 0))
        ) or 0
        covers = session.scalar(select(func.coalesce(func.sum(func.length(Book.cover)), 0))) or 0
        if is_sqlite(engine):
            page_size = session.execute(text("PRAGMA page_size")).scalar()
            pages = session.execute(text("PRAGMA page_count")).scalar()
            size = page_size * pages
        else:
            size = session.execute(text("SELECT pg_database_size(current_database())")).scalar()
        largest = _largest_tables(session, sqlite=is_sqlite(engine))
    mb = 1024 * 1024
    return {
        "largest_tables_mb": largest,
        "records": records,
        "db_size_mb": round(size / mb),
        "db_mb_per_million_records": round(size / mb / records * 1_000_000) if records else None,
        "pictures_mb": round((pictures + covers) / mb, 1),
    }


def _largest_tables(session, *, sqlite: bool) -> dict[str, float]:  # noqa: ANN001 - a Session
    """The five largest tables (SQLite: also each index, from dbstat), in MB."""
    if sqlite:
        try:
            rows = session.execute(text("SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 5")).all()
        except Exception:  # noqa: BLE001 - an SQLite built without dbstat: nothing to itemise
            return {}
    else:
        rows = session.execute(text(
            "SELECT relname, pg_total_relation_size(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind = 'r' ORDER BY 2 DESC LIMIT 5"
        )).all()
    return {name: round(size / (1024 * 1024), 1) for name, size in rows}
