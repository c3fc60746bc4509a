"""Reading an inspection: a workbook path or an in-memory dataset to validated records.

Each function takes a workbook path or an in-memory dataset, runs the
pipeline stages in order, and returns typed values or raises an
:class:`~auditor.errors.AuditorError`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from auditor.base.limits import DEFAULT_LIMITS, Limits
from auditor.base.resources import default_rules_dir
from auditor.ingest.data import (
    check_data,
    check_json_file,
    dataset_from_dict,
    dataset_from_json,
)
from auditor.ingest.xlsx import check_workbook
from auditor.model.dataset import AuditDataset, register_readers
from auditor.model.problems import ValidationReport
from auditor.model.profiles import ProfileSet, load_profiles

Source = str | Path | AuditDataset | Mapping[str, Any]
#: A path with this suffix (any case) is a dataset in its dict form, not a workbook.
JSON_SUFFIX = ".json"

# The model cannot import ingestion (ingestion builds on it); this module, which
# every import of auditor runs, gives AuditDataset.from_dict/from_json their readers.
register_readers(from_dict=dataset_from_dict, from_json=dataset_from_json)


def profiles_for(rules_dir: str | Path | None) -> ProfileSet:
    """The jurisdiction profiles of a rule directory (the shipped one by default)."""
    return load_profiles(Path(rules_dir).resolve() if rules_dir else default_rules_dir())


def validate(
    source: Source,
    *,
    jurisdiction: str | None = None,
    rules_dir: str | Path | None = None,
    limits: Limits = DEFAULT_LIMITS,
    today: dt.date | None = None,
) -> ValidationReport:
    """Check a workbook (path) or a dataset (object or dicts) without auditing it.

    ``today`` is the day of the check (an inspection date after it is an error); by
    default today in UTC, or the day :func:`auditor.model.plausible.checked_on` set.
    """
    return load(source, jurisdiction=jurisdiction, rules_dir=rules_dir, limits=limits, today=today)[
        1
    ]


def load(
    source: Source,
    *,
    jurisdiction: str | None = None,
    rules_dir: str | Path | None = None,
    limits: Limits = DEFAULT_LIMITS,
    today: dt.date | None = None,
) -> tuple[AuditDataset | None, ValidationReport]:
    """Read and validate any source; the dataset is ``None`` unless the input is valid."""
    if today is not None:
        from auditor.model.plausible import checked_on

        with checked_on(today):
            return load(source, jurisdiction=jurisdiction, rules_dir=rules_dir, limits=limits)
    profiles = profiles_for(rules_dir)
    if isinstance(source, str | Path):
        if Path(source).suffix.lower() == JSON_SUFFIX:  # a dataset saved in its dict form
            return check_json_file(source, profiles, jurisdiction=jurisdiction, limits=limits)
        return check_workbook(source, profiles, jurisdiction=jurisdiction, limits=limits)
    dataset, report = check_data(source, profiles, jurisdiction=jurisdiction, limits=limits)
    if dataset is not None and isinstance(source, AuditDataset):
        dataset.with_provenance(source.provenance, source._digest)
    return dataset, report


def read_workbook(
    path: str | Path,
    *,
    jurisdiction: str | None = None,
    rules_dir: str | Path | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> AuditDataset:
    """Read a valid inspection workbook into typed records.

    Raises :class:`~auditor.errors.InvalidInput` with every problem, each
    located by its cell, when the workbook breaks the format.
    """
    from auditor.errors import InvalidInput

    dataset, report = load(path, jurisdiction=jurisdiction, rules_dir=rules_dir, limits=limits)
    if dataset is None:
        raise InvalidInput(report.errors, report.warnings)
    return dataset
