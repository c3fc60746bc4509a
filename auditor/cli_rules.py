"""``auditor rules``: the rule catalogue, read from the rule files themselves."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import yaml

from auditor.errors import UsageError

EXIT_OK = 0


def register(commands: Any) -> None:
    """Add the rules command and its actions to the parser."""
    rules = commands.add_parser("rules", help="the rule catalogue, from the rule files")
    actions = rules.add_subparsers(dest="action", required=True)
    listing = actions.add_parser("list", help="one line per rule")
    listing.add_argument("--rules", type=Path)
    listing.set_defaults(handler=list_rules)
    show = actions.add_parser("show", help="everything about one rule")
    show.add_argument("rule_id")
    show.add_argument("--rules", type=Path)
    show.set_defaults(handler=show_rule)


def list_rules(arguments: argparse.Namespace) -> int:
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
    print(f"{len(rows)} rules, {pack.version}", file=sys.stderr)
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
