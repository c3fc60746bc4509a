"""Lint says what YAML and the loader used to accept silently (issue 24), each with its
file, line and fix; and a changed pack without a new version is an error naming what
changed (``pack.lock``, ``auditor rules lint --record``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from tests.authoring.tools import Output, line_of


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _problem(output: Output, path: Path, line: int) -> str:
    found = [m for f, n, m in output.problems if f == path.resolve() and n == line]
    assert found, output.out
    return found[0]


def test_a_key_given_twice(my_rules: Path, cli: Callable[..., Output]) -> None:
    path = my_rules / "MOB-01.yaml"
    first = "condition: {field: job_change_requires_consent, is: true}"
    _edit(path, first, first + "\ncondition: {field: exit_permit_required, is: true}")
    result = cli("rules", "lint", path, "--rules", my_rules)
    assert result.status == 1
    line = line_of(path, "exit_permit_required, is: true")
    message = _problem(result, path, line)
    assert "condition is given twice" in message
    assert f"first on line {line - 1}" in message
    assert "keep one condition" in message


def test_a_list_item_indented_one_space_less(my_rules: Path, cli: Callable[..., Output]) -> None:
    path = my_rules / "MOB-02.yaml"
    _edit(path, "norms:\n  - ILO General", "norms:\n - ILO General")
    result = cli("rules", "lint", path, "--rules", my_rules)
    assert result.status == 1
    line = line_of(path, "  - ILO indicators of forced labour")
    message = _problem(result, path, line)
    assert "norms[0]" in message
    assert "indent every '- ' of the list the same" in message


def test_a_scalar_where_a_list_is_expected(my_rules: Path, cli: Callable[..., Output]) -> None:
    path = my_rules / "INFO-01.yaml"
    text = path.read_text(encoding="utf-8")
    norms = re.search(r"norms:\n(  - .*\n)+", text)
    assert norms is not None
    path.write_text(text.replace(norms[0], "norms: ILO GP10\n"), encoding="utf-8")
    result = cli("rules", "lint", path, "--rules", my_rules)
    assert result.status == 1
    message = _problem(result, path, line_of(path, "norms: ILO GP10"))
    assert message == (
        "norms is one value where a list is expected: write one norm per line, each "
        "starting with '- '"
    )
    assert not any("valid list" in m for _, _, m in result.problems)


def test_a_number_typed_as_text(my_rules: Path, cli: Callable[..., Output]) -> None:
    path = my_rules / "REST-01.yaml"
    _edit(path, "lt: 1}", 'lt: "1"}')
    result = cli("rules", "lint", path, "--rules", my_rules)
    assert result.status == 1
    message = _problem(result, path, line_of(path, 'lt: "1"'))
    assert "got the text '1' in quotes; write it without quotes: lt: 1" in message


def test_a_tab_is_said_as_a_tab(my_rules: Path, cli: Callable[..., Output]) -> None:
    path = my_rules / "WAGE-02.yaml"
    _edit(path, "\nseverity:", "\n\tseverity:")
    result = cli("rules", "lint", path, "--rules", my_rules)
    assert result.status == 1
    message = _problem(result, path, line_of(path, "\tseverity"))
    assert message.startswith("a tab; YAML indents with spaces only")
    assert "cannot start any token" not in result.out


def test_an_unknown_when_unknown(my_rules: Path, cli: Callable[..., Output]) -> None:
    path = my_rules / "DOC-02.yaml"
    _edit(path, "is: true}", "is: true, when_unknown: maybe}")
    result = cli("rules", "lint", path, "--rules", my_rules)
    assert result.status == 1
    message = _problem(result, path, line_of(path, "when_unknown: maybe"))
    assert "'maybe' is not a way to treat an unknown value" in message
    assert "gap" in message
    assert "false" in message
    assert "true" in message


def test_when_unknown_false_as_yaml_writes_it_is_accepted(
    my_rules: Path, cli: Callable[..., Output]
) -> None:
    _edit(my_rules / "DOC-02.yaml", "is: true}", "is: true, when_unknown: false}")
    assert cli("rules", "lint", my_rules / "DOC-02.yaml", "--rules", my_rules).status == 0


def test_when_unknown_is_documented() -> None:
    guide = (Path(__file__).resolve().parents[2] / "docs" / "rule-authoring.md").read_text()
    assert "when_unknown" in guide


# -- the pack's version ------------------------------------------------------------------------


def test_the_shipped_pack_is_recorded_under_its_version(cli: Callable[..., Output]) -> None:
    result = cli("rules", "lint")
    assert result.status == 0
    assert "warning" not in result.err


def test_a_changed_profile_under_the_same_version_is_an_error(
    my_rules: Path, cli: Callable[..., Output]
) -> None:
    _edit(my_rules / "profiles" / "NP.yaml", "amount: 10000", "amount: 5000")
    result = cli("rules", "lint", "--rules", my_rules)
    assert result.status == 1
    message = _problem(result, my_rules / "pack.yaml", 1)
    assert "the pack changed since version 1.3.0 was released (profiles changed: NP)" in message
    assert "raise version" in message
    assert "--record" in message


def test_an_added_rule_is_named(my_rules: Path, cli: Callable[..., Output]) -> None:
    text = (my_rules / "MOB-01.yaml").read_text().replace("id: MOB-01", "id: MOB-09")
    (my_rules / "MOB-09.yaml").write_text(text)
    result = cli("rules", "lint", "--rules", my_rules)
    assert result.status == 1
    assert "rules added: MOB-09" in _problem(result, my_rules / "pack.yaml", 1)


def test_a_new_version_is_a_warning_until_recorded(
    my_rules: Path, cli: Callable[..., Output]
) -> None:
    _edit(my_rules / "profiles" / "NP.yaml", "amount: 10000", "amount: 5000")
    _edit(my_rules / "pack.yaml", "version: 1.3.0", "version: 1.4.0")
    result = cli("rules", "lint", "--rules", my_rules)
    assert result.status == 0
    assert "version 1.4.0 is new (recorded: 1.3.0)" in result.err
    assert "auditor rules lint --record" in result.err
    recorded = cli("rules", "lint", "--rules", my_rules, "--record")
    assert recorded.status == 0
    assert "version: 1.4.0" in (my_rules / "pack.lock").read_text()
    again = cli("rules", "lint", "--rules", my_rules)
    assert (again.status, "warning" in again.err) == (0, False)


def test_a_failing_example_says_its_jurisdiction(
    my_rules: Path, cli: Callable[..., Output]
) -> None:
    path = my_rules / "FEE-05.yaml"
    _edit(
        path,
        "  - name: a receipt was issued\n    expect: passes",
        "  - name: a receipt was issued\n    expect: fires",
    )
    result = cli("rules", "test", path, "--rules", my_rules, "--examples", "2")
    assert result.status == 1
    assert (
        'example "a receipt was issued": expected a finding for W1, got a pass, under the '
        "profile PH"
    ) in result.out
