"""Values of derived facts, with "unknown" as a first-class value.

Rules decide in three-valued (Kleene) logic: a condition holds, fails, or
is undecided because a value was not recorded. Derived values therefore
say how much is known:

- a yes/no fact is ``True``, ``False`` or ``None`` (unknown);
- an enumeration is its value or ``None``;
- a number is an :class:`Interval` of exact rationals: one value when
  known (``Interval(x, x)``), a range when part of it is unknown (a total
  over fee rows some of which may or may not be the worker's), and
  unbounded on a side where nothing is known.

Everything is exact (``Decimal`` from the workbook, ``Fraction`` for
ratios); rounding happens only when an amount is reported.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

Exact = Decimal | Fraction | int


class Interval(NamedTuple):
    """Every value the number might have: ``lo <= value <= hi``; ``None`` is unbounded."""

    lo: Exact | None
    hi: Exact | None

    @classmethod
    def exactly(cls, value: Exact) -> Interval:
        return cls(value, value)

    @property
    def known(self) -> bool:
        return self.lo is not None and self.lo == self.hi

    def minus(self, other: Interval) -> Interval:
        """Every value of ``self - other``: the ends cross over."""
        lo = None if self.lo is None or other.hi is None else _difference(self.lo, other.hi)
        hi = None if self.hi is None or other.lo is None else _difference(self.hi, other.lo)
        return Interval(lo, hi)

    def divided_by(self, positive: Exact) -> Interval:
        """Divide by a known positive number, exactly."""
        divisor = Fraction(positive)
        lo = None if self.lo is None else Fraction(self.lo) / divisor
        hi = None if self.hi is None else Fraction(self.hi) / divisor
        return Interval(lo, hi)


def _difference(a: Exact, b: Exact) -> Exact:
    """``a - b`` exactly; a Decimal and a Fraction meet as Fractions."""
    if isinstance(a, Decimal) and isinstance(b, Decimal):
        return a - b
    return Fraction(a) - Fraction(b)


UNKNOWN_NUMBER = Interval(None, None)

#: A derived value as rules see it.
Value = bool | str | Interval | None


def known(value: Exact | None) -> Interval:
    """A recorded number, or the unknown interval when it was left empty."""
    return UNKNOWN_NUMBER if value is None else Interval(value, value)


def kleene_and(*values: bool | None) -> bool | None:
    if any(v is False for v in values):
        return False
    if all(v is True for v in values):
        return True
    return None


def kleene_or(*values: bool | None) -> bool | None:
    if any(v is True for v in values):
        return True
    if all(v is False for v in values):
        return False
    return None


def kleene_not(value: bool | None) -> bool | None:
    return None if value is None else not value
