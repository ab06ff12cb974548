"""`python -m seed [--scale small|demo|large] [--seed N] [--reset [--yes]]`: fill the database with demo data."""
from __future__ import annotations

import argparse
import sys
import time

from db.engine import get_engine
from seed.demo import seed_demo, summary, text_progress
from seed.organization import SCALES
from seed.reset import DESTROYS, app_tables, reset_database

RESET_HELP = (
    "DESTROYS the database first, then loads the demo: it drops " + DESTROYS
    + " Asks for confirmation (type the word RESET) unless --yes is given."
)


def _confirmed(where: str, tables: list[str]) -> bool:
    print(f"python -m seed --reset will DROP {len(tables)} tables of {where}:\n  {', '.join(tables)}", file=sys.stderr)
    print(f"That is: {DESTROYS}", file=sys.stderr)
    if not sys.stdin.isatty():
        print("seed: not confirmed (no terminal to ask on); add --yes to reset without asking", file=sys.stderr)
        return False
    answer = input("Type RESET to destroy all of it and load the demo: ")
    return answer.strip() == "RESET"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m seed",
        description="Load the xx市 demo campaign into DATABASE_URL (refuses a database that has a campaign).",
    )
    parser.add_argument("--scale", choices=sorted(SCALES), default="demo")
    parser.add_argument("--seed", type=int, default=2010, help="same seed, same data")
    parser.add_argument("--database-url", help="defaults to DATABASE_URL")
    parser.add_argument("--reset", action="store_true", help=RESET_HELP)
    parser.add_argument("--yes", action="store_true", help="with --reset: do not ask, destroy at once (for scripts)")
    args = parser.parse_args(argv)
    engine = get_engine(args.database_url)
    where = engine.url.render_as_string(hide_password=True)
    if args.reset:
        tables = app_tables(engine)
        if tables and not args.yes and not _confirmed(where, tables):
            print("seed: nothing was changed", file=sys.stderr)
            return 1
        reset_database(engine)
    began = time.perf_counter()
    try:
        counts = seed_demo(scale=args.scale, seed=args.seed, engine=engine, progress=text_progress)
    except RuntimeError as error:
        print(f"seed: {error} (use --reset to start over)", file=sys.stderr)
        return 1
    print(f"seeded {where} in {time.perf_counter() - began:.1f}s: {summary(counts)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
