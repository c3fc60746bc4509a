"""The report section "Since the previous audit", from a follow-up's comparison.

One page an inspector reads to see what the agency did since the last
visit: the score then and now, what was resolved, what persists (overdue
orders first, each with the date it was due), what is new, what could not
be reassessed, repeat critical findings, and the money refunded and still
owed, worker by worker. The agency's copy shows findings of confidential
rules (COMP-06, COMP-07, COMP-08, FL-01 as shipped) only as counts; money is
not confidential. Everything is formatted here; the template only lays it out.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from auditor.i18n import gettext as _
from auditor.i18n.context import N_
from auditor.model.enums import Severity
from auditor.render import formats
from auditor.render.copies import Copy
from auditor.verdict.compare import ComparedFinding, Comparison, WithheldCounts

_LISTS = ("resolved", "persisting", "new", "not_reassessed")
#: The lists' names as the report prints them (msgids; the templates translate them).
_LIST_NAMES = (N_("resolved"), N_("persisting"), N_("new"), N_("not reassessed"))
_DUE_HEADINGS = (N_("Due"), N_("Was due"))


def _withheld(counts: WithheldCounts | None, name: str) -> int:
    return int(getattr(counts, name)) if counts is not None else 0


@dataclass(frozen=True)
class SinceItem:
    rule_id: str
    title: str
    severity: Severity
    subject: str
    due: str  # "14 February 2026", "advice: no deadline", or "" for a new finding
    overdue: bool


@dataclass(frozen=True)
class SinceGroup:
    """One rule's findings in one list: the due date is the same for all of them."""

    rule_id: str
    title: str
    severity: Severity
    due: str
    overdue: bool
    subjects: str  # "W12, W3, W7"
    count: int


def grouped(items: tuple[SinceItem, ...]) -> tuple[SinceGroup, ...]:
    """Items by rule (and due date), in the order they come: overdue first stays first."""
    groups: dict[tuple[str, str], list[SinceItem]] = {}
    for item in items:
        groups.setdefault((item.rule_id, item.due), []).append(item)
    return tuple(
        SinceGroup(
            rule_id=first.rule_id,
            title=first.title,
            severity=first.severity,
            due=first.due,
            overdue=first.overdue,
            subjects=", ".join(i.subject for i in members),
            count=len(members),
        )
        for members in groups.values()
        for first in members[:1]
    )


@dataclass(frozen=True)
class SinceMoney:
    worker_id: str
    previous: str
    refunded: str
    current: str


@dataclass(frozen=True)
class SinceView:
    """The comparison as the report prints it; ``withheld`` counts the agency copy's gaps."""

    previous_id: str
    previous_day: str
    previous_score: str
    previous_rating: str
    current_score: str
    current_rating: str
    score_change: str
    counts: tuple[tuple[str, int], ...]  # ("resolved", 4), ...
    resolved: tuple[SinceGroup, ...]
    persisting: tuple[SinceGroup, ...]  # overdue first
    overdue: int
    new: tuple[SinceGroup, ...]
    not_reassessed: tuple[SinceGroup, ...]
    repeat_critical: int
    money: tuple[SinceMoney, ...]
    money_totals: SinceMoney | None
    notes: tuple[str, ...]
    withheld: tuple[tuple[str, int], ...]  # the agency's copy: list name, count withheld
    withheld_rules: tuple[str, ...]
    #: The money table's terms, each shown, adding up to what is still owed (1.2).
    money_terms: tuple[tuple[str, str], ...] = ()
    due_basis: str = "inspection"  # "issue": due dates from the previous issued report
    set_aside_previously: tuple[SinceGroup, ...] = ()
    previous_added: tuple[str, ...] = ()  # the previous inspector's findings, to reassess


def _due_text(item: ComparedFinding, *, new: bool) -> str:
    """The due column: a date, advice, or "refunded in full on DATE" (never overdue then)."""
    if new:
        return ""
    if item.refunded_in_full:
        if item.refunded_on:
            return _("refunded in full on %(day)s", day=formats.day(item.refunded_on))
        return _("refunded in full")
    return formats.day(item.due) if item.due else _("advice: no deadline")


def since_view(
    comparison: Comparison,
    copy: Copy,
    *,
    titles: dict[str, str],
    confidential: frozenset[str],
    currency: str,
) -> SinceView:
    """The section for ``copy``: the agency's withholds confidential findings, counts stay."""
    if copy is Copy.AGENCY:
        comparison = comparison.for_agency(confidential)
    found = comparison.findings

    def items(listed: tuple[ComparedFinding, ...], *, new: bool = False) -> tuple[SinceItem, ...]:
        return tuple(
            SinceItem(
                rule_id=i.rule_id,
                title=titles.get(i.rule_id, i.rule_id),
                severity=i.severity,
                subject=_("the agency") if i.subject.type.value == "agency" else i.subject.id,
                due=_due_text(i, new=new),
                overdue=i.overdue,
            )
            for i in listed
        )

    withheld = comparison.agency_copy
    counts = tuple(
        (name.replace("_", " "), len(getattr(found, name)) + _withheld(withheld, name))
        for name in _LISTS
    )
    money = comparison.money_owed

    def amount(value: Decimal | None) -> str:
        return _("not in this audit") if value is None else formats.money(value, currency)

    lines = (
        tuple(
            SinceMoney(
                worker_id, amount(line.previous), amount(line.refunded), amount(line.current)
            )
            for worker_id, line in money.by_worker.items()
        )
        if money is not None
        else ()
    )
    totals = (
        SinceMoney(
            _("total"),
            amount(money.previous_total),
            amount(money.refunded_total),
            amount(money.current_total),
        )
        if money is not None
        else None
    )
    change = comparison.score_change
    terms: tuple[tuple[str, str], ...] = ()
    if money is not None:
        terms = (
            (_("Owed at the previous audit"), amount(money.previous_total)),
            (_("less refunded since"), "- " + amount(money.refunded_total)),
            (
                _("less last owed to workers not reassessed (not in this audit)"),
                "- " + amount(money.not_reassessed_total),
            ),
            (
                _("plus refunds beyond what was owed at the previous audit (over-refunds)"),
                "+ " + amount(money.over_refunded_total),
            ),
            (
                _("plus other changes (new charges, rule pack or rate changes)"),
                ("- " if money.other_changes_total < 0 else "+ ")
                + amount(abs(money.other_changes_total)),
            ),
            (_("equals still owed now"), "= " + amount(money.current_total)),
        )
    return SinceView(
        money_terms=terms,
        due_basis=comparison.due_basis,
        set_aside_previously=grouped(items(found.set_aside_previously, new=True)),
        previous_added=tuple(
            _(
                "%(rule)s (%(severity)s, paragraph %(paragraph)s): %(finding)s "
                "[%(type)s: %(subjects)s]",
                rule=a.rule_id,
                severity=_(a.severity.value),
                paragraph=a.paragraph,
                finding=a.finding,
                type=_(a.subject_type.value),
                subjects=", ".join(a.subjects) or _("the agency"),
            )
            for a in comparison.previous_added
        ),
        previous_id=comparison.previous.audit_id,
        previous_day=formats.day(comparison.previous.inspection_date),
        previous_score=formats.number(comparison.previous.score, 1),
        previous_rating=comparison.previous.rating,
        current_score=formats.number(comparison.current.score, 1),
        current_rating=comparison.current.rating,
        score_change=(
            _("not comparable (scored by different methods)")
            if change is None
            else ("+" if change > 0 else "") + formats.number(change, 1)
        ),
        counts=counts,
        resolved=grouped(items(found.resolved)),
        persisting=grouped(items(comparison.overdue_first())),
        overdue=sum(1 for i in found.persisting if i.overdue),
        new=grouped(items(found.new, new=True)),
        not_reassessed=grouped(items(found.not_reassessed)),
        repeat_critical=comparison.repeat_critical,
        money=lines,
        money_totals=totals,
        notes=comparison.notes,
        withheld=tuple(
            (name.replace("_", " "), _withheld(withheld, name))
            for name in _LISTS
            if _withheld(withheld, name)
        ),
        withheld_rules=withheld.withheld_rules if withheld is not None else (),
    )
