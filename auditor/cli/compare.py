"""``auditor compare`` and the follow-up part of ``auditor audit --previous``.

``compare PREVIOUS.json CURRENT.json`` writes ``<audit_id>.comparison.json``
(and, with ``pdf`` among the formats, ``<audit_id>.comparison.pdf``: the
section "Since the previous audit" on its own) into ``--out``, named after
the current audit. Two audits of different agencies, or given in the wrong
order, exit 2 with one plain sentence (``audit-output.md``, follow-ups).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from auditor.errors import UsageError

FORMATS = ("json", "pdf")
DEFAULT_FORMATS = "json"


def register(commands: Any) -> None:
    """Add the compare command to the parser."""
    command = commands.add_parser(
        "compare",
        help="compare an agency's audit result with its previous one (a follow-up audit)",
    )
    command.add_argument("previous", type=Path, help="the earlier audit's .json result")
    command.add_argument("current", type=Path, help="the later audit's .json result")
    command.add_argument("--out", type=Path, default=Path("."), help="folder for the files")
    command.add_argument(
        "--format",
        default=DEFAULT_FORMATS,
        help=f"comma-separated formats among {', '.join(FORMATS)} (default: {DEFAULT_FORMATS})",
    )
    command.add_argument(
        "--copy",
        default="inspector",
        help="whose copies, comma-separated: inspector and/or agency (findings of confidential "
        "rules only as counts; <audit_id>.agency.comparison.json) (default: inspector)",
    )
    command.add_argument(
        "--rules", type=Path, help="the rule directory that says which rules are confidential"
    )
    command.add_argument(
        "--previous-issue",
        type=Path,
        metavar="PREVIOUS.issue.json",
        help="the previous audit's issue record: persisting orders keep its due dates",
    )
    command.add_argument(
        "--lang",
        metavar="LANG",
        help="the PDF's and the summary's language (default: en, or AUDITOR_LANGUAGE); the "
        "comparison JSON is language-free",
    )
    command.set_defaults(handler=run_compare)


def _names(requested: str, allowed: tuple[str, ...], what: str) -> list[str]:
    names = [name.strip().lower() for name in requested.split(",") if name.strip()]
    unknown = [name for name in names if name not in allowed]
    if unknown or not names:
        raise UsageError(
            f"unknown {what} {', '.join(unknown) or '(none)'}; choose among {', '.join(allowed)}"
        )
    return list(dict.fromkeys(names))


def run_compare(arguments: argparse.Namespace) -> int:
    from auditor.cli.audit import COPIES, _language, extension, read_issue_record, write_outputs
    from auditor.i18n import using
    from auditor.render import Copy, safe_name
    from auditor.render.comparison import comparison_files
    from auditor.render.summary import comparison_summary
    from auditor.verdict.compare import compare, read_result

    office_language = _language(arguments.lang)
    formats = _names(arguments.format, FORMATS, "format")
    copies = [Copy(name) for name in _names(arguments.copy, COPIES, "copy")]
    if arguments.out.exists() and not arguments.out.is_dir():
        raise UsageError(f"--out {arguments.out} is a file; give a folder for the files")
    previous = read_result(arguments.previous, "previous")
    current = read_result(arguments.current, "current")
    issue = read_issue_record(arguments.previous_issue) if arguments.previous_issue else None
    comparison = compare(previous, current, issue)
    rendered: dict[str, bytes] = {}
    with using(office_language):
        for copy in copies:
            for name, data in comparison_files(
                comparison, copy, formats, currency=current["currency"], rules_dir=arguments.rules
            ).items():
                rendered[extension(copy.value, name)] = data
    written = write_outputs(arguments.out, safe_name(comparison.current.audit_id), rendered)
    with using(office_language):
        print(comparison_summary(comparison, written))
    return 0
