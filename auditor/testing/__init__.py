"""The rule authoring kit: what ``auditor rules test`` uses, for tests of your own.

A licensing system that feeds its records to the engine, or a team that
writes rules, can prove in its own test suite what the engine promises,
with the same tools the engine's authors use:

- :func:`datasets`: hypothesis strategy of whole valid inspections (every
  sheet, ids that resolve, a rate for every currency), with knobs for the
  number of workers and employers, sectors, currencies and profile;
  :func:`records`, :func:`record_values` and :func:`field_values` for one
  sheet's records, one record's values, one column's values.
- :func:`compliant_datasets`: inspections that keep every norm of the rule
  catalogue under a profile, often exactly at a boundary (60 hours under a
  60-hour limit, a fee equal to the cap); no rule may fire on them.
- :func:`violating`: inspections on which a rule must fire for a known
  subject (a :class:`Violation`): its examples among other records drawn at
  random, rows shuffled.
- :func:`show_dataset`: a dataset as the workbook shows it, sheet by
  sheet, the few rows that matter when given :func:`cells_that_matter`;
  for the message of a failing assertion.
- :func:`check_rule` and :func:`check_rules`: a rule's examples, the
  stock properties every rule must have (never fires on compliant data;
  an unknown input gives a data gap, never a finding; row order does not
  matter; adding its violation never raises the score; the same dataset
  gives the same findings; ...) and those its file declares, each failure
  with its shrunk counterexample: a :class:`RuleReport` of
  :class:`PropertyResult` s, as ``auditor rules test`` prints them.

Everything takes ``rules_dir`` for a rule directory of one's own (with its
``profiles/``); the shipped rules by default.
"""

from auditor.testing.cells import cells_that_matter
from auditor.testing.compliant import compliant_datasets
from auditor.testing.printer import show_dataset
from auditor.testing.properties import PropertyResult, RuleReport, check_rule, check_rules
from auditor.testing.strategies import datasets, field_values, record_values, records
from auditor.testing.violating import Violation, violating

__all__ = [
    "PropertyResult",
    "RuleReport",
    "Violation",
    "cells_that_matter",
    "check_rule",
    "check_rules",
    "compliant_datasets",
    "datasets",
    "field_values",
    "record_values",
    "records",
    "show_dataset",
    "violating",
]
