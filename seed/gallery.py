"""The demo's 展评: colleagues' likes, the office's ratings, tags and featured notes.

Tags are drawn as the records are written (book_tags, called by seed.demo); the rest here.

Runs at the end of seed_demo on the freshly loaded campaign. Likes need people who sign in, so a
fifth of the active cadres get accounts (username cadre-<id>, the demo password); their likes
respect the rules of the live app: one per person and record, none on one's own record, at most
LIKES_PER_DAY in a day. like_count is then set from the likes drawn.
"""
from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Engine, bindparam, select

from core.enums import RecordStatus, Role
from core.security import hash_password
from db.engine import write_session
from db.gallery_actions import LIKES_PER_DAY
from db.models import ActivityRecord, Cadre, StudyLike, StudyRating, StudyRecord, Unit, User

BATCH = 5_000
READER_SHARE = 5  # one cadre in five has an account that likes notes
FEATURED_SHARE = 0.004
FEATURED_MIN = 8
RATED_SHARE = 0.02

# Themes the office files notes under, by the book they are about.
BOOK_TAGS: dict[str, tuple[str, ...]] = {
    "论共产党员的修养": ("党性修养",), "毛泽东选集": ("理论学习",), "邓小平文选": ("理论学习",),
    "实践论": ("理论学习", "调查研究"), "矛盾论": ("理论学习",), "红星照耀中国": ("党史学习",),
    "乡土中国": ("调查研究",), "万历十五年": ("历史镜鉴",), "平凡的世界": ("文学",),
    "苦难辉煌": ("党史学习", "理想信念"), "红岩": ("理想信念",), "钢铁是怎样炼成的": ("理想信念", "文学"),
    "长征": ("党史学习",), "资治通鉴": ("历史镜鉴",), "曾国藩家书": ("历史镜鉴", "作风建设"),
    "焦裕禄": ("先进典型", "作风建设"), "大国崛起": ("历史镜鉴",), "谷文昌": ("先进典型",),
    "人民的名义": ("作风建设", "文学"), "组织工作基本知识": ("业务能力",), "领导干部公文写作": ("业务能力",),
    "中国共产党简史": ("党史学习",), "历史的天空": ("文学",), "穷人的银行家": ("调查研究",),
}
_STUDY = StudyRecord.__table__  # executemany updates go through Core: the ORM wants primary keys by name
COMMENTS = (
    "联系组织工作实际,体会真切。", "观点鲜明,文字朴实。", "对照检查深入,整改思路清楚。",
    "结合岗位谈体会,有启发。", "读得细,想得深,值得交流。", "",
)


def seed_gallery(*, engine: Engine, seed: int, today: dt.date, password: str) -> dict[str, int]:
    """Add reader accounts (signing in with `password`), likes, tags, ratings and featured notes.

    Likes are written in batches, each in its own transaction, as they are drawn; the notes' text
    is read only for the notes that get tags, a batch at a time: memory stays bounded at 1M records.
    """
    rng = random.Random(seed * 31 + 6)
    now = dt.datetime.combine(today, dt.time(9, 0))
    with write_session(engine) as session:
        studies = [dict(row._mapping) for row in session.execute(
            select(StudyRecord.id, StudyRecord.kind, StudyRecord.book_id, ActivityRecord.cadre_id,
                   ActivityRecord.occurred_on, ActivityRecord.reviewed_at)
            .join(ActivityRecord, ActivityRecord.id == StudyRecord.record_id)
            .where(ActivityRecord.status == RecordStatus.APPROVED)
            .order_by(StudyRecord.id)
        )]
        readers = _reader_accounts(session, rng, password, since=now - dt.timedelta(days=366))
    like_counts: dict[int, int] = {}
    batch: list[dict[str, Any]] = []
    for like in _likes(rng, studies, readers, now):
        like_counts[like["study_id"]] = like_counts.get(like["study_id"], 0) + 1
        batch.append(like)
        if len(batch) >= BATCH:
            _insert(engine, StudyLike, batch)
            batch = []
    _insert(engine, StudyLike, batch)
    with write_session(engine) as session:
        counted = [{"sid": study_id, "likes": count} for study_id, count in like_counts.items()]
        if counted:
            session.connection().execute(
                _STUDY.update().where(_STUDY.c.id == bindparam("sid")).values(like_count=bindparam("likes")), counted
            )
        admin_id = session.scalar(select(User.id).where(User.role == Role.ADMIN).order_by(User.id).limit(1))
        featured, rated = _featured_and_ratings(session, rng, studies, like_counts, admin_id, now)
    return {"reader_accounts": len(readers), "likes": sum(like_counts.values()), "featured": featured, "ratings": rated}


def _insert(engine: Engine, model, rows: list[dict[str, Any]]) -> None:  # noqa: ANN001 - a mapped class
    if rows:
        with write_session(engine) as session:
            session.connection().execute(model.__table__.insert(), rows)


def _reader_accounts(session, rng: random.Random, password: str, *, since: dt.datetime) -> list[dict[str, Any]]:  # noqa: ANN001
    taken = set(session.scalars(select(User.cadre_id).where(User.cadre_id.is_not(None))))
    cadres = session.execute(
        select(Cadre.id, Cadre.name, Cadre.unit_id, Unit.name_zh)
        .join(Unit, Unit.id == Cadre.unit_id)
        .where(Cadre.active.is_(True))
        .order_by(Cadre.id)
    ).all()
    chosen = [c for c in rng.sample(cadres, len(cadres) // READER_SHARE) if c.id not in taken]
    # One bcrypt hash for all: hashing each account separately would take minutes.
    shared_hash = hash_password(password)
    rows = [
        {"username": f"cadre-{c.id}", "display_name": f"{c.name_zh} {c.name}", "password_hash": shared_hash,
         "role": "cadre", "unit_id": c.unit_id, "cadre_id": c.id, "active": True, "created_at": since}
        for c in sorted(chosen, key=lambda c: c.id)
    ]
    if rows:
        session.execute(User.__table__.insert(), rows)
    ids = dict(session.execute(select(User.cadre_id, User.id).where(User.username.like("cadre-%"))).all())
    return [{"user_id": ids[row["cadre_id"]], "cadre_id": row["cadre_id"]} for row in rows]


def _likes(rng: random.Random, studies: list[dict], readers: list[dict], now: dt.datetime) -> Iterator[dict[str, Any]]:
    """A few popular notes gather many likes, most a handful, many none."""
    per_day: dict[tuple[int, dt.date], int] = {}
    for study in studies:
        popularity = (rng.paretovariate(1.6) - 1) * (2.5 if study["kind"] == "note" else 1.2)
        wanted = min(int(popularity), len(readers) // 2)
        since = study["reviewed_at"] or dt.datetime.combine(study["occurred_on"], dt.time(18, 0))
        window = max(60.0, (now - since).total_seconds())
        for reader in rng.sample(readers, wanted):
            if reader["cadre_id"] == study["cadre_id"]:
                continue
            at = since + dt.timedelta(seconds=rng.uniform(0, min(window, 20 * 86400)))
            day = (reader["user_id"], at.date())
            if per_day.get(day, 0) >= LIKES_PER_DAY:
                continue
            per_day[day] = per_day.get(day, 0) + 1
            yield {"study_id": study["id"], "user_id": reader["user_id"], "created_at": at.replace(microsecond=0)}


def book_tags(book: str | None, rng: random.Random) -> tuple[str, ...]:
    """The themes the office files a note about `book` under: most such notes are filed, some not."""
    tags = BOOK_TAGS.get(book or "", ())
    return tags if tags and rng.random() < 0.7 else ()


def _featured_and_ratings(session, rng: random.Random, studies: list[dict], counts: dict[int, int], admin_id: int | None, now: dt.datetime) -> tuple[int, int]:  # noqa: ANN001
    """The office features some of the best-liked notes and rates them (and a sample of others)."""
    if admin_id is None:
        return 0, 0
    notes = [s for s in studies if s["kind"] == "note"]
    by_likes = sorted(notes, key=lambda s: (-counts.get(s["id"], 0), s["id"]))
    wanted = max(FEATURED_MIN, round(len(notes) * FEATURED_SHARE))
    featured = rng.sample(by_likes[: wanted * 3], min(wanted, len(by_likes)))
    featured_rows = []
    for study in featured:
        since = study["reviewed_at"] or dt.datetime.combine(study["occurred_on"], dt.time(18, 0))
        at = min(now - dt.timedelta(hours=1), since + dt.timedelta(days=rng.uniform(1, 10)))
        featured_rows.append({"sid": study["id"], "at": at.replace(microsecond=0)})
    if featured_rows:
        session.connection().execute(
            _STUDY.update().where(_STUDY.c.id == bindparam("sid")).values(featured=True, featured_at=bindparam("at")), featured_rows
        )
    featured_ids = {row["sid"] for row in featured_rows}
    rated = [s for s in notes if s["id"] in featured_ids or rng.random() < RATED_SHARE]
    ratings = []
    for study in rated:
        best = study["id"] in featured_ids
        since = study["reviewed_at"] or dt.datetime.combine(study["occurred_on"], dt.time(18, 0))
        ratings.append({
            "study_id": study["id"], "reviewer_id": admin_id,
            "depth": rng.randint(4, 5) if best else rng.randint(2, 5),
            "practice": rng.randint(4, 5) if best else rng.randint(2, 5),
            "writing": rng.randint(4, 5) if best else rng.randint(2, 5),
            "comment": rng.choice(COMMENTS),
            "created_at": min(now, since + dt.timedelta(days=1)).replace(microsecond=0),
        })
    if ratings:
        session.execute(StudyRating.__table__.insert(), ratings)
    return len(featured_rows), len(ratings)
