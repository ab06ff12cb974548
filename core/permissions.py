"""Who may do what: the one permission table of the product (PERMISSIONS, below).

Read a row as "an Action: how far each Role may do it, and the message shown to a role that may
not". The data layer (db/access.py, db/command.py) and the menus (app.py) both read this table,
so a rule changes here and nowhere else. Whether a record's status still allows a change (a unit
may not edit an approved record) is a rule about the record, in db/records.py, not about roles.
Reading the boards (leaderboards, gallery, presenter) needs no row: anyone signed in may, and
signed-out visitors when core.config's public_read is on (db functions declare it public_read).
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from core.enums import Role


class Action(StrEnum):
    READ_UNIT = "read_unit"  # a unit's own detail: its drafts, returned records, open tasks
    READ_RECORDS = "read_records"  # records one by one, with their evidence
    ENTER_RECORD = "enter_record"  # write, edit and submit a record for review
    DELETE_RECORD = "delete_record"
    ENTER_IN_BULK = "enter_in_bulk"  # the bulk grid and the Excel imports of records and rosters
    REVIEW = "review"  # approve or return submitted records (审核), answer and route suggestions
    RESTORE = "restore"  # bring back what was deleted (回收站)
    LIKE = "like"  # like a note in the gallery
    CURATE = "curate"  # rate, feature and tag gallery notes
    READ_LEDGERS = "read_ledgers"  # suggestions, problems, surveys (台账)
    WRITE_LEDGERS = "write_ledgers"  # a unit's problems (问题台账)
    ENTER_SURVEYS = "enter_surveys"  # the survey results (群众满意度) the office enters
    MANAGE_PEOPLE = "manage_people"  # the roster of cadres
    SUPERVISE = "supervise"  # coverage and lagging units (督导)
    UNIT_WORKBENCH = "unit_workbench"  # a reporter's page of what their unit still owes
    ADMINISTER = "administer"  # the office's settings: organization, accounts, campaigns, catalogue, rules
    ISSUE_REPORTS = "issue_reports"  # briefings, honour rolls, presenter snapshots, exports
    READ_AUDIT = "read_audit"  # the audit log (操作日志)
    CHANGE_OWN_ACCOUNT = "change_own_account"  # one's own password


class Unchecked(StrEnum):
    """A public function of db/ that checks no actor, and why that is right."""

    PUBLIC_READ = "public_read"  # what anyone may read who may read the boards (see core.config public_read)
    IN_TRANSACTION = "in_transaction"  # a step inside a caller's session: the calling command checked the actor
    NO_ACTOR = "no_actor"  # for no one in particular: app start, the command line, signing in, pure helpers


class Scope(StrEnum):
    """How far an allowed action reaches."""

    NONE = "none"
    OWN = "own"  # records of the person themself (a cadre's own records)
    OWN_UNIT = "own_unit"  # anything of the person's own unit
    ALL = "all"


@dataclass(frozen=True)
class Rule:
    admin: Scope
    reporter: Scope
    cadre: Scope
    viewer: Scope
    refused: str  # the message key for a role whose scope is NONE

    def scope(self, role: Role | str) -> Scope:
        return getattr(self, Role(role).name.lower())


ALL, UNIT, OWN, NONE = Scope.ALL, Scope.OWN_UNIT, Scope.OWN, Scope.NONE
ADMIN_ONLY = "error.admin_only"

PERMISSIONS: dict[Action, Rule] = {
    #                               admin reporter cadre viewer refused with
    Action.READ_UNIT:          Rule(ALL,  UNIT,    UNIT, NONE,  "error.other_unit"),
    Action.READ_RECORDS:       Rule(ALL,  UNIT,    OWN,  NONE,  "error.other_unit"),
    Action.ENTER_RECORD:       Rule(ALL,  UNIT,    OWN,  NONE,  "error.other_unit"),
    Action.DELETE_RECORD:      Rule(ALL,  UNIT,    OWN,  NONE,  "error.other_unit"),
    Action.ENTER_IN_BULK:      Rule(ALL,  UNIT,    NONE, NONE,  "error.permission"),
    Action.REVIEW:             Rule(ALL,  NONE,    NONE, NONE,  ADMIN_ONLY),
    Action.RESTORE:            Rule(ALL,  NONE,    NONE, NONE,  ADMIN_ONLY),
    Action.LIKE:               Rule(ALL,  ALL,     ALL,  NONE,  "error.permission"),
    Action.CURATE:             Rule(ALL,  NONE,    NONE, NONE,  ADMIN_ONLY),
    Action.READ_LEDGERS:       Rule(ALL,  UNIT,    UNIT, NONE,  "ledgers.error.no_access"),
    Action.WRITE_LEDGERS:      Rule(ALL,  UNIT,    NONE, NONE,  "ledgers.error.problem_writer"),
    Action.ENTER_SURVEYS:      Rule(ALL,  NONE,    NONE, NONE,  ADMIN_ONLY),
    Action.MANAGE_PEOPLE:      Rule(ALL,  UNIT,    NONE, NONE,  "error.permission"),
    Action.SUPERVISE:          Rule(ALL,  UNIT,    NONE, NONE,  ADMIN_ONLY),
    Action.UNIT_WORKBENCH:     Rule(NONE, UNIT,    NONE, NONE,  "supervision.error.reporters_only"),
    Action.ADMINISTER:         Rule(ALL,  NONE,    NONE, NONE,  ADMIN_ONLY),
    Action.ISSUE_REPORTS:      Rule(ALL,  NONE,    NONE, NONE,  ADMIN_ONLY),
    Action.READ_AUDIT:         Rule(ALL,  NONE,    NONE, NONE,  ADMIN_ONLY),
    Action.CHANGE_OWN_ACCOUNT: Rule(OWN,  OWN,     OWN,  OWN,   "error.sign_in_required"),
}

SIGN_IN_REQUIRED = "error.sign_in_required"
OTHER_UNIT = "error.other_unit"  # the target lies outside the actor's unit
NOT_OWN = "error.own_records_only"  # the target is not the actor's own (a cadre's scope)


def scope(role: Role | str, action: Action) -> Scope:
    return PERMISSIONS[action].scope(role)


def allows(role: Role | str | None, action: Action) -> bool:
    """Whether the role may do the action at all (on something within its scope)."""
    return role is not None and scope(role, action) is not Scope.NONE
