"""The activity catalogue as the source document names it; loaded into an empty database.

The catalogue is data the office may edit afterwards; this module is only its first version.
Areas follow the document's 总体部署 (一)-(六), plus publicity from its 工作要求.
Field kinds: text, longtext, int, choice, cadre, branch, book. A field may set min_len.
Mandatory basis: per_principal (each 主要负责人), per_branch, per_cadre, per_unit.
"""
from __future__ import annotations

from typing import Any

from db.access import no_actor

AREAS: dict[str, tuple[str, str]] = {
    "party_spirit": ("党性教育", "Party-spirit education"),
    "learning": ("学习型机关", "Learning organization"),
    "innovation": ("组织工作创新", "Innovation in organization work"),
    "grassroots": ("万名组织部长下基层", "Ministers at the grassroots"),
    "supervision": ("监督约束", "Supervision and restraint"),
    "excellence": ("带头创先争优", "Leading in excellence"),
    "publicity": ("宣传报道", "Publicity"),
}

LECTURE_FORMS = ["带头讲", "回家讲", "交流讲"]
DISCUSSION_QUESTIONS = ["进组织部为了什么", "到组织部干了什么", "在组织部和人家比什么"]
TRAINING_TOPICS = ["组织建设", "干部工作", "人才工作", "综合业务"]
ABILITIES = ["公文写作", "语言表达", "组织协调", "推动落实", "开拓创新"]
INNOVATION_KINDS = ["思想观念", "体制机制", "工作载体", "方式方法"]
SUPERVISION_KINDS = ["公开承诺", "述职评议", "投诉办理", "谈心谈话"]
HONOUR_LEVELS = ["国家级", "省部级", "市级", "区县级"]
OUTLETS = ["《xx组工网》", "《组工动态》", "《手机党建报》", "报刊广播电视", "其他"]


def _field(key: str, kind: str, *, required: bool = True, **extra: Any) -> dict[str, Any]:
    return {"key": key, "kind": kind, "required": required, **extra}


ACTIVITY_TYPES: list[dict[str, Any]] = [
    {
        "code": "party_lecture", "name_zh": "讲党课", "name_en": "Party lecture",
        "area": "party_spirit", "level": "unit", "default_points": 8,
        "fields": [
            _field("speaker", "cadre"),
            _field("form", "choice", choices=LECTURE_FORMS),
            _field("audience", "int", min=1),
            _field("place", "text"),
        ],
        "evidence": {"photo": "optional"},
        # 主要负责人至少做一次党性教育报告
        "mandatory_basis": "per_principal", "mandatory_count": 1,
    },
    {
        "code": "big_discussion", "name_zh": "大讨论", "name_en": "Great discussion",
        "area": "party_spirit", "level": "unit", "default_points": 6,
        "fields": [
            _field("question", "choice", choices=DISCUSSION_QUESTIONS),
            _field("participants", "int", min=1),
            _field("summary", "longtext", min_len=30),
        ],
        "evidence": {"photo": "optional"},
        "mandatory_basis": "per_unit", "mandatory_count": 1,
    },
    {
        "code": "analysis_meeting", "name_zh": "党性分析评议会", "name_en": "Party-spirit review meeting",
        "area": "party_spirit", "level": "branch", "default_points": 6,
        "fields": [
            _field("branch", "branch"),
            _field("participants", "int", min=1),
            _field("summary", "longtext", min_len=30),
        ],
        "evidence": {"photo": "required"},
        "mandatory_basis": "per_branch", "mandatory_count": 1,
    },
    {
        "code": "analysis_report", "name_zh": "党性分析报告", "name_en": "Party-spirit analysis report",
        "area": "party_spirit", "level": "person", "default_points": 5,
        "fields": [
            _field("writer", "cadre"),
            _field("problems", "longtext", min_len=50),  # 查摆问题
            _field("causes", "longtext", min_len=50),  # 剖析原因
            _field("measures", "longtext", min_len=50),  # 整改措施
        ],
        "evidence": {"photo": "optional", "expected_length": 600},
        "mandatory_basis": "per_cadre", "mandatory_count": 1,
    },
    {
        "code": "theory_study", "name_zh": "理论学习中心组学习", "name_en": "Theory study group session",
        "area": "learning", "level": "unit", "default_points": 4,
        "fields": [_field("topic", "text"), _field("participants", "int", min=1)],
        "evidence": {"photo": "optional"},
    },
    {
        "code": "cadre_forum", "name_zh": "组工论坛", "name_en": "Organization cadres' forum",
        "area": "learning", "level": "unit", "default_points": 5,
        "fields": [_field("topic", "text"), _field("speaker", "cadre"), _field("participants", "int", min=1)],
        "evidence": {"photo": "optional"}, "is_study": True,
    },
    {
        "code": "study_day", "name_zh": "学习日", "name_en": "Study day",
        "area": "learning", "level": "branch", "default_points": 3,
        "fields": [_field("branch", "branch"), _field("topic", "text"), _field("notes", "longtext", min_len=30)],
        "evidence": {"photo": "optional"}, "is_study": True,
    },
    {
        "code": "reading_note", "name_zh": "读书笔记", "name_en": "Reading note",
        "area": "learning", "level": "person", "default_points": 2,
        "fields": [
            _field("writer", "cadre"),
            _field("book", "book"),
            _field("book_author", "text", required=False),
            _field("note", "longtext", min_len=80),
            _field("takeaway", "longtext", min_len=20),
        ],
        "evidence": {"photo": "optional", "expected_length": 300}, "is_study": True,
    },
    {
        "code": "book_recommendation", "name_zh": "读书荐书", "name_en": "Book recommendation",
        "area": "learning", "level": "person", "default_points": 1,
        "fields": [
            _field("writer", "cadre"),
            _field("book", "book"),
            _field("book_author", "text", required=False),
            _field("reason", "longtext", min_len=20),
        ],
        "evidence": {}, "is_study": True,
    },
    {
        "code": "training_class", "name_zh": "业务培训班", "name_en": "Training class",
        "area": "learning", "level": "unit", "default_points": 5,
        "fields": [
            _field("topic", "choice", choices=TRAINING_TOPICS),
            _field("participants", "int", min=1),
            _field("hours", "int", min=1),
        ],
        "evidence": {"photo": "optional"},
    },
    {
        "code": "skills_practice", "name_zh": "岗位练兵·上讲台", "name_en": "Skills practice / teaching",
        "area": "learning", "level": "person", "default_points": 3,
        "fields": [_field("trainee", "cadre"), _field("ability", "choice", choices=ABILITIES)],
        "evidence": {},
    },
    {
        "code": "practice_posting", "name_zh": "实践锻炼", "name_en": "Grassroots posting",
        "area": "learning", "level": "person", "default_points": 6,
        "fields": [_field("trainee", "cadre"), _field("post", "text"), _field("months", "int", min=1)],
        "evidence": {},
    },
    {
        "code": "exchange_visit", "name_zh": "区县横向交流", "name_en": "Cross-district exchange",
        "area": "learning", "level": "unit", "default_points": 4,
        "fields": [_field("partner", "text"), _field("participants", "int", min=1)],
        "evidence": {"photo": "optional"},
    },
    {
        "code": "suggestion", "name_zh": "建议征集", "name_en": "Suggestion",
        "area": "learning", "level": "person", "default_points": 1,
        "fields": [_field("writer", "cadre"), _field("content", "longtext", min_len=20)],
        "evidence": {},
    },
    {
        "code": "innovation", "name_zh": "工作创新", "name_en": "Work innovation",
        "area": "innovation", "level": "unit", "default_points": 8,
        "fields": [
            _field("kind", "choice", choices=INNOVATION_KINDS),
            _field("problem_solved", "longtext", min_len=30),
        ],
        "evidence": {"photo": "optional"},
    },
    {
        "code": "grassroots_visit", "name_zh": "下基层调研", "name_en": "Grassroots visit",
        "area": "grassroots", "level": "person", "default_points": 4,
        "fields": [
            _field("visitor", "cadre"),
            _field("place", "text"),
            _field("problems_found", "int", min=0),
            _field("problems_solved", "int", min=0),
            # One problem a line: each becomes a row of the 突出问题台账 (db/problems.py).
            _field("problem_list", "longtext", required=False),
        ],
        "evidence": {"photo": "optional"},
    },
    {
        "code": "supervision_measure", "name_zh": "监督约束", "name_en": "Supervision measure",
        "area": "supervision", "level": "unit", "default_points": 4,
        "fields": [_field("kind", "choice", choices=SUPERVISION_KINDS), _field("summary", "longtext", min_len=20)],
        "evidence": {},
    },
    {
        "code": "honour", "name_zh": "荣誉表彰", "name_en": "Honour",
        "area": "excellence", "level": "unit", "default_points": 10,
        "fields": [_field("level_of_honour", "choice", choices=HONOUR_LEVELS), _field("awarded_by", "text")],
        "evidence": {"photo": "required"},
    },
    {
        "code": "publicity", "name_zh": "宣传报道", "name_en": "Publicity item",
        "area": "publicity", "level": "unit", "default_points": 2,
        "fields": [_field("outlet", "choice", choices=OUTLETS), _field("link", "text", required=False, format="url")],
        "evidence": {},
    },
]

# Labels of the form fields, in the two interface languages.
FIELD_LABELS: dict[str, tuple[str, str]] = {
    "speaker": ("主讲人", "Speaker"),
    "form": ("形式", "Form"),
    "audience": ("听众人数", "Audience"),
    "place": ("地点", "Place"),
    "question": ("讨论题目", "Question"),
    "participants": ("参加人数", "Participants"),
    "summary": ("情况摘要", "Summary"),
    "branch": ("党支部/党小组", "Branch / group"),
    "writer": ("撰写人", "Writer"),
    "book_author": ("作者", "Book author"),
    "problems": ("查摆问题", "Problems found"),
    "causes": ("剖析原因", "Causes"),
    "measures": ("整改措施", "Measures"),
    "topic": ("主题", "Topic"),
    "notes": ("学习笔记", "Notes"),
    "book": ("书名", "Book"),
    "note": ("笔记正文", "Note"),
    "takeaway": ("心得体会", "Takeaway"),
    "reason": ("推荐理由", "Reason"),
    "hours": ("学时", "Hours"),
    "trainee": ("干部", "Cadre"),
    "ability": ("能力方向", "Ability"),
    "post": ("锻炼岗位", "Post"),
    "months": ("时长(月)", "Months"),
    "partner": ("交流单位", "Partner unit"),
    "content": ("建议内容", "Suggestion"),
    "kind": ("类别", "Kind"),
    "problem_solved": ("解决的突出问题", "Problem solved"),
    "visitor": ("调研人", "Visitor"),
    "problems_found": ("发现问题数", "Problems found"),
    "problems_solved": ("解决问题数", "Problems solved"),
    "problem_list": ("发现的问题(每行一条,记入问题台账)", "Problems found (one a line, for the ledger)"),
    "level_of_honour": ("表彰级别", "Level"),
    "awarded_by": ("授予机关", "Awarded by"),
    "outlet": ("刊发平台", "Outlet"),
    "link": ("链接", "Link"),
}

# Activity types that are study records shown in the 展评 gallery, and their gallery kind.
STUDY_KINDS: dict[str, str] = {
    "reading_note": "note",
    "book_recommendation": "recommendation",
    "study_day": "study_day",
    "cadre_forum": "forum",
}


@no_actor
def study_body(details: dict[str, Any]) -> str:
    """The prose of a study record, whichever field its type keeps it in."""
    return details.get("note") or details.get("reason") or details.get("notes") or details.get("topic", "")
