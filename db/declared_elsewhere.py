"""The rules of db/ functions in modules other work is changing right now, declared here by name
instead of by a decorator in the module, so that no two changes meet in one file. At merge
each entry moves onto its function as a decorator (db.access.permits and friends)."""
from __future__ import annotations

from core.permissions import Action, Unchecked

_STEP = Unchecked.IN_TRANSACTION
_PUBLIC = Unchecked.PUBLIC_READ
_NO_ACTOR = Unchecked.NO_ACTOR

DECLARED_ELSEWHERE: dict[str, Action | Unchecked] = {
    # db/rules.py: the scoring rules (评分规则), the office's
    "db.rules.create_draft": Action.ADMINISTER,
    "db.rules.discard_draft": Action.ADMINISTER,
    "db.rules.publish": Action.ADMINISTER,
    "db.rules.update_draft": Action.ADMINISTER,
    "db.rules.rule_sets": _PUBLIC,
    "db.rules.rules_from_config": _NO_ACTOR,
    "db.rules.version_spans": _NO_ACTOR,
    "db.rules.standing": _NO_ACTOR,
    "db.rules.in_force_on": _NO_ACTOR,
    "db.rules.what_if_versions": _PUBLIC,
    "db.rules.rules_diff": _NO_ACTOR,
    # db/people_boards.py: names are shown to whom db.people_boards.may_see_names says
    "db.people_boards.branch_board": _PUBLIC,
    "db.people_boards.may_see_names": _PUBLIC,
    "db.people_boards.names_hidden": _PUBLIC,
    "db.people_boards.names_hidden_in": _STEP,
    "db.people_boards.people_board": _PUBLIC,
    "db.people_boards.set_names_hidden": Action.ADMINISTER,
    # db/presenter.py: the projector screen is public; snapshots are the office's
    "db.presenter.campaign_counts": _PUBLIC,
    "db.presenter.climbers": _PUBLIC,
    "db.presenter.create_snapshot": Action.ISSUE_REPORTS,
    "db.presenter.get_snapshot": _PUBLIC,
    "db.presenter.group_board": _PUBLIC,
    "db.presenter.list_snapshots": _PUBLIC,
    "db.presenter.presenter_payload": _PUBLIC,
    "db.presenter.unknown_group_codes": _NO_ACTOR,
    # db/imports.py: the Excel import of records
    "db.imports.check_record_file": Action.ENTER_IN_BULK,
    "db.imports.check_records": Action.ENTER_IN_BULK,
    "db.imports.import_record_file": Action.ENTER_IN_BULK,
    "db.imports.import_records": Action.ENTER_IN_BULK,
    "db.imports.record_template": Action.ENTER_IN_BULK,
    "db.imports.require_unit_manager": Action.ENTER_IN_BULK,
    "db.imports.unit_directory": Action.ENTER_RECORD,
    "db.imports.in_sheet_order": _NO_ACTOR,
    "db.imports.merge_problems": _NO_ACTOR,
    "db.imports.record_columns": _NO_ACTOR,
    "db.imports.template_workbook": _NO_ACTOR,
    "db.imports.zh": _NO_ACTOR,
    # db/honours.py: honour rolls (光荣榜)
    "db.honours.draft_roll": Action.ISSUE_REPORTS,
    "db.honours.publish_roll": Action.ISSUE_REPORTS,
    "db.honours.save_roll": Action.ISSUE_REPORTS,
    "db.honours.suggestions": Action.ISSUE_REPORTS,
    "db.honours.published_rolls": _PUBLIC,
    "db.honours.rolls_within": _PUBLIC,
    "db.honours.latest_roll": _PUBLIC,
    "db.honours.withdraw_roll": Action.ISSUE_REPORTS,
    "db.honours.withdrawn_rolls": Action.ISSUE_REPORTS,
    "db.honours.candidates": Action.ISSUE_REPORTS,
    "db.honours.is_withdrawn": _PUBLIC,
    # db/gallery.py: the gallery's reads (its commands are in db/gallery_actions.py)
    "db.gallery.book_board": _PUBLIC,
    "db.gallery.book_info": _PUBLIC,
    "db.gallery.gallery_page": _PUBLIC,
    "db.gallery.highlights": _PUBLIC,
    "db.gallery.liked_by": _PUBLIC,
    "db.gallery.require_reader": _PUBLIC,
    "db.gallery.study_detail": _PUBLIC,
    "db.gallery.tags_in_use": _PUBLIC,
    "db.gallery.shown_study": _STEP,
    "db.gallery.conditions": _NO_ACTOR,
    "db.gallery.count_query": _NO_ACTOR,
    "db.gallery.page_query": _NO_ACTOR,
    "db.gallery.rating_summary": _NO_ACTOR,
    "db.gallery.text_conditions": _NO_ACTOR,
}
