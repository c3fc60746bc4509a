"""Shared fixtures: a writer of real workbooks into the test's own folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.builders import Book, base_book, write_book
from tests.schema_guard import documents_follow_their_schemas

__all__ = [
    "documents_follow_their_schemas"
]  # session-wide: results and comparisons follow their schemas


@pytest.fixture
def book() -> Book:
    """A fresh copy of the small valid inspection, to change and write."""
    return base_book()


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """``write(book, name="x.xlsx", **options)`` writes a real workbook and returns its path."""
    counter = iter(range(1_000_000))

    def _write(book: Book, name: str | None = None, **options: Any) -> Path:
        return write_book(tmp_path / (name or f"book{next(counter)}.xlsx"), book, **options)

    return _write
