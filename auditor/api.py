"""The library's reading entry points, as :mod:`auditor` re-exports them.

They live in :mod:`auditor.ingest.load`, below the pipeline that uses them;
this module keeps the public path ``auditor.api`` that integrators import.
"""

from auditor.ingest.load import Source, load, profiles_for, read_workbook, validate

__all__ = ["Source", "load", "profiles_for", "read_workbook", "validate"]
