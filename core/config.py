"""Settings read from the environment, with defaults that make a fresh clone run the demo."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "data" / "excellence.db"


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    database_url: str
    # Rankings, gallery and the presenter screen open without signing in (demo default).
    public_read: bool
    # Load the demo campaign into an empty database on first start.
    demo_autoload: bool
    # "small" (tests), "demo" (first start) or "large" (benchmarks).
    demo_scale: str
    demo_seed: int
    upload_max_mb: int
    # The office's time zone: times are stored in UTC and shown in this zone (core.clock).
    office_timezone: str


def load_settings() -> Settings:
    return Settings(
        database_url=os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE_PATH}",
        public_read=_flag("PUBLIC_READ", True),
        demo_autoload=_flag("DEMO_AUTOLOAD", True),
        demo_scale=os.environ.get("DEMO_SCALE", "demo"),
        demo_seed=int(os.environ.get("DEMO_SEED", "2010")),
        upload_max_mb=int(os.environ.get("UPLOAD_MAX_MB", "8")),
        office_timezone=os.environ.get("OFFICE_TIMEZONE") or "Asia/Shanghai",
    )
