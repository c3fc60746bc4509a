"""``auditor rules new``: a skeleton that lint walks an author through, and ids never reused.

The skeleton is the first thing a policy analyst sees of a rule file; it
must load as far as its placeholders allow, so that lint lists exactly
what is left to write, line by line, and once filled in it must be a rule
that ``auditor rules test`` passes, for every kind of subject.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from auditor.model.enums import SubjectType
from tests.authoring.tools import Output

Cli = Callable[..., Output]


def test_the_skeleton_lists_what_is_left_to_write(cli: Cli, my_rules: Path) -> None:
    made = cli(
        "rules", "new", "PREG-01", "--paragraph", "11", "--subject", "worker", "--rules", my_rules
    )
    path = my_rules / "PREG-01.yaml"
    assert made.status == 0, made
    assert made.out == f"wrote {path}\n"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert (data["id"], data["paragraph"], data["subject"]) == ("PREG-01", 11, "worker")
    lines = path.read_text(encoding="utf-8").splitlines()
    todo = [  # a placeholder under a key (rationale: >-) is reported at the key's line
        number - 1 if line.startswith("  TODO") else number
        for number, line in enumerate(lines, start=1)
        if "TODO" in line and not line.startswith("#")
    ]
    linted = cli("rules", "lint", path)
    assert linted.status == 1
    assert sorted(number for _, number, _ in linted.problems) == todo
    for _, _, message in linted.problems:  # each says what is wrong, then what to do
        what, hint = message.split("; ", 1)
        assert what, message
        assert hint, message
    tested = cli("rules", "test", path)
    assert tested.status == 1
    assert "the rules do not load" in tested.err


@pytest.mark.parametrize(
    ("rule_id", "options", "says"),
    [
        ("FEE-01", [], "FEE-01 is already used by FEE-01.yaml; choose another id"),
        ("OLD-01", [], "OLD-01 was retired on 2025-01-01: ids are never reused"),
        ("PREG1", [], "PREG1 is not a rule id"),
        ("PREG-01", ["--paragraph", "12"], "paragraph 12: rules rest on paragraph 11, 16, 26, 30"),
        ("PREG-01", ["--subject", "migrant"], "subject migrant: choose one of agency, employer"),
    ],
    ids=["in use", "retired", "malformed", "no such paragraph", "no such subject"],
)
def test_refuses_what_would_make_a_bad_rule(
    rule_id: str, options: list[str], says: str, cli: Cli, my_rules: Path
) -> None:
    (my_rules / "retired.yaml").write_text(
        "- {id: OLD-01, retired_on: 2025-01-01, reason: split into two rules}\n"
    )
    before = {path.name: path.read_bytes() for path in my_rules.glob("*.yaml")}
    arguments = {"--paragraph": "11", "--subject": "worker"}
    arguments.update(dict(zip(options[::2], options[1::2], strict=True)))
    flat = [part for pair in arguments.items() for part in pair]
    output = cli("rules", "new", rule_id, *flat, "--rules", my_rules)
    assert output.status == 2, output
    assert says in output.err
    assert {path.name: path.read_bytes() for path in my_rules.glob("*.yaml")} == before


def test_refuses_to_overwrite_a_file(cli: Cli, my_rules: Path) -> None:
    """Even a file that does not load yet: it may be someone's rule in progress."""
    draft = my_rules / "PREG-01.yaml"
    draft.write_text("id: PREG-01\ntitle: half written\n")
    output = cli(
        "rules", "new", "preg-01", "--paragraph", "11", "--subject", "worker", "--rules", my_rules
    )
    assert output.status == 2
    assert "already exists" in output.err
    assert draft.read_text() == "id: PREG-01\ntitle: half written\n"


#: Per subject: a condition of its fact, and the values that make the first example fire and
#: the third a data gap (set on the record the skeleton's examples are about).
FILLED: dict[SubjectType, tuple[dict[str, Any], str, str, dict[str, Any], dict[str, Any]]] = {
    SubjectType.WORKER: (
        {"field": "briefing_received", "is": False}, "workers", "W1",
        {"briefing_received": "no"}, {"briefing_received": ""},
    ),
    SubjectType.EMPLOYER: (
        {"field": "exit_permit_required", "is": True}, "employers", "E1",
        {"exit_permit_required": "yes"}, {"exit_permit_required": ""},
    ),
    SubjectType.CHANNEL: (
        {"field": "free_of_charge", "is": False}, "channels", "CH1",
        {"free_of_charge": "no"}, {"free_of_charge": ""},
    ),
    SubjectType.AGENCY: (
        {"field": "licence_days_left", "lt": 0}, "audit", "",
        {"licence_valid_until": "2026-01-01"}, {"licence_valid_until": ""},
    ),
    SubjectType.COMPLAINT: (
        {"field": "worker_penalised", "is": True}, "complaints", "K1",
        {"worker_penalised": "yes"}, {"worker_penalised": ""},
    ),
}  # fmt: skip


def _fill(path: Path, subject: SubjectType) -> None:
    """Fill in every placeholder as an author would, and the examples' deciding values."""
    condition, sheet, record, fires, gap = FILLED[subject]
    rule = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key in ("title", "rationale", "finding", "remediation"):
        rule[key] = f"The {key} of a test rule."
    rule["norms"] = ["ILO C181 Art 7(1)"]
    rule["condition"] = condition
    for number, (example, values) in enumerate(
        zip(rule["examples"], (fires, {}, gap), strict=True)
    ):
        example["name"] = f"case {number}"
        example.pop("change", None)
        if sheet == "complaints":  # the skeleton adds the complaint: set its values there
            example["add"]["complaints"][0].update(values)
        elif sheet == "audit" and values:
            example["change"] = {"audit": values}
        elif values:
            example["change"] = {sheet: {record: values}}
    path.write_text(yaml.safe_dump(rule, sort_keys=False), encoding="utf-8")


@pytest.mark.parametrize("subject", list(SubjectType), ids=lambda subject: subject.value)
def test_a_filled_in_skeleton_is_a_rule_that_passes(
    subject: SubjectType, cli: Cli, my_rules: Path
) -> None:
    made = cli(
        "rules",
        "new",
        "TEST-01",
        "--paragraph",
        "30",
        "--subject",
        subject.value,
        "--rules",
        my_rules,
    )
    assert made.status == 0, made
    path = my_rules / "TEST-01.yaml"
    _fill(path, subject)
    linted = cli("rules", "lint", path)
    assert (linted.status, linted.out) == (0, ""), linted
    tested = cli("rules", "test", path, "--examples", "3")
    assert tested.status == 0, tested.out
    assert tested.out.startswith("ok    TEST-01   3 examples")
