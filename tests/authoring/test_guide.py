"""docs/rule-authoring.md works as written: every command of it is run, in order.

The guide is a walk-through for a policy analyst: copy the rules, start
PREG-01, lint it, write it with a mistake that ``auditor rules test``
catches with a counterexample, fix it, audit with it; then add a
country's profile with a fee cap. This test runs every ``console`` box
of the guide in a fresh project folder (a copy of the shipped rules and
sample workbooks, and a ``.venv/bin/auditor`` that runs this checkout),
writes each ``yaml`` box to the file its first line names, and checks
that each command prints what the guide shows and ends with the exit
status the guide says. The shipped rules are never touched.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from tests.authoring.tools import GUIDE, ROOT, Command, WriteFile, guide_steps

ANY_LINES = "..."


def _pattern(expected: str) -> re.Pattern[str]:
    """A line of the guide's output, where ``...`` stands for any text."""
    return re.compile(".*".join(re.escape(part) for part in expected.split(ANY_LINES)) + r"\Z")


def matches(expected: Sequence[str], actual: Sequence[str]) -> bool:
    """Whether the output is the guide's, line for line; a line ``...`` is any lines."""
    if not expected:
        return not actual
    head, rest = expected[0].rstrip(), expected[1:]
    if head == ANY_LINES:
        return any(matches(rest, actual[i:]) for i in range(len(actual) + 1))
    return (
        bool(actual)
        and bool(_pattern(head).match(actual[0].rstrip()))
        and matches(rest, actual[1:])
    )


def _project(folder: Path) -> Path:
    """A fresh project folder: the shipped rules and samples, and ``.venv/bin/auditor``."""
    shutil.copytree(ROOT / "rules", folder / "rules")
    shutil.copytree(
        ROOT / "sample_audits", folder / "sample_audits", ignore=shutil.ignore_patterns("*.py")
    )
    script = folder / ".venv" / "bin" / "auditor"
    script.parent.mkdir(parents=True)
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m auditor "$@"\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return folder


def _run(command: Command, cwd: Path) -> tuple[int, list[str]]:
    environment = {**os.environ, "PYTHONUNBUFFERED": "1"}  # stdout and stderr in the order said
    done = subprocess.run(
        shlex.split(command.line),
        cwd=cwd,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=600,
        check=False,
    )
    lines = done.stdout.rstrip("\n").split("\n") if done.stdout.strip() else []
    return done.returncode, lines


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_the_walk_through_works_from_a_fresh_copy(tmp_path: Path) -> None:
    shipped = _snapshot(ROOT / "rules")
    work = _project(tmp_path / "project")
    for number, step in enumerate(guide_steps(), start=1):
        if isinstance(step, WriteFile):
            target = work / step.path
            assert target.resolve().is_relative_to(work.resolve()), step.path
            target.write_text(step.text, encoding="utf-8")
            continue
        status, output = _run(step, work)
        shown = "\n".join(output)
        assert status == step.status, (
            f"step {number}, {step.line}: exit status {status}, the guide says {step.status}\n"
            f"{shown}"
        )
        assert matches(step.expected, output), (
            f"step {number}, {step.line}: the guide shows\n"
            + "\n".join(step.expected)
            + f"\nbut it printed\n{shown}"
        )
    assert _snapshot(ROOT / "rules") == shipped


def test_the_guide_shows_a_mistake_caught_and_then_fixed() -> None:
    """A rules test that fails with a counterexample table, then the same rule passing."""
    commands = [step for step in guide_steps() if isinstance(step, Command)]
    tests = [c for c in commands if " rules test my-rules/PREG-01.yaml" in c.line]
    assert [c.status for c in tests] == [1, 0]
    failed, passed = tests
    assert any(line.startswith("FAIL  PREG-01") for line in failed.expected)
    assert any(re.match(r"^ {4}\| W\d+ ", line) for line in failed.expected)
    assert any(line.startswith("ok    PREG-01") for line in passed.expected)
    lints = [c for c in commands if " rules lint" in c.line]
    assert {c.status for c in lints} == {0, 1}, "lint is shown finding problems and none"
    assert any(" audit " in c.line and "--rules my-rules" in c.line for c in commands)
    assert any(
        "profiles/XX.yaml" in step.path for step in guide_steps() if isinstance(step, WriteFile)
    )
    assert any(  # catalogue 1.3: how to add a destination profile
        "destinations/OM.yaml" in step.path for step in guide_steps() if isinstance(step, WriteFile)
    )


def test_every_command_is_in_a_box_the_test_runs() -> None:
    """A command shown outside a box would not be run by the walk-through test."""
    text = re.sub(r"^```.*?^```$", "", GUIDE.read_text(encoding="utf-8"), flags=re.M | re.S)
    assert ".venv/bin/" not in text
    assert "$ " not in text


def test_matching_output_with_left_out_lines() -> None:
    """``...`` stands for any text within a line, and for any lines on a line of its own."""
    assert matches(["a", "...", "d"], ["a", "b", "c", "d"])
    assert matches(["a (rules-...)"], ["a (rules-12ab)"])
    assert matches(["a", "..."], ["a"])
    assert not matches(["a", "d"], ["a", "b", "d"])
    assert not matches(["a"], ["a", "b"])
    assert not matches(["a (rules-...)"], ["a (rules-12ab) and more"])
