"""From engine matches to findings, data gaps and money owed, with their evidence.

The engine says which facts matched which branch of which rule. Here the
matches are grouped per rule and subject (one finding for worker W12 under
FEE-02, however many of her fee rows support it); a subject with a
"definitely true" match has a finding, one with only "undecided" matches a
data gap. Evidence is the cells of the fields the rule names (``evidence:``
in its file) or, by default, of the fields its matched branch tested; a
data gap lists what was unrecorded behind its undecided fields.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from auditor.engine.conditions import evaluate, evaluate_leaf
from auditor.engine.durable_adapter import Match
from auditor.engine.pack import Branch, CompiledPack, indicator_worker
from auditor.engine.rulefile import Rule
from auditor.enrich.context import Context
from auditor.enrich.facts import Fact, Facts
from auditor.enrich.lineage import CellRef, Lineage, Missing
from auditor.enrich.values import bounds
from auditor.enrich.vocabulary import FactType
from auditor.model.cellref import column_letters
from auditor.model.destinations import DestinationProfile, Status
from auditor.model.enums import FeeCategory, Severity, SubjectType
from auditor.model.problems import sheet_rank
from auditor.model.records import Worker
from auditor.model.result import (
    CorridorRow,
    DataGap,
    Evidence,
    Finding,
    Subject,
    UndeterminedRow,
    trusted,
)
from auditor.model.sheets import SHEET_BY_NAME, TABLE_SHEETS, Provenance, field_rank
from auditor.model.wording import neutral
from auditor.verdict.money import round_amount
from auditor.verdict.owed import Ledger

_KEY_OF_SHEET = {spec.name: spec.key for spec in TABLE_SHEETS}
_SUBJECT_FACT = {
    SubjectType.AGENCY: FactType.AGENCY,
    SubjectType.EMPLOYER: FactType.EMPLOYER,
    SubjectType.WORKER: FactType.WORKER,
    SubjectType.CHANNEL: FactType.CHANNEL,
    SubjectType.COMPLAINT: FactType.COMPLAINT,
}


@dataclass
class RuleMatches:
    """One rule's matches, by subject id: definitely true, and undecided."""

    true: dict[str, list[tuple[Fact, Branch]]] = field(default_factory=lambda: defaultdict(list))
    undecided: dict[str, list[tuple[Fact, Branch]]] = field(
        default_factory=lambda: defaultdict(list)
    )


@dataclass
class Outcome:
    """Everything decided, before scoring."""

    findings: dict[str, dict[str, Finding]]  # rule id -> subject id -> finding
    gaps: dict[str, dict[str, DataGap]]
    applicable: dict[str, int]
    owed_by_worker: dict[str, Decimal]
    undetermined: list[UndeterminedRow]
    refunded_by_worker: dict[str, Decimal]
    refund_warnings: list[str]
    corridor: tuple[CorridorRow, ...] = ()


#: Suffix of the key under which :func:`group_matches` keeps a chain's own indicator facts.
OWN_INDICATORS = "@own"


def group_matches(
    compiled: CompiledPack, facts: Facts, matches: Iterable[Match]
) -> tuple[dict[str, RuleMatches], dict[str, set[int]]]:
    """Matches per rule and subject; chain rules' workers by level (held, possible).

    Where a match goes depends on its branch only, so it is worked out once
    per branch (:class:`_Route`), not once per match: the dense 50,000 has
    345,000 matches over a few dozen branches, and looking the branch's rule
    up again for each cost about 0.3 s.
    """
    grouped: dict[str, RuleMatches] = defaultdict(RuleMatches)
    chains: dict[str, set[int]] = defaultdict(set)
    routes: dict[str, _Route] = {}
    by_id = facts.by_id
    for name, matched in matches:
        route = routes.get(name)
        if route is None:
            route = routes[name] = _route(compiled, name, grouped, chains)
        if route.chain is not None:
            route.chain.add(indicator_worker(matched["a"]))
        elif route.target is not None:
            fact = by_id(matched["m"])
            route.target[fact.subjects[route.subject]].append((fact, route.branch))
    return grouped, chains


@dataclass(frozen=True, slots=True)
class _Route:
    """Where the matches of one branch go: a chain's workers, a subject's list, or nowhere."""

    branch: Branch
    subject: SubjectType
    target: dict[str, list[tuple[Fact, Branch]]] | None = None
    chain: set[int] | None = None


def _route(
    compiled: CompiledPack,
    name: str,
    grouped: dict[str, RuleMatches],
    chains: dict[str, set[int]],
) -> _Route:
    """The route of branch ``name``'s matches (made at its first match, as the lists are)."""
    branch = compiled.branches[name]
    if branch.projection:
        # compiled only to assert indicators; a chain's own indicator (FL-01's overtime)
        # keeps its facts that hold, as the chain finding's evidence
        if branch.level == "T" and compiled.pack.rule(branch.rule_id).data.chain is not None:
            own = grouped[f"{branch.rule_id}{OWN_INDICATORS}"].true
            return _Route(branch, SubjectType.WORKER, target=own)
        return _Route(branch, SubjectType.WORKER)
    if branch.level in ("held", "possible"):
        return _Route(branch, SubjectType.WORKER, chain=chains[f"{branch.rule_id}#{branch.level}"])
    matches = grouped[branch.rule_id]
    target = matches.true if branch.level == "T" else matches.undecided
    return _Route(branch, compiled.pack.rule(branch.rule_id).data.subject, target=target)


@dataclass(slots=True)
class _Sheet:
    """One table sheet's lookups for evidence, made at its first cited cell of an audit."""

    rank: int
    records: Sequence[Any]
    id_field: str | None  # the record's id column (the currency on FX), if it has one
    columns: Mapping[str, int]
    rows: tuple[int, ...] | None  # None: the provenance has no such sheet
    _letters: dict[str, str] = field(default_factory=dict)

    def place(self, index: int, column: str) -> tuple[tuple[int, int, int], str | None]:
        """Record ``index``'s ``column``: its sort key (sheet, row, column) and its cell
        (``E9``; None where the sheet has no such column or row), as ``Provenance.row`` and
        ``Provenance.cell`` say."""
        rows = self.rows
        if rows is None:
            return (self.rank, index + 2, 0), None
        number = self.columns.get(column)
        if index >= len(rows):
            return (self.rank, index + 2, number or 0), None
        row = rows[index]
        if number is None:
            return (self.rank, row, 0), None
        letters = self._letters.get(column)
        if letters is None:
            letters = self._letters[column] = column_letters(number)
        return (self.rank, row, number), f"{letters}{row}"


class Assembler:
    """Builds findings and gaps of one audit (needs the dataset's cells for evidence)."""

    def __init__(self, ctx: Context, facts: Facts, compiled: CompiledPack) -> None:
        self.ctx = ctx
        self.facts = facts
        self.compiled = compiled
        self.lineage = Lineage(ctx)
        self.provenance: Provenance = ctx.dataset.provenance
        self._evidence_fields: dict[tuple[str, int], list[str]] = {}
        self._evidence_cache: dict[CellRef, tuple[tuple[int, int, int], Evidence | None]] = {}
        self._subjects: dict[SubjectType, dict[str, Subject]] = {kind: {} for kind in SubjectType}
        self._heads: dict[str, tuple[str, Any]] = {}
        self._sheets: dict[str, _Sheet] = {}
        self._shown: dict[CellRef, tuple[tuple[int, int, int], str]] = {}

    # -- cells ----------------------------------------------------------------
    def evidence(self, refs: Sequence[CellRef]) -> tuple[Evidence, ...]:
        """The cited cells as evidence, in sheet, row and column order, each cell once.

        Each cell's evidence is built once per audit and shared by every
        finding citing it (a worker's wage cell backs several rules), and
        constructed without validation: every value here was made by this
        module from records already validated (issue 15: validating 600,000
        engine-made objects cost seconds on a large audit). A finding citing
        one cell (most of the dense 50,000's 190,000) needs no ordering.
        """
        cache = self._evidence_cache
        if len(refs) == 1:
            ref = refs[0]
            entry = cache.get(ref)
            if entry is None:
                entry = cache[ref] = self._entry(ref)
            return () if entry[1] is None else (entry[1],)
        chosen: dict[CellRef, tuple[tuple[int, int, int], Evidence | None]] = {}
        for ref in refs:
            if ref in chosen:
                continue
            entry = cache.get(ref)
            if entry is None:
                entry = cache[ref] = self._entry(ref)
            chosen[ref] = entry
        ordered = sorted(chosen.values(), key=_first)  # stable: ties keep the citing order
        return tuple(item for _, item in ordered if item is not None)

    def _entry(self, ref: CellRef) -> tuple[tuple[int, int, int], Evidence | None]:
        """A cell's sort key and evidence (None for a column the workbook does not have).

        One look at the sheet's lookups (:class:`_Sheet`) gives the key, the
        cell, the record and its id: the dense 50,000 cites 270,000 cells, each
        by one finding or two, and looking the sheet up anew for each of those
        (``Provenance.cell`` and ``.row``, the record list, its id field) cost
        about 0.5 s of its 4.8 s.
        """
        sheet_name, index, column = ref
        if sheet_name == "Audit":
            key, cell = self._place(ref)
            if cell is None:
                return key, None
            record: Any = self.ctx.dataset.audit
            record_id: str | None = record.audit_id
        else:
            sheet = self._sheet(sheet_name)
            key, cell = sheet.place(index, column)
            if cell is None:
                return key, None  # a column the workbook does not have cannot be evidence
            record = sheet.records[index]
            record_id = str(getattr(record, sheet.id_field)) if sheet.id_field else None
        from_workbook = self.provenance.from_workbook
        return key, trusted(
            Evidence,
            sheet=sheet_name,
            cell=cell if from_workbook else None,
            column=column,
            value=json_value(getattr(record, column)),
            record_id=record_id,
            path=None if from_workbook else self._path(ref),
        )

    def _place(self, ref: CellRef) -> tuple[tuple[int, int, int], str | None]:
        """A cell's sort key (sheet, row, column) and its reference (``E9``; None if absent)."""
        if ref.sheet == "Audit":
            audit_cell = self.provenance.cell("Audit", 0, ref.column)
            digits = "".join(ch for ch in audit_cell or "" if ch.isdigit())
            return (sheet_rank("Audit"), int(digits or 0), 0), audit_cell
        return self._sheet(ref.sheet).place(ref.index, ref.column)

    def _sheet(self, name: str) -> _Sheet:
        made = self._sheets.get(name)
        if made is None:
            source = self.provenance.sheets.get(name)
            spec = SHEET_BY_NAME[name]
            made = self._sheets[name] = _Sheet(
                rank=sheet_rank(name),
                records=getattr(self.ctx.dataset, spec.key),
                id_field=spec.model.ID_FIELD or ("currency" if name == "FX" else None),
                columns=source.columns if source else {},
                rows=source.rows if source else None,
            )
        return made

    def missing(self, items: Iterable[Missing]) -> tuple[str, ...]:
        """What a data gap lacked: cells of a workbook, record paths and ids of a dataset."""
        cells = {item for item in items if isinstance(item, CellRef)}
        notes = sorted({item for item in items if isinstance(item, str)})
        shown = self._shown
        placed = []
        for ref in cells:
            entry = shown.get(ref)
            if entry is None:
                entry = shown[ref] = self._shown_of(ref)
            placed.append(entry)
        # By place, then by text: cells of one place (a dataset's record has no columns, a
        # workbook's missing columns share column 0) would otherwise keep the set's order,
        # which string hashing changes from one process to the next.
        placed.sort()
        return (*(text for _, text in placed), *notes)

    def _shown_of(self, ref: CellRef) -> tuple[tuple[int, int, int], str]:
        """A missing cell's sort key and text, made once per audit: the same unrecorded cell
        is behind the data gaps of several rules (65,150 gaps in the dense 50,000)."""
        key, cell = self._place(ref)
        if not self.provenance.from_workbook:
            record_id = self._record_id(ref)
            return key, f"{self._path(ref)} ({record_id})" if record_id else self._path(ref)
        where = f"{ref.sheet}!{cell}" if cell else f"{ref.sheet}!{ref.column} (column missing)"
        return key, f"{where} ({ref.column})" if cell else where

    def _path(self, ref: CellRef) -> str:
        """The JSON path of a value of dataset input, by its index in the list as given."""
        if ref.sheet == "Audit":
            return f"audit.{ref.column}"
        given = self.provenance.row(ref.sheet, ref.index) - 2  # input record i sits on row i + 2
        return f"{_KEY_OF_SHEET[ref.sheet]}[{given}].{ref.column}"

    def _record_id(self, ref: CellRef) -> str | None:
        """The id of the value's record: its id column, the audit_id, or an FX currency."""
        if ref.sheet == "Audit":
            return self.ctx.dataset.audit.audit_id
        sheet = self._sheet(ref.sheet)
        return str(getattr(sheet.records[ref.index], sheet.id_field)) if sheet.id_field else None

    # -- findings and gaps ---------------------------------------------------------
    def finding(
        self,
        rule: Rule,
        subject: str,
        matched: list[tuple[Fact, Branch]],
        amount_owed: Decimal | None = None,
        *,
        amount_charged: Decimal | None = None,
    ) -> Finding:
        refs: list[CellRef] = []
        cells = self.lineage.cells
        for fact, branch in matched:
            key = (rule.id, id(branch))
            names = self._evidence_fields.get(key)
            if names is None:
                names = self._evidence_fields[key] = evidence_fields(rule, branch)
            for name in names:
                refs += cells(fact, name)
        title, severity = self._head(rule)
        return trusted(
            Finding,
            rule_id=rule.id,
            title=title,
            severity=severity if severity is not None else self.severity(rule, subject),
            paragraph=rule.data.paragraph,
            subject=self.subject(rule.data.subject, subject),
            evidence=self.evidence(refs),
            amount_owed=amount_owed,
            corridor=rule.data.corridor,
            amount_charged=amount_charged,
        )

    def _head(self, rule: Rule) -> tuple[str, Any]:
        """A rule's finding title and, unless it follows the subject (corridor), severity.

        The same for each of a rule's findings (15,579 DEST-01 findings in
        the dense 50,000), so worked out once per rule.
        """
        made = self._heads.get(rule.id)
        if made is None:
            severity = None if rule.data.corridor else self.severity(rule)
            made = self._heads[rule.id] = (neutral(rule.data.title), severity)
        return made

    def subject(self, kind: SubjectType, subject_id: str) -> Subject:
        """One shared, unvalidated Subject per subject (built from validated ids)."""
        of_kind = self._subjects[kind]
        made = of_kind.get(subject_id)
        if made is None:
            made = of_kind[subject_id] = trusted(Subject, type=kind, id=subject_id)
        return made

    def gap(self, rule: Rule, subject: str, matched: list[tuple[Fact, Branch]]) -> DataGap:
        missing: list[Missing] = []
        for fact, branch in matched:
            for leaf, _ in branch.leaves:
                if evaluate_leaf(leaf, fact.get(leaf.field)) == "U":
                    missing.extend(self.lineage.missing(fact, leaf.field))
        return trusted(
            DataGap,
            rule_id=rule.id,
            subject=self.subject(rule.data.subject, subject),
            missing=self.missing(missing),
        )

    def severity(self, rule: Rule, subject: str | None = None) -> Any:
        """The rule's severity; a corridor rule's follows her destination profile's status."""
        if rule.data.corridor and subject is not None:
            return corridor_severity(rule, self.ctx.corridors[subject].profile)
        return self.ctx.profile.severity_overrides.get(rule.id, rule.data.severity)

    def applicable(self, rule: Rule) -> int:
        """Subjects the rule applies to: all of its type, or those its scope holds for."""
        subjects = self.facts.of(_SUBJECT_FACT[rule.data.subject])
        if rule.applies_when is None:
            return len(subjects)
        scope = rule.applies_when
        return sum(1 for fact in subjects if evaluate(scope, fact.get) == "T")


def evidence_fields(rule: Rule, branch: Branch) -> list[str]:
    """The fields whose cells a match cites.

    A rule's ``evidence:`` list, less the fields its condition tests in
    other branches only: CON-04 matched on the wage cites the wages, not the
    hours it might have matched on. Listed fields the condition never tests
    (FEE-04's ``amount``) are always cited. Without a list, every field the
    matched branch tested.
    """
    tested = {leaf.field for leaf, _ in branch.leaves}
    listed = rule.data.evidence
    if not listed:
        return [leaf.field for leaf, _ in branch.leaves]
    in_condition = set(rule.fields)
    return [name for name in listed if name in tested or name not in in_condition]


def json_value(value: Any) -> Any:
    """A record's value as evidence shows it: normalised, JSON-ready."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, tuple):
        return list(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "value") and isinstance(value.value, str):
        return value.value
    return value


def decide(ctx: Context, facts: Facts, compiled: CompiledPack, matches: list[Match]) -> Outcome:
    """Every finding, data gap and amount owed of one audit, from all its matches at once."""
    decision = Decision(ctx, facts, compiled)
    decision.add(matches)
    return decision.outcome()


class Decision:
    """One audit's outcome, decided part by part as the engine's matches arrive.

    Each part of the matches holds whole subjects: the engine's shards hold
    whole workers (:func:`auditor.engine.shards.rule_parts`), and the facts
    that speak for a subject are all in one shard
    (:data:`auditor.enrich.vocabulary.SUBJECTS_OF`: a worker's own, her
    contracts', fees' and complaints'; a complaint's; the agency-wide facts,
    for the agency, employers and channels, in the first).
    So each subject's findings, data gaps and money are decided from the part
    that holds her matches, while the engine may still be running the next
    part in its copy; a subject met in two parts is a defect, and an error.
    The chains (her indicators may come from her employer's findings) and
    the ledger are settled at the end. Given its parts in shard order, the
    outcome is the one all the matches give at once: the same findings, in
    the same order.
    """

    def __init__(self, ctx: Context, facts: Facts, compiled: CompiledPack) -> None:
        self.ctx = ctx
        self.facts = facts
        self.compiled = compiled
        self._assembler = Assembler(ctx, facts, compiled)
        self._ledger = Ledger(ctx)
        self._rules = [rule for rule in compiled.pack.rules if rule.data.chain is None]
        self._findings: dict[str, dict[str, Finding]] = {rule.id: {} for rule in self._rules}
        self._gaps: dict[str, dict[str, DataGap]] = {rule.id: {} for rule in self._rules}
        self._chains: dict[str, set[int]] = defaultdict(set)
        self._own: dict[str, dict[str, list[tuple[Fact, Branch]]]] = defaultdict(dict)

    def add(self, matches: Iterable[Match]) -> None:
        """Decide the subjects of this part; keep the chains' workers for the end."""
        grouped, chains = group_matches(self.compiled, self.facts, matches)
        for key, workers in chains.items():
            self._chains[key] |= workers
        for rule in self._rules:
            part = grouped.get(rule.id)
            if part is not None:
                self._decide(rule, part)
        for key, own in grouped.items():
            if key.endswith(OWN_INDICATORS):
                self._own[key].update(own.true)

    def outcome(self) -> Outcome:
        """Everything decided, once every part has been added."""
        assembler = self._assembler
        findings: dict[str, dict[str, Finding]] = {}
        gaps: dict[str, dict[str, DataGap]] = {}
        applicable: dict[str, int] = {}
        for rule in self.compiled.pack.rules:  # the rules' order, as one pass over them made
            applicable[rule.id] = assembler.applicable(rule)
            if rule.data.chain is None:
                findings[rule.id], gaps[rule.id] = self._findings[rule.id], self._gaps[rule.id]
        for rule in self.compiled.pack.rules:
            if rule.data.chain is not None:
                own = self._own.get(f"{rule.id}{OWN_INDICATORS}", {})
                findings[rule.id], gaps[rule.id] = _chain(
                    rule, self._chains, findings, gaps, assembler, own=own
                )
        settled = self._ledger.settle(assembler.provenance)
        return Outcome(
            findings,
            gaps,
            applicable,
            settled.owed,
            settled.undetermined,
            settled.refunded,
            settled.warnings,
            corridor_rows(self.ctx, self.compiled, findings),
        )

    def _decide(self, rule: Rule, matches_of: RuleMatches) -> None:
        """The findings, gaps and money of the subjects in ``matches_of`` under ``rule``."""
        ctx, assembler, ledger = self.ctx, self._assembler, self._ledger
        rule_findings, rule_gaps = self._findings[rule.id], self._gaps[rule.id]
        if not all(
            decided.keys().isdisjoint(matched)
            for decided in (rule_findings, rule_gaps)
            for matched in (matches_of.true, matches_of.undecided)
        ):  # a defect of the parts (each must hold whole subjects), never of the input
            raise AssertionError(f"{rule.id}: one subject's matches came in two parts")
        for subject, matched in matches_of.true.items():
            if rule.data.corridor:  # owes nothing: the origin's law allowed the charge
                corridor = ctx.corridors[subject]
                ledger.shown_beside.update(corridor.refund_rows(ctx))
                charged = corridor.amount_charged(ctx)
                rule_findings[subject] = assembler.finding(
                    rule,
                    subject,
                    matched,
                    _round(Decimal(0), ctx),
                    amount_charged=_round(charged, ctx) if charged is not None else None,
                )
                continue
            amount = _money(rule, matched, ledger=ledger, subject=subject, ctx=ctx)
            rounded = _round(amount, ctx) if amount is not None else None
            rule_findings[subject] = assembler.finding(rule, subject, matched, rounded)
        rule_gaps.update(
            (subject, assembler.gap(rule, subject, matched))
            for subject, matched in matches_of.undecided.items()
            if subject not in rule_findings
        )
        if rule.data.money_owed == "rows":
            # An undecided row is listed even when her other rows make a finding.
            for subject, matched in matches_of.undecided.items():
                ledger.undetermined(subject, _rows_at_stake(rule, matched, ctx))
        elif rule.data.money_owed != "none":
            for subject, matched in matches_of.undecided.items():
                if subject not in rule_findings:
                    ledger.undetermined(subject, _rows_at_stake(rule, matched, ctx))


def corridor_severity(rule: Rule, profile: DestinationProfile) -> Severity:
    """``severity`` while the destination profile is to_be_confirmed, else the checked one."""
    if profile.status is Status.CHECKED and rule.data.severity_once_checked is not None:
        return rule.data.severity_once_checked
    return rule.data.severity


def corridor_rows(
    ctx: Context, compiled: CompiledPack, findings: Mapping[str, Mapping[str, Finding]]
) -> tuple[CorridorRow, ...]:
    """The result's ``corridor``: per destination with a profile, sorted by destination."""
    corridors = ctx.corridors
    if not corridors:
        return ()
    rules = [rule.id for rule in compiled.pack.rules if rule.data.corridor]
    workers: dict[str, int] = defaultdict(int)
    charged: dict[str, int] = defaultdict(int)
    amounts: dict[str, Decimal] = defaultdict(Decimal)
    for worker_id, corridor in corridors.items():
        destination = corridor.profile.country
        workers[destination] += 1
        found = [findings.get(rule_id, {}).get(worker_id) for rule_id in rules]
        made = [finding for finding in found if finding is not None]
        if made:
            charged[destination] += 1
            amounts[destination] += made[0].amount_charged or Decimal(0)
    currency = ctx.dataset.audit.currency
    return tuple(
        trusted(
            CorridorRow,
            destination=destination,
            workers=workers[destination],
            workers_charged=charged[destination],
            amount_charged=round_amount(amounts[destination], currency),
        )
        for destination in sorted(workers)
    )


def _money(
    rule: Rule,
    matched: list[tuple[Fact, Branch]],
    *,
    ledger: Ledger,
    subject: str,
    ctx: Context,
) -> Decimal | None:
    """The money a finding shows is owed, net of refunds; the ledger keeps it for her total."""
    if rule.data.money_owed == "rows":
        return ledger.owe_rows(subject, (fact.index for fact, _ in matched))
    if rule.data.money_owed == "excess":
        low, high = bounds(matched[0][0].get("recruitment_fee_excess"))
        # a sum of converted decimals minus a decimal cap: exact, and a Decimal
        assert isinstance(low, Decimal), low
        if high != low:
            ledger.undetermined(subject, _rows_at_stake(rule, matched, ctx))
        return ledger.owe_excess(subject, low)
    return None


def _rows_at_stake(rule: Rule, matched: list[tuple[Fact, Branch]], ctx: Context) -> set[int]:
    """Fee rows whose amount owed depends on what is unknown.

    For a rule over rows, the undecided rows. For the excess over a cap:
    every recruitment fee row she may have borne when the cap itself is
    unknown (no reference wage); otherwise only the rows whose payer is
    unknown, since a row she certainly bore under a known cap is decided.
    """
    if rule.data.money_owed == "rows":
        return {fact.index for fact, _ in matched}
    worker_id = ctx.dataset.workers[matched[0][0].index].worker_id
    fees = ctx.dataset.fees
    cap_unknown = matched[0][0].get("recruitment_fee_allowed") is None
    return {
        i
        for i in ctx.fees_of.get(worker_id, [])
        if fees[i].category is FeeCategory.RECRUITMENT_FEE
        and (ctx.worker_paid(fees[i]) is None or (cap_unknown and ctx.worker_paid(fees[i])))
    }


def _chain(
    rule: Rule,
    chains: Mapping[str, set[int]],
    findings: Mapping[str, dict[str, Finding]],
    gaps: Mapping[str, dict[str, DataGap]],
    assembler: Assembler,
    *,
    own: Mapping[str, list[tuple[Fact, Branch]]],
) -> tuple[dict[str, Finding], dict[str, DataGap]]:
    """The chain rule's findings (held indicators) and gaps (possible ones reach the count)."""
    assert rule.data.chain is not None
    sources = [source for ids in rule.data.chain.indicators.values() for source in ids]
    # whose outcome a source records (her employer's or hers), looked up once per source
    by_employer = {
        source
        for source in sources
        if assembler.compiled.pack.rule(source).data.subject is SubjectType.EMPLOYER
    }
    # Her sources' evidence items are shared by many workers' chain findings (an employer's
    # cells); each item's sort key is worked out once, by the item (they outlive this call).
    orders: dict[int, tuple[int, int, str]] = {}

    def order(item: Evidence) -> tuple[int, int, str]:
        made = orders.get(id(item))
        if made is None:
            made = orders[id(item)] = _evidence_order(item)
        return made

    workers = assembler.ctx.dataset.workers
    held = chains.get(f"{rule.id}#held", set())
    possible = chains.get(f"{rule.id}#possible", set()) - held
    chain_findings: dict[str, Finding] = {}
    chain_gaps: dict[str, DataGap] = {}
    for index in sorted(held):
        worker = workers[index]
        evidence = [
            item
            for source in sources
            for key in _source_subjects(by_employer, source, worker)
            if key in findings.get(source, {})
            for item in findings[source][key].evidence
        ]
        refs = [
            ref
            for fact, branch in own.get(worker.worker_id, [])
            for leaf, _ in branch.leaves
            for ref in assembler.lineage.cells(fact, leaf.field)
        ]
        evidence += assembler.evidence(refs)
        chain_findings[worker.worker_id] = trusted(
            Finding,
            rule_id=rule.id,
            title=neutral(rule.data.title),
            severity=assembler.severity(rule),
            paragraph=rule.data.paragraph,
            subject=assembler.subject(SubjectType.WORKER, worker.worker_id),
            evidence=tuple(sorted({e.where: e for e in evidence}.values(), key=order)),
            amount_owed=None,
            corridor=False,
            amount_charged=None,
        )
    for index in sorted(possible):
        worker = workers[index]
        missing = [
            item
            for source in sources
            for key in _source_subjects(by_employer, source, worker)
            if key in gaps.get(source, {})
            for item in gaps[source][key].missing
        ]
        chain_gaps[worker.worker_id] = trusted(
            DataGap,
            rule_id=rule.id,
            subject=assembler.subject(SubjectType.WORKER, worker.worker_id),
            missing=tuple(dict.fromkeys(missing)),
        )
    return chain_findings, chain_gaps


def _source_subjects(by_employer: set[str], source_id: str, worker: Worker) -> list[str]:
    """The subject ids under which ``source_id``'s outcome for this worker is recorded."""
    return [worker.employer_id if source_id in by_employer else worker.worker_id]


def _evidence_order(item: Evidence) -> tuple[int, int, str]:
    if item.cell is None:  # dataset input: list index, then the field's place in its record
        path = item.path or ""
        index = int(path.split("[", 1)[1].split("]", 1)[0]) if "[" in path else 0
        return sheet_rank(item.sheet), index, f"{field_rank(item.sheet, item.column):04d}"
    digits = "".join(ch for ch in item.cell if ch.isdigit())
    letters = "".join(ch for ch in item.cell if ch.isalpha())
    return sheet_rank(item.sheet), int(digits or 0), f"{len(letters):02d}{letters}"


def _placed_key(
    item: tuple[tuple[tuple[int, int, int], str | None], CellRef],
) -> tuple[int, int, int]:
    return item[0][0]


def _first(entry: tuple[tuple[int, int, int], object]) -> tuple[int, int, int]:
    return entry[0]


def _round(amount: Decimal, ctx: Context) -> Decimal:
    return round_amount(amount, ctx.dataset.audit.currency)
