"""Demo activity records in realistic proportions and states.

Mandatory tasks come first (most units are well along, a few lag); the rest of the budget is
shared among units by headcount and how active each unit is, then among activity types by how
often such things happen. Recent records are often still waiting for review.
"""
from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

from db.catalog_defaults import (
    ABILITIES,
    DISCUSSION_QUESTIONS,
    HONOUR_LEVELS,
    INNOVATION_KINDS,
    OUTLETS,
    SUPERVISION_KINDS,
    TRAINING_TOPICS,
)
from seed.organization import Organization
from seed.vocabulary import (
    BOOKS,
    LECTURE_TOPICS,
    NOTE_MIDDLES,
    NOTE_OPENINGS,
    NOTE_TAKEAWAYS,
    PLACES,
    POSTING_POSTS,
    REPORT_CAUSES,
    REPORT_MEASURES,
    REPORT_PROBLEMS,
    STUDY_TOPICS,
    SUGGESTIONS,
)

# How often each non-mandatory kind of record happens, relative to the others.
TYPE_WEIGHTS = {
    "reading_note": 40, "book_recommendation": 10, "grassroots_visit": 10, "suggestion": 7,
    "skills_practice": 7, "study_day": 5, "publicity": 4, "theory_study": 3, "party_lecture": 3,
    "cadre_forum": 2, "training_class": 2, "supervision_measure": 2, "innovation": 1.5,
    "exchange_visit": 1, "big_discussion": 1, "honour": 0.5, "practice_posting": 0.3,
}
RETURN_REASONS = (
    "佐证材料不足,请补充活动照片。", "整改措施不够具体,请细化后重新提交。",
    "活动日期与通知不符,请核实。", "内容与上次提交重复,请核对。",
)


def _status(rng: random.Random, occurred_on: dt.date, today: dt.date) -> str:
    if (today - occurred_on).days <= 14:
        return rng.choices(("pending", "approved", "returned", "draft"), (45, 45, 5, 5))[0]
    return rng.choices(("approved", "returned", "pending", "draft"), (92, 4, 3, 1))[0]


def _date(rng: random.Random, start: dt.date, today: dt.date) -> dt.date:
    # Activity grows as the campaign gathers pace: later dates are a little more likely.
    span = (today - start).days
    return start + dt.timedelta(days=int(rng.triangular(0, span, span * 0.8)))


def _paragraph(rng: random.Random, parts: tuple[str, ...], count: int) -> str:
    return "".join(rng.sample(parts, min(count, len(parts))))


def details_for(code: str, rng: random.Random, cadre: dict | None, branch: dict | None) -> tuple[str, dict[str, Any]]:
    """A title and the type's fields, as a reporter would have filled them in."""
    name = cadre["name"] if cadre else ""
    cadre_id = cadre["id"] if cadre else None
    branch_id = branch["id"] if branch else None
    book, book_author = rng.choice(BOOKS)
    if code == "analysis_report":
        return f"{name}党性分析报告", {
            "writer": cadre_id,
            "problems": _paragraph(rng, REPORT_PROBLEMS, 3),
            "causes": _paragraph(rng, REPORT_CAUSES, 3),
            "measures": _paragraph(rng, REPORT_MEASURES, 3),
        }
    if code == "party_lecture":
        form = "带头讲" if cadre and cadre["is_principal"] else rng.choice(("回家讲", "交流讲", "带头讲"))
        return rng.choice(LECTURE_TOPICS), {
            "speaker": cadre_id, "form": form, "audience": rng.randint(20, 160), "place": rng.choice(PLACES),
        }
    if code == "big_discussion":
        question = rng.choice(DISCUSSION_QUESTIONS)
        return f"“{question}”大讨论", {
            "question": question, "participants": rng.randint(10, 120),
            "summary": "围绕讨论题目,大家结合岗位实际逐一发言," + rng.choice(NOTE_MIDDLES) + "。",
        }
    if code == "analysis_meeting":
        return f"{branch['name'] if branch else ''}党性分析评议会", {
            "branch": branch_id, "participants": rng.randint(6, 30),
            "summary": "会上每名同志对照党性分析报告作了发言,开展了批评与自我批评," + rng.choice(NOTE_MIDDLES) + "。",
        }
    if code == "reading_note":
        note = rng.choice(NOTE_OPENINGS) + _paragraph(rng, NOTE_MIDDLES, 3) + "。"
        return f"《{book}》读书笔记", {
            "writer": cadre_id, "book": book, "book_author": book_author,
            "note": note * 2, "takeaway": rng.choice(NOTE_TAKEAWAYS),
        }
    if code == "book_recommendation":
        return f"推荐《{book}》", {
            "writer": cadre_id, "book": book, "book_author": book_author,
            "reason": "这本书" + rng.choice(NOTE_MIDDLES) + ",值得组工干部一读。",
        }
    if code == "study_day":
        topic = rng.choice(STUDY_TOPICS)
        return f"学习日:{topic}", {
            "branch": branch_id, "topic": topic, "notes": rng.choice(NOTE_OPENINGS) + rng.choice(NOTE_MIDDLES) + "。",
        }
    if code == "cadre_forum":
        topic = rng.choice(STUDY_TOPICS)
        return f"组工论坛:{topic}", {"topic": topic, "speaker": cadre_id, "participants": rng.randint(15, 90)}
    if code == "theory_study":
        topic = rng.choice(STUDY_TOPICS)
        return f"中心组学习:{topic}", {"topic": topic, "participants": rng.randint(8, 25)}
    if code == "training_class":
        topic = rng.choice(TRAINING_TOPICS)
        return f"{topic}业务培训班", {"topic": topic, "participants": rng.randint(20, 150), "hours": rng.randint(4, 24)}
    if code == "skills_practice":
        ability = rng.choice(ABILITIES)
        return f"{name}岗位练兵({ability})", {"trainee": cadre_id, "ability": ability}
    if code == "practice_posting":
        post = rng.choice(POSTING_POSTS)
        return f"{name}赴{post}锻炼", {"trainee": cadre_id, "post": post, "months": rng.randint(3, 12)}
    if code == "exchange_visit":
        return "区县组织部门横向交流", {"partner": rng.choice(PLACES), "participants": rng.randint(5, 30)}
    if code == "suggestion":
        title = rng.choice(SUGGESTIONS)
        return title, {"writer": cadre_id, "content": title + ",以便" + rng.choice(NOTE_MIDDLES) + "。"}
    if code == "innovation":
        kind = rng.choice(INNOVATION_KINDS)
        return f"{kind}创新举措", {"kind": kind, "problem_solved": "针对基层反映集中的问题," + rng.choice(NOTE_MIDDLES) + "。"}
    if code == "grassroots_visit":
        found = rng.choice((0, 1, 1, 2, 3))
        return f"赴{rng.choice(PLACES)}调研", {
            "visitor": cadre_id, "place": rng.choice(PLACES),
            "problems_found": found, "problems_solved": rng.randint(0, found),
        }
    if code == "supervision_measure":
        kind = rng.choice(SUPERVISION_KINDS)
        return f"开展{kind}", {"kind": kind, "summary": "按照监督约束机制要求," + rng.choice(NOTE_MIDDLES) + "。"}
    if code == "honour":
        level = rng.choice(HONOUR_LEVELS)
        return f"获{level}先进集体表彰", {"level_of_honour": level, "awarded_by": "xx市委"}
    if code == "publicity":
        outlet = rng.choice(OUTLETS)
        return f"{outlet}刊发活动进展", {"outlet": outlet}
    raise ValueError(f"no demo details for {code}")


def generate_records(
    rng: random.Random,
    org: Organization,
    *,
    target: int,
    start: dt.date,
    today: dt.date,
) -> Iterator[tuple[str, int, dict | None, dict | None, dt.date, str]]:
    """Yield (type code, unit id, cadre, branch, date, status) for about `target` records."""
    produced = 0
    for unit_id, people in org.cadres_by_unit.items():
        engagement = org.engagement[unit_id]
        branches = org.branches_by_unit[unit_id]
        # 每名组工干部撰写一篇党性分析报告: most have, the least engaged units lag.
        done_share = min(0.98, 0.45 + 0.4 * engagement)
        for cadre in people:
            if rng.random() < done_share:
                occurred = _date(rng, start, today)
                produced += 1
                yield "analysis_report", unit_id, cadre, None, occurred, _status(rng, occurred, today)
        principal = people[0]
        if rng.random() < min(0.97, engagement):
            occurred = _date(rng, start, today)
            produced += 1
            yield "party_lecture", unit_id, principal, None, occurred, _status(rng, occurred, today)
        for branch in branches:
            if rng.random() < min(0.95, 0.35 + 0.5 * engagement):
                occurred = _date(rng, start, today)
                produced += 1
                yield "analysis_meeting", unit_id, None, branch, occurred, _status(rng, occurred, today)
        if rng.random() < min(0.98, 0.3 + 0.6 * engagement):
            occurred = _date(rng, start, today)
            produced += 1
            yield "big_discussion", unit_id, None, None, occurred, _status(rng, occurred, today)

    remaining = max(0, target - produced)
    capacity = {unit_id: len(people) * org.engagement[unit_id] for unit_id, people in org.cadres_by_unit.items()}
    total_capacity = sum(capacity.values())
    codes = list(TYPE_WEIGHTS)
    weights = list(TYPE_WEIGHTS.values())
    for unit_id, people in org.cadres_by_unit.items():
        share = round(remaining * capacity[unit_id] / total_capacity)
        branches = org.branches_by_unit[unit_id]
        active_people = [cadre for cadre in people if cadre["active"]]
        for code in rng.choices(codes, weights, k=share):
            cadre = rng.choice(active_people)
            if code == "grassroots_visit" and rng.random() < 0.5:
                cadre = next((c for c in active_people if c["is_leader"]), cadre)
            branch = rng.choice(branches) if code in {"study_day", "analysis_meeting"} else None
            occurred = _date(rng, start, today)
            yield code, unit_id, cadre, branch, occurred, _status(rng, occurred, today)


def return_reason(rng: random.Random) -> str:
    return rng.choice(RETURN_REASONS)
