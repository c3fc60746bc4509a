"""Disaggregated statistics for the report: by sex and by age band (74/127 paras 39-41).

Workers, the findings about them, what they paid and the SDG 10.7.1
indicator (recruitment cost borne by the worker as a share of her monthly
earnings at destination), computed from the records and the findings, in
exact decimals. Counts only: no row here can name a worker.

Choices where the specs are silent, stated in the report too:

- age is whole years on the inspection date; a worker without a date of
  birth is counted under "not recorded";
- a finding counts for a worker when its subject is that worker, or a
  complaint she made; findings about the agency, an employer or a channel
  concern every worker and are not split by sex;
- "paid" is the total of the fee rows she bore (paid, or deducted from her
  wages), all categories, in the audit currency; rows for which the records
  cannot say who bore them are counted apart, never added;
- SDG 10.7.1 is the mean, over workers whose monthly earnings are known, of
  her paid total divided by those earnings (``monthly_wage_paid``, else the
  wage of her latest contract), as the catalogue defines it; workers who
  paid nothing count as 0.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from auditor.enrich.context import Context, age_on
from auditor.i18n.context import N_
from auditor.model.enums import Sex, SubjectType
from auditor.model.records import Worker
from auditor.model.result import AuditResult

#: Age bands (inclusive lower bounds); the first is children, whom AGE-01 protects.
AGE_BANDS: tuple[tuple[str, int], ...] = (
    (N_("under 18"), 0),
    (N_("18 to 24"), 18),
    (N_("25 to 34"), 25),
    (N_("35 to 44"), 35),
    (N_("45 to 54"), 45),
    (N_("55 and over"), 55),
)
NOT_RECORDED = N_("not recorded")
#: Labels are msgids: the templates print them through the catalogue (``_(label)``).
SEX_LABELS = {Sex.FEMALE: N_("women"), Sex.MALE: N_("men"), Sex.OTHER: N_("other")}


@dataclass(frozen=True)
class Group:
    """One line of a disaggregated table."""

    label: str
    workers: int
    affected: int  # workers with at least one finding about them
    findings: int  # findings about them
    paying: int  # workers who bore some recruitment cost
    paid: Decimal  # what they bore, audit currency, exact
    undetermined_rows: int  # fee rows of theirs whose payer cannot be told


@dataclass(frozen=True)
class Indicator:
    """SDG 10.7.1 for one group."""

    label: str
    counted: int  # workers whose monthly earnings are known
    without_earnings: int
    mean: Decimal | None  # share of a month's earnings (1 = one month)
    median: Decimal | None
    over_one_month: int  # workers who paid more than a month of earnings


@dataclass(frozen=True)
class Statistics:
    by_sex: tuple[Group, ...]
    by_age: tuple[Group, ...]
    total: Group
    indicator: tuple[Indicator, ...]  # by sex, then all workers
    agency_wide_findings: int  # findings about the agency, employers and channels


@dataclass
class _Worker:
    sex: str
    band: str
    findings: int = 0
    paid: Decimal = Decimal(0)
    undetermined: int = 0
    earnings: Decimal | None = None


def compute(ctx: Context, result: AuditResult) -> Statistics:
    """The tables of the statistics section, from the records and the findings."""
    inspection = ctx.dataset.audit.inspection_date
    people = {
        worker.worker_id: _Worker(
            sex=SEX_LABELS[worker.sex],
            band=_band(worker, inspection),
            earnings=_earnings(ctx, worker),
        )
        for worker in ctx.dataset.workers
    }
    for fee in ctx.dataset.fees:
        person = people[fee.worker_id]
        bore = Context.worker_paid(fee)
        if bore is True:
            person.paid += ctx.convert(fee.amount, fee.currency)
        elif bore is None:
            person.undetermined += 1
    complainant = {c.complaint_id: c.worker_id for c in ctx.dataset.complaints}
    agency_wide = 0
    for finding in result.findings:
        subject = finding.subject
        if subject.type is SubjectType.WORKER:
            people[subject.id].findings += 1
        elif subject.type is SubjectType.COMPLAINT:
            people[complainant[subject.id]].findings += 1
        else:
            agency_wide += 1
    everyone = list(people.values())
    sexes = [label for label in SEX_LABELS.values() if any(p.sex == label for p in everyone)]
    bands = [label for label, _ in AGE_BANDS] + [NOT_RECORDED]
    bands = [band for band in bands if any(p.band == band for p in everyone)]
    return Statistics(
        by_sex=tuple(_group(s, [p for p in everyone if p.sex == s]) for s in sexes),
        by_age=tuple(_group(b, [p for p in everyone if p.band == b]) for b in bands),
        total=_group(N_("all workers"), everyone),
        indicator=(
            *(_indicator(s, [p for p in everyone if p.sex == s]) for s in sexes),
            _indicator(N_("all workers"), everyone),
        ),
        agency_wide_findings=agency_wide,
    )


def _band(worker: Worker, day: dt.date) -> str:
    if worker.date_of_birth is None:
        return NOT_RECORDED
    age = age_on(worker.date_of_birth, day)
    label = AGE_BANDS[0][0]
    for name, lowest in AGE_BANDS:
        if age >= lowest:
            label = name
    return label


def _earnings(ctx: Context, worker: Worker) -> Decimal | None:
    """Her monthly earnings at destination in the audit currency, if the records give them."""
    if worker.monthly_wage_paid is not None and worker.wage_currency:
        return ctx.convert(worker.monthly_wage_paid, worker.wage_currency)
    latest = ctx.latest_contract(worker.worker_id)
    return ctx.contract_wage(latest) if latest is not None else None


def _group(label: str, people: list[_Worker]) -> Group:
    return Group(
        label=label,
        workers=len(people),
        affected=sum(1 for p in people if p.findings),
        findings=sum(p.findings for p in people),
        paying=sum(1 for p in people if p.paid > 0),
        paid=sum((p.paid for p in people), Decimal(0)),
        undetermined_rows=sum(p.undetermined for p in people),
    )


def _indicator(label: str, people: Iterable[_Worker]) -> Indicator:
    shares: list[Decimal] = []
    without = 0
    for person in people:
        if person.earnings is None or person.earnings <= 0:
            without += 1
        else:
            shares.append(person.paid / person.earnings)
    shares.sort()
    return Indicator(
        label=label,
        counted=len(shares),
        without_earnings=without,
        mean=sum(shares, Decimal(0)) / len(shares) if shares else None,
        median=_median(shares),
        over_one_month=sum(1 for share in shares if share > 1),
    )


def _median(ordered: list[Decimal]) -> Decimal | None:
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2
