"""Fixtures of the authoring tests: a private copy of the rules, and the command line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.authoring.tools import Output, copy_rules, run_in_process


@pytest.fixture
def my_rules(tmp_path: Path) -> Path:
    """A copy of the shipped rules, outside the package, for a test to change."""
    return copy_rules(tmp_path / "my-rules")


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Output]:
    """``cli("rules", "lint", ...)`` runs the real command in this process."""

    def run(*args: str | Path) -> Output:
        return run_in_process([str(a) for a in args], capsys)

    return run
