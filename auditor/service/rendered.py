"""Drafts and findings workbooks of done audits, rendered after the audit is done (issue 26).

An audit is ``done`` as soon as its result is recorded: users waited ten
seconds and more for PDFs and workbooks nobody had asked for yet. The
draft PDFs and the findings workbooks are made afterwards, in an isolated
worker that audits the stored upload again (as issuing does:
:mod:`auditor.service.issued_reports`), by a background job (inspector's
PDF first, then the rest) or by the first download that finds one missing.

Each file is kept on disk, in the audit's folder, under a key of everything
its bytes depend on: the stored result's digest, the kind and copy, that it
is a draft, the pending review's digest (PDFs only: workbooks do not show
the review), the previous audit chosen as it stands now (its result's
digest and its issue record's: what the comparison is made of), and the
language. A new review or a previous audit issued, superseded or withdrawn
is a new key, so no stale draft is ever served. Issued PDFs are not here:
they are rendered once, at issue, and never again (:func:`auditor.service.
jobs.render_issue`).

One process renders a given file at a time: a lock file beside it
(``flock``, released by the kernel if the process dies). A download that
finds the file locked waits for it, up to :data:`WAIT_S`; one that finds it
neither kept nor locked renders it itself. Downloads never wait unbounded:
:class:`Pending` says "ask again" (409 ``rendering`` with ``Retry-After``).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from auditor.errors import AuditorError, UsageError
from auditor.i18n import DEFAULT_LANGUAGE, shipped_codes
from auditor.issuing import Review
from auditor.pipeline.logs import log_event
from auditor.runner.isolation import run_audit_isolated
from auditor.service import jobs, signoff
from auditor.service.issued_reports import (
    DraftOrder,
    NoticesOrder,
    Source,
    render_drafts,
    render_notices_of,
)
from auditor.service.models import Audit
from auditor.service.storage import REPORT_FILES, audit_dir, report_path, write_atomically

_log = logging.getLogger("auditor.service")

#: The languages reports are rendered in (issue 27): every shipped one; part of every key.
LANGS = shipped_codes()
DEFAULT_LANG = DEFAULT_LANGUAGE
#: What is rendered first once an audit is done, and what follows in the background.
FIRST = (("pdf", "inspector"),)
LATER = (("pdf", "agency"), ("xlsx", "inspector"), ("xlsx", "agency"))
KINDS = ("pdf", "xlsx")
#: How long a download waits for a report another process is rendering (as for issued PDFs,
#: web.md 1.1, Settled), and what ``Retry-After`` says after that.
WAIT_S = 60.0
RETRY_AFTER_S = 10
_POLL_S = 0.1


class Pending(Exception):
    """Another process is still rendering the report after the download waited its while."""


class Failed(Exception):
    """The report cannot be made; the message says why, in a plain sentence."""


@dataclass(frozen=True)
class Planned:
    """One report of one audit: where it is kept and what renders it."""

    kind: str
    copy: str
    path: Path
    source: Source
    review: Review
    lang: str


def plan(audit: Audit, kind: str, copy: str, lang: str = DEFAULT_LANG) -> Planned:
    """Where the draft or workbook of ``copy`` is kept, under the key of everything it shows."""
    if lang not in LANGS:
        raise UsageError(f"reports are rendered in {', '.join(LANGS)}, not {lang!r}")
    source = signoff.source_of(audit)
    review = signoff.review_of(audit) if kind == "pdf" else Review()
    return _planned(audit, kind, copy, lang, source=source, review=review)


def _planned(
    audit: Audit, kind: str, copy: str, lang: str, *, source: Source, review: Review
) -> Planned:
    previous = source.previous_result
    parts = (
        "draft",
        kind,
        copy,
        lang,
        file_digest(Path(source.stored_results["inspector"])),
        "" if review.empty else review.digest(),
        file_digest(Path(previous)) if previous else "",
        hashlib.sha256(source.previous_issue.encode()).hexdigest() if source.previous_issue else "",
    )
    key = hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:32]
    folder = audit_dir(jobs.CONFIG, str(audit.pk)) / "rendered"
    return Planned(kind, copy, folder / f"{key}.{REPORT_FILES[(kind, copy)]}", source, review, lang)


def kept(audit: Audit, kind: str, copy: str, lang: str = DEFAULT_LANG) -> Path | None:
    """The report's file if it is rendered already: kept under its key, or, for an audit
    made before reports came after (no review pending), the one its job wrote."""
    return _kept(audit, plan(audit, kind, copy, lang))


def _kept(audit: Audit, planned: Planned) -> Path | None:
    if planned.path.is_file():
        return planned.path
    legacy = report_path(jobs.CONFIG, str(audit.pk), planned.kind, planned.copy)
    # The job's own files are English (made before reports came in other languages).
    if planned.review.empty and planned.lang == DEFAULT_LANG and legacy.is_file():
        return legacy
    return None


def ready(audit: Audit, lang: str = DEFAULT_LANG) -> dict[str, bool]:
    """Which reports can be downloaded at once, as ``{"pdf_inspector": True, ...}``."""
    source = signoff.source_of(audit)  # read once for the four
    review = signoff.review_of(audit)
    found = {}
    for kind, copy in FIRST + LATER:
        planned = _planned(
            audit, kind, copy, lang, source=source, review=review if kind == "pdf" else Review()
        )
        found[f"{kind}_{copy}"] = _kept(audit, planned) is not None
    return found


def report_file(
    audit: Audit, kind: str, copy: str, lang: str = DEFAULT_LANG, wait_s: float = WAIT_S
) -> Path:
    """The draft or workbook to serve: kept, or rendered now, or waited for (bounded).

    A draft with a pending review that cannot be made is served without it (still a draft,
    marked so on every page); a report that cannot be made at all is :class:`Failed`.
    """
    found = kept(audit, kind, copy, lang)
    if found is not None:
        return found
    planned = plan(audit, kind, copy, lang)
    deadline = time.monotonic() + wait_s
    try:
        return _made(audit, planned, deadline)
    except AuditorError as error:
        if planned.review.empty:
            raise Failed(_sentence(str(error))) from None
        _log.exception("draft with the pending review not made")
    legacy = report_path(jobs.CONFIG, str(audit.pk), kind, copy)
    if lang == DEFAULT_LANG and legacy.is_file():  # the job's own files are English
        return legacy
    plain = _planned(audit, kind, copy, lang, source=planned.source, review=Review())
    try:
        return _made(audit, plain, deadline)
    except AuditorError as error:
        raise Failed(_sentence(str(error))) from None


def _made(audit: Audit, planned: Planned, deadline: float) -> Path:
    """``planned``'s file: rendered here unless another process holds its lock, then waited
    for until ``deadline`` (:class:`Pending` after)."""
    while True:
        with _locked(planned.path) as mine:
            if planned.path.is_file():
                return planned.path
            if mine:
                _render(audit, (planned,))
                return planned.path
        if time.monotonic() >= deadline:
            raise Pending()
        time.sleep(_POLL_S)


def render_missing(
    audit: Audit, wanted: tuple[tuple[str, str], ...], lang: str = DEFAULT_LANG
) -> int:
    """The background's side: render those of ``wanted`` not kept and not being rendered by
    another process, in one isolated worker (one audit made again for all); how many."""
    with contextlib.ExitStack() as stack:
        todo = []
        for kind, copy in wanted:
            planned = plan(audit, kind, copy, lang)
            if kept(audit, kind, copy, lang) is not None:
                continue
            if stack.enter_context(_locked(planned.path)) and not planned.path.is_file():
                todo.append(planned)
        if not todo:
            return 0
        try:
            _render(audit, tuple(todo))
        except AuditorError as error:  # the download that asks says why, in its turn
            log_event("reports.failed", {"audit": str(audit.pk), "error": str(error)[:300]})
            return 0
    return len(todo)


def _render(audit: Audit, planned: tuple[Planned, ...]) -> None:
    """Render ``planned`` (one source, one review) in an isolated worker and keep the files."""
    # The review applies to the PDFs only (render_drafts): workbooks are planned without it.
    review = next((p.review for p in planned if not p.review.empty), Review())
    order = DraftOrder(
        source=planned[0].source,
        review=review.model_dump(mode="json"),
        wanted=tuple((p.kind, p.copy) for p in planned),
        lang=planned[0].lang,
    )
    started = time.perf_counter()
    made = run_audit_isolated(render_drafts, (order,), timeout_s=jobs.CONFIG.audit_timeout_s)
    for item in planned:
        write_atomically(item.path, made[(item.kind, item.copy)])
    log_event(
        "reports.rendered",
        {
            "audit": str(audit.pk),
            "reports": ",".join(f"{p.kind}:{p.copy}" for p in planned),
            "total_ms": round((time.perf_counter() - started) * 1000, 1),
        },
    )


def notices_file(
    audit: Audit, lang: str, contact: str | None, record: bytes | None, wait_s: float = WAIT_S
) -> Path:
    """The worker notices (issue 27), kept under the key of what they show: the stored
    result, the fallback language, the office's contact and the issue record (due dates)."""
    if lang not in LANGS:
        raise UsageError(f"reports are rendered in {', '.join(LANGS)}, not {lang!r}")
    source = signoff.source_of(audit)
    parts = (
        "notices",
        lang,
        file_digest(Path(source.stored_results["inspector"])),
        contact or "",
        hashlib.sha256(record).hexdigest() if record is not None else "",
    )
    key = hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:32]
    path = audit_dir(jobs.CONFIG, str(audit.pk)) / "rendered" / f"{key}.notices.pdf"
    order = NoticesOrder(source=source, lang=lang, contact=contact, record=record)
    deadline = time.monotonic() + wait_s
    while True:
        with _locked(path) as mine:
            if path.is_file():
                return path
            if mine:
                try:
                    made = run_audit_isolated(
                        render_notices_of, (order,), timeout_s=jobs.CONFIG.audit_timeout_s
                    )
                except AuditorError as error:
                    raise Failed(_sentence(str(error))) from None
                write_atomically(path, made)
                log_event("reports.rendered", {"audit": str(audit.pk), "reports": "notices"})
                return path
        if time.monotonic() >= deadline:
            raise Pending()
        time.sleep(_POLL_S)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[bool]:
    """Whether this process holds the lock of ``path`` (taken without waiting), while open."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # Mode 0600, as every file of the data folder (its owner only).
    descriptor = os.open(path.with_name(path.name + ".lock"), os.O_WRONLY | os.O_CREAT, 0o600)
    handle: IO[bytes] = os.fdopen(descriptor, "wb")
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    finally:
        handle.close()


_digests: dict[tuple[str, int, int], str] = {}


def file_digest(path: Path) -> str:
    """The SHA-256 of a stored file, read once per version of it (a large audit's result is
    tens of megabytes, and the page asks for every report's key)."""
    stat = os.stat(path)
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    digest = _digests.get(key)
    if digest is None:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if len(_digests) > 4096:
            _digests.clear()
        _digests[key] = digest
    return digest


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith(".") else f"{text}."
