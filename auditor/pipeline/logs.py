"""Structured logs of what was audited, and never of whom.

Every record goes to the ``auditor`` logger (a library adds no handler but
a ``NullHandler``; the application decides where logs go). Each record's
message is ``event key=value ...`` for people and grep, and the same
fields are on the record as ``record.event`` and ``record.fields`` (a dict
of str, int, float, bool or None), ready for a JSON formatter.

What a record may hold, by design rather than by care at each call:
``log_event`` takes scalar fields only, and the audit records below are
built from counts, digests, ids of rule packs and profiles, and timings.

- Logged: the input's SHA-256 (which links a log line to the report that
  holds the names, for those entitled to read it), the rule-pack version,
  the jurisdiction profile, the time of each stage, counts of records,
  findings, data gaps, warnings and problems, the score and rating.
- Never logged: worker attributes of any kind, including worker ids (a
  clerk may type a name in an id column); the inspector's name; the
  agency's name and licence number; the audit id, which is free text; the
  text of problems, which quotes cell values (``got "Maria Santos"``).

The agency's name is not personal data when the agency is a company, but
many small agencies are named after their owner, logs travel further and
live longer than reports, and nothing operational needs it: the digest
identifies the input. So it stays out.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the pipeline imports this module; these are for annotations only
    from auditor.model.dataset import AuditDataset
    from auditor.model.problems import ValidationReport
    from auditor.model.result import AuditResult

LOGGER = logging.getLogger("auditor")
LOGGER.addHandler(logging.NullHandler())

Field = str | int | float | bool | None


def log_event(event: str, fields: Mapping[str, Field], *, level: int = logging.INFO) -> None:
    """Log ``event`` with scalar ``fields``, as ``event key=value ...`` and as record attributes."""
    if not LOGGER.isEnabledFor(level):
        return
    text = " ".join([event, *(f"{key}={_shown(value)}" for key, value in fields.items())])
    LOGGER.log(level, text, extra={"event": event, "fields": dict(fields)})


def _shown(value: Field) -> str:
    if isinstance(value, str) and (not value or any(ch.isspace() or ch in '="' for ch in value)):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return str(value)


class StageClock:
    """Wall time of each stage of one audit, in milliseconds, for the audit's log record."""

    def __init__(self) -> None:
        self._start = self._last = time.perf_counter()
        self.stages: dict[str, float] = {}

    def lap(self, stage: str) -> None:
        """Close ``stage``: the time since the previous lap (or the start) is its time, added
        to its time so far (the engine and the outcome take turns on a large audit)."""
        now = time.perf_counter()
        self.stages[stage] = self.stages.get(stage, 0.0) + (now - self._last)
        self._last = now

    def fields(self) -> dict[str, Field]:
        out: dict[str, Field] = {
            f"{stage}_ms": round(seconds * 1000, 1) for stage, seconds in self.stages.items()
        }
        out["total_ms"] = round((time.perf_counter() - self._start) * 1000, 1)
        return out


def log_audited(clock: StageClock, result: AuditResult, dataset: AuditDataset) -> None:
    """One record for a finished audit: what was audited, under which rules, how long."""
    if not LOGGER.isEnabledFor(logging.INFO):
        return
    fields: dict[str, Field] = {
        "input_sha256": result.input_sha256,
        "ruleset": result.ruleset_version,
        "jurisdiction": result.jurisdiction,
        **_counts(dataset),
        "findings": len(result.findings),
        "gaps": len(result.data_gaps),
        "warnings": len(result.warnings),
        "score": float(result.score),
        "rating": str(result.rating),
        "provisional": result.provisional,
    }
    log_event("audit.done", fields | clock.fields())


def log_refused(clock: StageClock, report: ValidationReport, *, source: object) -> None:
    """One record for an input refused as invalid: how many problems, never their text."""
    fields: dict[str, Field] = {
        "input": _kind(source),
        "errors": len(report.errors),
        "warnings": len(report.warnings),
    }
    log_event("audit.refused", fields | clock.fields(), level=logging.INFO)


def _counts(dataset: AuditDataset) -> Mapping[str, Field]:
    return {
        "workers": len(dataset.workers),
        "employers": len(dataset.employers),
        "contracts": len(dataset.contracts),
        "fees": len(dataset.fees),
        "complaints": len(dataset.complaints),
        "channels": len(dataset.channels),
    }


def _kind(source: object) -> str:
    from pathlib import Path

    return "workbook" if isinstance(source, str | Path) else "dataset"
