"""``auditor rules lint``: real broken rule files, each problem at its file and line, with a hint.

Each case breaks a copy of a shipped rule (or profile) the way an author
might, in a rule directory outside the package, and runs the real
command. The line is found in the broken file itself, so the test says
which line a reader must be sent to, not what the code happens to count.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.authoring.tools import Output, line_of

Cli = Callable[..., Output]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} has no {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@dataclass(frozen=True)
class Case:
    """A mistake made in a copy of the rules, and where and how lint must report it."""

    name: str
    file: str  # the file the problem is in, in the rule directory
    make: Callable[[Path], None]
    at: str  # text of the line the problem must be reported at ("" for line 1)
    says: tuple[str, ...]  # parts of the message: what is wrong, and the hint


def _retire(rules: Path) -> None:
    (rules / "retired.yaml").write_text(
        "- {id: FEE-04, retired_on: 2025-01-01, reason: merged into FEE-02}\n", encoding="utf-8"
    )


def _duplicate(rules: Path) -> None:
    (rules / "FEE-99.yaml").write_text((rules / "FEE-04.yaml").read_text(encoding="utf-8"))


def _drop_remediation(rules: Path) -> None:
    path = rules / "FEE-04.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("remediation:"))
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith(" "))
    path.write_text("".join(lines[:start] + lines[end:]), encoding="utf-8")


CASES = [
    Case(
        "a severity that does not exist",
        "FEE-04.yaml",
        lambda r: _edit(r / "FEE-04.yaml", "severity: high", "severity: urgent"),
        "severity: urgent",
        ("severity", "'low', 'medium', 'high' or 'critical'"),
    ),
    Case(
        "a misspelt key",
        "FEE-04.yaml",
        lambda r: _edit(r / "FEE-04.yaml", "rationale: >-", "rational: >-"),
        "rational: >-",
        ("rational is not a rule file key (a typo?)",),
    ),
    Case(
        "the order to remedy left out",
        "FEE-04.yaml",
        _drop_remediation,
        "",
        ("remediation is missing", "write the order to remedy"),
    ),
    Case(
        "no legal basis",
        "FEE-04.yaml",
        lambda r: _edit(
            r / "FEE-04.yaml",
            "norms:\n  - ILO Domestic Workers Convention, 2011 (C189), Art 15(1)(e)\n"
            "  - ILO Protection of Wages Convention, 1949 (C95), Art 9\n",
            "norms: []\n",
        ),
        "norms: []",
        ("norms is empty", "name the instrument and article"),
    ),
    Case(
        "an empty finding",
        "FEE-04.yaml",
        lambda r: _edit(
            r / "FEE-04.yaml",
            "finding: A recruitment cost was collected by deduction from the worker's wages.",
            'finding: ""',
        ),
        'finding: ""',
        ("finding is empty", "what the agency or employer did"),
    ),
    Case(
        "an id used twice",
        "FEE-99.yaml",
        _duplicate,
        "",
        ("id FEE-04 is also used by FEE-04.yaml", "an id of its own"),
    ),
    Case(
        "a retired id",
        "FEE-04.yaml",
        _retire,
        "",
        ("id FEE-04 was retired on 2025-01-01", "choose a new one"),
    ),
    Case(
        "a condition field the facts do not have",
        "FEE-04.yaml",
        lambda r: _edit(
            r / "FEE-04.yaml",
            "{field: deducted_from_wages, is: true}",
            "{field: deducted_from_wage, is: true}",
        ),
        "field: deducted_from_wage,",
        ("deducted_from_wage is not a field of a fee fact", "did you mean deducted_from_wages?"),
    ),
    Case(
        "a condition value the enumeration does not have",
        "FEE-03.yaml",
        lambda r: _edit(r / "FEE-03.yaml", "in: [deposit, illegitimate]", "in: [deposit, bribe]"),
        "in: [deposit, bribe]",
        ("category has no value bribe", "its values are recruitment_fee, medical"),
    ),
    Case(
        "an example column the sheet does not have",
        "FEE-04.yaml",
        lambda r: _edit(
            r / "FEE-04.yaml",
            "category: training, amount: 50}",
            "category: training, amount: 50, paid_bye: worker}",
        ),
        "paid_bye: worker",
        ("fees[*].paid_bye: unknown field", "did you mean paid_by?"),
    ),
    Case(
        "an example value the format does not allow",
        "FEE-04.yaml",
        lambda r: _edit(
            r / "FEE-04.yaml",
            "category: training, amount: 50}",
            "category: training, amount: 50, paid_by: boss}",
        ),
        "paid_by: boss",
        ("paid_by must be one of worker, employer, agency, government, other", '"boss"'),
    ),
    Case(
        "an example changing a record that is not there",
        "FEE-04.yaml",
        lambda r: _edit(r / "FEE-04.yaml", "{fees: {F1:", "{fees: {F9:"),
        "- name: the employer paid the medical examination",
        ("change: fees has no F9",),
    ),
    Case(
        "an example about a worker it does not have",
        "FEE-04.yaml",
        lambda r: _edit(
            r / "FEE-04.yaml",
            "    expect: passes\n    subject: W1",
            "    expect: passes\n    subject: W2",
        ),
        "subject: W2",
        ("W2 is not a worker of this example (its workers are W1)", "cannot fire for it"),
    ),
    Case(
        "a profile sector that does not exist",
        "profiles/PH.yaml",
        lambda r: _edit(r / "profiles" / "PH.yaml", "[domestic_work]", "[domestic]"),
        "except_sectors: [domestic]",
        ("except_sectors[0]: domestic is not one of domestic_work", "did you mean domestic_work?"),
    ),
    Case(
        "a misspelt profile key",
        "profiles/PH.yaml",
        lambda r: _edit(r / "profiles" / "PH.yaml", "except_destinations:", "except_destination:"),
        "except_destination:",
        ("except_destination is not a key here", "did you mean except_destinations?"),
    ),
    Case(
        "a destination profile's status misspelt",
        "destinations/QA.yaml",
        lambda r: _edit(
            r / "destinations" / "QA.yaml", "status: to_be_confirmed", "status: unconfirmed"
        ),
        "status: unconfirmed",
        ("status: unconfirmed is not one of checked, to_be_confirmed",),
    ),
    Case(
        "a destination profile's cap of two kinds",
        "destinations/HK.yaml",
        lambda r: _edit(
            r / "destinations" / "HK.yaml",
            "    share_of_destination_wage: 0.1",
            "    share_of_destination_wage: 0.1\n    months_of_reference_wage: 1",
        ),
        "  cap:",
        ("recruitment_fee.cap: give exactly one of",),
    ),
    Case(
        "a to_be_confirmed destination profile that does not say what to confirm",
        "destinations/KW.yaml",
        lambda r: _edit(r / "destinations" / "KW.yaml", "to_confirm: >-", "note: >-"),
        "note: >-",
        ("note is not a key here",),
    ),
    Case(
        "a destination profile in a file not named by its country",
        "destinations/AE.yaml",
        lambda r: _edit(r / "destinations" / "AE.yaml", "country: AE", "country: OM"),
        "country: OM",
        ("country is OM; name the file OM.yaml",),
    ),
    Case(
        "a destination sector that does not exist",
        "destinations/SA.yaml",
        lambda r: _edit(r / "destinations" / "SA.yaml", "[domestic_work]", "[domestic]"),
        "except_sectors: [domestic]",
        ("except_sectors[0]: domestic is not one of domestic_work", "did you mean domestic_work?"),
    ),
]


def test_the_shipped_rules_and_a_copy_have_no_problems(cli: Cli, my_rules: Path) -> None:
    for args in ([], ["--rules", str(my_rules)]):
        output = cli("rules", "lint", *args)
        assert (output.status, output.out) == (0, ""), output
        assert "37 rule files: no problems" in output.err


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_each_problem_is_reported_at_its_line_with_a_hint(
    case: Case, cli: Cli, my_rules: Path
) -> None:
    case.make(my_rules)
    path = (my_rules / case.file).resolve()
    line = line_of(path, case.at) if case.at else 1
    output = cli("rules", "lint", "--rules", my_rules)
    assert output.status == 1, output
    here = [message for file, number, message in output.problems if (file, number) == (path, line)]
    assert any(all(part in message for part in case.says) for message in here), (
        f"expected {case.says} at {case.file}:{line}, got:\n{output.out}"
    )
    others = [p for p in output.problems if p[0] != path]
    assert others == [], f"problems reported in files that were not broken: {others}"
    count = len(output.problems)
    assert f"{count} problem{'s' if count > 1 else ''} in" in output.err


def test_a_text_left_empty_is_said_once(cli: Cli, my_rules: Path) -> None:
    """The loader's "at least 1 character" and lint's "is empty" are the same problem."""
    _edit(
        my_rules / "FEE-04.yaml",
        "finding: A recruitment cost was collected by deduction from the worker's wages.",
        'finding: ""',
    )
    output = cli("rules", "lint", my_rules / "FEE-04.yaml")
    assert [m for _, _, m in output.problems] == [
        "finding is empty; say what was found, as what the agency or employer did "
        "(never the worker)"
    ]


def test_every_problem_of_a_file_at_once(cli: Cli, my_rules: Path) -> None:
    """A condition that does not load does not hide the mistakes of the examples."""
    path = my_rules / "FEE-04.yaml"
    _edit(path, "{field: deducted_from_wages, is: true}", "{field: deducted_from_wage, is: true}")
    _edit(path, "category: training, amount: 50}", "category: training, amount: 50, paid_by: boss}")
    _edit(path, "title: Recruitment costs", "title: TODO Recruitment costs")
    output = cli("rules", "lint", path)
    lines = {number for _, number, _ in output.problems}
    assert lines == {
        line_of(path, "deducted_from_wage,"),
        line_of(path, "paid_by: boss"),
        line_of(path, "title: TODO"),
    }, output.out


def test_a_path_reports_on_that_file_only(cli: Cli, my_rules: Path) -> None:
    _edit(my_rules / "FEE-03.yaml", "in: [deposit, illegitimate]", "in: [deposit, bribe]")
    _edit(my_rules / "FEE-04.yaml", "severity: high", "severity: urgent")
    only = cli("rules", "lint", my_rules / "FEE-04.yaml")
    assert only.status == 1
    assert {file.name for file, _, _ in only.problems} == {"FEE-04.yaml"}
    clean = cli("rules", "lint", my_rules / "FEE-01.yaml")
    assert (clean.status, clean.out) == (0, "")
    assert "1 rule file: no problems" in clean.err
    everything = cli("rules", "lint", my_rules)
    assert {file.name for file, _, _ in everything.problems} == {"FEE-03.yaml", "FEE-04.yaml"}


def test_a_pack_that_does_not_load_is_not_tested(cli: Cli, my_rules: Path) -> None:
    _edit(my_rules / "FEE-04.yaml", "severity: high", "severity: urgent")
    output = cli("rules", "test", my_rules / "FEE-01.yaml", "--examples", "1")
    assert output.status == 1
    assert "the rules do not load" in output.err
    assert any(file.name == "FEE-04.yaml" for file, _, _ in output.problems)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--rules", "{tmp}"], "is not a rule directory: it needs a profiles/ folder"),
        (["{tmp}/nowhere.yaml"], "does not exist"),
        (["{rules}/notes.txt"], "is not a rule file"),
        (["{tmp}"], "is not in a rule directory"),
    ],
    ids=["not a rule directory", "no such file", "not a yaml file", "outside any rule directory"],
)
def test_misuse_exits_two_and_says_why(
    args: list[str], says: str, cli: Cli, my_rules: Path, tmp_path: Path
) -> None:
    (my_rules / "notes.txt").write_text("not a rule\n")
    filled = [a.format(tmp=tmp_path, rules=my_rules) for a in args]
    output = cli("rules", "lint", *filled)
    assert output.status == 2, output
    assert says in output.err


def test_a_file_outside_the_rule_directory_is_refused(
    cli: Cli, my_rules: Path, tmp_path: Path
) -> None:
    """Checked against a pack it is not in, it would be checked against nothing and pass."""
    stray = tmp_path / "elsewhere" / "FEE-01.yaml"
    stray.parent.mkdir()
    stray.write_bytes((my_rules / "FEE-01.yaml").read_bytes())
    for action in (["lint"], ["test", "--examples", "1"]):
        output = cli("rules", *action, stray, "--rules", my_rules)
        assert output.status == 2, output
        assert f"{stray} is not in the rule directory {my_rules}" in output.err


def test_a_profile_is_linted_alone_and_tested_with_every_rule(cli: Cli, my_rules: Path) -> None:
    profile = my_rules / "profiles" / "PH.yaml"
    clean = cli("rules", "lint", profile)
    assert (clean.status, clean.out, clean.err) == (0, "", "the profiles: no problems\n")
    tested = cli("rules", "test", profile)
    assert tested.status == 2
    assert "to check a profile, test every rule: auditor rules test --rules" in tested.err
    _edit(profile, "[domestic_work]", "[domestic]")
    broken = cli("rules", "lint", profile)
    assert broken.status == 1
    assert [(file, line) for file, line, _ in broken.problems] == [
        (profile.resolve(), line_of(profile, "[domestic]"))
    ]
