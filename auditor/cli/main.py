"""The ``auditor`` command: parse arguments, call the library, print, exit.

Exit status (``audit-output.md``): 0 the command did its job; 1 an audit
found a finding at or above ``--fail-on``; 2 the input is invalid or
unreadable, or the command was misused. Anything else is a defect of the
engine (3), reported in one line; set ``AUDITOR_DEBUG=1`` for the traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from auditor.model.messages import Lookup

from auditor.errors import (
    AuditorError,
    EngineCrash,
    EngineError,
    EngineTimeout,
    InvalidInput,
    ResourceMissing,
    RulePackError,
    UsageError,
)

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INVALID = 2
EXIT_DEFECT = 3

Handler = Callable[[argparse.Namespace], int]


class _Parser(argparse.ArgumentParser):
    """argparse, but a misuse exits 2 with one line of usage help (its default is 2 too)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"auditor: {message}", file=sys.stderr)
        raise SystemExit(EXIT_INVALID)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="auditor",
        description=(
            "Audit a recruitment agency's inspection workbook against UNGA 74/127 and ILO norms."
        ),
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    validate = commands.add_parser(
        "validate", help="check a workbook (or a .json dataset) and list every problem"
    )
    validate.add_argument(
        "workbook",
        type=Path,
        nargs="+",
        help=".xlsx/.ods workbooks, .json datasets, or folders of workbooks",
    )
    validate.add_argument(
        "--jurisdiction", help="profile id to check against (overrides the workbook)"
    )
    validate.add_argument(
        "--rules", type=Path, help="a rule directory with its profiles/ (default: shipped)"
    )
    validate.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text: one problem a line (default); json: the problems document (auditor schema "
        "problems), a JSON array of them for several inputs",
    )
    from auditor.i18n import shipped_codes

    validate.add_argument(
        "--lang",
        default=None,
        metavar="LANG",
        help=f"the problems' language, among {', '.join(shipped_codes())} (default: en, or "
        "AUDITOR_LANGUAGE); the JSON problems document stays English",
    )
    from auditor.cli.batch import add_pool_options

    add_pool_options(validate, queue=False)
    validate.set_defaults(handler=_validate)

    schema = commands.add_parser(
        "schema", help="print a JSON Schema (draft 2020-12) of an input or output document"
    )
    schema.add_argument("name", choices=("input", "result", "comparison", "problems", "issue"))
    schema.set_defaults(handler=_schema)

    template = commands.add_parser("template", help="write a blank workbook in the current format")
    template.add_argument("--out", type=Path, default=Path("inspection-template.xlsx"))
    template.add_argument("--rules", type=Path, help="a rule directory with its profiles/")
    template.add_argument(
        "--jurisdiction",
        help="profile id whose examples the help gives (NP: Nepal, NPR, ne), filled in on Audit",
    )
    template.set_defaults(handler=_template)

    from auditor.cli import audit as cli_audit
    from auditor.cli import batch as cli_batch
    from auditor.cli import compare as cli_compare
    from auditor.cli import issue as cli_issue
    from auditor.cli import rules as cli_rules
    from auditor.cli import service as cli_service

    cli_audit.register(commands)
    cli_compare.register(commands)
    cli_issue.register(commands)
    cli_batch.register(commands)
    cli_rules.register(commands)
    cli_service.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    arguments = parser.parse_args(argv)
    handler: Handler = arguments.handler
    try:
        return handler(arguments)
    except InvalidInput as error:
        lookup = problem_lookup(arguments)
        for problem in error.problems:
            print(problem.line(lookup) if lookup else problem, file=sys.stderr)
        return EXIT_INVALID
    except (UsageError, RulePackError) as error:
        print(f"auditor: {error}", file=sys.stderr)
        return EXIT_INVALID
    except ResourceMissing as error:  # a broken installation: not the input's fault
        print(f"auditor: {error}", file=sys.stderr)
        return EXIT_DEFECT
    except (EngineTimeout, EngineCrash) as error:  # the message says what happened and why
        print(f"auditor: {error}", file=sys.stderr)
        return EXIT_DEFECT
    except EngineError as error:
        print(f"auditor: the rule engine failed: {error}", file=sys.stderr)
        return EXIT_DEFECT
    except AuditorError as error:
        print(f"auditor: {error}", file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        print("auditor: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (| head): stop quietly, without a second error at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as error:  # a defect: one line, the traceback only on request
        print(
            f"auditor: internal error ({type(error).__name__}: {error}); this is a defect of "
            "auditor, not of your workbook. Set AUDITOR_DEBUG=1 to see the traceback.",
            file=sys.stderr,
        )
        if os.environ.get("AUDITOR_DEBUG"):
            traceback.print_exc()
        return EXIT_DEFECT


def problem_lookup(arguments: argparse.Namespace) -> Lookup | None:
    """The catalogue problems are printed in: the command's ``--lang`` (or
    ``AUDITOR_LANGUAGE``); None for English or a command without ``--lang``.

    An unknown language was refused (exit 2) before any input was read, so a
    code that is not shipped here is English rather than a second error.
    """
    if not hasattr(arguments, "lang"):
        return None
    from auditor.i18n import translator

    requested = arguments.lang or os.environ.get("AUDITOR_LANGUAGE") or "en"
    try:
        chosen = translator(requested)
    except UsageError:
        return None
    return None if chosen.english else chosen.catalogue.gettext


def _validate(arguments: argparse.Namespace) -> int:
    from auditor.cli import batch as cli_batch
    from auditor.cli.audit import _language

    _language(arguments.lang)  # an unknown language is exit 2 before the input is read

    if cli_batch.several(arguments.workbook):
        return cli_batch.validate_several(arguments)
    arguments.workbook = arguments.workbook[0]
    from auditor.errors import LimitExceeded
    from auditor.ingest.load import load
    from auditor.model.problems import ValidationReport, problems_json

    try:
        dataset, report = load(
            arguments.workbook, jurisdiction=arguments.jurisdiction, rules_dir=arguments.rules
        )
    except LimitExceeded as refused:  # validate prints every problem on standard output
        dataset, report = None, ValidationReport(refused.problems, refused.warnings)
    if arguments.format == "json":
        sys.stdout.write(problems_json(str(arguments.workbook), report))
    else:
        for line in report.lines(problem_lookup(arguments)):
            print(line)
    from auditor.i18n import gettext, ngettext, using

    with using(_language(arguments.lang)):  # the summary in the problems' language
        if report.errors:
            count = len(report.errors)
            print(
                ngettext(
                    "%(source)s: %(num)s problem",
                    "%(source)s: %(num)s problems",
                    count,
                    source=arguments.workbook,
                ),
                file=sys.stderr,
            )
            return EXIT_INVALID
        assert dataset is not None
        print(
            gettext(
                "%(source)s: valid (%(workers)s workers, %(employers)s employers, %(fees)s fees)",
                source=arguments.workbook,
                workers=len(dataset.workers),
                employers=len(dataset.employers),
                fees=len(dataset.fees),
            ),
            file=sys.stderr,
        )
    return EXIT_OK


def _schema(arguments: argparse.Namespace) -> int:
    from auditor.schemas import shipped

    sys.stdout.write(shipped(arguments.name))
    return EXIT_OK


def _template(arguments: argparse.Namespace) -> int:
    from auditor.ingest.load import profiles_for
    from auditor.ingest.template import write_template

    profiles = profiles_for(arguments.rules)
    ids = tuple(profiles.ids())
    chosen = arguments.jurisdiction
    if chosen is not None:
        matches = [i for i in ids if i.lower() == chosen.strip().lower()]
        if not matches:
            print(
                f"auditor template: no jurisdiction profile {chosen!r}; "
                f"available: {', '.join(ids)}",
                file=sys.stderr,
            )
            return EXIT_INVALID
        chosen = matches[0]
    profile = profiles.get(chosen) if chosen is not None else None
    path = write_template(arguments.out, jurisdictions=ids, jurisdiction=chosen, profile=profile)
    print(f"template written to {path}", file=sys.stderr)
    return EXIT_OK
