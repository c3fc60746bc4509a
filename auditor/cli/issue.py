"""``auditor issue`` and ``auditor verify``: issuing a stored result offline, checking a PDF.

``issue RESULT.json WORKBOOK`` rejoins the result with its workbook (the
workbook checked against ``input_sha256``, the rules against
``ruleset_version``), makes the issue record, renders each copy asked for
as an issued PDF (signed with ``--key`` when given) and writes
``<audit_id>.issue.json`` beside them. Everything is made in memory first:
a bad date, a wrong password or a mismatched workbook writes nothing.
Reports issued here are offline: they say "verify with auditor verify" and
carry no URL or QR code (only the service prints those).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditor.errors import UsageError

if TYPE_CHECKING:
    from auditor.issuing import OfficeKey, Review


def register(commands: Any) -> None:
    """Add the issue and verify commands to the parser."""
    issue = commands.add_parser(
        "issue", help="issue a report from a stored result: issue record and issued PDF(s)"
    )
    issue.add_argument("result", type=Path, help="the audit's .json result (inspector's copy)")
    issue.add_argument(
        "workbook", type=Path, help="the workbook (or .json dataset) it was made from"
    )
    issue.add_argument("--rules", type=Path, help="the rule directory the result was made with")
    issue.add_argument("--by", required=True, metavar="NAME", help="who issues the report")
    issue.add_argument("--title", required=True, help="the issuer's title")
    issue.add_argument("--office", required=True, metavar="NAME", help="the issuing office")
    issue.add_argument("--on", metavar="YYYY-MM-DD", help="the issue date (default: today)")
    issue.add_argument(
        "--time-zone", metavar="ZONE", help="IANA zone of 'today' (default: the system's)"
    )
    issue.add_argument("--key", type=Path, metavar="FILE.p12", help="sign with this key")
    issue.add_argument(
        "--key-password-stdin",
        action="store_true",
        help="read the .p12 password from the first line of standard input",
    )
    issue.add_argument(
        "--supersedes", metavar="CODE", help="the verification code of the report this replaces"
    )
    issue.add_argument("--supersedes-audit", metavar="AUDIT_ID", help=argparse.SUPPRESS)
    issue.add_argument("--reason", help="why it replaces the earlier report (20 characters+)")
    issue.add_argument(
        "--review", type=Path, metavar="REVIEW.json", help="the inspector's review to apply"
    )
    issue.add_argument(
        "--copy",
        default="inspector",
        help="inspector and/or agency; each may name its language: inspector:ne,agency:en",
    )
    issue.add_argument("--out", type=Path, default=Path("."), help="folder for the files")
    issue.add_argument(
        "--notices",
        action="store_true",
        help="also write <audit_id>.notices.pdf: a page per worker owed money, in her "
        "language, with the orders' due dates",
    )
    from auditor.cli.audit import add_language_options

    add_language_options(issue)
    issue.set_defaults(handler=run_issue)

    verify = commands.add_parser(
        "verify", help="check that a PDF is an issued, intact report signed by a trusted office"
    )
    verify.add_argument("pdf", type=Path, help="the report's PDF")
    verify.add_argument(
        "--trust", type=Path, action="append", default=[], metavar="CERT.pem",
        help="also trust this certificate (repeatable)",
    )  # fmt: skip
    verify.add_argument(
        "--data", type=Path, help="the service's data folder: its offices' certificates "
        "(and known codes) (default: $AUDITOR_DATA_DIR, else ./auditor-data)",
    )  # fmt: skip
    verify.set_defaults(handler=run_verify)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--on {text!r} is not a date (YYYY-MM-DD)") from None


def _supersedes(arguments: argparse.Namespace) -> tuple[str, str] | None:
    from auditor.issuing import normalise_code

    if (arguments.supersedes is None) != (arguments.reason is None):
        raise UsageError("--supersedes CODE and --reason TEXT go together")
    if arguments.supersedes is None:
        return None
    code = normalise_code(arguments.supersedes)
    if code is None:
        raise UsageError(
            f"--supersedes {arguments.supersedes!r} is not a verification code "
            "(16 characters, XXXX-XXXX-XXXX-XXXX)"
        )
    return code, arguments.reason


def _key(arguments: argparse.Namespace) -> OfficeKey | None:
    """The key of ``--key``, its password read from standard input (never an argument)."""
    from auditor.issuing.keys import key_from_p12

    if arguments.key is None:
        if arguments.key_password_stdin:
            raise UsageError("--key-password-stdin needs --key FILE.p12")
        return None
    password = sys.stdin.readline().rstrip("\r\n") if arguments.key_password_stdin else None
    try:
        p12 = arguments.key.read_bytes()
    except OSError as error:
        raise UsageError(f"cannot read the key {arguments.key}: {error.strerror}") from None
    return key_from_p12(arguments.office, p12, password)


def _review(arguments: argparse.Namespace) -> Review:
    from auditor.issuing import Review

    if arguments.review is None:
        return Review()
    import orjson
    from pydantic import ValidationError

    try:
        return Review.model_validate(orjson.loads(arguments.review.read_bytes()))
    except (OSError, orjson.JSONDecodeError, ValidationError) as error:
        raise UsageError(f"the review {arguments.review} cannot be read: {error}") from None


def run_issue(arguments: argparse.Namespace) -> int:
    from auditor.cli.audit import COPIES, _language, copy_languages, extension, write_outputs
    from auditor.cli.compare import _names
    from auditor.i18n import gettext, using
    from auditor.ingest.load import read_workbook
    from auditor.issuing import IssuedBy, Supersedes, make_issue_record, render_issued_pdf
    from auditor.issuing.dates import today_in
    from auditor.issuing.keys import fingerprint_of_pem
    from auditor.model.result import AuditResult
    from auditor.render import Copy, safe_name
    from auditor.verdict.compare import read_result
    from auditor.verdict.inspection import Inspection

    copies = [Copy(name) for name in _names(_bare(arguments.copy), COPIES, "copy")]
    office_language = _language(arguments.lang)
    languages = copy_languages(arguments.copy, office_language)
    if arguments.out.exists() and not arguments.out.is_dir():
        raise UsageError(f"--out {arguments.out} is a file; give a folder for the files")
    supersedes = _supersedes(arguments)
    today = today_in(arguments.time_zone)
    issued_on = _date(arguments.on) if arguments.on else today
    key = _key(arguments)
    review = _review(arguments)
    result = AuditResult.model_validate(read_result(arguments.result, "audit"))
    dataset = read_workbook(
        arguments.workbook, jurisdiction=result.jurisdiction, rules_dir=arguments.rules
    )
    inspection = Inspection.of(result, dataset, rules_dir=arguments.rules)
    record = make_issue_record(
        inspection,
        review,
        issued_on=issued_on,
        issued_by=IssuedBy(name=arguments.by, title=arguments.title),
        office=arguments.office,
        today=today,
        supersedes=(
            Supersedes(
                verification_code=supersedes[0],
                audit_id=arguments.supersedes_audit or result.audit_id,
                reason=supersedes[1],
            )
            if supersedes
            else None
        ),
        signer_certificate_sha256=fingerprint_of_pem(key.certificate_pem) if key else None,
    )
    rendered = {"issue.json": record.to_json_bytes()}
    for copy in copies:  # each in its language; the issue record stays language-free
        with using(languages[copy.value]):
            rendered[extension(copy.value, "pdf")] = render_issued_pdf(
                inspection, record, copy, key
            )
    if arguments.notices:
        import os

        from auditor.issuing.reports import issued_stamp
        from auditor.render.notices import notices_pdf

        rendered["notices.pdf"] = notices_pdf(
            inspection,
            office_language,
            contact=arguments.office_contact or os.environ.get("AUDITOR_OFFICE_CONTACT"),
            stamp=issued_stamp(inspection, record, Copy.INSPECTOR),
        )
    written = write_outputs(arguments.out, safe_name(result.audit_id), rendered)
    with using(office_language):
        print(
            gettext(
                "Issued %(audit)s on %(day)s by %(name)s, %(title)s, %(office)s",
                audit=result.audit_id,
                day=issued_on.isoformat(),
                name=arguments.by,
                title=arguments.title,
                office=arguments.office,
            )
        )
        print(gettext("Verification code: %(code)s", code=record.verification_code))
        print(
            gettext("Signed with the key given") if key else gettext("Not signed: no --key given")
        )
        for path in written:
            print(gettext("Written: %(path)s", path=path))
    return 0


def _bare(copies: str) -> str:
    """``inspector:ne,agency`` as ``inspector,agency``: the copies without their languages."""
    return ",".join(part.partition(":")[0] for part in copies.split(","))


def run_verify(arguments: argparse.Namespace) -> int:
    import os

    from auditor.issuing import trusted_certificates, verify_pdf

    try:
        data = arguments.pdf.read_bytes()
    except OSError as error:
        print(f"auditor: cannot read {arguments.pdf}: {error.strerror}", file=sys.stderr)
        return 2
    trusted: list[bytes] = []
    for path in arguments.trust:
        try:
            trusted.append(path.read_bytes())
        except OSError as error:
            raise UsageError(f"cannot read the certificate {path}: {error.strerror}") from None
    from auditor.deployment.config import DEFAULT_DATA_DIR

    # As every service command: --data, else $AUDITOR_DATA_DIR, else ./auditor-data
    folder = arguments.data or Path(os.environ.get("AUDITOR_DATA_DIR") or DEFAULT_DATA_DIR)
    if arguments.data is not None and not folder.is_dir():
        raise UsageError(f"--data {folder} is not a folder")
    lookup = None
    if folder.is_dir():
        trusted += trusted_certificates(folder)
        lookup = _code_lookup(folder)
    try:
        outcome = verify_pdf(data, trusted, lookup)
    except ValueError as error:  # a certificate given that is none
        raise UsageError(f"a --trust file is not a PEM certificate: {error}") from None
    stream = sys.stdout if outcome.status == 0 else sys.stderr
    for line in outcome.lines():
        print(line, file=stream)
    return outcome.status


def _code_lookup(folder: Path) -> Any:
    """The service's lookup of codes in ``folder``, when the service provides one.

    The service (``auditor.cli.service``) may define ``code_lookup(folder)``
    returning a function ``code -> CodeState | None``; without it, codes are
    not looked up and only the file itself is checked.
    """
    try:
        from auditor.cli import service as cli_service
    except ImportError:  # pragma: no cover - the service's extra is not installed
        return None
    factory = getattr(cli_service, "code_lookup", None)
    return factory(folder) if factory is not None else None
