"""``auditor rules``: the rule catalogue, and the tools to write and prove a rule.

- ``list`` and ``show``: the catalogue, read from the rule files;
- ``lint [PATH]``: every problem of the rule files, with file, line and a hint;
- ``test [PATH] [--examples N]``: each rule's examples and properties, with
  the shrunk counterexample of any that fails;
- ``new ID --paragraph P --subject TYPE``: a rule file to fill in;
- ``docs --out DIR``: the catalogue as Markdown pages.

Every action takes ``--rules DIR`` for a rule directory (with its
``profiles/``) outside the package. ``lint`` and ``test`` exit 1 when they
find a problem, as ``audit --fail-on`` does for findings.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path
from typing import Any

import yaml

from auditor.errors import UsageError

EXIT_OK = 0
EXIT_FAILED = 1


def register(commands: Any) -> None:
    """Add the rules command and its actions to the parser."""
    rules = commands.add_parser("rules", help="the rule catalogue; lint, test and write rules")
    actions = rules.add_subparsers(dest="action", required=True)
    listing = actions.add_parser("list", help="one line per rule")
    listing.add_argument("--rules", type=Path, help="a rule directory (default: shipped)")
    listing.set_defaults(handler=list_rules)
    show = actions.add_parser("show", help="everything about one rule")
    show.add_argument("rule_id")
    show.add_argument("--rules", type=Path, help="a rule directory (default: shipped)")
    show.set_defaults(handler=show_rule)

    lint = actions.add_parser("lint", help="every problem of rule files, with file and line")
    lint.add_argument("path", nargs="?", type=Path, help="a rule file or directory")
    lint.add_argument("--rules", type=Path, help="the rule directory PATH belongs to")
    lint.add_argument(
        "--record",
        action="store_true",
        help="when lint finds no problem, record the pack's version and digest as released "
        "(pack.lock): lint then fails if the rules or profiles change under that version",
    )
    lint.set_defaults(handler=lint_rules)

    test = actions.add_parser("test", help="run each rule's examples and properties")
    test.add_argument("path", nargs="?", type=Path, help="a rule file or directory")
    test.add_argument("--rules", type=Path, help="the rule directory PATH belongs to")
    test.add_argument(
        "--examples",
        type=int,
        default=None,
        metavar="N",
        help=(
            "generated cases per property (default: 10; more finds rarer mistakes); the "
            "check on compliant inspections, shared by all rules, gets five times as many"
        ),
    )
    test.add_argument("--seed", type=int, help="draw other cases than the default run's")
    test.set_defaults(handler=test_rules)

    new = actions.add_parser("new", help="write a rule file to fill in")
    new.add_argument("rule_id", metavar="ID")
    new.add_argument("--paragraph", type=int, required=True, help="11, 16, 26 or 30")
    new.add_argument(
        "--subject",
        required=True,
        help="agency, employer, worker, channel or complaint: whom a finding is about",
    )
    new.add_argument("--rules", type=Path, help="the rule directory to write it in")
    new.set_defaults(handler=new_rule)

    docs = actions.add_parser("docs", help="write the catalogue as Markdown pages")
    docs.add_argument(
        "--out",
        type=Path,
        default=Path("docs/rules"),
        help="folder for the pages (default: docs/rules)",
    )
    docs.add_argument("--rules", type=Path, help="a rule directory (default: shipped)")
    docs.set_defaults(handler=write_docs)


def _shown(path: Path) -> str:
    """A path as the author typed it: relative to the current folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def list_rules(arguments: argparse.Namespace) -> int:
    from auditor.model.destinations import destination_fee_text
    from auditor.pipeline import rule_pack

    pack = rule_pack(arguments.rules)
    rows = sorted(pack.rules, key=lambda r: (r.data.paragraph, r.id))
    print(f"{'id':<9} {'para':<5} {'severity':<9} {'subject':<10} title")
    for rule in rows:
        data = rule.data
        print(
            f"{rule.id:<9} {data.paragraph:<5} {data.severity.value:<9} "
            f"{data.subject.value:<10} {data.title}"
        )
    if len(pack.destinations):  # catalogue 1.3: checked beside the origin's profile (DEST-01)
        print()
        print(f"{'destination':<12} {'status':<16} {'recruitment fee':<40} law")
        for profile in pack.destinations.all():
            print(
                f"{profile.country:<12} {profile.status.value:<16} "
                f"{destination_fee_text(profile):<40} {profile.law}"
            )
    print(
        f"{len(rows)} rules, {len(pack.destinations)} destination profiles, {pack.version}",
        file=sys.stderr,
    )
    return EXIT_OK


def show_rule(arguments: argparse.Namespace) -> int:
    from auditor.pipeline import rule_pack

    pack = rule_pack(arguments.rules)
    try:
        rule = pack.rule(arguments.rule_id.upper())
    except KeyError:
        raise UsageError(f"no rule {arguments.rule_id}; see auditor rules list") from None
    data = rule.data
    print(f"{rule.id}: {data.title}")
    print(
        f"paragraph {data.paragraph}"
        + (
            f" (also {', '.join(map(str, data.related_paragraphs))})"
            if data.related_paragraphs
            else ""
        )
        + f", severity {data.severity.value}, subject {data.subject.value}, "
        f"reads {rule.over.value} facts"
    )
    print("norms:")
    for norm in data.norms:
        print(f"  - {norm}")
    print(f"why: {data.rationale}")
    print(f"finding: {data.finding}")
    print(f"order to remedy: {data.remediation}")
    if data.referral:
        print(f"referral: {data.referral}")
    body: dict[str, Any] = {}
    if data.applies_when is not None:
        body["applies_when"] = data.applies_when
    if data.condition is not None:
        body["condition"] = data.condition
    if data.chain is not None:
        body["chain"] = data.chain.model_dump()
    print(yaml.safe_dump(body, sort_keys=False, allow_unicode=True).rstrip())
    print(f"examples: {len(data.examples)} ({rule.source})")
    return EXIT_OK


def lint_rules(arguments: argparse.Namespace) -> int:
    from auditor.authoring.lint import lint
    from auditor.authoring.release import record, release_check
    from auditor.authoring.target import resolve

    target = resolve(arguments.path, arguments.rules)
    if arguments.record and target.files is not None:
        raise UsageError("--record records the whole pack: give the rule directory, not a file")
    problems = lint(target.directory, target.files)
    warnings: list[str] = []
    if target.files is None and not problems:
        # The whole pack, its files sound: is it released under its version? (Asked only of
        # a pack without other problems: a draft is not yet a release.)
        errors, warnings = release_check(target.directory)
        if arguments.record:
            errors = []  # recording is the answer to them
        problems = errors
    for problem in problems:
        print(f"{_shown(problem.file)}:{problem.line}: {problem.message}")
    files = len(target.chosen())
    if problems:
        count = len(problems)
        print(
            f"{count} problem{'s' if count != 1 else ''} in {_shown(target.directory)}",
            file=sys.stderr,
        )
        return EXIT_FAILED
    checked = f"{files} rule file{'s' if files != 1 else ''}" if files else "the profiles"
    if arguments.record:
        written = record(target.directory)
        print(f"{checked}: no problems; recorded the pack as released in {_shown(written)}")
        return EXIT_OK
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"{checked}: no problems", file=sys.stderr)
    return EXIT_OK


def test_rules(arguments: argparse.Namespace) -> int:
    from auditor.authoring.target import resolve
    from auditor.engine.pack import check_pack
    from auditor.testing.properties import DEFAULT_EXAMPLES, Budget, Checker, RuleReport
    from auditor.testing.runner import Runner

    examples = arguments.examples if arguments.examples is not None else DEFAULT_EXAMPLES
    if examples < 1:
        raise UsageError("--examples must be at least 1")
    target = resolve(arguments.path, arguments.rules)
    pack, problems = check_pack(target.directory)
    if pack is None:
        for problem in problems:
            print(f"{_shown(problem.file)}:{problem.line}: {problem.message}")
        print(
            "the rules do not load; fix these first (auditor rules lint lists them all)",
            file=sys.stderr,
        )
        return EXIT_FAILED
    chosen = {path.resolve() for path in target.chosen()}
    rules = [rule for rule in pack.rules if rule.source.resolve() in chosen]
    if not rules:  # a profile: every rule may read it, so the pack is what to test
        raise UsageError(
            f"{_shown(arguments.path or pack.directory)} holds no rule file; to check a "
            "profile, test every "
            f"rule: auditor rules test --rules {_shown(pack.directory)}"
        )
    print(
        f"testing {len(rules)} rule{'s' if len(rules) != 1 else ''} of "
        f"{_shown(pack.directory)} ({pack.version}), {examples} cases per property",
        file=sys.stderr,
    )

    def done(report: RuleReport) -> None:
        print(report_text(report), flush=True)

    from auditor.pipeline import rule_pack

    checker = Checker(Runner(rule_pack(pack.directory)), Budget(examples, arguments.seed))
    reports = checker.check(rules, done)
    failed = [report.rule_id for report in reports if not report.ok]
    summary = f"{len(reports) - len(failed)} passed, {len(failed)} failed"
    print(summary + (f": {', '.join(failed)}" if failed else ""), file=sys.stderr)
    return EXIT_FAILED if failed else EXIT_OK


def report_text(report: Any) -> str:
    """One rule's result: a line when it passed; every failure with its counterexample if not."""
    if report.ok:
        passed = [r for r in report.results if r.status == "passed"]
        skipped = [r.name for r in report.results if r.status == "not applicable"]
        examples = next((r.cases for r in report.results if r.name == "examples"), 0)
        note = f" ({', '.join(skipped)}: not applicable)" if skipped else ""
        return f"ok    {report.rule_id:<9} {examples} examples, {len(passed) - 1} properties{note}"
    lines = [f"FAIL  {report.rule_id:<9} {', '.join(r.name for r in report.failures)}"]
    for result in report.failures:
        lines.append(f"  {result.name}: " + textwrap.indent(result.detail, "    ").lstrip())
    return "\n".join(lines)


def new_rule(arguments: argparse.Namespace) -> int:
    from auditor.authoring.skeleton import write_skeleton
    from auditor.base.resources import default_rules_dir

    directory = arguments.rules if arguments.rules is not None else default_rules_dir()
    path = write_skeleton(directory, arguments.rule_id, arguments.paragraph, arguments.subject)
    shown = _shown(path)
    print(f"wrote {shown}")
    print(
        f"next: fill in its TODOs, then run auditor rules lint {shown} and auditor rules "
        f"test {shown}",
        file=sys.stderr,
    )
    return EXIT_OK


def write_docs(arguments: argparse.Namespace) -> int:
    from auditor.authoring.docs import write_docs as write
    from auditor.pipeline import rule_pack

    pages = write(rule_pack(arguments.rules), arguments.out)
    print(f"{len(pages)} pages in {_shown(arguments.out)}", file=sys.stderr)
    return EXIT_OK
