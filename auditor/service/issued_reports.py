"""The issue record and the issued PDFs, made where audits are made: in an isolated worker.

Both need the audit's inspection, which the service does not keep (it keeps
the files): the worker audits the stored upload again, exactly as the job
did (the same day for plausible dates, the same previous audit), so the
result's bytes are the stored ones; :func:`make_records` checks that they
are (a changed rule pack refuses the issue instead of issuing something
else). Nothing here touches Django: the worker is a plain process.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditor.errors import UsageError
from auditor.verdict.inspection import Inspection


@dataclass(frozen=True)
class Source:
    """Where an audit's inspection is made again from: the upload and the job's choices."""

    upload: str
    is_dataset: bool
    jurisdiction: str | None
    day: dt.date
    previous_result: str | None  # the previous audit's stored result.json, when one was chosen
    previous_issue: str | None  # the previous audit's issue record (JSON), when it was issued
    stored_results: dict[str, str]  # copy -> the stored result.json path


@dataclass(frozen=True)
class RecordOrder:
    """What issuing one audit needs besides the inspection."""

    source: Source
    review: dict[str, Any]
    issued_on: dt.date
    today: dt.date
    issuer: tuple[str, str]  # name, title
    office_name: str
    office_code: str
    data_dir: str
    verification_code: str
    supersedes: dict[str, str] | None
    verify_url: str | None


@dataclass(frozen=True)
class RenderOrder:
    source: Source
    record: bytes  # the inspector's record as stored
    office_code: str
    data_dir: str
    #: Each copy is rendered in each of these languages (issue 27); the record has none.
    languages: tuple[str, ...] = ("en",)


@dataclass(frozen=True)
class DraftOrder:
    """Drafts (PDFs) and findings workbooks of an audit, rendered after it is done (issue 26):
    the pending review applied to the PDFs and marked as pending, when there is one."""

    source: Source
    review: dict[str, Any]
    wanted: tuple[tuple[str, str], ...]  # (kind, copy): "pdf" or "xlsx", in the order wanted
    lang: str = "en"  # the reports' language (any shipped one): carried in the cache key


@dataclass(frozen=True)
class NoticesOrder:
    """The worker notices of an audit (issue 27): each page in its worker's language, else
    ``lang``; the due dates of the issue record when the audit is issued."""

    source: Source
    lang: str
    contact: str | None
    record: bytes | None  # the inspector's issue record as stored, once issued


class ResultChanged(UsageError):
    """The audit made again does not give the stored result: the rule pack changed."""


def inspection_of(source: Source) -> Inspection:
    """The audit's inspection, made again as its job made it."""
    from auditor.base.limits import DEFAULT_LIMITS
    from auditor.model.plausible import checked_on
    from auditor.pipeline import inspect_records
    from auditor.service.reports import with_previous

    upload: Any = Path(source.upload)
    if source.is_dataset:
        upload = json.loads(upload.read_bytes())
    with checked_on(source.day):
        inspection = inspect_records(
            upload, jurisdiction=source.jurisdiction, limits=DEFAULT_LIMITS
        )
    if source.previous_result is not None:
        previous = json.loads(Path(source.previous_result).read_bytes())
        record = json.loads(source.previous_issue) if source.previous_issue else None
        inspection = with_previous(inspection, previous, record)
    return inspection


@dataclass(frozen=True)
class Refusal:
    """Why the library would not make the record: its code, sentence and located problems
    (sent back as plain values: the library's exceptions carry more than they pickle)."""

    code: str
    message: str
    problems: tuple[tuple[str, str, str], ...]  # where, code, message


def make_records(order: RecordOrder) -> tuple[bytes, bytes] | Refusal:
    """The inspector's and the agency's ``audit-issue/1`` records, as JSON bytes."""
    from auditor.issuing import IssueError

    try:
        return _make_records(order)
    except IssueError as error:
        problems = tuple(
            (str(p.where), str(p.code), str(p.message))
            for p in error.problems
            if hasattr(p, "where") and hasattr(p, "code") and hasattr(p, "message")
        )
        return Refusal(error.code, str(error), problems)


def _make_records(order: RecordOrder) -> tuple[bytes, bytes]:
    from auditor.issuing import IssuedBy, Review, Supersedes, make_issue_record, record_for
    from auditor.issuing.keys import office_key_info
    from auditor.issuing.make import confidential_of
    from auditor.render import Copy

    inspection = inspection_of(order.source)
    key = office_key_info(order.data_dir, order.office_code)
    record = make_issue_record(
        inspection,
        Review.model_validate(order.review),
        issued_on=order.issued_on,
        issued_by=IssuedBy(name=order.issuer[0], title=order.issuer[1]),
        office=order.office_name,
        today=order.today,
        supersedes=Supersedes(**order.supersedes) if order.supersedes else None,
        verification_code=order.verification_code,
        verify_url=order.verify_url,
        signer_certificate_sha256=key.fingerprint_sha256 if key is not None else None,
    )
    for copy, path in order.source.stored_results.items():
        stored = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        if record.result_sha256.get(copy) != stored:  # type: ignore[call-overload]
            raise ResultChanged(
                "the audit made again does not give the stored result (the rule pack changed "
                "since it ran): upload the workbook again to issue it"
            )
    agency = record_for(record, Copy.AGENCY, confidential_of(inspection))
    return record.to_json_bytes(), agency.to_json_bytes()


def render_issued(order: RenderOrder) -> dict[tuple[str, str], bytes]:
    """Both copies' issued PDFs in each language asked for at issue, by ``(copy, lang)``,
    signed with the office's key when it has one (as ``auditor issue --copy inspector:ne``)."""
    from auditor.i18n import using
    from auditor.issuing import IssueRecord, load_office_key, render_issued_pdf
    from auditor.render import Copy

    inspection = inspection_of(order.source)
    record = IssueRecord.model_validate_json(order.record)
    key = load_office_key(order.data_dir, order.office_code)
    made: dict[tuple[str, str], bytes] = {}
    for lang in order.languages:
        with using(lang):
            for copy in (Copy.INSPECTOR, Copy.AGENCY):
                made[(copy.value, lang)] = render_issued_pdf(inspection, record, copy, key=key)
    return made


def render_drafts(order: DraftOrder) -> dict[tuple[str, str], bytes]:
    """The drafts and workbooks wanted, each by ``(kind, copy)``: with no pending review, the
    PDF the command line writes, byte for byte; with one, the draft showing it
    (audit-output.md 1.2, Settled). The audit made again must give the stored result (a rule
    pack changed since would render another audit than the one recorded)."""
    from auditor.i18n import using
    from auditor.issuing import Review, render_draft_pdf
    from auditor.render import Copy
    from auditor.render.copies_beside import render_copies

    inspection = inspection_of(order.source)
    stored = Path(order.source.stored_results["inspector"]).read_bytes()
    again = render_copies(inspection, (Copy.INSPECTOR,), ("json",))[(Copy.INSPECTOR, "json")]
    if again != stored:
        raise ResultChanged(
            "the audit made again does not give the stored result (the rule pack changed "
            "since it ran): upload the workbook again for its reports"
        )
    review = Review.model_validate(order.review)
    files: dict[tuple[str, str], bytes] = {}
    with using(order.lang):  # the review's stamp and the report in the language asked for
        for kind, copy in order.wanted:
            if kind == "pdf" and not review.empty:
                files[(kind, copy)] = render_draft_pdf(inspection, Copy(copy), review)
            else:
                langs: dict[Copy, str | None] = {Copy(copy): order.lang}
                made = render_copies(inspection, (Copy(copy),), (kind,), langs)
                files[(kind, copy)] = made[(Copy(copy), kind)]
    return files


def render_notices_of(order: NoticesOrder) -> bytes:
    """The notices PDF, as ``auditor audit --format notices`` (``auditor issue --notices``
    once issued, with the orders' due dates) writes it."""
    from auditor.issuing import IssueRecord
    from auditor.issuing.reports import issued_stamp
    from auditor.render import Copy
    from auditor.render.notices import notices_pdf

    inspection = inspection_of(order.source)
    stamp = None
    if order.record is not None:
        record = IssueRecord.model_validate_json(order.record)
        stamp = issued_stamp(inspection, record, Copy.INSPECTOR)
    return notices_pdf(inspection, order.lang, contact=order.contact, stamp=stamp)
