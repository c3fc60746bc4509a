"""Which cells of a dataset a rule's verdict on one subject rests on.

The printer shows these cells (the few rows that matter, not the whole
dataset), and the unknowns property blanks them: a rule's inputs are
exactly where "an unknown value gives a data gap, never a finding" can go
wrong. The cells come from :class:`~auditor.enrich.lineage.Lineage`, the
same account of derived values that findings cite as evidence, so the kit
and the reports agree on what a rule read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

from auditor.engine.conditions import Leaf, leaves
from auditor.engine.pack import RulePack
from auditor.engine.rulefile import Rule
from auditor.enrich.lineage import CellRef, Lineage
from auditor.enrich.vocabulary import RELATIONS, FactType
from auditor.model.columns import Kind, kind_of
from auditor.model.dataset import AuditDataset
from auditor.model.enums import SubjectType
from auditor.model.problems import sheet_rank
from auditor.model.sheets import SHEETS
from auditor.testing.runner import Records

#: Optional columns whose emptiness the format gives a meaning other than "not recorded"
#: (no licence, still open, the 30-day default, older than any dated contract, the default
#: profile), or that another value requires: blanking them is not making a value unknown.
EMPTY_HAS_MEANING: frozenset[tuple[str, str]] = frozenset(
    {
        ("Audit", "agency_licence_number"),
        ("Audit", "jurisdiction"),
        ("Contracts", "signed_on"),
        ("Channels", "response_days"),
        ("Complaints", "resolved_on"),
        ("Complaints", "channel_id"),
        ("Fees", "intermediary_id"),
        ("Workers", "wage_currency"),
    }
)


@cache
def blankable() -> Mapping[str, frozenset[str]]:
    """Per sheet, the columns where empty means "not recorded": optional values, not free text.

    Read from the pydantic models, so a column added to the format is covered.
    """
    found: dict[str, frozenset[str]] = {}
    for spec in SHEETS:
        found[spec.name] = frozenset(
            name
            for name, info in spec.model.model_fields.items()
            if not info.is_required()
            and kind_of(info) not in (Kind.TEXT, Kind.ID)
            and (spec.name, name) not in EMPTY_HAS_MEANING
        )
    return found


def rule_inputs(pack: RulePack, rule: Rule) -> list[tuple[FactType, SubjectType, str, str]]:
    """What a rule reads, and the fields it cites: (fact type, subject type, prefix, field).

    A chain rule (FL-01) reads what its indicator rules read, for the same
    worker; an indicator over her employer is read through her worker fact.
    """
    if rule.data.chain is None:
        read = [leaf.field for leaf in _leaves(rule, False)] + list(rule.data.evidence or [])
        found = [(rule.over, rule.data.subject, "", name) for name in dict.fromkeys(read)]
        own = FactType(rule.data.subject.value)
        found += [(own, rule.data.subject, "", leaf.field) for leaf in _leaves(rule, True)]
        return found
    inputs: list[tuple[FactType, SubjectType, str, str]] = []
    for sources in rule.data.chain.indicators.values():
        for source_id in sources:
            source = pack.rule(source_id)
            for fact_type, _, prefix, name in rule_inputs(pack, source):
                if fact_type in RELATIONS[FactType.WORKER]:
                    inputs.append((FactType.WORKER, SubjectType.WORKER, f"{fact_type}.", name))
                else:
                    inputs.append((fact_type, SubjectType.WORKER, prefix, name))
    for over, node in rule.chain_conditions.values():  # the chain's own indicators
        inputs += [(over, SubjectType.WORKER, "", leaf.field) for leaf in leaves(node)]
    return inputs


def _leaves(rule: Rule, scope: bool) -> list[Leaf]:
    tree = rule.applies_when if scope else rule.condition
    return leaves(tree) if tree is not None else []


def relevant_cells(records: Records, rule: Rule, subject: str) -> list[CellRef]:
    """The cells a rule's verdict on ``subject`` rests on, known or empty, in sheet order."""
    lineage = Lineage(records.context)
    found: set[CellRef] = set()
    for fact_type, subject_type, prefix, name in rule_inputs(records.pack, rule):
        for fact in records.subject_facts(fact_type, subject_type, subject):
            found.update(lineage.cells(fact, prefix + name))
            found.update(m for m in lineage.missing(fact, prefix + name) if isinstance(m, CellRef))
    found.update(subject_row(records, rule.data.subject, subject))
    return sorted_cells(records, found)


def subject_row(records: Records, subject_type: SubjectType, subject: str) -> list[CellRef]:
    """The id cell of the subject's own record (the Audit's id for the agency)."""
    if subject_type is SubjectType.AGENCY:
        return [CellRef("Audit", 0, "audit_id")]
    fact_type = FactType(subject_type.value)
    sheet = next(spec for spec in SHEETS if spec.key == f"{fact_type.value}s")
    id_field = sheet.model.ID_FIELD or ""
    return [
        CellRef(sheet.name, fact.index, id_field)
        for fact in records.subject_facts(fact_type, subject_type, subject)
    ]


def sorted_cells(records: Records, cells: Iterable[CellRef]) -> list[CellRef]:
    """Cells in the workbook's order: sheet, row, then column."""
    provenance = records.dataset.provenance

    def key(ref: CellRef) -> tuple[int, int, int]:
        source = provenance.sheets.get(ref.sheet)
        column = source.columns.get(ref.column, 0) if source else 0
        return sheet_rank(ref.sheet), provenance.row(ref.sheet, ref.index), column

    return sorted(set(cells), key=key)


def profile_cells(records: Records, subject_type: SubjectType, subject: str) -> list[CellRef]:
    """The cells that say which profile applies to a subject, and where it puts her.

    The profile in force is the Audit's ``jurisdiction``; where a profile
    distinguishes sectors or destinations, a worker's are her employer's.
    A counterexample of "never fires on compliant data" shows these, since
    what the profile lets her pay is often why the data is compliant.
    """
    dataset = records.dataset
    found = [CellRef("Audit", 0, "jurisdiction")]
    worker_id = subject if subject_type is SubjectType.WORKER else None
    employer_id = subject if subject_type is SubjectType.EMPLOYER else None
    if subject_type is SubjectType.COMPLAINT:
        worker_id = next(
            (c.worker_id for c in dataset.complaints if c.complaint_id == subject), None
        )
    for index, worker in enumerate(dataset.workers):
        if worker.worker_id == worker_id:
            employer_id = worker.employer_id
            found.append(CellRef("Workers", index, "employer_id"))
    for index, employer in enumerate(dataset.employers):
        if employer.employer_id == employer_id:
            found += [CellRef("Employers", index, c) for c in ("destination_country", "sector")]
    return found


def cells_that_matter(
    dataset: AuditDataset, rule_id: str, subject: str, *, rules_dir: str | Path | None = None
) -> list[CellRef]:
    """The cells ``rule_id``'s verdict on ``subject`` rests on, for :func:`show_dataset`.

    For a test of one's own: ``show_dataset(dataset, cells_that_matter(dataset, "FEE-02",
    "W1"))`` prints the few rows that explain a failing assertion, not the whole dataset.
    ``subject`` is the worker's (employer's, channel's, complaint's) id, or ``agency``.
    """
    from auditor.pipeline import rule_pack

    pack = rule_pack(rules_dir)
    return relevant_cells(Records.of(dataset, pack), pack.rule(rule_id), subject)
