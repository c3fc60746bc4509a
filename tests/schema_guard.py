"""Every result and comparison the test suite makes is checked against its shipped schema.

``AuditResult.to_json`` and ``Comparison.to_json`` are wrapped for the whole
session (tests/conftest.py), so a key added to the documents without the
schema, or a value the schema refuses, fails the test that made it, not
only tests/test_schemas.py. Documents made in other processes (the isolated
worker, the command line run as a subprocess) are not seen here.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from auditor.model.result import AuditResult
from auditor.schemas import load
from auditor.verdict.compare import Comparison


@cache
def _validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(load(name), format_checker=FormatChecker())


def check(name: str, text: str) -> None:
    """Fail with every error when ``text`` is not valid against the schema ``name``."""
    errors = [
        f"{'/'.join(map(str, error.absolute_path)) or '(document)'}: {error.message}"
        for error in _validator(name).iter_errors(json.loads(text))
    ]
    assert not errors, f"a {name} document breaks its schema:\n" + "\n".join(errors[:20])


def _checked(name: str, to_json: Callable[[Any], str]) -> Callable[[Any], str]:
    def wrapped(self: Any) -> str:
        text = to_json(self)
        check(name, text)
        return text

    return wrapped


@pytest.fixture(scope="session", autouse=True)
def documents_follow_their_schemas() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(AuditResult, "to_json", _checked("result", AuditResult.to_json))
        patch.setattr(Comparison, "to_json", _checked("comparison", Comparison.to_json))
        yield
