"""Property: any valid dataset written to a workbook and read back is equal to itself."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings

import auditor
from auditor.ingest.template import write_workbook
from auditor.testing.strategies import datasets


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dataset=datasets(currencies=("USD", "QAR", "PHP")))
def test_write_then_read_gives_an_equal_dataset(dataset: auditor.AuditDataset) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = write_workbook(dataset, Path(folder) / "round.xlsx")
        again = auditor.read_workbook(path)
    assert again == dataset


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dataset=datasets())
def test_a_generated_dataset_is_valid_as_dicts_too(dataset: auditor.AuditDataset) -> None:
    assert auditor.AuditDataset.from_dict(dataset.model_dump()) == dataset
