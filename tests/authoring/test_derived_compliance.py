"""Rules over fields no shipped rule reads pass ``auditor rules test`` from YAML alone.

The kit's compliant datasets take what a compliant value is from the rule
files' conditions (``auditor.testing.derived``), so a policy analyst's new
obligation is kept by them without a line of Python: her COMP-09 (a channel
publishing a response time over 30 days), a rule on an employer field, and
one on a complaint field each pass, and the compliant data keeps them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.engine.pack import rule_pack
from auditor.testing import compliant_datasets
from auditor.testing.derived import compliant_value, forbidden_values
from tests.authoring.tools import Output

COMP_09 = """\
id: COMP-09
title: A complaint channel publishes a response time over 30 days
paragraph: 26
severity: medium
subject: channel
norms:
  - ILO Violence and Harassment Convention, 2019 (C190), Art 10(b)
rationale: A channel that takes more than a month to answer leaves the worker exposed.
finding: The channel publishes a response time of more than 30 days.
remediation: Answer complaints within 30 days and publish that time.
condition: {field: response_days, gt: 30}
evidence: [response_days]
examples:
  - name: 45 days
    expect: fires
    subject: CH1
    change: {channels: {CH1: {response_days: 45}}}
  - name: exactly 30 days
    expect: passes
    subject: CH1
    change: {channels: {CH1: {response_days: 30}}}
  - name: not published
    expect: gap
    subject: CH1
    change: {channels: {CH1: {response_days: ""}}}
"""

MOB_04 = """\
id: MOB-04
title: The worker's permit is tied to this employer
paragraph: 30
related_paragraphs: [8]
severity: medium
subject: employer
norms:
  - ILO General Principles for Fair Recruitment (2019), principle 12
rationale: A permit tied to one employer binds the worker to it.
finding: The permits of this employer's workers are tied to it.
remediation: Place workers only where their permit lets them change employer.
condition: {field: permit_tied_to_employer, is: true}
examples:
  - name: tied
    expect: fires
    subject: E1
    change: {employers: {E1: {permit_tied_to_employer: "yes"}}}
  - name: not tied
    expect: passes
    subject: E1
    change: {employers: {E1: {permit_tied_to_employer: "no"}}}
"""

COMP_10 = """\
id: COMP-10
title: A complaint of harassment or violence is still open
paragraph: 26
severity: high
subject: complaint
confidential: true
norms:
  - ILO Violence and Harassment Convention, 2019 (C190), Art 10
rationale: While such a complaint is open, the worker may still be exposed.
finding: A complaint of harassment or violence was still open at the inspection.
remediation: Act on the complaint listed at once and protect the worker.
condition:
  all:
    - {field: category, in: [harassment, sexual_violence, violence]}
    - {field: open, is: true}
examples:
  - name: open
    expect: fires
    subject: K1
    add:
      complaints: [{complaint_id: K1, worker_id: W1, channel_id: CH1, category: harassment,
                    filed_on: "2026-06-25"}]
  - name: resolved
    expect: passes
    subject: K1
    add:
      complaints: [{complaint_id: K1, worker_id: W1, channel_id: CH1, category: harassment,
                    filed_on: "2026-06-20", resolved_on: "2026-06-22"}]
"""


def _write(rules: Path, text: str) -> Path:
    path = rules / f"{text.split(chr(10), 1)[0].removeprefix('id: ')}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_analyst_s_rules_pass_rules_test_from_yaml_alone(
    my_rules: Path, cli: Callable[..., Output]
) -> None:
    paths = [_write(my_rules, text) for text in (COMP_09, MOB_04, COMP_10)]
    for path in paths:
        lint = cli("rules", "lint", path, "--rules", my_rules)
        assert lint.status == 0, lint.out
        result = cli("rules", "test", path, "--rules", my_rules, "--examples", "5")
        assert result.status == 0, result.out
        assert result.out.startswith(f"ok    {path.stem}"), result.out
        assert "1 passed, 0 failed" in result.err


def test_compliant_values_come_from_the_conditions(my_rules: Path) -> None:
    for text in (COMP_09, MOB_04, COMP_10):
        _write(my_rules, text)
    forbidden = forbidden_values(rule_pack(my_rules))
    days = forbidden[("channels", "response_days")]
    assert [item.rule_id for item in days] == ["COMP-09"]
    # the boundary first: exactly 30 days keeps COMP-09, 31 does not
    from decimal import Decimal

    assert compliant_value(Decimal(365), days) == Decimal(30)
    assert compliant_value(Decimal(12), days) == Decimal(12)
    assert compliant_value(True, forbidden[("employers", "permit_tied_to_employer")]) is False
    assert [i.rule_id for i in forbidden[("complaints", "open")]] == ["COMP-10"]


def test_the_compliant_datasets_keep_the_new_rules(my_rules: Path) -> None:
    for text in (COMP_09, MOB_04, COMP_10):
        _write(my_rules, text)

    @settings(max_examples=15, deadline=None)
    @given(st.data())
    def check(data: st.DataObject) -> None:
        dataset = data.draw(compliant_datasets("ilo", rules_dir=my_rules))
        assert all(c.response_days is None or c.response_days <= 30 for c in dataset.channels)
        assert all(e.permit_tied_to_employer is not True for e in dataset.employers)
        assert all(
            k.resolved_on is not None
            for k in dataset.complaints
            if k.category in ("harassment", "sexual_violence", "violence")
        )

    check()
