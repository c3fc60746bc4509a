"""Several workbooks at once: ``audit``/``validate`` of several inputs, ``batch`` and ``impact``.

Each workbook is audited on its own (:mod:`auditor.batch`), in a local
pool (``--jobs``, default the cores) or on the service's queue
(``--queue redis://...``); one bad workbook is that workbook's line and
status, never the end of the others. The exit status is the worst of the
inputs': 0 done, 1 a finding at or above ``--fail-on``, 2 an input
invalid or unreadable, 3 an audit that crashed or ran out of time.

``auditor validate --format json`` of several inputs prints a JSON array
of problems documents (``audit-problems/1``, one per input, in input
order); of one input it prints that input's document, as before.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from auditor.batch.job import DONE, EXIT_BY_STATUS, VALID
from auditor.errors import UsageError

EXIT_FINDINGS = 1


def several(inputs: list[Path]) -> bool:
    """Whether ``audit``/``validate`` were given more than one workbook (or a folder)."""
    return len(inputs) != 1 or inputs[0].is_dir()


def add_pool_options(parser: argparse.ArgumentParser, *, queue: bool = True) -> None:
    """``--jobs`` (and ``--queue``, ``--stale-after``) for any command of several workbooks."""
    parser.add_argument(
        "--jobs",
        type=_positive_int,
        default=None,
        metavar="N",
        help="audits at once on this machine, each in its own process (default: the cores)",
    )
    if queue:
        parser.add_argument(
            "--queue",
            metavar="URL",
            help="send each workbook as one job to the service's queue (redis://host:port/db), "
            "where any auditor worker takes it; inputs and --out must be on storage the "
            "workers share",
        )
        parser.add_argument(
            "--stale-after",
            type=float,
            default=30.0,
            metavar="SECONDS",
            help="with --queue: send a job again when its worker has given no sign of life "
            "for this long (default: 30)",
        )


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number above 0, got {text!r}")
    return value


def run_rows(
    arguments: argparse.Namespace,
    inputs: list[Path],
    *,
    work: Path,
    mode: str,
    formats: tuple[str, ...] = (),
    copies: tuple[str, ...] = (),
    rules_dir: Path | None = None,
    verb: str = "auditing",
) -> list[dict[str, Any]]:
    """Plan and run one job per input; every input's row, in order."""
    from auditor.batch.inputs import plan
    from auditor.batch.run import default_jobs, run, start_local_workers
    from auditor.cli.audit import DEFAULT_TIMEOUT_S
    from auditor.engine.pack import rule_pack_version

    queue = getattr(arguments, "queue", None)
    if queue is None:
        start_local_workers(pdf="pdf" in formats)
    version = rule_pack_version(rules_dir)  # a broken rule directory: exit 2 before any work
    planned, notes = plan(
        inputs,
        work=work,
        mode=mode,
        ruleset_version=version,
        formats=formats,
        copies=copies,
        jurisdiction=arguments.jurisdiction,
        rules_dir=rules_dir,
        timeout_s=getattr(arguments, "timeout", None) or DEFAULT_TIMEOUT_S,
    )
    for note in notes:
        print(f"auditor: {note}", file=sys.stderr)
    if not planned:
        raise UsageError("no workbook to audit in " + ", ".join(str(p) for p in inputs))
    return run(
        planned,
        jobs=arguments.jobs or default_jobs(),
        verb=verb,
        queue=queue,
        options={"stale_after_s": arguments.stale_after} if queue else None,
    )


def exit_status(rows: list[dict[str, Any]], fail_on: str | None) -> int:
    """The worst of the inputs' statuses."""
    from auditor.model.enums import Severity

    worst = 0
    for row in rows:
        status = EXIT_BY_STATUS[row["status"]]
        if row["status"] == DONE and fail_on:
            threshold = Severity(fail_on)
            if any(Severity(s) >= threshold for s in row.get("severities", [])):
                status = EXIT_FINDINGS
        worst = max(worst, status)
    return worst


def report_refusals(rows: list[dict[str, Any]]) -> None:
    """Each input that was not audited, and why, on standard error."""
    for row in rows:
        if row["status"] in (DONE, VALID):
            continue
        for problem in row.get("problems", []):
            print(f"{row['source']}: {problem}", file=sys.stderr)
        print(f"auditor: {row['source']}: {row['status']}: {row['message']}", file=sys.stderr)


def audit_several(arguments: argparse.Namespace) -> int:
    """``auditor audit`` of several workbooks and folders (audit-output.md 1.1)."""
    from auditor.batch.outputs import place
    from auditor.cli.audit import _copies, _formats

    if getattr(arguments, "previous", None):
        raise UsageError("--previous takes one workbook only")
    if arguments.in_process:
        raise UsageError("--in-process takes one workbook only")
    formats, copies = tuple(_formats(arguments.format)), tuple(_copies(arguments.copy))
    out: Path = arguments.out
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file; give a folder for the reports")
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=out, prefix=".auditor-batch-"))
    try:
        rows = run_rows(
            arguments,
            arguments.workbook,
            work=work,
            mode="audit",
            formats=formats,
            copies=copies,
            rules_dir=arguments.rules,
        )
        written = place(rows, out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for row, paths in zip(rows, written, strict=True):
        if row["status"] == DONE:
            print(f"{row['source']}:")
            print("\n".join([row["summary"], *(f"Written: {p}" for p in paths)]).strip())
    report_refusals(rows)
    return exit_status(rows, arguments.fail_on)


def validate_several(arguments: argparse.Namespace) -> int:
    """``auditor validate`` of several workbooks and folders."""
    with tempfile.TemporaryDirectory(prefix="auditor-validate-") as work:
        rows = run_rows(
            arguments,
            arguments.workbook,
            work=Path(work),
            mode="validate",
            rules_dir=arguments.rules,
            verb="checking",
        )
    if arguments.format == "json":
        documents = [row["document"] for row in rows if "document" in row]
        sys.stdout.write(json.dumps(documents, indent=2, ensure_ascii=False) + "\n")
    for row in rows:
        if "document" not in row:  # not read at all (missing, or the check itself failed)
            print(f"auditor: {row['source']}: {row['message']}", file=sys.stderr)
            continue
        if arguments.format != "json":
            for line in row["lines"]:
                print(f"{row['source']}: {line}")
        print(row["message"], file=sys.stderr)
    return max((EXIT_BY_STATUS[row["status"]] for row in rows), default=0)


def register(commands: Any) -> None:
    """Add ``batch`` and ``impact``."""
    from auditor.cli.audit import DEFAULT_FORMATS, FORMATS, _seconds

    batch = commands.add_parser(
        "batch", help="audit every workbook of folders into --out, with a summary ranking them"
    )
    batch.add_argument("inputs", type=Path, nargs="+", metavar="DIR", help="folders or workbooks")
    batch.add_argument("--out", type=Path, required=True, help="folder for reports and summary")
    batch.add_argument(
        "--format", default=None, help=f"among {', '.join(FORMATS)} (default: {DEFAULT_FORMATS})"
    )
    batch.add_argument("--copy", default="inspector", help="inspector and/or agency")
    batch.add_argument("--jurisdiction", help="profile id (overrides each workbook's)")
    batch.add_argument("--rules", type=Path, help="a rule directory (default: the shipped rules)")
    batch.add_argument(
        "--fail-on",
        choices=["critical", "high", "medium", "low"],
        help="exit with status 1 when an audit has a finding at or above this severity",
    )
    batch.add_argument(
        "--timeout",
        type=_seconds,
        default=None,
        metavar="SECONDS",
        help="stop one workbook's audit that runs longer (that workbook fails, exit 3)",
    )
    add_pool_options(batch)
    batch.set_defaults(handler=run_batch)

    impact = commands.add_parser(
        "impact", help="audit folders under the rules in force and under --rules; what changes"
    )
    impact.add_argument("inputs", type=Path, nargs="+", metavar="DIR", help="folders or workbooks")
    impact.add_argument("--rules", type=Path, required=True, help="the proposed rule directory")
    impact.add_argument(
        "--current-rules", type=Path, help="the rules in force (default: the shipped rules)"
    )
    impact.add_argument("--out", type=Path, required=True, help="folder for impact.*")
    impact.add_argument("--jurisdiction", help="profile id (overrides each workbook's)")
    impact.add_argument(
        "--timeout",
        type=_seconds,
        default=None,
        metavar="SECONDS",
        help="stop one workbook's audit that runs longer (that workbook fails, exit 3)",
    )
    add_pool_options(impact)
    impact.set_defaults(handler=run_impact)


def _out_folder(out: Path) -> Path:
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file; give a folder")
    out.mkdir(parents=True, exist_ok=True)
    return out


def run_batch(arguments: argparse.Namespace) -> int:
    """Every workbook audited into ``--out``, then ``summary.json`` and ``summary.xlsx``.

    Resumable: each job's folder under ``--out/.auditor-batch`` is named by
    the input's digest, the rule pack version and the options, so a second
    run skips every workbook already done.
    """
    from auditor.batch import summary
    from auditor.batch.inputs import WORK_FOLDER
    from auditor.batch.job import write_atomically
    from auditor.batch.outputs import place
    from auditor.cli.audit import _copies, _formats
    from auditor.engine.pack import rule_pack_version

    formats, copies = tuple(_formats(arguments.format)), tuple(_copies(arguments.copy))
    out = _out_folder(arguments.out)
    rows = run_rows(
        arguments,
        arguments.inputs,
        work=out / WORK_FOLDER,
        mode="audit",
        formats=formats,
        copies=copies,
        rules_dir=arguments.rules,
    )
    written = place(rows, out)
    for row, paths in zip(rows, written, strict=True):
        row["outputs"] = [path.name for path in paths]
    document = summary.build(rows, rule_pack_version(arguments.rules))
    write_atomically(out / "summary.json", summary.as_json(document))
    write_atomically(out / "summary.xlsx", summary.as_xlsx(document))
    report_refusals(rows)
    print(
        f"Batch: {document['audited']} of {document['inputs']} workbook(s) audited "
        f"({document['invalid']} invalid, {document['failed']} failed); ranking in "
        f"{out / 'summary.xlsx'} and {out / 'summary.json'}"
    )
    return exit_status(rows, arguments.fail_on)


def run_impact(arguments: argparse.Namespace) -> int:
    """Each workbook under the rules in force and under ``--rules``; ``impact.*`` in ``--out``."""
    from auditor.batch import impact
    from auditor.batch.inputs import WORK_FOLDER
    from auditor.batch.packdiff import describe
    from auditor.engine.pack import rule_pack_version

    out = _out_folder(arguments.out)
    both = []
    sides = ((arguments.current_rules, "current rules"), (arguments.rules, "new rules"))
    for rules, name in sides:
        # Progress names the pack that runs: "current rules 1.2.0+1da7e79b7e3d".
        verb = f"{name} {rule_pack_version(rules)}"
        print(f"auditor: auditing under the {verb} ({rules or 'shipped'})", file=sys.stderr)
        both.append(
            run_rows(
                arguments,
                arguments.inputs,
                work=out / WORK_FOLDER,
                mode="audit",
                formats=("json",),
                copies=("inspector",),
                rules_dir=rules,
                verb=verb,
            )
        )
    changes = describe(arguments.current_rules, arguments.rules)
    written = impact.write(both[0], both[1], out, changes)
    # An input refused under the rules in force is said once; the new rules' own failures too.
    report_refusals(
        both[0] + [new for old, new in zip(*both, strict=True) if old["status"] == DONE]
    )
    for path in written:
        print(f"Written: {path}")
    return max(exit_status(rows, None) for rows in both)
