"""Ingest: inspection workbooks and dict/JSON input to validated :class:`AuditDataset` s."""

from auditor.ingest.data import check_data, dataset_from_dict, dataset_from_json
from auditor.ingest.xlsx import check_workbook, read_workbook

__all__ = [
    "check_data",
    "check_workbook",
    "dataset_from_dict",
    "dataset_from_json",
    "read_workbook",
]
