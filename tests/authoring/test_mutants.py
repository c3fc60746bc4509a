"""The kit catches wrong rules: each deliberately broken variant of a shipped rule fails.

Every mutant of :data:`~tests.authoring.mutants.MUTANTS` (a threshold off
by one, the wrong field, an inverted comparison, an unknown value counted
as known, the wrong subject) is written into its own copy of the rule
directory and put through the real ``auditor rules test`` as a child
process, with few cases per property, two at a time (CI has two cores).
Each must exit 1 and print a FAIL line with a counterexample: the rows
that matter, as tables. A mutant whose revealing examples were removed
with the mistake must still be caught by a property, since its author's
examples agree with the mistake. ``mutants_caught`` is recorded in the
test report (``--junitxml``) as caught/total, with the property that
caught each.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.authoring.mutants import MUTANTS, Mutant, mutated_pack
from tests.authoring.tools import RULES, Output, run_command

#: Few cases per property keep CI quick; the mutants are caught at this budget.
EXAMPLES = "5"
FAIL = re.compile(r"^FAIL  (?P<rule>\S+)\s+(?P<properties>.+)$", re.MULTILINE)


def _test(mutant: Mutant, folder: Path) -> Output:
    pack = mutated_pack(RULES, folder / "rules", mutant)
    return run_command(
        ["rules", "test", str(pack / f"{mutant.rule_id}.yaml"), "--examples", EXAMPLES]
    )


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Output]:
    """Every mutant's ``auditor rules test``, run two at a time."""
    folders = [tmp_path_factory.mktemp(f"mutant{n}") for n in range(len(MUTANTS))]
    with ThreadPoolExecutor(max_workers=2) as pool:
        done = list(pool.map(_test, MUTANTS, folders))
    return {mutant.name: output for mutant, output in zip(MUTANTS, done, strict=True)}


def caught_by(output: Output, rule_id: str) -> set[str]:
    """The properties named on the rule's FAIL line (empty when it did not fail)."""
    for match in FAIL.finditer(output.out):
        if match["rule"] == rule_id:
            return {name.strip() for name in match["properties"].split(",")}
    return set()


@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda mutant: mutant.name)
def test_the_mutant_fails_with_a_counterexample(
    mutant: Mutant, outcomes: dict[str, Output]
) -> None:
    output = outcomes[mutant.name]
    shown = f"exit {output.status}\n{output.out}\n{output.err}"
    assert output.status == 1, shown
    failed = caught_by(output, mutant.rule_id)
    assert failed, f"no FAIL line for {mutant.rule_id}:\n{shown}"
    # a counterexample is a table of rows: a header, its rule, and at least one row
    assert re.search(r"^ {4}\| .+\|\n {4}\|-[-|]+\|\n {4}\| .+\|$", output.out, re.M), shown
    assert f"0 passed, 1 failed: {mutant.rule_id}" in output.err, shown
    if mutant.drop:  # its examples agree with the mistake: a property must catch it
        assert failed - {"examples"}, f"only the examples caught it:\n{shown}"
    assert mutant.caught_by <= failed, f"expected {sorted(mutant.caught_by)}:\n{shown}"


def test_every_mutant_is_caught(
    outcomes: dict[str, Output], record_property: pytest.RecordProperty
) -> None:
    """The count, and which properties caught which mutant, for the test report."""
    caught = {
        mutant.name: sorted(caught_by(outcomes[mutant.name], mutant.rule_id)) for mutant in MUTANTS
    }
    record_property("mutants_caught", f"{sum(map(bool, caught.values()))}/{len(MUTANTS)}")
    for name, properties in caught.items():
        record_property(name, ", ".join(properties) or "not caught")
    assert all(caught.values()), [name for name, found in caught.items() if not found]
