"""`python -m seed [--scale small|demo|large] [--seed N] [--reset]`: fill the database with demo data."""
from __future__ import annotations

import argparse
import sys
import time

from db.engine import get_engine
from seed.demo import seed_demo, summary, text_progress
from seed.organization import SCALES
from seed.reset import reset_database


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m seed", description="Load the xx市 demo campaign.")
    parser.add_argument("--scale", choices=sorted(SCALES), default="demo")
    parser.add_argument("--seed", type=int, default=2010, help="same seed, same data")
    parser.add_argument("--database-url", help="defaults to DATABASE_URL")
    parser.add_argument("--reset", action="store_true", help="drop every table first (all data is lost)")
    args = parser.parse_args(argv)
    engine = get_engine(args.database_url)
    if args.reset:
        reset_database(engine)
    began = time.perf_counter()
    try:
        counts = seed_demo(scale=args.scale, seed=args.seed, engine=engine, progress=text_progress)
    except RuntimeError as error:
        print(f"seed: {error} (use --reset to start over)", file=sys.stderr)
        return 1
    print(f"seeded {engine.url.render_as_string(hide_password=True)} in {time.perf_counter() - began:.1f}s: {summary(counts)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
