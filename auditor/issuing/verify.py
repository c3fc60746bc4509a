"""``auditor verify``: is this PDF an issued report, intact, signed by an office we trust?

Exit status (audit-output.md 1.2, "Settled"): 0 issued, intact, signed by
a trusted certificate, and its attached result matches the record's
digest; 1 with the reason: a draft, unsigned, altered (a byte of the
signed content changed, the attached JSON swapped, anything appended
after the signature, the signature removed), a valid signature by a
certificate not trusted ("valid signature, unknown signer"), or a code the
data folder knows as superseded or withdrawn; 2: not a PDF of auditor,
unreadable or truncated.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import orjson
from pydantic import ValidationError

from auditor.issuing.record import FORMAT, IssueRecord

RESULT_FORMAT = "audit-result/1"
OK, REFUSED, NOT_OURS = 0, 1, 2


@dataclass(frozen=True)
class CodeState:
    """What the data folder (the service) knows of a verification code."""

    state: Literal["issued", "superseded", "withdrawn"]
    superseded_by: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class VerifyResult:
    status: int  # 0, 1 or 2
    reason: str  # one sentence
    record: IssueRecord | None = None
    signer: str | None = None  # the certificate's subject
    signer_fingerprint: str | None = None
    result_matches: bool | None = None
    state: CodeState | None = None
    details: tuple[str, ...] = field(default=())

    def lines(self) -> list[str]:
        """What ``auditor verify`` prints."""
        out = []
        record = self.record
        if record is not None:
            out += [
                f"Audit id: {record.audit_id}",
                f"Office: {record.office}",
                f"Issued on: {record.issued_on.isoformat()}",
                f"Issued by: {record.issued_by.name}, {record.issued_by.title}",
                f"Verification code: {record.verification_code}",
                f"Copy: {record.for_copy}",
            ]
        if self.signer is not None:
            out.append(
                f"Signature: by {self.signer} (certificate SHA-256 {self.signer_fingerprint})"
            )
        if self.result_matches is not None:
            out.append(
                "Attached result: matches the record's result_sha256"
                if self.result_matches
                else "Attached result: does NOT match the record's result_sha256"
            )
        out += list(self.details)
        out.append(("VERIFIED: " if self.status == OK else "NOT VERIFIED: ") + self.reason)
        return out


def _json(data: bytes) -> dict[str, object] | None:
    try:
        loaded = orjson.loads(data)
    except orjson.JSONDecodeError:
        return None
    return loaded if isinstance(loaded, dict) else None


def verify_pdf(
    pdf: bytes,
    trusted_certs: Sequence[bytes] = (),
    known_codes_lookup: Callable[[str], CodeState | None] | None = None,
) -> VerifyResult:
    """Check one PDF; see the module's docstring for what each status means."""
    from auditor.issuing.signing import Unreadable, read_pdf

    if not pdf.startswith(b"%PDF-"):
        return VerifyResult(NOT_OURS, "the file is not a PDF")
    if b"%%EOF" not in pdf[-2048:]:
        return VerifyResult(NOT_OURS, "the PDF is truncated (it has no end of file)")
    try:
        read = read_pdf(pdf, list(trusted_certs))
    except Unreadable:
        return VerifyResult(NOT_OURS, "the PDF is unreadable or truncated")
    results = {
        name: data
        for name, data in read.attachments.items()
        if (_json(data) or {}).get("format") == RESULT_FORMAT
    }
    records = {
        name: data
        for name, data in read.attachments.items()
        if (_json(data) or {}).get("format") == FORMAT
    }
    if not results:
        return VerifyResult(NOT_OURS, "this is not a report of auditor (no audit result attached)")
    if not records:
        return VerifyResult(REFUSED, "a draft: this report has not been issued")
    if len(records) > 1 or len(results) > 1:
        return VerifyResult(REFUSED, "altered: the file attaches more than one result or record")
    try:
        record = IssueRecord.model_validate(orjson.loads(next(iter(records.values()))))
    except (ValidationError, orjson.JSONDecodeError):
        return VerifyResult(REFUSED, "altered: the attached issue record is not a valid one")
    result_bytes = next(iter(results.values()))
    digest = hashlib.sha256(result_bytes).hexdigest()
    matches = digest == record.result_sha256.get(record.for_copy)
    result_doc = _json(result_bytes) or {}
    same_audit = result_doc.get("audit_id") == record.audit_id
    if not matches or not same_audit:
        return VerifyResult(
            REFUSED,
            "altered: the attached result is not the one the report was issued with",
            record,
            result_matches=False,
        )
    if not read.signatures:
        if record.signed:
            return VerifyResult(
                REFUSED, "altered: the record says signed, but the signature was removed", record,
                result_matches=True,
            )  # fmt: skip
        return VerifyResult(
            REFUSED, "unsigned: issued without an electronic signature", record,
            result_matches=True,
        )  # fmt: skip
    # Altered content first, then who signed, then whether anything came after a signature:
    # a file re-signed by someone else says "unknown signer" rather than only "changed".
    for check in read.signatures:
        if not check.intact or not check.valid:
            return VerifyResult(
                REFUSED, "altered: the signature does not match the file's content", record,
                result_matches=True, signer=check.subject,
                signer_fingerprint=check.fingerprint_sha256,
            )  # fmt: skip
    for check in read.signatures:
        if not check.trusted or (
            record.signer_certificate_sha256 is not None
            and check.fingerprint_sha256 != record.signer_certificate_sha256
        ):
            return VerifyResult(
                REFUSED, "valid signature, unknown signer: the certificate is not trusted",
                record, result_matches=True, signer=check.subject,
                signer_fingerprint=check.fingerprint_sha256,
            )  # fmt: skip
    for check in read.signatures:
        if not check.whole_file:
            return VerifyResult(
                REFUSED, "altered: the file was changed after it was signed", record,
                result_matches=True, signer=check.subject,
                signer_fingerprint=check.fingerprint_sha256,
            )  # fmt: skip
    last = read.signatures[-1]
    state = known_codes_lookup(record.verification_code) if known_codes_lookup else None
    common = {
        "record": record,
        "signer": last.subject,
        "signer_fingerprint": last.fingerprint_sha256,
        "result_matches": True,
        "state": state,
    }
    if state is not None and state.state == "superseded":
        by = f" by {state.superseded_by}" if state.superseded_by else ""
        return VerifyResult(REFUSED, f"superseded{by}: a newer report replaces this one", **common)  # type: ignore[arg-type]
    if state is not None and state.state == "withdrawn":
        why = f": {state.reason}" if state.reason else ""
        return VerifyResult(REFUSED, f"withdrawn{why}", **common)  # type: ignore[arg-type]
    return VerifyResult(
        OK, "issued, intact, signed by a trusted certificate; the attached result matches",
        **common,  # type: ignore[arg-type]
    )  # fmt: skip
