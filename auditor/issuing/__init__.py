"""Issuing: the issue record, the inspector's review, signing and verification.

Owns the official act made of an audit's result (audit-output.md 1.2): the
issue record ``audit-issue/1``, the inspector's review and the reviewed
view, the drafts' and issued reports' stamps, the offices' signing keys,
PAdES signing and ``auditor verify``. It may import ``render``, ``verdict``
and everything below them; ``runner``, ``cli``, ``service`` and ``batch``
use it. Only :mod:`auditor.issuing.signing` imports pyHanko (a contract in
``pyproject.toml``), so the rest of the package loads without it.

The functions a caller (the command line, the service) uses:

- :func:`new_verification_code` -> ``"7K2M-Q9RX-..."``: 16 Crockford base32
  characters (80 random bits from :mod:`secrets`) in 4 groups of 4.
- :func:`validate_review` ``(result, review, supervisor=True)`` -> a list of
  :class:`ReviewProblem` (``where``, ``code``, ``message``), every problem
  at once; empty means the review may be saved. Setting aside a rule of
  :data:`SUPERVISOR_RULES` without ``supervisor`` is ``needs_supervisor``.
- :func:`reviewed_view` ``(result, review, weights=None)`` -> :class:`Reviewed`:
  score, rating, provisional, paragraph scores, rules and money with the
  review applied; the engine's result is never modified; an empty review
  gives the engine's figures.
- :func:`check_issue_date` ``(issued_on, inspection_date, today)``: raises
  :class:`IssueError` (code ``issue_before_inspection`` or
  ``issue_in_future``) with a sentence.
- :func:`make_issue_record` ``(inspection, review, issued_on=, issued_by=,
  office=, ...)`` -> :class:`IssueRecord` (the inspector's; the digests
  of both copies' result bytes, due dates, the reviewed block). Raises
  :class:`IssueError` (code ``invalid_review`` with the problems, or a
  date code) before anything is made.
- :func:`record_for` ``(record, copy, confidential)`` -> the record the copy
  attaches (the agency's counts confidential set-asides and added findings).
- :func:`render_draft_pdf` ``(inspection, copy, review=None)`` -> bytes:
  the draft mark on every page, orders "within N days of issue", the
  pending review marked as such. Same input, same bytes.
- :func:`render_issued_pdf` ``(inspection, record, copy, key=None)`` ->
  bytes: the issue line on every page, calendar due dates, the reviewed
  view, the result and the copy's record attached, PDF/A-3b, signed
  (PAdES B-B) when ``key`` is an :class:`OfficeKey`. ``record.verify_url``
  (the service's ``AUDITOR_PUBLIC_URL`` + ``/verify/CODE``, given to
  :func:`make_issue_record` as ``verify_url``) adds the URL line and a QR
  code on the cover; without it the line says "verify with auditor verify".
- :func:`generate_office_key` ``(data_dir, office)`` and
  :func:`import_office_key` ``(data_dir, office, p12_bytes, password)`` ->
  :class:`OfficeKeyInfo`; keys are written 0600 as
  ``<data>/keys/<office>.p12`` beside ``<office>.pem`` (the certificate).
  A wrong password, an expired or not-yet-valid certificate, or a file
  that is no PKCS#12 raise :class:`KeyError_` (code ``wrong_password``,
  ``certificate_expired``, ``not_pkcs12``...). Nothing about a key is logged.
  :func:`load_office_key` ``(data_dir, office)`` -> :class:`OfficeKey` or
  ``None``; :func:`trusted_certificates` ``(data_dir)`` -> the offices' PEMs.
- :func:`verify_pdf` ``(pdf_bytes, trusted_certs, known_codes_lookup=None)``
  -> :class:`VerifyResult` with ``status`` 0 (issued, intact, signed by a
  trusted certificate), 1 (draft, unsigned, altered, unknown signer,
  superseded or withdrawn: ``reason`` says which) or 2 (not an auditor PDF,
  unreadable, truncated). ``known_codes_lookup(code)`` returns a
  :class:`CodeState` or ``None`` when the code is unknown.
"""

from __future__ import annotations

from auditor.issuing.dates import IssueError, check_issue_date, due_date
from auditor.issuing.keys import (
    KeyError_,
    OfficeKey,
    OfficeKeyInfo,
    generate_office_key,
    import_office_key,
    load_office_key,
    trusted_certificates,
)
from auditor.issuing.make import make_issue_record, record_for
from auditor.issuing.record import (
    FORMAT,
    Added,
    Due,
    IssuedBy,
    IssueRecord,
    Review,
    Reviewed,
    ReviewSubject,
    SetAside,
    Supersedes,
    new_verification_code,
    normalise_code,
)
from auditor.issuing.reports import render_draft_pdf, render_issued_pdf
from auditor.issuing.review import (
    SUPERVISOR_RULES,
    ReviewProblem,
    apply_review,
    needs_supervisor,
    reviewed_view,
    validate_review,
)
from auditor.issuing.verify import CodeState, VerifyResult, verify_pdf

__all__ = [
    "FORMAT",
    "SUPERVISOR_RULES",
    "Added",
    "CodeState",
    "Due",
    "IssueError",
    "IssueRecord",
    "IssuedBy",
    "KeyError_",
    "OfficeKey",
    "OfficeKeyInfo",
    "Review",
    "ReviewProblem",
    "ReviewSubject",
    "Reviewed",
    "SetAside",
    "Supersedes",
    "VerifyResult",
    "apply_review",
    "check_issue_date",
    "due_date",
    "generate_office_key",
    "import_office_key",
    "load_office_key",
    "make_issue_record",
    "needs_supervisor",
    "new_verification_code",
    "normalise_code",
    "record_for",
    "render_draft_pdf",
    "render_issued_pdf",
    "reviewed_view",
    "trusted_certificates",
    "validate_review",
    "verify_pdf",
]
