"""Drafts and issued reports: the stamp each carries, then the PDF (signed when a key is given).

A draft is what ``auditor audit`` makes, plus, when a review is pending,
the reviewed view marked as pending; the same input gives the same bytes.
An issued report is rendered once, at issue, for each copy: its file
dates are the issue date, it attaches the engine's result of its copy and
that copy's issue record, and it is signed (PAdES baseline B) with the
office's key when there is one.
"""

from __future__ import annotations

from auditor.i18n import gettext as _
from auditor.i18n.context import N_
from auditor.issuing.keys import OfficeKey
from auditor.issuing.make import record_for
from auditor.issuing.record import IssueRecord, Review
from auditor.issuing.review import apply_review
from auditor.model.result import AuditResult
from auditor.render import Copy, formats, result_for, safe_name
from auditor.render.copies import confidential_rules, for_agency
from auditor.render.report import report_pdf
from auditor.render.stamp import AddedLine, Attached, SetAsideLine, Stamp
from auditor.render.view import deadline
from auditor.render.wording import worded
from auditor.verdict.inspection import Inspection

_NOUNS = {"agency": N_("the agency"), "employer": N_("employers"), "worker": N_("workers"),
          "channel": N_("complaint channels"), "complaint": N_("complaints")}  # fmt: skip


def issue_record_name(audit_id: str, copy: Copy) -> str:
    """``<audit_id>.issue.json``, the agency's ``<audit_id>.agency.issue.json``."""
    suffix = "" if copy is Copy.INSPECTOR else f".{copy.value}"
    return f"{safe_name(audit_id)}{suffix}.issue.json"


def _review_stamp(
    inspection: Inspection,
    review: Review,
    copy: Copy,
    *,
    issued: IssueRecord | None,
) -> dict[str, object]:
    """The stamp's review part: the shown (reviewed) result and the lines of the review."""
    confidential = confidential_rules(inspection.pack)
    applied = apply_review(inspection.result, review, inspection.profile.weights)
    if review.empty:
        return {}
    shown: AuditResult = applied.result
    if copy is Copy.AGENCY:
        shown = for_agency(shown, confidential)
    titles = {rule.id: worded(rule.data.title, [None]) for rule in inspection.pack.rules}
    set_aside = [
        s for s in review.set_aside if copy is Copy.INSPECTOR or s.rule_id not in confidential
    ]
    added_rules = {r.rule_id: r for r in applied.reviewed.rules}
    added = [a for a in applied.added if copy is Copy.INSPECTOR or not a.confidential]
    issued_on = issued.issued_on if issued is not None else None
    return {
        "shown": shown,
        "review_pending": issued is None,
        "review_score": formats.number(inspection.result.score, 1),
        "set_aside": tuple(
            SetAsideLine(
                rule_id=s.rule_id,
                title=titles.get(s.rule_id, s.rule_id),
                subject=f"{_(s.subject.type.value)} {s.subject.id}",
                reason=s.reason.strip(),
            )
            for s in set_aside
        ),
        "added": tuple(
            AddedLine(
                rule_id=a.rule_id,
                paragraph=a.paragraph,
                severity=a.severity,
                subjects=(
                    _("the agency")
                    if a.subject_type.value == "agency"
                    else _(
                        "%(noun)s %(subjects)s (%(count)s of %(applicable)s)",
                        noun=_(_NOUNS[a.subject_type.value]),
                        subjects=", ".join(a.subjects),
                        count=len(a.subjects),
                        applicable=added_rules[a.rule_id].applicable,
                    )
                ),
                finding=a.finding,
                evidence=a.evidence,
                points=formats.number(added_rules[a.rule_id].points, 2),
                due=deadline(a.severity, issued_on).text,
            )
            for a in added
        ),
        "withheld_set_aside": len(review.set_aside) - len(set_aside),
        "withheld_added": len(applied.added) - len(added),
    }


def render_draft_pdf(
    inspection: Inspection, copy: Copy = Copy.INSPECTOR, review: Review | None = None
) -> bytes:
    """The draft of ``copy``: the draft mark on every page, orders "within N days of issue",
    and a pending review (if any) applied and marked as pending."""
    parts = _review_stamp(inspection, review, copy, issued=None) if review else {}
    stamp = Stamp(**parts)  # type: ignore[arg-type]
    return report_pdf(inspection, result_for(inspection, copy), copy, stamp)


def issue_line(record: IssueRecord) -> str:
    """The line every page of an issued report carries."""
    where = (
        _(
            "verify at %(url)s with code %(code)s",
            url=record.verify_url,
            code=record.verification_code,
        )
        if record.verify_url
        else _("verify with `auditor verify` (code %(code)s)", code=record.verification_code)
    )
    return _(
        "Issued on %(day)s by %(name)s, %(title)s, %(office)s - %(where)s",
        day=formats.day(record.issued_on),
        name=record.issued_by.name,
        title=record.issued_by.title,
        office=record.office,
        where=where,
    ) + ("" if record.signed else _(" - not signed electronically"))


def qr_svg(url: str) -> str:
    """The QR code of ``url`` as inline SVG (segno; no network, no file)."""
    import io

    import segno

    code = segno.make(url, error="m")
    buffer = io.BytesIO()
    # With its namespace: the report is read as XML (auditor.render.tree), where an <svg>
    # without one would be an unknown HTML element and draw nothing.
    code.save(buffer, kind="svg", xmldecl=False, svgns=True, nl=False, omitsize=True, border=2)
    return buffer.getvalue().decode("utf-8")


def issued_stamp(
    inspection: Inspection, record: IssueRecord, copy: Copy, review: Review | None = None
) -> Stamp:
    from markupsafe import Markup

    confidential = confidential_rules(inspection.pack)
    copy_record = record_for(record, copy, confidential)
    review = review or Review.model_validate(
        {
            "set_aside": [s.model_dump(mode="json") for s in record.set_aside],
            "added": [a.model_dump(mode="json", exclude={"rule_id"}) for a in record.added],
        }
    )
    parts = _review_stamp(inspection, review, copy, issued=record)
    dues = {
        (d.rule_id, d.subject.type.value, d.subject.id): d.due
        for d in record.due
        if d.subject is not None
    }
    supersedes = None
    if record.supersedes is not None:
        s = record.supersedes
        supersedes = _(
            "the report of audit %(audit)s issued under code %(code)s: %(reason)s",
            audit=s.audit_id,
            code=s.verification_code,
            reason=s.reason,
        )
    return Stamp(
        issued_on=record.issued_on,
        header=_("ISSUED on %(day)s", day=formats.day(record.issued_on)),
        issue_line=issue_line(record),
        verification_code=record.verification_code,
        verify_url=record.verify_url,
        qr_svg=Markup(qr_svg(record.verify_url)) if record.verify_url else None,
        signed=record.signed,
        issuer=f"{record.issued_by.name}, {record.issued_by.title}, {record.office}",
        supersedes=supersedes,
        dues=dues,
        attachments=(
            Attached(
                name=issue_record_name(record.audit_id, copy),
                data=copy_record.to_json_bytes(),
                description=f"Issue record {record.audit_id} (audit-issue/1): who issued this "
                "report, when, its verification code and due dates",
            ),
        ),
        **parts,  # type: ignore[arg-type]
    )


def render_issued_pdf(
    inspection: Inspection,
    record: IssueRecord,
    copy: Copy = Copy.INSPECTOR,
    key: OfficeKey | None = None,
) -> bytes:
    """The issued report of ``copy``; signed with ``key`` when given (the record must say so)."""
    if (key is not None) != record.signed:
        raise ValueError("the record must say signed exactly when a key signs the report")
    pdf = report_pdf(
        inspection, result_for(inspection, copy), copy, issued_stamp(inspection, record, copy)
    )
    if key is None:
        return pdf
    from auditor.issuing.signing import sign_pdf

    return sign_pdf(pdf, key, reason=f"Issued by {record.office}: {record.verification_code}")
