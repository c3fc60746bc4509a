"""Reports of an inspection: the JSON result, the inspector's PDF, the findings workbook.

Each renderer takes an :class:`~auditor.verdict.inspection.Inspection` and whose copy
it is, and returns the file's bytes; nothing is written here, so a caller
(the command line) can render every format before writing any. The same
inspection always gives the same bytes.
"""

from __future__ import annotations

import re
from typing import Protocol

from auditor.model.result import AuditResult
from auditor.render.copies import Copy, confidential_rules, for_agency
from auditor.verdict.inspection import Inspection


class Renderer(Protocol):
    """A renderer: the file's bytes for a copy, in a language (``None``: the one in force)."""

    def __call__(
        self, inspection: Inspection, copy: Copy = ..., lang: str | None = None, /
    ) -> bytes: ...


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def safe_name(audit_id: str) -> str:
    """A file name from an audit id: every character outside ``A-Za-z0-9._-`` becomes ``_``."""
    name = _UNSAFE.sub("_", audit_id)
    return "_" if name.strip(".") == "" else name


def result_for(inspection: Inspection, copy: Copy = Copy.INSPECTOR) -> AuditResult:
    """The result as ``copy`` may see it (the agency's withholds complainants' findings)."""
    if copy is Copy.AGENCY:
        return for_agency(inspection.result, confidential_rules(inspection.pack))
    return inspection.result


def render_json(
    inspection: Inspection, copy: Copy = Copy.INSPECTOR, lang: str | None = None
) -> bytes:
    """The result document of ``audit-output.md``, UTF-8: language-free, ``lang`` is ignored."""
    return result_for(inspection, copy).to_json_bytes()


def render_pdf(
    inspection: Inspection, copy: Copy = Copy.INSPECTOR, lang: str | None = None
) -> bytes:
    """The inspector-ready report in ``lang`` (default English): PDF/A-3b, JSON attached."""
    from auditor.i18n import using
    from auditor.render.report import report_pdf

    with using(lang):
        return report_pdf(inspection, result_for(inspection, copy), copy)


def render_xlsx(
    inspection: Inspection, copy: Copy = Copy.INSPECTOR, lang: str | None = None
) -> bytes:
    """The findings workbook in ``lang``: findings, evidence, money owed and scoring as sheets."""
    from auditor.i18n import using
    from auditor.render.xlsx import findings_workbook

    with using(lang):
        return findings_workbook(inspection, result_for(inspection, copy))


def render_notices(
    inspection: Inspection, copy: Copy = Copy.INSPECTOR, lang: str | None = None
) -> bytes:
    """One page per worker owed money, each in her language (``lang``: the fallback)."""
    from auditor.render.notices import notices_pdf

    return notices_pdf(inspection, lang)


#: Output formats by file extension, in the order ``--format`` lists them by default.
RENDERERS: dict[str, Renderer] = {
    "pdf": render_pdf,
    "json": render_json,
    "xlsx": render_xlsx,
    "notices": render_notices,
}

__all__ = [
    "RENDERERS",
    "Copy",
    "Renderer",
    "render_json",
    "render_notices",
    "render_pdf",
    "render_xlsx",
    "result_for",
    "safe_name",
]
