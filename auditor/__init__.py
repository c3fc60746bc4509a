"""auditor: audits recruitment agencies' records against UNGA 74/127 and ILO norms.

The public surface is what ``__all__`` lists; everything else is private.
"""

from auditor import _moved
from auditor.api import load, read_workbook, validate
from auditor.base.limits import Limits
from auditor.engine.pack import rule_pack_version
from auditor.errors import (
    AuditorError,
    EngineCrash,
    EngineError,
    EngineTimeout,
    InvalidInput,
    LimitExceeded,
    ResourceMissing,
    RulePackError,
    UsageError,
)
from auditor.model.dataset import AuditDataset
from auditor.model.enums import Rating, Severity, SubjectType
from auditor.model.problems import Problem, ValidationReport
from auditor.model.records import (
    AuditInfo,
    Channel,
    Complaint,
    Contract,
    Employer,
    Fee,
    FxRate,
    Intermediary,
    Worker,
)
from auditor.model.result import AuditResult
from auditor.pipeline import audit, inspect_records
from auditor.render import Copy, render_json, render_pdf, render_xlsx
from auditor.runner.isolation import inspect_isolated
from auditor.verdict.compare import Comparison, NotComparable, compare
from auditor.verdict.inspection import Inspection
from auditor.version import __version__ as __version__

_moved.install()

__all__ = [
    "AuditDataset",
    "AuditInfo",
    "AuditResult",
    "AuditorError",
    "Channel",
    "Comparison",
    "Complaint",
    "Contract",
    "Copy",
    "Employer",
    "EngineCrash",
    "EngineError",
    "EngineTimeout",
    "Fee",
    "FxRate",
    "Inspection",
    "Intermediary",
    "InvalidInput",
    "LimitExceeded",
    "Limits",
    "NotComparable",
    "Problem",
    "Rating",
    "ResourceMissing",
    "RulePackError",
    "Severity",
    "SubjectType",
    "UsageError",
    "ValidationReport",
    "Worker",
    "audit",
    "compare",
    "inspect_isolated",
    "inspect_records",
    "load",
    "read_workbook",
    "render_json",
    "render_pdf",
    "render_xlsx",
    "rule_pack_version",
    "validate",
]
