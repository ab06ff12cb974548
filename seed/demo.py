"""Fill a database with the xx市 demo campaign: same seed and same day, same data.

Rows are written with bulk inserts in batches, a transaction per batch, with explicit ids, so the
demo scale takes seconds and the large scale (a million records) minutes in bounded memory.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
import random
import sys
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, select, text

from core.clock import office_today
from core.enums import RecordStatus, Role
from core.images import ProcessedImage, process_upload
from core.search import index_text, with_tags
from core.security import DEMO_PASSWORD
from db.accounts import create_user
from db.bootstrap import DEMO_KEY, ensure_base_data, has_campaign
from db.catalog_defaults import STUDY_KINDS, study_body
from db.engine import get_engine, is_sqlite, write_session
from db.gallery import remember_tags
from db.ledger_sync import LIVE_RECORDS
from db.models import (
    ActivityRecord,
    ActivityType,
    AppMeta,
    Attachment,
    Book,
    Branch,
    Cadre,
    Campaign,
    ComparisonGroup,
    Period,
    Problem,
    StudyRecord,
    Suggestion,
    SurveyScore,
    Unit,
)
from db.people import backfill_memberships
from db.summaries import SUMMARIES
from db.targets import default_targets
from seed.activity import details_for, generate_records, return_reason
from seed.gallery import BOOK_TAGS, book_tags, seed_gallery
from seed.ledgers import problem_row, suggestion_row
from seed.organization import CITY_OFFICE_ID, SCALES, Organization, build_organization
from seed.pictures import book_cover, note_photo
from seed.vocabulary import BOOKS, NOTE_MIDDLES, NOTE_OPENINGS, PROBLEMS

BATCH = 5_000
PHOTO_POOL = 24
PHOTO_TYPES = {"analysis_meeting", "honour", "reading_note", "party_lecture", "study_day"}

Progress = Callable[[str, int, int], None]


def text_progress(label: str, done: int, total: int) -> None:
    """A progress bar on stderr for `python -m seed` (the large scale takes minutes)."""
    width = 30
    filled = int(width * done / total) if total else width
    sys.stderr.write(f"\r{label:<10} [{'#' * filled}{'.' * (width - filled)}] {done:>9,}/{total:,}")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def seed_demo(
    *,
    scale: str = "demo",
    seed: int = 2010,
    today: dt.date | None = None,
    engine: Engine | None = None,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Load the demo campaign into an empty database; returns how many rows of each kind."""
    engine = engine or get_engine()
    ensure_base_data(engine)
    if has_campaign(engine):
        raise RuntimeError("the database already holds a campaign; seed only an empty database")
    today = today or office_today()
    rng = random.Random(seed)
    plan = SCALES[scale]
    org = build_organization(rng, plan)
    start = today - dt.timedelta(days=365)
    counts: dict[str, int] = {}
    with write_session(engine) as session:
        type_ids = dict(session.execute(select(ActivityType.code, ActivityType.id)).all())
        _bulk(session, ComparisonGroup, org.groups)
        _bulk(session, Unit, org.units)
        _bulk(session, Branch, org.branches)
        _bulk(session, Cadre, org.cadres, progress=progress, label="cadres")
        campaign_id = 1
        _bulk(
            session,
            Campaign,
            [{
                "id": campaign_id, "code": "cxzy", "name_zh": "全市组织系统“讲党性、重品行、作表率”创先争优活动",
                "name_en": "City organization system excellence campaign", "start_date": start,
                "end_date": today + dt.timedelta(days=60), "young_born_from": today.year - 35, "active": True,
            }],
        )
        session.flush()
        backfill_memberships(session)  # the bulk insert above bypasses the ORM's membership history
        # Staggered deadlines, so that supervision shows every state on any day the demo opens:
        # the lecture and the great discussion are past due (red where missing), the review
        # meetings fall due next month and the analysis reports at the campaign's end.
        default_targets(
            session,
            session.get(Campaign, campaign_id),
            due_on={
                "big_discussion": start + dt.timedelta(days=120),
                "party_lecture": start + dt.timedelta(days=240),
                "analysis_meeting": today + dt.timedelta(days=30),
            },
        )
        periods = _periods(campaign_id, start, today)
        _bulk(session, Period, periods)
        books = [
            {"id": index, "title": title, "author": author, "cover": book_cover(title, author, seed=seed + index)}
            for index, (title, author) in enumerate(BOOKS, start=1)
        ]
        _bulk(session, Book, books)
        counts.update(units=len(org.units), branches=len(org.branches), cadres=len(org.cadres))
    # Records go in a transaction per batch: one transaction of a million rows took 3 GB and 27 min.
    counts.update(
        _records(engine, rng, org, plan.records, plan.photos, campaign_id, start, today, type_ids, books, progress, seed)
    )
    with write_session(engine) as session:
        counts["surveys"] = _surveys(session, rng, org, campaign_id, periods)
        if not is_sqlite(engine):
            _reset_sequences(session)
    counts["users"] = _demo_users(engine, org)
    counts.update(seed_gallery(engine=engine, seed=seed, today=today, password=DEMO_PASSWORD))
    # Marked a demo last: a load that stopped half way is not taken for a finished demo.
    with write_session(engine) as session:
        session.add(AppMeta(key=DEMO_KEY, value=f"{scale}:{seed}:{today.isoformat()}"))
    analyze(engine)
    return counts


def analyze(engine: Engine) -> None:
    """Planner statistics for the freshly loaded tables (without them PostgreSQL planned the board
    at 15 s of CPU). SQLite samples a bounded number of rows per index, so it takes seconds at 1M.
    PostgreSQL also vacuums: until then no page is marked all-visible, so an index cannot answer a
    count alone (the review page's 73,000 waiting and returned records took 0.7 s through the
    table, 18 ms from the index, at 1M; 26 s of vacuum once).

    The summaries are rewritten whole on PostgreSQL: the load's triggers updated each of their
    rows once per record, and a plain vacuum frees the old versions without giving back the pages
    (at 1M, 5,637 rows of per-unit totals filled 36 MB and every board read them all; 248 kB
    rewritten; 7 s for all of them). In daily use autovacuum reuses the space as it goes."""
    with engine.connect() as connection:
        if is_sqlite(engine):
            connection.exec_driver_sql("PRAGMA analysis_limit=2000")
            connection.exec_driver_sql("ANALYZE")
            connection.commit()  # SQLite keeps the statistics in tables: a rollback would drop them
        else:
            autocommit = connection.execution_options(isolation_level="AUTOCOMMIT")
            autocommit.exec_driver_sql("VACUUM FULL " + ", ".join(summary.__tablename__ for summary in SUMMARIES))
            autocommit.exec_driver_sql("VACUUM ANALYZE")


def _bulk(session, model, rows: list[dict[str, Any]], *, progress: Progress | None = None, label: str = "") -> None:  # noqa: ANN001
    """Core executemany on the table: several times faster than ORM bulk inserts."""
    connection = session.connection()
    for offset in range(0, len(rows), BATCH):
        connection.execute(model.__table__.insert(), rows[offset : offset + BATCH])
        if progress:
            progress(label, min(offset + BATCH, len(rows)), len(rows))


def _periods(campaign_id: int, start: dt.date, today: dt.date) -> list[dict[str, Any]]:
    rows = []
    month = dt.date(start.year, start.month, 1)
    while month <= today:
        following = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
        rows.append({"campaign_id": campaign_id, "kind": "month", "label": month.strftime("%Y-%m"),
                     "start_date": month, "end_date": following - dt.timedelta(days=1)})
        if month.month in (1, 4, 7, 10) or not any(r["kind"] == "quarter" for r in rows):
            quarter_start = dt.date(month.year, 3 * ((month.month - 1) // 3) + 1, 1)
            quarter_end_month = quarter_start.month + 3
            quarter_end = dt.date(quarter_start.year + (quarter_end_month > 12), (quarter_end_month - 1) % 12 + 1, 1)
            rows.append({"campaign_id": campaign_id, "kind": "quarter",
                         "label": f"{quarter_start.year}Q{(quarter_start.month - 1) // 3 + 1}",
                         "start_date": quarter_start, "end_date": quarter_end - dt.timedelta(days=1)})
        month = following
    for index, row in enumerate(rows, start=1):
        row["id"] = index
    return rows


def _records(
    engine: Engine, rng: random.Random, org: Organization, target: int, max_photos: int, campaign_id: int,  # noqa: ANN001
    start: dt.date, today: dt.date, type_ids: dict[str, int], books: list[dict], progress: Progress | None,
    seed: int,
) -> dict[str, int]:
    book_ids = {book["title"]: book["id"] for book in books}
    records: list[dict[str, Any]] = []
    studies: list[dict[str, Any]] = []
    suggestions: list[dict[str, Any]] = []
    problems: list[dict[str, Any]] = []
    attachments: list[dict[str, Any]] = []
    # Photos go to roughly every n-th record of the types that ask for them, up to the budget.
    photo_every = max(1, target // (max_photos * 4)) if max_photos else 0
    written = {"records": 0, "study_records": 0, "suggestions": 0, "problems": 0, "attachments": 0, "tagged": 0}
    tag_rng = random.Random(seed * 31 + 7)
    divisions = [unit["id"] for unit in org.units if unit["kind"] == "division"]
    now = dt.datetime.combine(today, dt.time(9, 0))

    def flush(final: bool = False) -> None:
        if len(records) >= BATCH or (final and records):
            with write_session(engine) as session:
                for model, rows in ((ActivityRecord, records), (StudyRecord, studies), (Suggestion, suggestions), (Problem, problems), (Attachment, attachments)):
                    if rows:
                        _bulk(session, model, rows)
            written["records"] += len(records)
            written["study_records"] += len(studies)
            written["suggestions"] += len(suggestions)
            written["problems"] += len(problems)
            written["attachments"] += len(attachments)
            for rows in (records, studies, suggestions, problems, attachments):
                rows.clear()
            if progress:
                progress("records", written["records"], max(target, written["records"]))

    generated = generate_records(rng, org, target=target, start=start, today=today)
    for record_id, (code, unit_id, cadre, branch, occurred, status) in enumerate(generated, start=1):
        title, details = details_for(code, rng, cadre, branch)
        submitted = dt.datetime.combine(occurred, dt.time(rng.randint(8, 18), rng.randint(0, 59))) + dt.timedelta(days=rng.randint(0, 3))
        submitted = min(submitted, now)
        reviewed = status in {RecordStatus.APPROVED, RecordStatus.RETURNED}
        records.append({
            "id": record_id, "campaign_id": campaign_id, "unit_id": unit_id,
            "branch_id": branch["id"] if branch else (cadre["branch_id"] if cadre else None),
            "cadre_id": cadre["id"] if cadre else None, "type_id": type_ids[code], "title": title,
            "occurred_on": occurred, "status": status,
            "return_reason": return_reason(rng) if status == RecordStatus.RETURNED else None,
            "participants": details.get("participants") or details.get("audience"),
            "details": details, "created_at": submitted, "updated_at": submitted,
            "submitted_at": submitted if status != RecordStatus.DRAFT else None,
            "reviewed_at": min(submitted + dt.timedelta(days=rng.randint(1, 6)), now) if reviewed else None,
            "version": 1,
        })
        if code in STUDY_KINDS:
            body, takeaway = study_body(details), details.get("takeaway", "")
            # The office's themes go in with the row: setting them afterwards re-indexed every tagged note.
            tags = book_tags(details.get("book"), tag_rng) if status == RecordStatus.APPROVED else ()
            written["tagged"] += bool(tags)
            studies.append({
                "record_id": record_id, "kind": STUDY_KINDS[code], "book_id": book_ids.get(details.get("book")),
                "body": body, "takeaway": takeaway, "tags": ",".join(tags), "featured": False, "like_count": 0,
                "search_text": with_tags(index_text(title, details.get("book"), body, takeaway), list(tags)),
            })
        if code == "suggestion":
            decided = rng.choices(("submitted", "adopted", "declined"), (55, 30, 15))[0] if status == RecordStatus.APPROVED else "submitted"
            if status in LIVE_RECORDS:  # a draft or returned record has no suggestion for the office to answer
                suggestions.append(suggestion_row(
                    seed=seed, record_id=record_id, unit_id=unit_id, cadre_id=cadre["id"], title=title,
                    body=details["content"], submitted=submitted, decided=decided, divisions=divisions, today=today,
                ))
        if code == "grassroots_visit" and status == RecordStatus.APPROVED:
            found: list[str] = []
            for number in range(details["problems_found"]):
                solved = number < details["problems_solved"]
                description = rng.choice(PROBLEMS)
                solved_on = min(today, occurred + dt.timedelta(days=rng.randint(5, 50))) if solved else None
                if description in found:
                    continue
                found.append(description)
                problems.append(problem_row(
                    seed=seed, record_id=record_id, number=number, unit_id=unit_id, description=description,
                    found_on=occurred, solved_on=solved_on,
                ))
            details["problem_list"] = "\n".join(found)
        if photo_every and code in PHOTO_TYPES and record_id % photo_every == 0 and written["attachments"] + len(attachments) < max_photos:
            picture = _photo(len(attachments) + written["attachments"])
            attachments.append({
                "record_id": record_id, "filename": f"photo-{record_id}.jpg", "mime": picture.mime,
                "content_hash": picture.sha256, "size": picture.size, "width": picture.width,
                "height": picture.height, "data": picture.data, "thumbnail": picture.thumbnail,
                "created_at": submitted,
            })
        flush()
    flush(final=True)
    with write_session(engine) as session:
        remember_tags(session, {tag for tags in BOOK_TAGS.values() for tag in tags})
    return written


@functools.lru_cache(maxsize=PHOTO_POOL)
def _drawn_photo(number: int) -> ProcessedImage:
    return process_upload(note_photo(NOTE_OPENINGS[number % len(NOTE_OPENINGS)] + NOTE_MIDDLES[number % len(NOTE_MIDDLES)], seed=number))


def _photo(count: int) -> ProcessedImage:
    """One of PHOTO_POOL photos drawn once per process: drawing and shrinking each took a tenth of a
    second, and the pictures only need to look like evidence, not each be unique."""
    return _drawn_photo(count % PHOTO_POOL)


def _surveys(session, rng: random.Random, org: Organization, campaign_id: int, periods: list[dict]) -> int:  # noqa: ANN001
    rows = []
    for unit_id, engagement in org.engagement.items():
        base = 78 + 10 * min(engagement, 1.2)
        for period in periods:
            if period["kind"] != "quarter":
                continue
            rows.append({
                "campaign_id": campaign_id, "unit_id": unit_id, "period_id": period["id"],
                "credibility": round(min(99.5, base + rng.uniform(-4, 4)), 1),
                "satisfaction": round(min(99.5, base + rng.uniform(-3, 5)), 1),
                "respondents": rng.randint(30, 400),
            })
    _bulk(session, SurveyScore, rows)
    return len(rows)


def _reset_sequences(session) -> None:  # noqa: ANN001
    """Explicit ids leave PostgreSQL's sequences behind; move them past the largest id."""
    for table in ("comparison_group", "unit", "branch", "cadre", "period", "book", "activity_record",
                  "study_record", "suggestion", "problem", "attachment", "survey_score", "campaign"):
        session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
        ))


def demo_accounts() -> list[dict[str, Any]]:
    """The demo sign-ins, as the README lists them."""
    return [
        {"username": "admin", "display_name": "市委组织部办公室 管理员", "role": "admin", "unit": CITY_OFFICE_ID},
        {"username": "reporter", "display_name": "东湖区 填报员", "role": "reporter", "unit": "district-001"},
        {"username": "reporter2", "display_name": "西山区 填报员", "role": "reporter", "unit": "district-002"},
        {"username": "cadre", "display_name": "东湖区 组工干部", "role": "cadre", "unit": "district-001"},
        {"username": "viewer", "display_name": "只读访客", "role": "viewer", "unit": None},
    ]


def _demo_users(engine: Engine, org: Organization) -> int:
    unit_ids = {unit["code"]: unit["id"] for unit in org.units}
    for account in demo_accounts():
        unit = account["unit"]
        unit_id = unit if isinstance(unit, int) or unit is None else unit_ids[unit]
        cadre_id = None
        if account["role"] == Role.CADRE:
            cadre_id = next(c["id"] for c in org.cadres_by_unit[unit_id] if c["active"] and not c["is_principal"])
        create_user(
            username=account["username"], display_name=account["display_name"], password=DEMO_PASSWORD,
            role=account["role"], unit_id=unit_id, cadre_id=cadre_id, demo=True, engine=engine,
        )
    return len(demo_accounts())


def summary(counts: dict[str, int]) -> str:
    return json.dumps(counts, ensure_ascii=False)
