"""The product's fixed vocabularies: who someone is (Role) and where a record stands (RecordStatus).

They are StrEnums, so a member equals the plain string the database stores ("admin" ==
Role.ADMIN) and old rows need no conversion; new code names the member, never the literal.
"""
from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"  # 市委组织部管理员: the office, every unit
    REPORTER = "reporter"  # 单位填报员: one unit's reporter
    CADRE = "cadre"  # 组工干部: their own personal records
    VIEWER = "viewer"  # 只读: reads the boards


class RecordStatus(StrEnum):
    DRAFT = "draft"  # 草稿
    PENDING = "pending"  # 待审核
    APPROVED = "approved"  # 已通过: the only status that scores
    RETURNED = "returned"  # 已退回, with the reviewer's reason
    # 已删除: kept, never shown or counted, restorable by the office to the status it had
    # (activity_record.deleted_from). Rows stay, so no id is ever reused.
    DELETED = "deleted"


class TargetBasis(StrEnum):
    """Who a mandatory task (必做任务) is required of, and so how many times a unit owes it."""

    PER_PRINCIPAL = "per_principal"  # each principal leader (主要负责人)
    PER_BRANCH = "per_branch"  # each active party branch or group
    PER_CADRE = "per_cadre"  # each active cadre
    PER_UNIT = "per_unit"  # the unit itself


class HonourStatus(StrEnum):
    """Where a 光荣榜 stands."""

    DRAFT = "draft"  # the office is composing it
    PUBLISHED = "published"  # on the page, the presenter and the briefings
    WITHDRAWN = "withdrawn"  # taken back by the office, with a reason: seen only by the office


class RuleSetStatus(StrEnum):
    """Where a version of the scoring rules stands (db/rules.py)."""

    DRAFT = "draft"  # being edited by the office; at most one
    PUBLISHED = "published"  # the newest version in force (or to come into force on its date)
    ARCHIVED = "archived"  # an earlier published version: still scores the periods it covered
    DISCARDED = "discarded"  # a draft set aside: no part of history, offered nowhere
