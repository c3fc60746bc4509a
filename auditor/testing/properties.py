"""The stock properties every rule must have, and the checks a rule file declares.

Each property is a claim about what a rule does on whole inspections,
checked by hypothesis on generated datasets (the examples are run as they
are). A failure comes back shrunk, as the rows that matter: a rule author
reads it in the workbook's terms. The claims, for rule R:

- **examples**: R fires on each of its examples that fire, never on those
  that pass, and is a data gap where they say so;
- **compliant**: R never fires on a compliant dataset (one that keeps
  every norm of the catalogue), even with some values unrecorded;
- **violating**: R fires for the subject of each of its examples that
  fire, among other records drawn at random, in any row order;
- **unknowns**: blanking a value R reads never creates a finding and
  never turns a finding or a data gap into a pass while the subject stays
  in R's scope: an unknown input gives a data gap, never a finding. Each
  recorded value an example's verdict rests on is blanked in turn (a
  passing example is where "unknown counts as a violation" shows), then
  values are blanked at random in generated datasets;
- **order**: shuffling rows changes none of R's findings, gaps or evidence;
- **score**: adding R's violation (as the catalogue allows adding one)
  never raises the score;
- **same-result**: the same dataset always gives R the same findings;
- and any ``properties:`` the rule file declares (``monotone``: raising,
  or lowering, a column never removes a finding of R).

The pack-wide properties (compliant, order, same-result, and unknowns on
random datasets) run once for all the rules being checked, and a rule that
fails one gets its own shrunk counterexample.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st
from hypothesis.errors import Flaky

from auditor.engine.rulefile import Example, Property, Rule
from auditor.enrich.lineage import CellRef
from auditor.model.dataset import AuditDataset
from auditor.model.sheets import SHEET_BY_NAME, TABLE_SHEETS
from auditor.testing.cells import (
    blankable,
    profile_cells,
    relevant_cells,
    sorted_cells,
    subject_row,
)
from auditor.testing.compliant import compliant_datasets
from auditor.testing.examples import Verdict
from auditor.testing.moves import Move, apply_move, editable, moves_of, shifted
from auditor.testing.printer import cell_text, describe_cell, show_dataset
from auditor.testing.runner import Run, Runner
from auditor.testing.strategies import datasets
from auditor.testing.violating import Violation, violating

Status = Literal["passed", "failed", "not applicable"]

#: The stock properties, in the order they run and are reported.
STOCK_PROPERTIES: dict[str, str] = {
    "examples": "fires on each example that fires, never on one that passes",
    "compliant": "never fires on a compliant dataset",
    "violating": "fires for the subject of its examples among other records",
    "unknowns": "an unknown input gives a data gap, never a finding",
    "order": "row order does not matter",
    "score": "adding its violation never raises the score",
    "same-result": "the same dataset always gives the same findings",
}
DEFAULT_EXAMPLES = 10
#: Cases spent shrinking a counterexample before the search is cut short.
SHRINK_AUDITS = 40
#: The compliant search gets this many times the cases of the others: one audit of a case
#: answers for every rule being checked, and a rule that forgets what a profile allows
#: fires only on the few compliant datasets where a worker lawfully paid that cost.
COMPLIANT_FACTOR = 5
#: How far a monotone property moves a value, as a fraction of it (days per 1/365 for dates).
_STEPS = st.sampled_from([Decimal("0.5"), Decimal(1), Decimal(10)]) | st.decimals(
    Decimal("0.01"), Decimal(2), places=2
)


@dataclass(frozen=True)
class PropertyResult:
    """How one property of one rule fared: ``detail`` is the counterexample, or why n/a."""

    name: str
    status: Status
    detail: str = ""
    cases: int = 0


@dataclass(frozen=True)
class RuleReport:
    rule_id: str
    results: tuple[PropertyResult, ...]

    @property
    def ok(self) -> bool:
        return all(result.status != "failed" for result in self.results)

    @property
    def failures(self) -> list[PropertyResult]:
        return [result for result in self.results if result.status == "failed"]


class Counterexample(AssertionError):
    """A property failed for some rules; ``text`` shows why, in the workbook's terms."""

    def __init__(self, name: str, rule_ids: Sequence[str], text: str) -> None:
        super().__init__(f"{name} failed for {', '.join(rule_ids)}")
        self.found_at = 0  # how many cases had been tried when the first failure showed
        self.name = name
        self.rule_ids = tuple(rule_ids)
        self.text = text


def declared_name(item: Property) -> str:
    return f"{item.kind}: {item.description or f'{item.sheet}.{item.column} {item.direction}'}"


# -- running hypothesis --------------------------------------------------------------------------


@dataclass(frozen=True)
class Budget:
    """How hard to look: ``examples`` generated cases per property; ``seed`` to vary them;
    ``first_failure``: leave a rule alone once one of its properties has failed."""

    examples: int = DEFAULT_EXAMPLES
    seed: int | None = None
    first_failure: bool = False


def search(
    strategy: st.SearchStrategy[Any], check: Callable[[Any], None], budget: Budget
) -> tuple[Counterexample | None, int]:
    """Run ``check`` on cases of ``strategy``; the shrunk counterexample, and cases tried.

    Runs are reproducible: derandomised unless a seed is given, no example
    database, no deadline (an audit's time is not the rule's fault).
    """
    cases = 0
    best: list[Counterexample] = []

    def guarded(case: Any) -> None:
        """``check``, with shrinking cut short once the counterexample has had its share.

        Shrinking re-runs the whole audit for every candidate; after
        ``SHRINK_AUDITS`` of them the counterexample is small enough to
        read, and the latest one found (the smallest yet) is the answer.
        """
        if best and cases > best[0].found_at + SHRINK_AUDITS:
            raise _Enough
        try:
            check(case)
        except Counterexample as found:
            found.found_at = best[0].found_at if best else cases
            best[:] = [found]
            raise

    @settings(
        max_examples=budget.examples,
        database=None,
        deadline=None,
        derandomize=budget.seed is None,
        suppress_health_check=list(HealthCheck),
        verbosity=Verbosity.quiet,
        phases=(Phase.explicit, Phase.generate, Phase.shrink),
        report_multiple_bugs=False,
    )
    @given(strategy)
    def property_holds(case: Any) -> None:
        nonlocal cases
        cases += 1
        guarded(case)

    run = property_holds if budget.seed is None else hypothesis_seed(budget.seed)(property_holds)
    try:
        run()
    except Counterexample as found:
        return found, cases
    except _Enough:
        return best[0], cases
    except Flaky as flaky:  # it failed once and not again: not reproducible, still a failure
        inner = [e for e in getattr(flaky, "exceptions", ()) if isinstance(e, Counterexample)]
        if inner:
            first = inner[0]
            return Counterexample(
                first.name, first.rule_ids, first.text + "\n(not reproducible)"
            ), cases
        raise
    return None, cases


class _Enough(BaseException):
    """Stops hypothesis's shrinking (it lets a BaseException through, as for Ctrl-C)."""


# -- the checker -----------------------------------------------------------------------------------


class Checker:
    """Checks rules of one pack; results accumulate per rule and property."""

    def __init__(self, runner: Runner, budget: Budget) -> None:
        self.runner = runner
        self.pack = runner.pack
        self.budget = budget
        self.results: dict[str, dict[str, PropertyResult]] = {}
        #: Cases in which each rule's score property really compared two scores.
        self.score_compared: dict[str, int] = {}
        #: Each rule's examples with their audits, kept for the unknowns property.
        self.example_runs: dict[str, list[tuple[Example, Run]]] = {}

    def record(self, rule_id: str, result: PropertyResult) -> None:
        self.results.setdefault(rule_id, {})[result.name] = result

    def settled(self, rule: Rule) -> bool:
        """Whether there is nothing more to learn about ``rule`` under the budget."""
        return self.budget.first_failure and any(
            r.status == "failed" for r in self.results.get(rule.id, {}).values()
        )

    def reports(self, rule_ids: Sequence[str]) -> list[RuleReport]:
        order = {name: i for i, name in enumerate(STOCK_PROPERTIES)}
        return [
            RuleReport(
                rule_id,
                tuple(
                    sorted(
                        self.results.get(rule_id, {}).values(),
                        key=lambda r: (order.get(r.name, len(order)), r.name),
                    )
                ),
            )
            for rule_id in rule_ids
        ]

    # -- examples ------------------------------------------------------------------------------
    def examples(self, rule: Rule) -> None:
        from auditor.errors import InvalidInput
        from auditor.testing.baseline import ExampleError
        from auditor.testing.examples import example_dataset

        problems = []
        runs = self.example_runs[rule.id] = []
        for example in rule.data.examples:
            try:
                run = self.runner.run(example_dataset(example, self.pack.profiles))
            except (InvalidInput, ExampleError) as error:
                problems.append(f'example "{example.name}" is not a valid inspection: {error}')
                continue
            runs.append((example, run))
            got = run.verdict(rule.id, example.subject)
            if got != example.expect:
                problems.append(
                    _shown(
                        run,
                        rule,
                        example.subject,
                        f'example "{example.name}": expected {_said(example.expect)} for '
                        f"{example.subject}, got {_said(got)}, under the profile "
                        f"{run.result.jurisdiction}"
                        + ("" if example.jurisdiction else " (the example names none)"),
                    )
                )
        count = len(rule.data.examples)
        self.record(
            rule.id,
            PropertyResult(
                "examples", "failed" if problems else "passed", "\n\n".join(problems), count
            ),
        )

    # -- pack-wide properties ------------------------------------------------------------------
    def pack_wide(self, rules: Sequence[Rule]) -> None:
        rules = [rule for rule in rules if not self.settled(rule)]
        if not rules:
            return
        profiles = self.pack.profiles.ids()
        compliant = st.sampled_from(profiles).flatmap(
            lambda profile: st.booleans().flatmap(
                lambda unknowns: compliant_datasets(
                    profile, unknowns=unknowns, rules_dir=self.pack.directory
                )
            )
        )
        self._until_clean(["compliant"], rules, compliant, self._compliant_check, COMPLIANT_FACTOR)
        rules = [rule for rule in rules if not self.settled(rule)]
        random = st.tuples(
            st.sampled_from(profiles).flatmap(
                lambda profile: datasets(
                    profile=profile, workers=(1, 3), currencies=("USD", "PHP"), max_per_worker=2
                )
            ),
            st.data(),
        )
        self._until_clean(["same-result", "order", "unknowns"], rules, random, self._random_check)

    def _until_clean(
        self,
        names: list[str],
        rules: Sequence[Rule],
        strategy: st.SearchStrategy[Any],
        check: Callable[[Any, dict[str, list[Rule]]], None],
        factor: int = 1,
    ) -> None:
        """Search until no rule fails; each failing rule is recorded and left out, then again.

        ``factor`` multiplies the budget's cases, for a search that is cheap per rule.
        """
        open_rules = {name: list(rules) for name in names}
        budget = replace(self.budget, examples=self.budget.examples * factor)
        while any(open_rules.values()):
            found, cases = search(strategy, lambda case: check(case, open_rules), budget)
            if found is None:
                for name, remaining in open_rules.items():
                    for rule in remaining:
                        if name not in self.results.get(rule.id, {}):
                            self.record(rule.id, PropertyResult(name, "passed", cases=cases))
                return
            for rule_id in found.rule_ids:
                self.record(rule_id, PropertyResult(found.name, "failed", found.text, cases))
            for name, remaining in open_rules.items():
                if name == found.name or self.budget.first_failure:
                    open_rules[name] = [r for r in remaining if r.id not in found.rule_ids]

    def _compliant_check(self, dataset: AuditDataset, open_rules: dict[str, list[Rule]]) -> None:
        run = self.runner.run(dataset)
        for rule in open_rules["compliant"]:
            fired = sorted(run.findings(rule.id))
            if fired:
                raise Counterexample(
                    "compliant",
                    [rule.id],
                    _shown(
                        run,
                        rule,
                        fired[0],
                        f"fired for {fired[0]} on a dataset that keeps every norm of the catalogue "
                        f"under its profile, {run.result.jurisdiction}",
                        profile_cells(run.records, rule.data.subject, fired[0]),
                    ),
                )

    def _random_check(
        self, case: tuple[AuditDataset, st.DataObject], open_rules: dict[str, list[Rule]]
    ) -> None:
        dataset, data = case
        run = self.runner.run(dataset)
        again = self.runner.run(dataset)
        for rule in open_rules["same-result"]:
            if _outcome(run, rule.id) != _outcome(again, rule.id):
                raise Counterexample(
                    "same-result",
                    [rule.id],
                    _compare(
                        run, again, rule, "auditing the same dataset twice gave different results"
                    ),
                )
        shuffled = dataset
        for spec in TABLE_SHEETS:
            size = len(getattr(dataset, spec.key))
            if size > 1:
                order = data.draw(st.permutations(range(size)), label=f"order of {spec.name}")
                shuffled = shuffled.reordered(spec.key, list(order))
        moved = self.runner.run(shuffled)
        for rule in open_rules["order"]:
            if _outcome(run, rule.id) != _outcome(moved, rule.id):
                raise Counterexample(
                    "order",
                    [rule.id],
                    _compare(run, moved, rule, "shuffling the rows changed the findings"),
                )
        targets = _blank_targets(dataset, None)
        if targets and open_rules["unknowns"]:
            ref = data.draw(st.sampled_from(targets), label="blanked")
            self._blank_and_compare(run, ref, open_rules["unknowns"])

    # -- one rule's own properties -----------------------------------------------------------------
    def own(self, rule: Rule) -> None:
        """violating, unknowns, score and the declared properties, on :func:`violating` datasets."""
        if self.settled(rule):
            return
        moves = moves_of(rule)
        names = ["violating", "unknowns"] + (["score"] if moves else [])
        declared = {declared_name(item): item for item in rule.data.properties}
        names += list(declared)
        if not moves:
            self.record(
                rule.id,
                PropertyResult(
                    "score",
                    "not applicable",
                    "none of its examples that fire is a violation the catalogue lets one add "
                    "(a listed field set to its violating value, or a worker-paid fee row)",
                ),
            )
        blanked = self._example_unknowns(rule)
        if blanked is not None:
            self.record(rule.id, blanked)
            names.remove("unknowns")
        strategy = st.tuples(violating(rule.id, rules_dir=self.pack.directory), st.data())

        def check(case: tuple[Violation, st.DataObject], remaining: dict[str, list[Rule]]) -> None:
            self._own_check(rule, case, [n for n in names if remaining[n]], moves, declared)

        try:
            self._until_clean(names, [rule], strategy, check)
        except ValueError as error:  # an example that is not a valid inspection
            for name in names:
                self.record(rule.id, PropertyResult(name, "failed", str(error)))
        score = self.results.get(rule.id, {}).get("score")
        if score is not None and score.status == "passed" and not self.score_compared.get(rule.id):
            self.record(rule.id, PropertyResult(
                "score", "not applicable",
                "no generated case could add its violation while keeping every rule's "
                "applicable subjects; nothing was compared"))  # fmt: skip

    def _example_unknowns(self, rule: Rule) -> PropertyResult | None:
        """Blank, one at a time, every recorded value each example's verdict rests on.

        Exhaustive rather than drawn: an example is small, and the values
        it records are the ones its author chose to decide the rule. A rule
        that counts an unrecorded value as a violation fires when a passing
        example's deciding value is blanked; a random draw among all the
        cells of a larger dataset seldom lands there.
        """
        cases = 0
        for example, run in self.example_runs.get(rule.id, []):
            cells = relevant_cells(run.records, rule, example.subject)
            for ref in _blank_targets(run.dataset, cells):
                cases += 1
                try:
                    self._blank_and_compare(run, ref, [rule], f'in its example "{example.name}", ')
                except Counterexample as found:
                    return PropertyResult("unknowns", "failed", found.text, cases)
        return None

    def _own_check(
        self,
        rule: Rule,
        case: tuple[Violation, st.DataObject],
        names: list[str],
        moves: list[Move],
        declared: dict[str, Property],
    ) -> None:
        violation, data = case
        run = self.runner.run(violation.dataset)
        subject = violation.subject
        if "violating" in names and run.verdict(rule.id, subject) != "fires":
            raise Counterexample(
                "violating",
                [rule.id],
                _shown(
                    run,
                    rule,
                    subject,
                    f"got {_said(run.verdict(rule.id, subject))} for {subject}, on its example "
                    f'"{violation.example}" among {violation.others} other workers',
                ),
            )
        if "unknowns" in names:
            cells = relevant_cells(run.records, rule, subject)
            targets = _blank_targets(run.dataset, cells)
            if targets:
                ref = data.draw(st.sampled_from(targets), label="blanked")
                self._blank_and_compare(run, ref, [rule])
        if "score" in names:
            self._score(rule, run, data.draw(st.sampled_from(moves), label="move"), data)
        for name, item in declared.items():
            if name in names:
                self._monotone(rule, run, name, item, subject=subject, data=data)

    # -- the changes ----------------------------------------------------------------------------
    def _rerun(self, data: dict[str, Any]) -> Run | None:
        dataset = self.runner.dataset(data)
        return self.runner.run(dataset) if isinstance(dataset, AuditDataset) else None

    def _blank_and_compare(
        self, run: Run, ref: CellRef, rules: Sequence[Rule], where: str = ""
    ) -> None:
        data = editable(run.dataset)
        row = (
            data["audit"] if ref.sheet == "Audit" else data[SHEET_BY_NAME[ref.sheet].key][ref.index]
        )
        row[ref.column] = None
        after = self._rerun(data)
        if after is None:
            return
        change = (
            f"{where}blanking {describe_cell(run.dataset, ref)} (was {cell_text(_value(run, ref))})"
        )
        for rule in rules:
            problem = unknown_problem(rule, run, after)
            if problem is not None:
                raise Counterexample(
                    "unknowns", [rule.id], _shown(run, rule, problem[0], f"{change}: {problem[1]}")
                )

    def _score(self, rule: Rule, run: Run, move: Move, data: st.DataObject) -> None:
        changed = editable(run.dataset)
        done = apply_move(changed, move, lambda n: data.draw(st.integers(0, n - 1)))
        after = self._rerun(changed) if done else None
        if after is None or not denominators_kept(run, after):
            return
        self.score_compared[rule.id] = self.score_compared.get(rule.id, 0) + 1
        if after.result.score > run.result.score:
            raise Counterexample(
                "score",
                [rule.id],
                (
                    f'adding its violation (example "{move.example}": {done}) '
                    f"raised the score from "
                    f"{run.result.score} to {after.result.score}\n"
                    + _score_changes(run, after)
                    + "\n"
                    + show_dataset(run.dataset)
                ),
            )

    def _monotone(
        self, rule: Rule, run: Run, name: str, item: Property, *, subject: str, data: st.DataObject
    ) -> None:
        """Move the column on one record, and no finding of the rule may go.

        The record is, about half the time, one the verdict on ``subject``
        rests on (her own fee, not another worker's), and the move is
        sometimes large (ten times the value): a rule that stops firing
        past some bound shows only when the value it reads crosses it.
        """
        spec = SHEET_BY_NAME[item.sheet]
        changed = editable(run.dataset)
        rows = changed[spec.key]
        known = [i for i, row in enumerate(rows) if row.get(item.column) is not None]
        own = sorted(
            {
                ref.index
                for ref in relevant_cells(run.records, rule, subject)
                if (ref.sheet, ref.column) == (item.sheet, item.column) and ref.index in known
            }
        )
        if not known:
            return
        pool = own if bool(own) and data.draw(st.booleans(), label="her own record") else known
        index = data.draw(st.sampled_from(pool), label="record")
        step = data.draw(_STEPS, label="step")
        old = rows[index][item.column]
        new = shifted(item.sheet, item.column, old, item.direction == "up", step)
        if new is None:
            return
        rows[index][item.column] = new
        after = self._rerun(changed)
        if after is None:
            return
        lost = sorted(run.findings(rule.id) - after.findings(rule.id))
        if lost:
            cell = describe_cell(run.dataset, CellRef(item.sheet, index, item.column))
            word = "raising" if item.direction == "up" else "lowering"
            raise Counterexample(
                name,
                [rule.id],
                _shown(
                    run,
                    rule,
                    lost[0],
                    f"{word} {cell} from {cell_text(old)} to {cell_text(new)} removed the finding "
                    f"for {lost[0]}",
                ),
            )

    # -- everything ----------------------------------------------------------------------------
    def check(
        self, rules: Sequence[Rule], done: Callable[[RuleReport], None] | None = None
    ) -> list[RuleReport]:
        """Every property of ``rules``; ``done`` hears of each rule as soon as it is decided."""
        for rule in rules:
            self.examples(rule)
        self.pack_wide(rules)
        reports = []
        for rule in rules:
            self.own(rule)
            reports += self.reports([rule.id])
            if done is not None:
                done(reports[-1])
        return reports


# -- judging a change ------------------------------------------------------------------------------


def unknown_problem(rule: Rule, before: Run, after: Run) -> tuple[str, str] | None:
    """Where a value made unknown moved ``rule``'s verdict the wrong way, and how.

    Less known can only make a verdict less decided: a finding stays a
    finding or becomes a data gap, a pass stays a pass or becomes a gap,
    a gap stays a gap; a subject that leaves the rule's scope passes.
    """
    was, now = before.verdicts(rule.id), after.verdicts(rule.id)
    for subject in sorted(set(was) | set(now)):
        old, new = was.get(subject, "passes"), now.get(subject, "passes")
        if new == "fires" and old != "fires":
            return subject, f"{_said(old)} for {subject} became a finding"
        if new == "passes" and old != "passes" and after.in_scope(rule, subject):
            return subject, f"{_said(old)} for {subject} became a pass, not a data gap"
    return None


def denominators_kept(before: Run, after: Run) -> bool:
    """Whether no rule's applicable subjects changed, except ones leaving without a finding.

    The catalogue's promise holds only while prevalence keeps its
    denominators; a subject that had a finding and leaves a rule's scope
    (INFO-02 when she is marked not briefed) can raise the score.
    """
    old = {r.rule_id: r for r in before.result.rules}
    for new in after.result.rules:
        was = old[new.rule_id]
        if new.applicable > was.applicable:
            return False
        if new.applicable < was.applicable and new.affected < was.affected:
            return False
    return True


def _blank_targets(dataset: AuditDataset, cells: Sequence[CellRef] | None) -> list[CellRef]:
    """Cells holding a value whose emptiness would mean "not recorded" (among ``cells``)."""
    columns = blankable()
    if cells is None:
        cells = [
            CellRef(spec.name, index, column)
            for spec in TABLE_SHEETS
            for index in range(len(getattr(dataset, spec.key)))
            for column in sorted(columns[spec.name])
        ] + [CellRef("Audit", 0, column) for column in sorted(columns["Audit"])]
    return [
        ref
        for ref in cells
        if ref.column in columns.get(ref.sheet, ()) and _record_value(dataset, ref) is not None
    ]


def _record_value(dataset: AuditDataset, ref: CellRef) -> object:
    if ref.sheet == "Audit":
        return getattr(dataset.audit, ref.column)
    return getattr(getattr(dataset, SHEET_BY_NAME[ref.sheet].key)[ref.index], ref.column)


def _value(run: Run, ref: CellRef) -> object:
    return _record_value(run.dataset, ref)


def _outcome(run: Run, rule_id: str) -> tuple[dict[str, Verdict], dict[str, tuple[str, ...]]]:
    return run.verdicts(rule_id), run.evidence(rule_id)


def _said(verdict: str) -> str:
    return {"fires": "a finding", "passes": "a pass", "gap": "a data gap"}[verdict]


def _shown(run: Run, rule: Rule, subject: str, headline: str, also: Sequence[CellRef] = ()) -> str:
    """The headline, then the rows the rule's verdict on ``subject`` rests on (and ``also``).

    A subject the dataset does not have (an example about K1 for a worker
    rule) has no such rows: the ids of those it has are shown, and said why.
    """
    kind = rule.data.subject
    if not subject_row(run.records, kind, subject):
        sheet = next(spec for spec in TABLE_SHEETS if spec.key == f"{kind.value}s")
        ids = [
            CellRef(sheet.name, index, sheet.model.ID_FIELD or "")
            for index in range(len(getattr(run.dataset, sheet.key)))
        ]
        return (
            f"{headline}\n(there is no {kind.value} {subject} in this dataset, so a "
            f"{kind.value} rule cannot fire for it)\n{show_dataset(run.dataset, ids)}"
        )
    cells = [*relevant_cells(run.records, rule, subject), *also]
    return f"{headline}\n{show_dataset(run.dataset, sorted_cells(run.records, cells))}"


def _compare(first: Run, second: Run, rule: Rule, headline: str) -> str:
    lines = [headline]
    for label, run in (("first", first), ("then", second)):
        verdicts, evidence = _outcome(run, rule.id)
        shown = ", ".join(
            f"{subject}: {_said(verdict)}"
            + (f" citing {', '.join(evidence[subject])}" if subject in evidence else "")
            for subject, verdict in sorted(verdicts.items())
        )
        lines.append(f"  {label}: {shown or 'no finding or gap'}")
    return "\n".join(lines) + "\n" + show_dataset(first.dataset)


def _score_changes(before: Run, after: Run) -> str:
    old = {r.rule_id: r for r in before.result.rules}
    return "\n".join(
        f"  {r.rule_id}: {old[r.rule_id].affected}/{old[r.rule_id].applicable} -> "
        f"{r.affected}/{r.applicable} subjects, {old[r.rule_id].points} -> {r.points} points"
        for r in after.result.rules
        if (r.affected, r.applicable, r.points)
        != (old[r.rule_id].affected, old[r.rule_id].applicable, old[r.rule_id].points)
    )


# -- the entry points ------------------------------------------------------------------------------


def check_rules(
    rule_ids: Sequence[str] | None = None,
    *,
    rules_dir: str | Path | None = None,
    examples: int = DEFAULT_EXAMPLES,
    seed: int | None = None,
    first_failure: bool = False,
) -> list[RuleReport]:
    """Run the examples, stock and declared properties of rules of a pack (all by default).

    ``examples`` cases are generated per property (more find rarer
    mistakes); ``seed`` draws other cases than the default, reproducible
    run; ``first_failure`` stops checking a rule at its first failure.
    """
    from auditor.pipeline import rule_pack

    pack = rule_pack(rules_dir)
    wanted = list(rule_ids) if rule_ids is not None else pack.ids
    rules = [pack.rule(rule_id) for rule_id in wanted]
    return Checker(Runner(pack), Budget(examples, seed, first_failure)).check(rules)


def check_rule(
    rule_id: str,
    *,
    rules_dir: str | Path | None = None,
    examples: int = DEFAULT_EXAMPLES,
    seed: int | None = None,
    first_failure: bool = False,
) -> RuleReport:
    """Prove one rule says what its file means: its examples and every property, one report.

    ``rules_dir`` is its rule directory (the shipped one by default): the
    rule is checked with the pack it belongs to.
    """
    return check_rules(
        [rule_id], rules_dir=rules_dir, examples=examples, seed=seed, first_failure=first_failure
    )[0]
