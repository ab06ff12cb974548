"""`python -m bench [--quick] [--db URL]`: the app's speed at city scale, against baselines.

Builds or reuses the demo database at the large scale (1,000,000 records; --quick: 100,000) on
SQLite in $BENCH_DIR (default /work/bench-data), and with --db on that database too (PostgreSQL).
For each database it prints the board (whole campaign, month, week), unit trend, presenter
payload, people board, gallery tags and search for a common word, timed uncached through the
app's own functions; the board's hand-written SQL floor and naive pandas baseline, checked equal
to the app's figures first; cold and cached page times under AppTest; seed rate and size.
A readable table, then one JSON line with every figure and the ratios.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys

from bench import baselines, database, figures, pages
from core import heap
from db.boards import rules_for

RUNS = {"large": 3, "medium": 2}


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def board_check(engine, where: figures.Setting) -> dict:  # noqa: ANN001 - an Engine
    """The whole-campaign board's points by the app, the floor and pandas: equal, then timed."""
    span = where.span("campaign")
    rules = rules_for(engine=engine)
    app_call = figures.board_call(engine, where, "campaign")
    app = {standing.unit_id: standing.points for standing in app_call().standings}
    floor = baselines.floor_points(engine, rules, where.campaign.id, span.start, span.end)
    naive = baselines.naive_points(engine, rules, where.campaign.id, span.start, span.end)
    mismatched = [
        unit_id for unit_id, points in app.items()
        if abs(floor.get(unit_id, 0.0) - points) > 0.005 or abs(naive.get(unit_id, 0.0) - points) > 0.005
    ]
    if mismatched or not app:
        sample = {unit_id: (app[unit_id], floor.get(unit_id), naive.get(unit_id)) for unit_id in mismatched[:5]}
        raise SystemExit(f"bench: the floor or the naive baseline disagrees with the app (app, floor, naive): {sample}")
    _, floor_s, _ = figures.timed(lambda: baselines.floor_points(engine, rules, where.campaign.id, span.start, span.end), 2)
    _, naive_s, _ = figures.timed(lambda: baselines.naive_points(engine, rules, where.campaign.id, span.start, span.end), 1)
    return {"units_compared": len(app), "equal": True, "floor_s": round(floor_s, 4), "naive_s": round(naive_s, 4)}


def measure(name: str, scale: str, url: str | None) -> dict:
    engine, seed_figures = database.ensure_database(scale, url, log=_log)
    where = figures.setting(engine)
    heap.settle()  # as a server does once its first start is done (seed.first_start)
    _log(f"{name}: checking the baselines against the app …")
    result: dict = {"board_baselines": board_check(engine, where)}
    functions = {}
    for figure, call in figures.app_calls(engine, where).items():
        _log(f"{name}: {figure} …")
        first, median, _ = figures.timed(call, RUNS[scale])
        functions[figure] = {"first_s": round(first, 4), "median_s": round(median, 4)}
    result["functions"] = functions
    board = functions["board_campaign"]["median_s"]
    result["ratios"] = {
        "board_vs_floor": round(board / result["board_baselines"]["floor_s"], 2),
        "board_vs_naive": round(board / result["board_baselines"]["naive_s"], 3),
    }
    result["seed"] = seed_figures
    result["size"] = database.size_figures(engine)
    return result


def table(results: dict) -> str:
    names = list(results["databases"])
    lines = [f"{'figure':<34}" + "".join(f"{name:>22}" for name in names)]

    def row(label: str, values: list[str]) -> None:
        lines.append(f"{label:<34}" + "".join(f"{value:>22}" for value in values))

    first = results["databases"][names[0]]
    for figure in first["functions"]:
        row(figure, [f"{results['databases'][n]['functions'][figure]['median_s'] * 1000:,.0f} ms "
                     f"(1st {results['databases'][n]['functions'][figure]['first_s'] * 1000:,.0f})" for n in names])
    row("board floor (hand SQL)", [f"{results['databases'][n]['board_baselines']['floor_s'] * 1000:,.0f} ms" for n in names])
    row("board naive (pandas)", [f"{results['databases'][n]['board_baselines']['naive_s'] * 1000:,.0f} ms" for n in names])
    row("board app / floor", [f"{results['databases'][n]['ratios']['board_vs_floor']}×" for n in names])
    for page in first.get("pages", {}):
        row(f"page {page} cold / rerun", [
            f"{results['databases'][n]['pages'][page]['cold_s'] * 1000:,.0f} / {results['databases'][n]['pages'][page]['rerun_s'] * 1000:,.0f} ms"
            for n in names
        ])
    row("records", [f"{results['databases'][n]['size']['records']:,}" for n in names])
    row("database size", [f"{results['databases'][n]['size']['db_size_mb']:,} MB" for n in names])
    row("  per million records", [f"{results['databases'][n]['size']['db_mb_per_million_records']:,} MB" for n in names])
    row("  of it pictures", [f"{results['databases'][n]['size']['pictures_mb']:,} MB" for n in names])
    row("seed rate", [seed_rate(results["databases"][n]["seed"]) for n in names])
    return "\n".join(lines)


def seed_rate(seed: dict) -> str:
    """The seed's rate, or that this bench did not time it: a database seeded by `python -m seed`
    and reused here has no record of how long that took."""
    if "seed_records_per_s" not in seed:
        return "not timed here"
    return f"{seed['seed_records_per_s']:,} rec/s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100,000 records instead of 1,000,000 (for CI)")
    parser.add_argument("--db", help="also measure this database (PostgreSQL URL); seeded if empty")
    parser.add_argument("--no-pages", action="store_true", help="leave out the AppTest page times")
    args = parser.parse_args(argv)
    scale = "medium" if args.quick else "large"
    os.environ["DEMO_AUTOLOAD"] = "false"  # the pages must never load a demo of their own
    load_before = os.getloadavg()[0]
    results: dict = {"bench": "excellence-board", "scale": scale, "databases": {}}
    targets = [("sqlite", None)] + ([("postgresql", args.db)] if args.db else [])
    for name, url in targets:
        results["databases"][name] = measure(name, scale, url)
    # The pages come after every database's functions: the first page run imports Streamlit and
    # the views, which a server has imported before its heap is frozen (core.heap) and the bench
    # has not, so the functions measured after them would pay for scanning those objects.
    for name, url in targets if not args.no_pages else []:
        _log(f"{name}: pages under AppTest …")
        results["databases"][name]["pages"] = pages.page_times(database.database_url(scale, url))
    results["machine"] = {
        "cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
        "load_avg_before": round(load_before, 2), "load_avg_after": round(os.getloadavg()[0], 2),
    }
    print(table(results))
    print(json.dumps(results, ensure_ascii=False, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
