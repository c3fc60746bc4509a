"""``auditor rules new``: a rule file to fill in, with placeholders and example slots.

The skeleton loads as far as its placeholders let it: ``auditor rules
lint`` then lists, line by line, what is still to write. Its example
slots start from the baseline inspection (one compliant worker W1 of
employer E1, contract C1, channel CH1) that every rule's examples change.
"""

from __future__ import annotations

from pathlib import Path

from auditor.engine.pack import RETIRED_FILE, rule_files
from auditor.engine.rulefile import PARAGRAPHS, RULE_ID, load_rule_file
from auditor.errors import UsageError
from auditor.model.enums import SubjectType

#: Each subject's record in the baseline, and what an example adds to have one.
_SUBJECT_OF = {
    SubjectType.AGENCY: ("agency", ""),
    SubjectType.EMPLOYER: ("E1", ""),
    SubjectType.WORKER: ("W1", ""),
    SubjectType.CHANNEL: ("CH1", ""),
    SubjectType.COMPLAINT: (
        "K1",
        "\n    add:\n      complaints: [{complaint_id: K1, worker_id: W1, channel_id: CH1, "
        'category: wages, filed_on: "2026-06-20"}]',
    ),
}

TEMPLATE = """\
# A new rule. Fill in every TODO, then check it:
#   auditor rules lint {directory}      what is still missing, line by line
#   auditor rules test {path}    its examples and properties
# The fields a condition can read: docs/rules/vocabulary.md. A walk-through: docs/rule-authoring.md.
id: {rule_id}
title: "TODO: what the agency or employer did, in a few words"
paragraph: {paragraph}
severity: high  # critical (immediate order), high (30 days), medium (90 days) or low (advice)
subject: {subject}
# over: the facts the condition reads; fee, contract or complaint rows speak for their worker
over: {subject}
norms:
  - "TODO: the instrument and article, e.g. ILO C181 Art 7(1)"
rationale: >-
  TODO: why this matters, in plain words.
finding: >-
  TODO: what was found, as what the agency or employer did.
remediation: >-
  TODO: the order to remedy: what the agency must do, and for whom.
condition: {{field: TODO, is: true}}
examples:
  - name: "TODO: a case where the rule must fire"
    expect: fires
    subject: {example_subject}{extra}
    change: {{}}  # e.g. {{workers: {{W1: {{briefing_received: "no"}}}}}}
  - name: "TODO: the same case, lawful"
    expect: passes
    subject: {example_subject}{extra}
  - name: "TODO: the same case with the deciding value not recorded"
    expect: gap
    subject: {example_subject}{extra}
    change: {{}}  # e.g. {{workers: {{W1: {{briefing_received: ""}}}}}}
"""


def skeleton(rule_id: str, paragraph: int, subject: SubjectType, path: Path) -> str:
    """The text of a new rule file (``path`` is only quoted in its comments)."""
    example_subject, extra = _SUBJECT_OF[subject]
    return TEMPLATE.format(
        rule_id=rule_id,
        paragraph=paragraph,
        subject=subject.value,
        example_subject=example_subject,
        extra=extra,
        directory=path.parent,
        path=path,
    )


def write_skeleton(directory: Path, rule_id: str, paragraph: int, subject: str) -> Path:
    """Write ``<directory>/<rule_id>.yaml``; refuse an id that is taken or was retired."""
    rule_id = rule_id.strip().upper()
    if not RULE_ID.fullmatch(rule_id):
        raise UsageError(
            f"{rule_id} is not a rule id: letters, a hyphen and two digits, like FEE-07"
        )
    if paragraph not in PARAGRAPHS:
        raise UsageError(
            f"paragraph {paragraph}: rules rest on paragraph {', '.join(map(str, PARAGRAPHS))} "
            "of UNGA 74/127"
        )
    try:
        kind = SubjectType(subject)
    except ValueError:
        raise UsageError(
            f"subject {subject}: choose one of {', '.join(s.value for s in SubjectType)}"
        ) from None
    if not directory.is_dir():
        raise UsageError(f"{directory} is not a folder; create it or pass --rules DIR")
    taken = _taken_ids(directory)
    if rule_id in taken:
        raise UsageError(f"{rule_id} {taken[rule_id]}; choose another id")
    path = directory / f"{rule_id}.yaml"
    if path.exists():
        raise UsageError(f"{path} already exists; choose another id or edit that file")
    path.write_text(skeleton(rule_id, paragraph, kind, path), encoding="utf-8")
    return path


def _taken_ids(directory: Path) -> dict[str, str]:
    """Ids in use (by which file) or retired (when), so a new rule never reuses one."""
    import yaml

    taken: dict[str, str] = {}
    for path in rule_files(directory):
        rule, _ = load_rule_file(path)
        if rule is not None:
            taken[rule.id] = f"is already used by {path.name}"
    retired = directory / RETIRED_FILE
    if retired.exists():
        for item in yaml.safe_load(retired.read_text(encoding="utf-8")) or []:
            if isinstance(item, dict) and "id" in item:
                taken[str(item["id"])] = (
                    f"was retired on {item.get('retired_on', '?')}: ids are never reused"
                )
    return taken
