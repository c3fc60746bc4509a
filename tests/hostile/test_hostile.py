"""Every hostile input, through the real command line and through the library.

Each case of :mod:`tests.hostile.corpus` either audits correctly (exit 0,
one report file) or is refused with exactly its problems (exit 2, printed
on standard error, no file, no traceback). The command runs in a
subprocess under an address-space limit where ``prlimit`` exists, so a
bomb that got through would fail the test instead of the machine; its
timeout is a hang guard only, never a measure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

import auditor
from tests.hostile.corpus import CASES, REPORT, Case, readme_table, write_corpus

HERE = Path(__file__).resolve().parent
#: Address space allowed to one command: far above an honest audit of these files (~300 MB),
#: far below what any of the bombs would take.
MEMORY_LIMIT = 3 * 1024**3
HANG_GUARD_S = 120


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str
    files: list[str]
    out: Path


def _command(path: Path, out: Path) -> list[str]:
    script = Path(sys.executable).with_name("auditor")
    base = [str(script)] if script.exists() else [sys.executable, "-m", "auditor"]
    command = [*base, "audit", str(path), "--out", str(out), "--format", "json"]
    prlimit = shutil.which("prlimit")
    return [prlimit, f"--as={MEMORY_LIMIT}", "--", *command] if prlimit else command


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_corpus(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="session")
def runs(corpus: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    """Every case through ``auditor audit``, several subprocesses at a time."""
    root = tmp_path_factory.mktemp("reports")
    environment = {**os.environ, "PYTHONHASHSEED": "0"}
    environment.pop("AUDITOR_DEBUG", None)

    def run(case: Case) -> Run:
        out = root / case.name
        try:
            done = subprocess.run(
                _command(corpus[case.name], out),
                capture_output=True,
                text=True,
                timeout=HANG_GUARD_S,
                check=False,
                env=environment,
            )
        except subprocess.TimeoutExpired:
            return Run(-1, "", f"hung for {HANG_GUARD_S} s", [], out)
        files = sorted(p.name for p in out.iterdir()) if out.exists() else []
        return Run(done.returncode, done.stdout, done.stderr, files, out)

    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        return dict(zip((case.name for case in CASES), pool.map(run, CASES), strict=True))


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_the_command_line(case: Case, runs: dict[str, Run]) -> None:
    run = runs[case.name]
    assert "Traceback" not in run.stderr
    if case.audits:
        assert run.code == 0, run.stderr
        assert run.files == [REPORT]
        document = json.loads((run.out / REPORT).read_text(encoding="utf-8"))
        assert document["format"] == "audit-result/1"
        for warning in case.warnings:
            assert warning in document["warnings"]
        if case.check is not None:
            case.check(document)
    else:
        assert run.code == 2, run.stderr
        assert run.stderr.splitlines() == list(case.problems)
        assert run.stdout == ""
        assert run.files == []
        assert not run.out.exists()


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_the_library(case: Case, corpus: dict[str, Path], runs: dict[str, Run]) -> None:
    path = corpus[case.name]
    # In this process no memory limit guards the machine: repeat only what the command line,
    # under its limit, answered as expected (a bomb that got through fails that test instead).
    if runs[case.name].code != (0 if case.audits else 2):
        pytest.fail(f"the command line answered {runs[case.name].code}; not repeated here")
    if case.audits:
        result = auditor.audit(path)
        for warning in case.warnings:
            assert warning in result.warnings
        # The same bytes as the command line wrote, from another process.
        assert result.to_json().encode() == (runs[case.name].out / REPORT).read_bytes()
        return
    expected = auditor.LimitExceeded if case.limit else auditor.InvalidInput
    with pytest.raises(expected) as caught:
        auditor.audit(path)
    assert type(caught.value) is expected
    assert [str(problem) for problem in caught.value.problems] == list(case.problems)
    if not case.limit:
        assert [str(p) for p in auditor.validate(path).errors] == list(case.problems)


def test_the_readme_lists_every_case() -> None:
    readme = (HERE / "README.md").read_text(encoding="utf-8")
    assert readme_table() in readme, "regenerate with: python -m tests.hostile.corpus --readme"
