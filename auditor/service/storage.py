"""Files of the service: uploads by content, and each audit's reports in its own folder.

Uploads are stored under their SHA-256 (``uploads/ab/abcd….xlsx``), so the
same bytes are kept once and no name a user typed ever becomes a path.
Every file is written to a temporary name and renamed, so a reader (or a
process killed half-way) never sees half a file. Uploads are never served
back raw.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from auditor.deployment.config import ServiceConfig

#: The reports of an audit, by what the API calls them.
REPORT_FILES = {
    ("pdf", "inspector"): "report.pdf",
    ("pdf", "agency"): "report.agency.pdf",
    ("json", "inspector"): "result.json",
    ("json", "agency"): "result.agency.json",
    ("xlsx", "inspector"): "findings.xlsx",
    ("xlsx", "agency"): "findings.agency.xlsx",
    ("comparison", "inspector"): "comparison.json",
    # The result's warnings as coded problem documents (web.md 1.1), for the API.
    ("warnings", "inspector"): "warnings.json",
    # Each refunded fee's refund date, for comparisons made on demand from stored results.
    ("refunds", "inspector"): "refunds.json",
    # For the pages (issue 25, page_files.py): the identifying words of the records findings
    # cite, and the figures an agency's history charts.
    ("identities", "inspector"): "identities.json",
    ("facts", "inspector"): "facts.json",
    # The issued reports (audit-output.md 1.2): rendered once, at issue, never again.
    ("issued", "inspector"): "issued.pdf",
    ("issued", "agency"): "issued.agency.pdf",
}
_SUFFIXES = {".xlsx", ".xlsm", ".ods", ".json", ".xls"}


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".part-")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def safe_suffix(name: str) -> str:
    """The upload's suffix if it is one the reader knows (else ``.xlsx``): never a path part."""
    suffix = Path(name.replace("\\", "/")).suffix.lower()
    return suffix if suffix in _SUFFIXES else ".xlsx"


def store_upload(config: ServiceConfig, chunks: Iterable[bytes], suffix: str) -> tuple[str, int]:
    """Store an upload by content; returns its SHA-256 and size."""
    config.uploads_dir.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    descriptor, temporary = tempfile.mkstemp(dir=config.uploads_dir, prefix=".part-")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            for chunk in chunks:
                digest.update(chunk)
                size += len(chunk)
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        target = upload_path(config, digest.hexdigest(), suffix)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return digest.hexdigest(), size


def upload_path(config: ServiceConfig, sha256: str, suffix: str) -> Path:
    return config.uploads_dir / sha256[:2] / f"{sha256}{suffix}"


def audit_dir(config: ServiceConfig, audit_id: str) -> Path:
    return config.audits_dir / audit_id


def report_path(config: ServiceConfig, audit_id: str, kind: str, copy: str) -> Path:
    return audit_dir(config, audit_id) / REPORT_FILES[(kind, copy)]


def issued_path(config: ServiceConfig, audit_id: str, copy: str, lang: str) -> Path:
    """The issued PDF of ``copy`` in ``lang`` (issue 27): English where it always was,
    another language beside it (``issued.ne.pdf``, ``issued.agency.ne.pdf``)."""
    english = report_path(config, audit_id, "issued", copy)
    if lang == "en":
        return english
    return english.with_name(english.name.replace(".pdf", f".{lang}.pdf"))
