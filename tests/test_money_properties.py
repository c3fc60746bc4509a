"""Money owed against an independent sum, and refunds, over generated datasets.

Under the ``ilo`` baseline no cost is payable by the worker, so every fee row she
certainly bore (above zero) is owed back in full, net of its refund, and every row
whose payer is unknown is undetermined. The oracle below recomputes that from the
records alone, with its own reading of "worker-paid", and holds the engine's
findings, per-worker amounts, totals and undetermined rows to it.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import auditor
from auditor.model.dataset import AuditDataset
from auditor.model.enums import FeeCategory, Payer
from auditor.model.records import Fee
from auditor.model.result import AuditResult
from auditor.testing.strategies import datasets
from auditor.verdict.money import round_amount

_RULE_OF = {FeeCategory.RECRUITMENT_FEE: "FEE-01", FeeCategory.DEPOSIT: "FEE-03",
            FeeCategory.ILLEGITIMATE: "FEE-03"}  # fmt: skip
_SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def bore(fee: Fee) -> bool | None:
    """The catalogue's "worker-paid", written again from its text."""
    if fee.amount == 0:
        return False
    if fee.paid_by == Payer.WORKER or fee.deducted_from_wages is True:
        return True
    if fee.paid_by == Payer.OTHER or fee.deducted_from_wages is None:
        return None
    return False


def in_audit_currency(dataset: AuditDataset, amount: Decimal, currency: str) -> Decimal:
    rates = {rate.currency: rate.rate for rate in dataset.fx}
    return amount * (Decimal(1) if currency == dataset.audit.currency else rates[currency])


@given(dataset=datasets(profile="ilo", workers=(1, 5)))
@_SETTINGS
def test_money_owed_equals_an_independent_sum(dataset: AuditDataset) -> None:
    result = auditor.audit(dataset)
    currency = dataset.audit.currency
    by_rule: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    owed: dict[str, Decimal] = defaultdict(Decimal)
    refunded: dict[str, Decimal] = defaultdict(Decimal)
    undetermined = []
    for row, fee in enumerate(dataset.fees, start=2):
        borne = bore(fee)
        if borne is None:
            undetermined.append((fee.worker_id, f"fees[{row - 2}].amount"))  # no cells: paths
        if borne is not True:
            continue
        back = fee.refunded_amount or Decimal(0)
        net = in_audit_currency(dataset, fee.amount - back, fee.currency)
        by_rule[(_RULE_OF.get(fee.category, "FEE-02"), fee.worker_id)] += net
        owed[fee.worker_id] += net
        refunded[fee.worker_id] += in_audit_currency(dataset, back, fee.currency)

    found = {(f.rule_id, f.subject.id): f.amount_owed for f in result.findings
             if f.rule_id in ("FEE-01", "FEE-02", "FEE-03")}  # fmt: skip
    assert found == {key: round_amount(value, currency) for key, value in by_rule.items()}
    expected = {w: round_amount(a, currency) for w, a in sorted(owed.items())}
    expected = {w: a for w, a in expected.items() if a > 0}
    assert result.money_owed.by_worker == expected
    assert result.money_owed.total == sum(expected.values(), Decimal(0))
    back = {w: round_amount(a, currency) for w, a in sorted(refunded.items())}
    assert result.money_owed.refunded.by_worker == {w: a for w, a in back.items() if a > 0}
    rows = sorted(undetermined, key=lambda u: (u[0], int(u[1][5:].split("]")[0])))
    assert [(u.worker_id, u.path) for u in result.money_owed.undetermined] == rows


def without_refunds(dataset: AuditDataset) -> AuditDataset:
    fees = tuple(f.model_copy(update={"refunded_amount": None, "refunded_on": None})
                 for f in dataset.fees)  # fmt: skip
    return dataset.model_copy(update={"fees": fees})


def findings_only(result: AuditResult) -> list[object]:
    return [f.model_copy(update={"amount_owed": None}) for f in result.findings]


_ANY_PROFILE = st.sampled_from(["ilo", "PH", "NP", "ID"]).flatmap(
    lambda profile: datasets(profile=profile, workers=(1, 4))
)


@given(dataset=_ANY_PROFILE)
@_SETTINGS
def test_a_refund_never_raises_money_owed_nor_changes_the_findings(dataset: AuditDataset) -> None:
    with_refunds = auditor.audit(dataset)
    before = auditor.audit(without_refunds(dataset))
    assert findings_only(with_refunds) == findings_only(before)
    assert with_refunds.data_gaps == before.data_gaps
    assert with_refunds.score == before.score
    assert with_refunds.money_owed.total <= before.money_owed.total
    for worker_id, amount in with_refunds.money_owed.by_worker.items():
        assert amount <= before.money_owed.by_worker[worker_id]
    for after, plain in zip(with_refunds.findings, before.findings, strict=True):
        if plain.amount_owed is not None:
            assert after.amount_owed is not None
            assert after.amount_owed <= plain.amount_owed
