"""Fixtures of the service tests: a real ``auditor serve`` per module, on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.service.harness import Service, serving


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """One running service (one job worker) shared by a module's tests."""
    with serving(tmp_path_factory.mktemp("service")) as running:
        yield running


@pytest.fixture
def sample() -> Path:
    return Path(__file__).resolve().parents[2] / "sample_audits" / "agency-with-problems.xlsx"
