"""``auditor audit``: audit a workbook and write the report files.

The audit runs in a worker process under a time limit (``--timeout``,
:mod:`auditor.runner.isolation`): a hang or a crash in the C rule engine or the
Rust workbook reader ends as one clear line and exit status 3, never as a
frozen terminal. Every output is rendered in memory before any file is
written, and files are written through a temporary name, so a failure
never leaves a partial report behind.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditor.errors import UsageError
from auditor.model.enums import Severity
from auditor.render.summary import comparison_summary, summary

if TYPE_CHECKING:
    from auditor.render import Copy
    from auditor.verdict.inspection import Inspection

EXIT_OK, EXIT_FINDINGS = 0, 1
#: The formats ``--format`` accepts (``auditor.render.RENDERERS`` renders them; a test
#: keeps the two in step, so that this module stays light to import).
FORMATS = ("pdf", "json", "xlsx", "notices")
#: Formats made once per audit, whatever the copies: the notices to the workers owed money.
PER_AUDIT_FORMATS = ("notices",)
DEFAULT_FORMATS = "pdf,json"
COPIES = ("inspector", "agency")
#: Seconds an audit may take before it is stopped: ten times the largest audit measured
#: (50,000 workers with every kind of finding, about 90 s), so only a hang reaches it.
DEFAULT_TIMEOUT_S = 900.0


def register(commands: Any) -> None:
    """Add the audit command to the parser."""
    audit = commands.add_parser("audit", help="audit a workbook and write the report files")
    audit.add_argument(
        "workbook", type=Path, nargs="+", help="workbooks, .json datasets, or folders of workbooks"
    )
    audit.add_argument("--out", type=Path, default=Path("."), help="folder for the report files")
    audit.add_argument("--jurisdiction", help="profile id (overrides the workbook's)")
    audit.add_argument(
        "--format",
        default=None,
        help=f"comma-separated formats among {', '.join(FORMATS)} (default: {DEFAULT_FORMATS}); "
        "notices: <audit_id>.notices.pdf, a page per worker owed money, in her language",
    )
    add_language_options(audit)
    audit.add_argument(
        "--copy",
        default="inspector",
        help="whose copies, comma-separated: inspector (everything; <audit_id>.pdf...) and/or "
        "agency (<audit_id>.agency.pdf...: findings that tie a complaint to a worker, and "
        "forced-labour referrals, shown only as counts; no inspector's notes) (default: "
        "inspector); each may name its language: inspector:ne,agency:en",
    )
    audit.add_argument(
        "--fail-on",
        choices=[s.value for s in Severity],
        help="exit with status 1 when a finding at or above this severity exists",
    )
    audit.add_argument("--rules", type=Path, help="a rule directory (default: the shipped rules)")
    audit.add_argument(
        "--previous",
        type=Path,
        metavar="PREVIOUS.json",
        help="the agency's previous audit result: the reports gain the section 'Since the "
        "previous audit', and with json among the formats <audit_id>.comparison.json is written",
    )
    audit.add_argument(
        "--previous-issue",
        type=Path,
        metavar="PREVIOUS.issue.json",
        help="the previous audit's issue record: persisting orders keep its due dates, and the "
        "comparison reads the previous issued view (set-asides, added findings)",
    )
    audit.add_argument(
        "--timeout",
        type=_seconds,
        default=DEFAULT_TIMEOUT_S,
        metavar="SECONDS",
        help=f"stop an audit that runs longer, with exit status 3 (default: {DEFAULT_TIMEOUT_S:g})",
    )
    from auditor.cli.batch import add_pool_options

    add_pool_options(audit)
    audit.add_argument(
        "--in-process",
        action="store_true",
        help="audit in this process, without a worker process or time limit (for debugging)",
    )
    audit.set_defaults(handler=run_audit)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a number of seconds above 0, got {text!r}")
    return value


def _formats(requested: str | None) -> list[str]:
    names = [name.strip().lower() for name in (requested or DEFAULT_FORMATS).split(",")]
    names = [name for name in names if name]
    unknown = [name for name in names if name not in FORMATS]
    if unknown or not names:
        raise UsageError(
            f"unknown format {', '.join(unknown) or '(none)'}; choose among {', '.join(FORMATS)}"
        )
    return list(dict.fromkeys(names))


def add_language_options(parser: Any) -> None:
    """``--lang`` and ``--office-contact``, shared by ``audit`` and ``issue``."""
    from auditor.i18n import shipped_codes

    parser.add_argument(
        "--lang",
        default=None,
        metavar="LANG",
        help=f"the reports' language, among {', '.join(shipped_codes())} (default: en, or "
        "AUDITOR_LANGUAGE); a copy's own (--copy agency:en) prevails",
    )
    parser.add_argument(
        "--office-contact",
        default=None,
        metavar="TEXT",
        help="where a worker can complain, printed on her notice (default: "
        "AUDITOR_OFFICE_CONTACT; without either, the notice names the inspectorate)",
    )


def _language(requested: str | None) -> str:
    """The office's language: ``--lang``, else ``AUDITOR_LANGUAGE``, else English (exit 2 if
    it is not shipped, with the list of those that are)."""
    from auditor.i18n import language

    return language(requested or os.environ.get("AUDITOR_LANGUAGE") or "en").code


def copy_languages(requested: str, default: str) -> dict[str, str]:
    """Each copy's language: ``inspector:ne,agency:en``; a copy without one takes ``default``."""
    from auditor.i18n import language

    chosen: dict[str, str] = {}
    for part in requested.split(","):
        name, _, code = part.strip().partition(":")
        if name.strip():
            chosen[name.strip().lower()] = language(code.strip() or default).code
    return chosen


def _copies(requested: str) -> list[str]:
    names = [name.strip().lower().partition(":")[0].strip() for name in requested.split(",")]
    names = [name for name in names if name]
    unknown = [name for name in names if name not in COPIES]
    if unknown or not names:
        raise UsageError(
            f"unknown copy {', '.join(unknown) or '(none)'}; choose among {', '.join(COPIES)}"
        )
    return list(dict.fromkeys(names))


def extension(copy: str, file_format: str) -> str:
    """A copy's file extension: ``pdf`` for the inspector's, ``agency.pdf`` for the agency's.

    audit-output.md 1.1: the two copies never share a name, so one can never
    overwrite the other.
    """
    return file_format if copy == "inspector" else f"{copy}.{file_format}"


def run_audit(arguments: argparse.Namespace) -> int:
    from auditor.cli import batch as cli_batch

    if arguments.previous is not None and cli_batch.several(arguments.workbook):
        raise UsageError(
            "--previous takes one workbook, the audit that follows up PREVIOUS.json; "
            "audit the others without it"
        )
    if cli_batch.several(arguments.workbook) or arguments.queue:  # each on its own (1.1)
        return cli_batch.audit_several(arguments)
    arguments.workbook = arguments.workbook[0]
    from auditor.model.plausible import checking_day
    from auditor.verdict.compare import read_result

    formats = _formats(arguments.format)
    copies = _copies(arguments.copy)
    office_language = _language(arguments.lang)
    languages = copy_languages(arguments.copy, office_language)
    if arguments.out.exists() and not arguments.out.is_dir():  # said before the audit, not after
        raise UsageError(f"--out {arguments.out} is a file; give a folder for the reports")
    # The previous result is read before the audit: a wrong file is said at once.
    previous = read_result(arguments.previous, "previous") if arguments.previous else None
    if arguments.previous_issue is not None and previous is None:
        raise UsageError("--previous-issue goes with --previous PREVIOUS.json")
    previous_issue = (
        read_issue_record(arguments.previous_issue) if arguments.previous_issue else None
    )
    order = ReportOrder(
        source=arguments.workbook,
        jurisdiction=arguments.jurisdiction,
        rules_dir=arguments.rules,
        formats=tuple(formats),
        copies=tuple(copies),
        previous=previous,
        previous_issue=previous_issue,
        fail_on=arguments.fail_on,
        day=checking_day(),
        language=office_language,
        languages=tuple((name, languages[name]) for name in copies),
        contact=arguments.office_contact or os.environ.get("AUDITOR_OFFICE_CONTACT") or None,
    )
    if arguments.in_process:
        made = make_reports(order)
    else:
        from auditor.runner.isolation import run_audit_isolated

        made = run_audit_isolated(
            make_reports, (order,), timeout_s=arguments.timeout, fork_caller=True
        )
    written = write_outputs(arguments.out, made.stem, made.files)
    from auditor.i18n import gettext, using

    with using(office_language):
        lines = [gettext("Written: %(path)s", path=path) for path in written]
    print("\n".join([made.summary, *lines]))
    if made.follow_up is not None:
        print(made.follow_up)
    return EXIT_FINDINGS if made.fails else EXIT_OK


@dataclass(frozen=True)
class ReportOrder:
    """What ``auditor audit`` asks of one audit: everything the worker needs, picklable."""

    source: Path
    jurisdiction: str | None
    rules_dir: Path | None
    formats: tuple[str, ...]
    copies: tuple[str, ...]
    previous: dict[str, Any] | None
    fail_on: str | None
    day: dt.date
    previous_issue: dict[str, Any] | None = None
    #: Issue 27: the office's language (the summary, the notices' fallback) and each copy's.
    language: str = "en"
    languages: tuple[tuple[str, str], ...] = ()
    contact: str | None = None  # where a worker can complain, on her notice


@dataclass(frozen=True)
class Reports:
    """One audit's report files and what the command prints of it, made where it ran.

    The isolated worker renders the reports itself and sends back only
    these: bytes and a few lines. Sending the inspection instead (every
    record, finding and evidence item as Python objects) cost more than a
    large audit's engine (issue 15: 42 s against 25 s in process).
    """

    stem: str
    files: dict[str, bytes]
    summary: str  # the summary without its "Written:" lines, known only once written
    follow_up: str | None
    fails: bool


def make_reports(order: ReportOrder) -> Reports:
    """Audit, compare with the previous audit if any, and render every file asked for."""
    from auditor.base.gcpause import keep_until_exit
    from auditor.model.plausible import checked_on
    from auditor.pipeline import inspect_records
    from auditor.render import Copy, result_for, safe_name
    from auditor.render.copies_beside import render_copies

    with checked_on(order.day):
        inspection = inspect_records(
            order.source, jurisdiction=order.jurisdiction, rules_dir=order.rules_dir
        )
    if order.previous is not None:
        inspection = follow_up(inspection, order.previous, order.previous_issue)
    keep_until_exit()  # an isolated worker ends once the reports are made
    copies = [Copy(name) for name in order.copies]
    langs = {Copy(name): code for name, code in order.languages}
    per_copy = [name for name in order.formats if name not in PER_AUDIT_FORMATS]
    rendered = {
        extension(copy.value, name): data
        for (copy, name), data in render_copies(inspection, copies, per_copy, langs).items()
    }
    if "notices" in order.formats:  # one file per audit, for the inspector to hand over
        from auditor.render.notices import notices_pdf

        rendered["notices.pdf"] = notices_pdf(inspection, order.language, contact=order.contact)
    if inspection.comparison is not None and "json" in order.formats:
        rendered |= comparison_json(inspection, copies)
    result = inspection.result  # the exit status and summary rest on every finding
    agency = result_for(inspection, Copy.AGENCY) if Copy.AGENCY in copies else None
    follow_up_text = None
    if inspection.comparison is not None:
        follow_up_text = comparison_summary(inspection.comparison, [])
    fails = False
    if order.fail_on:
        threshold = Severity(order.fail_on)
        fails = any(finding.severity >= threshold for finding in result.findings)
    from auditor.i18n import using

    with using(order.language):  # the command's own lines, in the office's language
        text = summary(result, [], agency=agency)
        if inspection.comparison is not None:
            follow_up_text = comparison_summary(inspection.comparison, [])
    return Reports(
        stem=safe_name(result.audit_id),
        files=rendered,
        summary=text,
        follow_up=follow_up_text,
        fails=fails,
    )


def follow_up(
    inspection: Inspection,
    previous: dict[str, Any],
    previous_issue: dict[str, Any] | None = None,
) -> Inspection:
    """The inspection with its comparison to the previous audit (refused: exit 2).

    With the previous audit's issue record, persisting orders keep its due
    dates; the current workbook's refund dates say when a fee was refunded in full.
    """
    from auditor.verdict.compare import compare

    refunded_on = {
        fee.fee_id: fee.refunded_on
        for fee in inspection.dataset.fees
        if fee.refunded_on is not None and (fee.refunded_amount or 0) > 0
    }
    comparison = compare(previous, inspection.result, previous_issue, refunded_on=refunded_on)
    named = inspection.dataset.audit.follow_up_of
    if named is not None and named != previous["audit_id"]:
        note = (
            f"the workbook says it follows up audit {named}, but the previous result given is "
            f"{previous['audit_id']}"
        )
        comparison = comparison.model_copy(update={"notes": (*comparison.notes, note)})
    return dataclasses.replace(inspection, comparison=comparison)


def read_issue_record(path: Path) -> dict[str, Any]:
    """An ``audit-issue/1`` file, read as a dict (checked against the previous result later)."""
    import orjson

    try:
        loaded = orjson.loads(path.read_bytes())
    except OSError as error:
        raise UsageError(f"cannot read the issue record {path}: {error.strerror}") from None
    except orjson.JSONDecodeError:
        raise UsageError(f"the issue record {path} is not JSON") from None
    if not isinstance(loaded, dict) or loaded.get("format") != "audit-issue/1":
        raise UsageError(
            f"{path} is not an issue record (audit-issue/1); give the .issue.json file "
            "written when the previous report was issued"
        )
    return loaded


def comparison_json(inspection: Inspection, copies: list[Copy]) -> dict[str, bytes]:
    """``<audit_id>.comparison.json`` (and ``.agency.comparison.json``) of a follow-up audit."""
    from auditor.render.comparison import comparison_for

    assert inspection.comparison is not None
    return {
        extension(copy.value, "comparison.json"): comparison_for(
            inspection.comparison, copy, inspection.pack
        )
        .to_json()
        .encode("utf-8")
        for copy in copies
    }


def write_outputs(folder: Path, stem: str, rendered: dict[str, bytes]) -> list[Path]:
    """Write each rendering as ``<stem>.<format>`` in ``folder``, never outside it.

    Every file is written in full under a temporary name before any takes
    its real name, so a full disk or a read-only folder leaves no report
    half made; such a failure is the command's misuse (exit 2), not a defect.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        root = folder.resolve()
        for extension, data in rendered.items():
            target = (root / f"{stem}.{extension}").resolve()
            if target.parent != root:  # pragma: no cover - safe_name already prevents it
                raise UsageError(f"refusing to write outside {root}")
            handle, name = tempfile.mkstemp(dir=root, prefix=".auditor-", suffix=".part")
            staged.append((Path(name), target))
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.chmod(name, 0o644)  # mkstemp makes it private; a report is for reading
        for temporary, target in staged:
            os.replace(temporary, target)
    except OSError as error:
        raise UsageError(
            f"cannot write the reports into {folder}: {error.strerror or error}"
        ) from None
    finally:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
    return [target for _, target in staged]
