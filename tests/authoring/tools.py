"""What the authoring tests share: a rule directory to break, the command line, line numbers.

Every test works on a copy of the shipped rules in its own temporary
folder, so the shipped rules are never touched, and runs the real
``auditor`` command: in this process through :func:`auditor.cli.main`
where that is quick, or as a child process where the test is about the
command as a user runs it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from auditor.base.resources import default_rules_dir
from auditor.cli import main

ROOT = Path(__file__).resolve().parents[2]
RULES = default_rules_dir()
#: ``file:line: message``, as lint prints a problem.
PROBLEM = re.compile(r"^(?P<file>.+?):(?P<line>\d+): (?P<message>.+)$")


def copy_rules(target: Path) -> Path:
    """A copy of the shipped rule directory (rules and profiles) at ``target``."""
    shutil.copytree(RULES, target)
    return target


def line_of(path: Path, needle: str, start: int = 1) -> int:
    """The number of the first line of ``path`` at or after ``start`` that contains ``needle``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if number >= start and needle in line:
            return number
    raise AssertionError(f"{path} has no line with {needle!r}")


@dataclass(frozen=True)
class Output:
    """What a command printed, and its exit status."""

    status: int
    out: str
    err: str

    @property
    def problems(self) -> list[tuple[Path, int, str]]:
        """Lint's ``file:line: message`` lines, the file resolved."""
        found = []
        for text in self.out.splitlines():
            match = PROBLEM.match(text)
            if match:
                found.append((Path(match["file"]).resolve(), int(match["line"]), match["message"]))
        return found


def run_in_process(args: list[str], capsys: pytest.CaptureFixture[str]) -> Output:
    """``auditor ARGS`` through the real entry point, in this process (quick)."""
    capsys.readouterr()
    status = main(args)
    captured = capsys.readouterr()
    return Output(status, captured.out, captured.err)


def run_command(args: list[str], cwd: Path | None = None, timeout: float = 300) -> Output:
    """``python -m auditor ARGS`` as a child process, as a user runs it."""
    done = subprocess.run(
        [sys.executable, "-m", "auditor", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return Output(done.returncode, done.stdout, done.stderr)


# -- the guide -------------------------------------------------------------------------------

GUIDE = ROOT / "docs" / "rule-authoring.md"
_FENCE = re.compile(r"^```(?P<lang>\w*)\n(?P<body>.*?)^```$", re.MULTILINE | re.DOTALL)
_STATUS = re.compile(r"<!-- exit status (?P<status>\d+) -->\s*\Z")


@dataclass(frozen=True)
class Command:
    """A ``console`` box: one command, what it prints, the exit status the guide says."""

    line: str
    expected: tuple[str, ...]
    status: int


@dataclass(frozen=True)
class WriteFile:
    """A ``yaml`` box whose first line is ``# <path>``: the reader writes that file."""

    path: str
    text: str


def guide_steps(text: str | None = None) -> list[Command | WriteFile]:
    """The guide's boxes in order; any other kind of box is a mistake of the guide."""
    text = GUIDE.read_text(encoding="utf-8") if text is None else text
    steps: list[Command | WriteFile] = []
    for match in _FENCE.finditer(text):
        lang, body = match["lang"], match["body"]
        before = _STATUS.search(text[: match.start()])
        if lang == "console":
            lines = body.rstrip("\n").split("\n")
            assert lines[0].startswith("$ "), f"a console box starts with its command: {body}"
            assert not any(line.startswith("$ ") for line in lines[1:]), f"one command: {body}"
            status = int(before["status"]) if before else 0
            steps.append(Command(lines[0][2:], tuple(lines[1:]), status))
        elif lang == "yaml":
            first, _, _ = body.partition("\n")
            assert first.startswith("# "), f"a yaml box starts with # <path>: {body[:80]}"
            steps.append(WriteFile(first[2:].strip(), body))
        else:
            raise AssertionError(f"the guide has a {lang or 'plain'} box the test cannot run")
    return steps


def final_file(path: str) -> str:
    """The text the guide leaves in ``path`` (its last box for that file)."""
    return [s.text for s in guide_steps() if isinstance(s, WriteFile) and s.path == path][-1]
