"""Values of derived facts, with "unknown" as a first-class value.

Rules decide in three-valued (Kleene) logic: a condition holds, fails, or
is undecided because a value was not recorded. Derived values therefore
say how much is known:

- a yes/no fact is ``True``, ``False`` or ``None`` (unknown);
- an enumeration is its value or ``None``;
- a number is exact when known: a ``Decimal`` (from the workbook, or a sum
  or difference of such), or a :class:`Ratio` of two exact numbers; when
  part of it is unknown it is an :class:`Interval` (a total over fee rows
  some of which may or may not be the worker's), unbounded on a side where
  nothing is known. A known number is not wrapped in an interval: a
  50,000-worker audit derives over a million of them.

Everything is exact (``Decimal`` from the workbook, ``Fraction`` for
ratios); rounding happens only when an amount is reported.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple


class Ratio(NamedTuple):
    """``num / den`` exactly (``den > 0``), kept unreduced: reducing costs more than it saves."""

    num: int
    den: int

    @classmethod
    def of(cls, top: Decimal, bottom: Decimal) -> Ratio:
        """``top / bottom`` for a positive ``bottom``."""
        tn, td = top.as_integer_ratio()
        bn, bd = bottom.as_integer_ratio()
        return cls(tn * bd, td * bn)

    def fraction(self) -> Fraction:
        return Fraction(self.num, self.den)


Exact = Decimal | Fraction | int | Ratio


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


def as_fraction(value: Exact) -> Fraction:
    return value.fraction() if isinstance(value, Ratio) else Fraction(value)


def _difference(a: Exact, b: Exact) -> Exact:
    """``a - b`` exactly; anything but two Decimals meets as Fractions."""
    if isinstance(a, Decimal) and isinstance(b, Decimal):
        return a - b
    return as_fraction(a) - as_fraction(b)


UNKNOWN_NUMBER = Interval(None, None)

#: A number as rules see it: exact when known, an interval otherwise.
Number = Decimal | Ratio | Interval

#: A derived value as rules see it.
Value = bool | str | Decimal | Ratio | Interval | None


def known(value: Decimal | None) -> Decimal | Interval:
    """A recorded number, or the unknown interval when it was left empty."""
    return UNKNOWN_NUMBER if value is None else value


def bounds(value: Value) -> tuple[Exact | None, Exact | None]:
    """The least and greatest values a number may have (``None``: unbounded)."""
    if isinstance(value, Interval):
        return value.lo, value.hi
    assert isinstance(value, Decimal | Ratio | int), value
    return value, value


def to_interval(value: Number) -> Interval:
    low, high = bounds(value)
    return Interval(low, high)


def subtract(a: Number, b: Number) -> Number:
    """``a - b`` for numbers that may be ranges; exact when both are."""
    if isinstance(a, Decimal) and isinstance(b, Decimal):
        return a - b
    return to_interval(a).minus(to_interval(b))


def divide(value: Number, divisor: Decimal) -> Number:
    """``value / divisor`` for a known positive divisor, exactly."""
    if isinstance(value, Decimal):
        return Ratio.of(value, divisor)
    low, high = bounds(value)
    d = Fraction(divisor)
    return Interval(
        None if low is None else as_fraction(low) / d,
        None if high is None else as_fraction(high) / d,
    )


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
