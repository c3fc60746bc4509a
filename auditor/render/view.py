"""What the inspector report says, section by section, before any HTML.

:func:`build_view` turns an :class:`~auditor.verdict.inspection.Inspection` into plain,
already-formatted values, so the templates in ``reports/`` only lay them
out and every decision (deadlines, what goes to an annex, what the
agency's copy withholds) is made, and tested, here.

Large audits stay readable: a rule's subjects are listed in its section
up to :data:`INLINE_SUBJECTS`; beyond that, once per rule in Annex A. When
the annexes would run past :data:`DETAILED_LISTING_LIMIT` lines, they list
subject ids only, and the evidence cell by cell is in the attached JSON
result and the findings workbook.

Large audits also stay printable: past :data:`PRINTED_LISTING_LIMIT`
subjects the annexes give each rule's count only, past
:data:`PRINTED_MONEY_LIMIT` workers the money section lists the largest
amounts owed, and past :data:`PRINTED_WARNINGS` warnings the first ones;
each time the report says so, and says where the whole list is (the
attached JSON result, the findings workbook). A 50,000-worker agency with
170,000 findings would otherwise print 500 pages of ids, which no one
reads, and WeasyPrint spends some 20 microseconds on every glyph.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version

from auditor.enrich.context import Context
from auditor.i18n import current
from auditor.i18n import gettext as _
from auditor.i18n.context import N_
from auditor.i18n.languages import authoritative_language, language
from auditor.model.enums import Severity, Sex, SubjectType
from auditor.model.result import AuditResult, DataGap, Evidence, Finding, RuleOutcome
from auditor.render import formats
from auditor.render.copies import Copy, confidential_rules
from auditor.render.identify import Identities
from auditor.render.refunds import RefundLine, refund_lines
from auditor.render.since import SinceView, since_view
from auditor.render.stamp import DRAFT, Stamp
from auditor.render.statistics import SEX_LABELS, Statistics, compute
from auditor.render.wording import worded
from auditor.verdict.inspection import Inspection
from auditor.verdict.scoring import RuleCount, round_half_up, rule_score

#: A rule's subjects are listed in its own section up to this many; beyond, in Annex A.
INLINE_SUBJECTS = 10
#: Above this many listed subjects (findings and data gaps), annexes give ids only.
DETAILED_LISTING_LIMIT = 2500
#: Above this many listed subjects, annexes give each rule's count, not the ids (see above).
PRINTED_LISTING_LIMIT = 10_000
#: Above this many lines (workers owed, rows undetermined), the schedule gives ids and amounts.
DETAILED_MONEY_LIMIT = 1500
#: Above this many workers owed money, the schedule lists the largest amounts only; above
#: this many fee rows undetermined, they are counted, not listed.
PRINTED_MONEY_LIMIT = 5000
#: How many of the largest amounts owed a summarised schedule lists.
LARGEST_PRINTED = 60
#: The warnings the report prints; the rest are counted (all are in the JSON result).
PRINTED_WARNINGS = 200
#: Characters of the report's monospaced 7 pt text in a line of the A4 text width (118 fit).
SCHEDULE_WIDTH = 112
#: Days from the inspection date to comply, by severity (C81 Art 13: at once where danger
#: is imminent); low findings are advice (C81 Art 17: advice instead of proceedings).
DEADLINE_DAYS = {Severity.CRITICAL: 0, Severity.HIGH: 30, Severity.MEDIUM: 90}
PARAGRAPH_HEADINGS = {
    11: N_("Cost of labour migration, ethical recruitment"),
    16: N_("Information, contracts, laws governing recruiters"),
    26: N_("Complaint mechanisms, termination, no punishment"),
    30: N_("Fair recruitment, monitoring, protection from exploitation"),
}
_NOUNS = {
    SubjectType.AGENCY: (N_("the agency"), N_("the agency")),
    SubjectType.EMPLOYER: (N_("employer"), N_("employers")),
    SubjectType.WORKER: (N_("worker"), N_("workers")),
    SubjectType.CHANNEL: (N_("complaint channel"), N_("complaint channels")),
    SubjectType.COMPLAINT: (N_("complaint"), N_("complaints")),
}
_SEVERITY_ORDER = (Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW)
_LETTERS = "ABC"
#: The order printed, in the agency's copy, for a rule whose cases it shows only as counts:
#: the rule's own order would point at a complaint or a worker the copy does not list.
WITHHELD_ORDER = N_(
    "Put right the cases counted here as the inspectorate directs it, without seeking to "
    "identify the workers concerned or treating any worker differently for having complained."
)


@dataclass(frozen=True)
class Deadline:
    severity: Severity
    date: dt.date | None  # None: advice, no deadline
    text: str


@dataclass(frozen=True)
class Line:
    """One subject of a finding or a data gap, as listed."""

    subject: str
    cells: tuple[str, ...]  # evidence ("Fees!E7 amount = 45.5") or missing cells
    owed: str | None = None


@dataclass(frozen=True)
class Listing:
    """The subjects of one rule in Annex A or B."""

    number: str  # "A.3"
    rule_id: str
    title: str
    lines: tuple[Line, ...]  # empty when the annexes are too long to print (count only)
    count: int


@dataclass(frozen=True)
class RuleSection:
    rule_id: str
    anchor: str
    title: str
    severity: Severity
    norms: tuple[str, ...]
    #: The profile's caveat when the rule rests on a profile that is to be confirmed (1.2).
    caveat: str | None
    finding: str
    remediation: str
    referral: str | None
    deadline: Deadline
    persisting: str | None  # orders kept from the previous issued report, with their dates
    cap: str | None  # FEE-06: the cap the profile applied, in its currency and converted
    count: str  # "4 of 40 workers (10.0 %)"
    by_sex: str | None  # "women 3, men 1"
    owed: str | None
    lines: tuple[Line, ...]  # shown in the section; empty when in an annex or withheld
    annex: str | None  # "A.3" when the subjects are listed there
    withheld: bool  # the agency's copy: counts only
    #: DEST-01 (catalogue 1.3): the destinations' laws its findings were measured against.
    corridor: tuple[CorridorLaw, ...] = ()
    advice: bool = False  # no order and no due date (a low finding: advice)


@dataclass(frozen=True)
class CorridorLaw:
    """One destination's law, as a DEST-01 section names it."""

    country: str
    name: str
    law: str
    status: str  # "to_be_confirmed" or "checked"
    caveat: str | None  # the one sentence printed while to_be_confirmed
    claims_to: str
    workers: int
    charged: str  # the amount charged against it, in the audit currency
    undetermined: int  # findings whose amount charged is undetermined


@dataclass(frozen=True)
class ParagraphSection:
    number: int
    heading: str
    score: str
    rules: tuple[RuleSection, ...]
    clear: tuple[str, ...]  # ids of its rules that did not fire


@dataclass(frozen=True)
class MoneyLine:
    worker_id: str
    rules: str
    rows: str
    amount: str


@dataclass(frozen=True)
class GapGroup:
    rule_id: str
    title: str
    severity: Severity
    count: str
    lines: tuple[Line, ...]
    annex: str | None
    withheld: bool


@dataclass(frozen=True)
class SourceLine:
    """One row of the inspector's annex of sources."""

    source_id: str
    kind: str
    description: str
    subject: str
    collected_on: str


@dataclass(frozen=True)
class InspectorRecord:
    """The inspector's own record (format 1.1): printed in the inspector's copy only."""

    observations: str | None
    sources: tuple[SourceLine, ...]
    exists: bool  # the agency's copy says only this


@dataclass(frozen=True)
class FxLine:
    """One rate of the FX sheet, as the money section explains it."""

    currency: str
    rate: str
    meaning: str  # "1 NPR = 0.0075 USD"


@dataclass(frozen=True)
class ScoreRow:
    outcome: RuleOutcome
    title: str
    weight: int
    prevalence: str
    points: str
    factor: str  # 1 - points/100, 4 decimals (catalogue 1.2); "1.0000" when it did not fire


@dataclass(frozen=True)
class ReportView:
    """Everything the templates print, in the order the report prints it."""

    result: AuditResult
    copy: Copy
    title: str
    cover: tuple[tuple[str, str], ...]
    licence_note: str | None
    inspector: str | None
    inspection_day: str
    profile_name: str
    generator: str
    severity_counts: tuple[tuple[Severity, int], ...]
    paragraph_counts: tuple[tuple[int, str, int, str], ...]  # number, heading, findings, score
    most_serious: tuple[str, ...]
    score: str
    coverage: str
    paragraphs: tuple[ParagraphSection, ...]
    money: tuple[MoneyLine, ...]  # every worker owed; the largest only when summarised
    money_total: str
    money_detailed: bool
    undetermined: tuple[MoneyLine, ...]  # empty when there are too many to print
    statistics: Statistics
    gaps: tuple[GapGroup, ...]
    scoring: tuple[ScoreRow, ...]
    #: "100 x 0.8500 x 0.9400 = 79.9000" (printed with multiplication signs): the factors
    #: of the rules that fired as shown, and the exact product (4 decimals) that the score
    #: rounds (catalogue 1.2).
    score_product: str
    weights: tuple[tuple[Severity, int], ...]
    annex_findings: tuple[Listing, ...]
    annex_gaps: tuple[Listing, ...]
    listing_detailed: bool
    withheld_count: int
    listing_printed: bool = True  # False: annexes give counts, the ids are in the JSON
    money_count: int = 0  # workers owed money (all of them, printed or not)
    money_summarised: bool = False  # the schedule lists the largest amounts only
    money_schedule: tuple[str, ...] = ()  # compact schedule: monospaced lines, ids and amounts
    undetermined_count: int = 0  # fee rows undetermined (all of them)
    undetermined_workers: int = 0  # workers with a fee row undetermined
    undetermined_schedule: tuple[str, ...] = ()  # compact: monospaced lines, ids and cells
    warnings: tuple[str, ...] = ()  # the first PRINTED_WARNINGS of the result's warnings
    withheld_rules: tuple[str, ...] = ()  # the agency's copy: rules shown only as counts
    json_name: str = ""  # the attached result's file name
    record: InspectorRecord | None = None  # observations and sources; None when none given
    #: The annexes' letters in print order: findings, data gaps, the inspector's record,
    #: each lettered only when present, so a report never shows "Annex C" without A and B.
    gaps_annex_letter: str = "B"
    record_annex_letter: str = "C"
    since: SinceView | None = None  # a follow-up audit: "Since the previous audit"
    refunds: tuple[RefundLine, ...] = ()  # each refund beside the fee it reduces
    refunded_total: str = ""  # the refunds counted against money owed
    fx: tuple[FxLine, ...] = ()  # the rates every converted amount used
    stamp: Stamp = DRAFT  # draft or issued, and the inspector's review
    lang: str = "en"  # the report's language (issue 27): <html lang>
    direction: str = "ltr"  # "rtl" for Arabic: <html dir>
    #: A translated report's cover says so, and which text prevails (None: the source text).
    translation_note: str | None = None
    review_status: str = ""  # the footer: the catalogue's review status; empty in English
    created: dt.date | None = None  # the file's dates: the inspection's (draft), the issue's

    def amount(self, value: Decimal | float | None) -> str:
        return formats.money(value, self.result.currency)


def deadline(severity: Severity, issued_on: dt.date | None = None) -> Deadline:
    """The order's time limit, counted from the issue date (audit-output.md 1.2).

    A draft (``issued_on`` None) says "within N days of issue", never a
    calendar date, and a critical order "immediately on issue"; an issued
    report gives the date.
    """
    days = DEADLINE_DAYS.get(severity)
    if days is None:
        return Deadline(severity, None, _("advice: no deadline"))
    if issued_on is None:
        if days == 0:
            return Deadline(severity, None, _("immediately on issue"))
        return Deadline(severity, None, _("within %(days)s days of issue", days=days))
    due = issued_on + dt.timedelta(days=days)
    if days == 0:
        return Deadline(
            severity, due, _("immediately, from the issue date %(day)s", day=formats.day(due))
        )
    return Deadline(
        severity, due, _("within %(days)s days, by %(day)s", days=days, day=formats.day(due))
    )


def persisting_dues(inspection: Inspection) -> dict[tuple[str, str, str], dt.date | None]:
    """Due dates persisting orders keep from the previous audit's issue record, if given."""
    comparison = inspection.comparison
    if comparison is None or comparison.due_basis != "issue":
        return {}
    return {
        (item.rule_id, item.subject.type.value, item.subject.id): item.due
        for item in comparison.findings.persisting
    }


def build_view(
    inspection: Inspection, result: AuditResult, copy: Copy, stamp: Stamp | None = None
) -> ReportView:
    """The report's content; ``result`` is the inspector's or the agency's (already redacted).

    ``stamp`` says whether it is a draft or issued; when it carries a
    reviewed result (``shown``), that is what the report prints.
    """
    stamp = stamp or Stamp()
    builder = _Builder(inspection, stamp.shown or result, copy, stamp)
    return builder.view()


class _Builder:
    def __init__(
        self, inspection: Inspection, result: AuditResult, copy: Copy, stamp: Stamp
    ) -> None:
        self.inspection = inspection
        self.result = result
        self.copy = copy
        self.stamp = stamp
        self.kept_dues = persisting_dues(inspection)
        self.pack = inspection.pack
        self.withheld = confidential_rules(self.pack) if copy is Copy.AGENCY else frozenset()
        dataset = inspection.dataset
        sex = {w.worker_id: SEX_LABELS[w.sex] for w in dataset.workers}
        self.sex_value: dict[tuple[SubjectType, str], Sex] = {
            (SubjectType.WORKER, w.worker_id): w.sex for w in dataset.workers
        }
        by_worker = {w.worker_id: w.sex for w in dataset.workers}
        for complaint in dataset.complaints:
            self.sex_value[(SubjectType.COMPLAINT, complaint.complaint_id)] = by_worker[
                complaint.worker_id
            ]
        self.rates = {rate.currency: rate.rate for rate in dataset.fx}
        country = {e.employer_id: e.destination_country for e in dataset.employers}
        self.destinations = {w.worker_id: country[w.employer_id] for w in dataset.workers}
        self.fees = {fee.fee_id: fee for fee in dataset.fees}
        self.identities = Identities.of(dataset)
        self.money_currency: dict[tuple[str, str, str], str | None] = {}
        for fee in dataset.fees:
            self.money_currency[("Fees", fee.fee_id, "amount")] = fee.currency
        for contract in dataset.contracts:
            for column in ("monthly_wage", "termination_penalty"):
                self.money_currency[("Contracts", contract.contract_id, column)] = contract.currency
        for worker in dataset.workers:
            self.money_currency[("Workers", worker.worker_id, "monthly_wage_paid")] = (
                worker.wage_currency
            )
        self.sex_of: dict[tuple[SubjectType, str], str] = {
            (SubjectType.WORKER, worker_id): label for worker_id, label in sex.items()
        }
        for complaint in dataset.complaints:
            self.sex_of[(SubjectType.COMPLAINT, complaint.complaint_id)] = sex[complaint.worker_id]
        self.findings: dict[str, list[Finding]] = defaultdict(list)
        for finding in result.findings:
            self.findings[finding.rule_id].append(finding)
        self.gaps: dict[str, list[DataGap]] = defaultdict(list)
        for gap in result.data_gaps:
            self.gaps[gap.rule_id].append(gap)
        self.outcomes = {outcome.rule_id: outcome for outcome in result.rules}
        annexed = sum(
            len(found) for found in self.findings.values() if len(found) > INLINE_SUBJECTS
        ) + sum(len(gaps) for gaps in self.gaps.values() if len(gaps) > INLINE_SUBJECTS)
        self.detailed = annexed <= DETAILED_LISTING_LIMIT
        self.printed = annexed <= PRINTED_LISTING_LIMIT
        self.annex_findings: list[Listing] = []
        self.annex_gaps: list[Listing] = []

    # -- the whole view ----------------------------------------------------------
    def view(self) -> ReportView:
        result, audit = self.result, self.inspection.dataset.audit
        paragraphs = tuple(self._paragraph(number) for number in sorted(PARAGRAPH_HEADINGS))
        fired = [section for p in paragraphs for section in p.rules]
        money, undetermined = self._money()
        owed, unknown = result.money_owed.by_worker, result.money_owed.undetermined
        detailed_money = len(owed) + len(unknown) <= DETAILED_MONEY_LIMIT
        weights = self.inspection.profile.weights
        # Counts, charts and sentences rest on the findings this copy lists, so that they
        # agree with its JSON and with the command line; the agency's copy says apart how
        # many it shows only as counts.
        counts = result.findings_by_severity()
        listed = [section for section in fired if not section.withheld]
        withheld_rules = tuple(
            sorted(rule_id for rule_id in self.withheld if self.outcomes[rule_id].affected)
        )
        language_fields = _language_fields()
        return ReportView(
            result=result,
            copy=self.copy,
            title=_(
                "Inspection report %(audit)s: %(agency)s",
                audit=result.audit_id,
                agency=result.agency_name,
            ),
            cover=self._cover(),
            lang=language_fields.lang,
            direction=language_fields.direction,
            translation_note=language_fields.translation_note,
            review_status=language_fields.review_status,
            licence_note=self._licence_note(),
            inspector=audit.inspector,
            inspection_day=formats.day(result.inspection_date),
            profile_name=self.inspection.profile.name,
            generator=_generator(),
            severity_counts=tuple((s, counts[s]) for s in _SEVERITY_ORDER),
            paragraph_counts=tuple(
                (
                    p.number,
                    p.heading,
                    sum(len(self.findings.get(s.rule_id, ())) for s in p.rules),
                    p.score,
                )
                for p in paragraphs
            ),
            most_serious=tuple(self._sentence(s) for s in _most_serious(listed, self.outcomes)),
            score=formats.number(result.score, 1),
            coverage=formats.percent(result.coverage, 2),
            paragraphs=paragraphs,
            money=money,
            money_total=formats.money(result.money_owed.total, result.currency),
            money_detailed=detailed_money,
            undetermined=undetermined,
            money_count=len(owed),
            money_summarised=len(owed) > PRINTED_MONEY_LIMIT,
            money_schedule=() if detailed_money else _schedule(money, "amount", _("Owed")),
            undetermined_count=len(unknown),
            undetermined_workers=len({row.worker_id for row in unknown}),
            undetermined_schedule=(
                () if detailed_money else _schedule(undetermined, "rows", _("Fee row"))
            ),
            warnings=tuple(result.warnings[:PRINTED_WARNINGS]),
            statistics=compute(
                Context(self.inspection.dataset, self.inspection.profile, self.pack.destinations),
                result,
            ),
            gaps=self._gaps(),
            scoring=tuple(
                ScoreRow(
                    outcome=o,
                    title=worded(self.pack.rule(o.rule_id).data.title, [None]),  # any worker
                    weight=weights[o.severity],
                    prevalence=formats.number(o.prevalence, 4),
                    points=formats.number(o.points, 2),
                    factor=formats.number(o.factor if o.factor is not None else 1, 4),
                )
                for o in result.rules
            ),
            score_product=_score_product(result.rules, weights),
            weights=tuple((s, weights[s]) for s in _SEVERITY_ORDER),
            annex_findings=tuple(self.annex_findings),
            annex_gaps=tuple(self.annex_gaps),
            listing_detailed=self.detailed,
            listing_printed=self.printed,
            withheld_count=sum(self.outcomes[r].affected for r in self.withheld),
            withheld_rules=withheld_rules,
            json_name=json_name(result.audit_id, self.copy),
            record=self._record(),
            gaps_annex_letter=self._gaps_letter(),
            record_annex_letter=_LETTERS[bool(self.annex_findings) + bool(self.annex_gaps)],
            since=self._since(),
            refunds=refund_lines(self.inspection, result),
            refunded_total=formats.money(result.money_owed.refunded.total, result.currency),
            stamp=self.stamp,
            created=self.stamp.issued_on or result.inspection_date,
            fx=tuple(
                FxLine(
                    currency=rate.currency,
                    rate=_plain(rate.rate),
                    meaning=f"1 {rate.currency} = {_plain(rate.rate)} {result.currency}",
                )
                for rate in sorted(self.inspection.dataset.fx, key=lambda r: r.currency)
                if rate.currency != result.currency
            ),
        )

    def _since(self) -> SinceView | None:
        """The follow-up section, when the inspection was compared with a previous audit."""
        comparison = self.inspection.comparison
        if comparison is None:
            return None
        return since_view(
            comparison,
            self.copy,
            titles={rule.id: worded(rule.data.title, [None]) for rule in self.pack.rules},
            confidential=confidential_rules(self.pack),
            currency=self.result.currency,
        )

    # -- cover ------------------------------------------------------------------
    def _cover(self) -> tuple[tuple[str, str], ...]:
        result, audit = self.result, self.inspection.dataset.audit
        profile = self.inspection.profile
        own = (
            (N_("Agency's address"), audit.agency_address),
            (N_("Case reference"), audit.case_reference),
            (N_("Follow-up of audit"), audit.follow_up_of),
            (
                N_("Next visit due"),
                formats.day(audit.follow_up_due) if audit.follow_up_due else None,
            ),
        )
        return (
            (N_("Agency"), result.agency_name),
            *((label, value) for label, value in own[:1] if value),
            (N_("Licence number"), audit.agency_licence_number or _("none shown to the inspector")),
            (N_("Licence valid until"), formats.day(audit.licence_valid_until)),
            (N_("Audit id"), result.audit_id),
            (N_("Inspection date"), formats.day(result.inspection_date)),
            (N_("Inspector"), audit.inspector or _("not recorded")),
            (N_("Origin country"), audit.origin_country),
            (N_("Jurisdiction profile"), f"{profile.id} ({profile.name})"),
            (N_("Currency"), result.currency),
            (N_("Input workbook SHA-256"), result.input_sha256),
            (N_("Rule pack version"), result.ruleset_version),
            *((label, value) for label, value in own[1:] if value),
        )

    def _record(self) -> InspectorRecord | None:
        """Observations and sources; the agency's copy learns only that they exist."""
        audit, sources = self.inspection.dataset.audit, self.inspection.dataset.sources
        if audit.observations is None and not sources:
            return None
        if self.copy is Copy.AGENCY:
            return InspectorRecord(observations=None, sources=(), exists=True)
        return InspectorRecord(
            observations=audit.observations,
            sources=tuple(
                SourceLine(
                    source_id=source.source_id,
                    kind=_(source.kind.value.replace("_", " ")),
                    description=source.description,
                    subject=(
                        f"{_(source.subject_type.value)} {source.subject_id}"
                        if source.subject_type is not None
                        else ""
                    ),
                    collected_on=formats.day(source.collected_on),
                )
                for source in sources
            ),
            exists=True,
        )

    def _licence_note(self) -> str | None:
        audit = self.inspection.dataset.audit
        if audit.agency_licence_number is None:
            return _("The agency showed no licence.")
        until = audit.licence_valid_until
        if until is not None and until < audit.inspection_date:
            return _(
                "The licence had expired on %(day)s, before the inspection.",
                day=formats.day(until),
            )
        return None

    # -- findings -------------------------------------------------------------------
    def _paragraph(self, number: int) -> ParagraphSection:
        rules = [r for r in self.pack.rules if r.data.paragraph == number]
        rules.sort(key=lambda r: r.id)
        fired = tuple(self._section(r.id) for r in rules if self.outcomes[r.id].affected)
        return ParagraphSection(
            number=number,
            heading=_(PARAGRAPH_HEADINGS[number]),
            score=formats.number(self.result.paragraph_scores.get(str(number)), 1),
            rules=fired,
            clear=tuple(r.id for r in rules if not self.outcomes[r.id].affected),
        )

    def _section(self, rule_id: str) -> RuleSection:
        data = self.pack.rule(rule_id).data
        outcome = self.outcomes[rule_id]
        found = self.findings.get(rule_id, [])
        withheld = rule_id in self.withheld
        lines: tuple[Line, ...] = ()
        annex = None
        if withheld:
            pass
        elif len(found) > INLINE_SUBJECTS:
            annex = f"A.{len(self.annex_findings) + 1}"
            listed: tuple[Line, ...] = ()
            if self.detailed:
                listed = tuple(self._finding_line(f) for f in found)
            elif self.printed:
                listed = tuple(
                    Line(subject=self.identities.subject(f.subject), cells=()) for f in found
                )
            self.annex_findings.append(Listing(annex, rule_id, data.title, listed, len(found)))
        else:
            lines = tuple(self._finding_line(f) for f in found)
        owed = [f.amount_owed for f in found if f.amount_owed is not None]
        sexes = (
            [None]
            if withheld
            else [self.sex_value.get((f.subject.type, f.subject.id)) for f in found]
        )
        corridor = self._corridor(found) if data.corridor and not withheld else ()
        norms = tuple(self._norm(norm, rule_id) for norm in self._norms(rule_id, found))
        if data.corridor:
            owed = []  # nothing is owed under the destination's law (catalogue 1.3)
            named = tuple(
                f"{law.name}: {law.law} ({law.status.replace('_', ' ')})" for law in corridor
            )
            norms = named + tuple(n for n in norms if not n.startswith(DESTINATION_LAW))
        return RuleSection(
            rule_id=rule_id,
            anchor=f"rule-{rule_id}",
            title=worded(data.title, sexes),
            severity=outcome.severity,
            norms=norms,
            caveat=self._caveat(rule_id),
            finding=worded(data.finding, sexes),
            remediation=_(WITHHELD_ORDER) if withheld else worded(data.remediation, sexes),
            referral=None if withheld or data.referral is None else worded(data.referral, sexes),
            deadline=deadline(outcome.severity, self.stamp.issued_on),
            persisting=None if withheld else self._persisting(rule_id, found),
            cap=self._caps(found) if rule_id == "FEE-06" and not withheld else None,
            count=self._count(outcome),
            by_sex=None if withheld else self._by_sex(found),
            owed=formats.money(sum(owed, Decimal(0)), self.result.currency) if owed else None,
            lines=lines,
            annex=annex,
            withheld=withheld,
            corridor=corridor,
            advice=DEADLINE_DAYS.get(outcome.severity) is None,
        )

    def _persisting(self, rule_id: str, found: list[Finding]) -> str | None:
        """Orders that persist from the previous issued report keep its due dates."""
        if not self.kept_dues:
            return None
        by_date: dict[dt.date | None, list[str]] = defaultdict(list)
        for finding in found:
            key = (rule_id, finding.subject.type.value, finding.subject.id)
            if key in self.kept_dues:
                by_date[self.kept_dues[key]].append(finding.subject.id)
        if not by_date:
            return None
        inspected = self.result.inspection_date
        parts = []
        for due, subjects in sorted(by_date.items(), key=lambda i: i[0] or dt.date.max):
            when = _("no deadline") if due is None else _("due %(day)s", day=formats.day(due))
            late = _(" (overdue)") if due is not None and inspected > due else ""
            parts.append(f"{', '.join(subjects)}: {when}{late}")
        return "; ".join(parts)

    def _destination_of(self, worker_id: str) -> str | None:
        return self.destinations.get(worker_id)

    def _corridor(self, found: list[Finding]) -> tuple[CorridorLaw, ...]:
        """Each destination's law the findings were measured against, with what was charged."""
        by_country: dict[str, list[Finding]] = defaultdict(list)
        for finding in found:
            country = self._destination_of(finding.subject.id)
            if country is not None:
                by_country[country].append(finding)
        laws = []
        for country in sorted(by_country):
            profile = self.pack.destinations.get(country)
            if profile is None:
                continue
            findings = by_country[country]
            known = [f.amount_charged for f in findings if f.amount_charged is not None]
            laws.append(
                CorridorLaw(
                    country=country,
                    name=profile.name,
                    law=" ".join(profile.law.split()),
                    status=profile.status.value,
                    caveat=" ".join(profile.caveat.split()) if profile.caveat else None,
                    claims_to=" ".join(profile.claims_to.split()),
                    workers=len(findings),
                    charged=formats.money(sum(known, Decimal(0)), self.result.currency),
                    undetermined=len(findings) - len(known),
                )
            )
        return tuple(laws)

    def _norms(self, rule_id: str, found: list[Finding]) -> list[str]:
        """The rule's norms; by the sectors of the workers found where the rule says so
        (REST-01: C189 for domestic work, C14 in industry...), labelled when several apply."""
        rule = self.pack.rule(rule_id)
        if not rule.data.norms_by_sector:
            return list(rule.data.norms)
        dataset = self.inspection.dataset
        sector_of = {e.employer_id: e.sector for e in dataset.employers}
        employer_of = {w.worker_id: w.employer_id for w in dataset.workers}
        groups: dict[tuple[str, ...], list[str]] = {}
        for finding in found:
            sector = sector_of.get(employer_of.get(finding.subject.id, ""))
            groups.setdefault(tuple(rule.norms_for(sector)), []).append(
                _(sector.value.replace("_", " ")) if sector is not None else _("sector unknown")
            )
        if len(groups) <= 1:
            return list(next(iter(groups), rule.data.norms))
        return [
            _(
                "%(norm)s (workers in %(sectors)s)",
                norm=norm,
                sectors=", ".join(dict.fromkeys(sectors)),
            )
            for norms, sectors in groups.items()
            for norm in norms
        ]

    def _caveat(self, rule_id: str) -> str | None:
        profile = self.inspection.profile
        if not (self.pack.rule(rule_id).data.profile_dependent and profile.to_be_confirmed):
            return None
        return " ".join((profile.caveat or "").split()) or None

    def _norm(self, norm: str, rule_id: str) -> str:
        """A norm that defers to the profile names the profile's own law, not examples:
        its ``legal_basis`` for this rule where it gives one, else its sources."""
        if not norm.startswith(PROFILE_LAW):
            return norm
        profile = self.inspection.profile
        basis = profile.legal_basis.get(rule_id)
        if basis is not None:
            return f"{profile.name} (profile {profile.id}): {' '.join(basis.split())}"
        laws = "; ".join(" ".join(source.title.split()) for source in profile.sources)
        return f"{profile.name} (profile {profile.id}): {laws}"

    def _caps(self, found: list[Finding]) -> str | None:
        """The recruitment fee caps FEE-06 applied to its workers, as written and converted."""
        dataset, profile = self.inspection.dataset, self.inspection.profile
        employers = {e.employer_id: e for e in dataset.employers}
        workers = {w.worker_id: w for w in dataset.workers}
        caps: dict[str, None] = {}
        for finding in found:
            worker = workers.get(finding.subject.id)
            employer = employers.get(worker.employer_id) if worker is not None else None
            if employer is None:
                continue
            allowance = profile.fee_allowance(employer.sector, employer.destination_country)
            if allowance is None:
                continue
            cap = allowance.cap
            if cap.amount is not None and cap.currency is not None:
                text = formats.money(cap.amount, cap.currency)
                rate = self.rates.get(cap.currency)
                if cap.currency != self.result.currency and rate is not None:
                    converted = formats.money(cap.amount * rate, self.result.currency)
                    text += _(
                        " (at %(rate)s: %(converted)s)", rate=_plain(rate), converted=converted
                    )
            else:
                months = _plain(cap.months_of_origin_wage or Decimal(0))
                text = _("%(months)s month(s) of the worker's reference wage", months=months)
            caps[text] = None
        if not caps:
            return None
        return _(
            "%(caps)s, under the %(profile)s profile (%(name)s)",
            caps="; ".join(caps),
            profile=profile.id,
            name=profile.name,
        )

    def _evidence(self, item: Evidence) -> str:
        """``Fees!E7 amount = 5000 NPR at 0.0075 = 37.50 USD``: amounts with their currency."""
        text = formats.evidence(item)
        key = (item.sheet, item.record_id or "", item.column)
        if key not in self.money_currency or not isinstance(item.value, int | float):
            return text
        currency = self.money_currency[key]
        if currency is None:
            return text
        audit_currency = self.result.currency
        rate = self.rates.get(currency)
        if currency == audit_currency or rate is None:
            return f"{text} {currency}"
        converted = formats.money(Decimal(str(item.value)) * rate, audit_currency)
        return _(
            "%(value)s %(currency)s at %(rate)s = %(converted)s",
            value=text,
            currency=currency,
            rate=_plain(rate),
            converted=converted,
        )

    def _identified(self, item: Evidence) -> str:
        """The evidence with its record's identifying columns: ``... (travel, "air ticket")``."""
        text = self._evidence(item)
        about = self.identities.of_evidence(item)
        return f"{text} ({about})" if about else text

    def _finding_line(self, finding: Finding) -> Line:
        cells = tuple(self._identified(e) for e in finding.evidence)
        if finding.corridor:  # DEST-01: what was charged against the destination's law
            country = self._destination_of(finding.subject.id) or "?"
            charged = (
                formats.money(finding.amount_charged, self.result.currency)
                if finding.amount_charged is not None
                else _("undetermined")
            )
            refunds = tuple(self._refund_beside(e) for e in finding.evidence)
            return Line(
                subject=self.identities.subject(finding.subject),
                cells=(
                    _(
                        "charged against the law of %(country)s: %(charged)s; nothing owed",
                        country=country,
                        charged=charged,
                    ),
                    *cells,
                    *(text for text in refunds if text),
                ),
            )
        return Line(
            subject=self.identities.subject(finding.subject),
            cells=cells,
            owed=(
                formats.money(finding.amount_owed, self.result.currency)
                if finding.amount_owed is not None
                else None
            ),
        )

    def _refund_beside(self, item: Evidence) -> str | None:
        """A refund on a fee row a DEST-01 finding cites, as written (catalogue 1.3)."""
        if item.sheet != "Fees" or item.column != "amount" or item.record_id is None:
            return None
        fee = self.fees.get(item.record_id)
        if fee is None or not fee.refunded_amount:
            return None
        amount = formats.money(fee.refunded_amount, fee.currency)
        if fee.refunded_on:
            return _(
                "%(cell)s refunded %(amount)s on %(day)s",
                cell=item.where,
                amount=amount,
                day=formats.day(fee.refunded_on),
            )
        return _("%(cell)s refunded %(amount)s", cell=item.where, amount=amount)

    def _count(self, outcome: RuleOutcome) -> str:
        subject = self.pack.rule(outcome.rule_id).data.subject
        if subject is SubjectType.AGENCY:
            return _("the agency")
        one, many = _NOUNS[subject]
        noun = _(one if outcome.applicable == 1 else many)
        share = formats.percent(outcome.prevalence)
        words = current()
        return _(
            "%(affected)s of %(applicable)s %(noun)s (%(share)s)",
            affected=words.number(outcome.affected),
            applicable=words.number(outcome.applicable),
            noun=noun,
            share=share,
        )

    def _by_sex(self, found: list[Finding]) -> str | None:
        """ "women 3, men 1" for findings about workers or their complaints."""
        counts: dict[str, int] = defaultdict(int)
        for finding in found:
            sex = self.sex_of.get((finding.subject.type, finding.subject.id))
            if sex is not None:
                counts[sex] += 1
        if not counts:
            return None
        labels = [label for label in SEX_LABELS.values() if label in counts]
        return ", ".join(f"{_(label)} {current().number(counts[label])}" for label in labels)

    def _sentence(self, section: RuleSection) -> str:
        """One line of the summary: what, how many, how serious, by when."""
        if section.count == _("the agency"):
            return _(
                "%(title)s (%(rule)s, %(severity)s; to remedy %(limit)s).",
                title=section.title,
                rule=section.rule_id,
                severity=_(section.severity.value),
                limit=section.deadline.text,
            )
        return _(
            "%(title)s: %(count)s (%(rule)s, %(severity)s; to remedy %(limit)s).",
            title=section.title,
            count=section.count,
            rule=section.rule_id,
            severity=_(section.severity.value),
            limit=section.deadline.text,
        )

    # -- money ---------------------------------------------------------------------
    def _money(self) -> tuple[tuple[MoneyLine, ...], tuple[MoneyLine, ...]]:
        """The schedule's lines: with findings and fee rows when detailed; else worker and
        amount, the largest :data:`LARGEST_PRINTED` only past :data:`PRINTED_MONEY_LIMIT`."""
        result = self.result
        owed, unknown = result.money_owed.by_worker, result.money_owed.undetermined
        if len(owed) + len(unknown) > DETAILED_MONEY_LIMIT:
            workers = list(owed.items())
            if len(owed) > PRINTED_MONEY_LIMIT:
                workers.sort(key=lambda item: (-item[1], item[0]))
                del workers[LARGEST_PRINTED:]
            currency = result.currency
            return (
                tuple(
                    MoneyLine(worker, "", "", formats.money(amount, currency))
                    for worker, amount in workers
                ),
                ()
                if len(unknown) > PRINTED_MONEY_LIMIT
                else tuple(
                    MoneyLine(row.worker_id, "", row.cell or row.path or "", _("undetermined"))
                    for row in unknown
                ),
            )
        rules: dict[str, set[str]] = defaultdict(set)
        rows: dict[str, dict[str, None]] = defaultdict(dict)
        for finding in result.findings:
            if finding.amount_owed is None or finding.corridor:  # DEST-01 owes nothing
                continue
            worker = finding.subject.id
            rules[worker].add(finding.rule_id)
            for item in finding.evidence:
                if item.sheet == "Fees" and item.column == "amount":
                    written = self._evidence(item).removeprefix(f"{item.where} amount = ")
                    rows[worker][f"{item.where} ({written})"] = None
        lines = tuple(
            MoneyLine(
                worker_id=worker,
                rules=", ".join(sorted(rules[worker])),
                rows=", ".join(rows[worker]),
                amount=formats.money(amount, result.currency),
            )
            for worker, amount in result.money_owed.by_worker.items()
        )
        undetermined = tuple(
            MoneyLine(
                worker_id=row.worker_id,
                rules="",
                rows=row.cell or row.path or "",
                amount=_("undetermined"),
            )
            for row in result.money_owed.undetermined
        )
        return lines, undetermined

    # -- data gaps ---------------------------------------------------------------------
    def _gaps_letter(self) -> str:
        """B after an annex of findings, else A: the letters follow the annexes printed."""
        return _LETTERS[bool(self.annex_findings)]

    def _gaps(self) -> tuple[GapGroup, ...]:
        groups = []
        for outcome in self.result.rules:
            if not outcome.gaps:
                continue
            rule_id = outcome.rule_id
            title = self.pack.rule(rule_id).data.title
            withheld = rule_id in self.withheld
            gaps = self.gaps.get(rule_id, [])
            lines: tuple[Line, ...] = ()
            annex = None
            if withheld:
                pass
            elif len(gaps) > INLINE_SUBJECTS:
                annex = f"{self._gaps_letter()}.{len(self.annex_gaps) + 1}"
                listed = (
                    tuple(Line(g.subject.id, g.missing if self.detailed else ()) for g in gaps)
                    if self.printed
                    else ()
                )
                self.annex_gaps.append(Listing(annex, rule_id, title, listed, len(gaps)))
            else:
                lines = tuple(Line(g.subject.id, g.missing) for g in gaps)
            one, many = _NOUNS[self.pack.rule(rule_id).data.subject]
            sexes = (
                [None]
                if withheld
                else [self.sex_value.get((g.subject.type, g.subject.id)) for g in gaps]
            )
            groups.append(
                GapGroup(
                    rule_id=rule_id,
                    title=worded(title, sexes),
                    severity=outcome.severity,
                    count=_count_of(outcome.gaps, one, many),
                    lines=lines,
                    annex=annex,
                    withheld=withheld,
                )
            )
        return tuple(groups)


#: How a rule's norm defers to the jurisdiction profile; the report names the profile's law.
PROFILE_LAW = "National law named in the jurisdiction profile"
#: DEST-01's norm that defers to the destination profiles: the report names each law instead.
DESTINATION_LAW = "The law of the destination country named in its destination profile"


def _schedule(lines: tuple[MoneyLine, ...], field: str, heading: str) -> tuple[str, ...]:
    """Worker ids and amounts (or fee rows) in aligned columns of monospaced text.

    A long schedule costs WeasyPrint little as lines of text, much as a table
    (a box, a style and a border for every cell).
    """
    if not lines:
        return ()
    pairs = [(line.worker_id, str(getattr(line, field))) for line in lines]
    worker_heading = _("Worker")
    left = max(len(worker_heading), *(len(worker) for worker, _value in pairs))
    right = max(len(heading), *(len(value) for _worker, value in pairs))
    gap = "   "
    per_line = max(1, (SCHEDULE_WIDTH + len(gap)) // (left + 1 + right + len(gap)))
    align = ">" if field == "amount" else "<"
    cell = f"{{:<{left}}} {{:{align}{right}}}"
    header = gap.join(
        cell.format(worker_heading, heading) for _n in range(min(per_line, len(pairs)))
    )
    rows = [
        gap.join(cell.format(*pair) for pair in pairs[start : start + per_line]).rstrip()
        for start in range(0, len(pairs), per_line)
    ]
    return (header.rstrip(), *rows)


def _plain(number: Decimal) -> str:
    """A rate or count as written: ``0.0075``, ``10000``, never ``7.5E-3``."""
    return format(number.normalize(), "f")


def _count_of(count: int, one: str, many: str) -> str:
    """``3 workers`` in the report's language (``one`` and ``many`` are msgids)."""
    return f"{current().number(count)} {_(one if count == 1 else many)}"


@dataclass(frozen=True)
class _LanguageFields:
    lang: str
    direction: str
    translation_note: str | None = None
    review_status: str = ""


def _language_fields() -> _LanguageFields:
    """The report's language, its cover's translation note and its footer's review status."""
    words = current()
    chosen = words.language
    if words.english and authoritative_language() == "en":
        return _LanguageFields(chosen.code, chosen.direction)
    prevails = authoritative_language()
    if prevails == chosen.code:
        note = _(
            "This report is in %(language)s, the language this office declares authoritative; "
            "it prevails over any translation.",
            language=chosen.native_name,
        )
    else:
        note = _(
            "This report is a translation of the English original. In case of doubt or "
            "dispute, the %(language)s text prevails.",
            language=_(language(prevails).english_name),
        )
    status = _("Translation: %(status)s", status=_(chosen.review_status))
    return _LanguageFields(chosen.code, chosen.direction, note, status)


def json_name(audit_id: str, copy: Copy) -> str:
    """The attached result's name: the JSON file of its copy (``X.json``, ``X.agency.json``)."""
    from auditor.render import safe_name

    suffix = "" if copy is Copy.INSPECTOR else f".{copy.value}"
    return f"{safe_name(audit_id)}{suffix}.json"


def _most_serious(
    sections: list[RuleSection], outcomes: dict[str, RuleOutcome]
) -> list[RuleSection]:
    """The three findings that weigh most: severity first, then points, then paragraph order."""
    ranked = sorted(
        sections,
        key=lambda s: (-s.severity.rank, -outcomes[s.rule_id].points, s.rule_id),
    )
    return ranked[:3]


def _generator() -> str:
    try:
        return f"auditor {package_version('auditor')}"
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "auditor"


_TIMES = "\N{MULTIPLICATION SIGN}"


def _score_product(outcomes: tuple[RuleOutcome, ...], weights: Mapping[Severity, int]) -> str:
    """The score as a product an inspector can recompute: each fired rule's factor, and the
    exact product (from exact points, not from the rounded factors shown)."""
    exact = Fraction(100)
    shown = []
    for o in outcomes:
        count = RuleCount(o.rule_id, o.severity, o.paragraph, o.applicable, o.affected, o.gaps)
        scored = rule_score(count, weights)
        if scored.points:
            exact *= scored.factor
            shown.append(formats.number(round_half_up(scored.factor, 4), 4))
    return f" {_TIMES} ".join(["100", *shown]) + f" = {round_half_up(exact, 4)}"
