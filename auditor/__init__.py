"""auditor: audits recruitment agencies' records against UNGA 74/127 and ILO norms.

The public surface is what ``__all__`` lists; everything else is private.
"""

from auditor.api import load, read_workbook, validate
from auditor.errors import (
    AuditorError,
    EngineCrash,
    EngineError,
    EngineTimeout,
    InvalidInput,
    LimitExceeded,
    RulePackError,
    UsageError,
)
from auditor.isolation import inspect_isolated
from auditor.limits import Limits
from auditor.model.dataset import AuditDataset
from auditor.model.problems import Problem, ValidationReport
from auditor.model.result import AuditResult
from auditor.pipeline import Inspection, audit, inspect_records
from auditor.render import Copy, render_json, render_pdf, render_xlsx

__all__ = [
    "AuditDataset",
    "AuditResult",
    "AuditorError",
    "Copy",
    "EngineCrash",
    "EngineError",
    "EngineTimeout",
    "Inspection",
    "InvalidInput",
    "LimitExceeded",
    "Limits",
    "Problem",
    "RulePackError",
    "UsageError",
    "ValidationReport",
    "audit",
    "inspect_isolated",
    "inspect_records",
    "load",
    "read_workbook",
    "render_json",
    "render_pdf",
    "render_xlsx",
    "validate",
]
