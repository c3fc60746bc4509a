"""Jurisdiction profiles: what a country's law lets a worker pay, as data.

A profile file (``rules/profiles/<id>.yaml``) states, with its sources and
the date they were checked, which fee categories a worker may lawfully
pay, whether a capped recruitment fee is allowed and where, the weekly
hours limit, and any severity or weight overrides. Allowances are scoped by
the sector and destination of the worker's employer; the first recruitment
fee allowance whose scope covers a worker is hers, and none means the fee
is not allowed at all (the ``ilo`` baseline).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Annotated, Literal, Self

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from auditor.base import yamltext
from auditor.base.resources import default_rules_dir
from auditor.errors import RulePackError
from auditor.model.enums import FeeCategory, Sector, Severity
from auditor.model.values import ValueProblem, to_country, to_currency

#: Categories no profile may let a worker pay (catalogue, FEE-03).
NEVER_PAYABLE = frozenset({FeeCategory.DEPOSIT, FeeCategory.ILLEGITIMATE})

DEFAULT_PROFILE_ID = "ilo"
DEFAULT_WEIGHTS: Mapping[Severity, int] = {
    Severity.CRITICAL: 30,
    Severity.HIGH: 10,
    Severity.MEDIUM: 3,
    Severity.LOW: 1,
}


class ProfileError(RulePackError):
    """A profile file that cannot be used; the message lists every problem with a hint."""


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _countries(codes: Iterable[str]) -> tuple[str, ...]:
    out = []
    for code in codes:
        try:
            out.append(to_country(code))
        except ValueProblem as problem:
            raise ValueError(problem.for_field("destination")) from None
    return tuple(out)


class Scope(_Strict):
    """Where an allowance applies, by the employer's sector and destination country.

    ``sectors``/``destinations`` restrict it to those; ``except_*`` exclude.
    """

    sectors: tuple[Sector, ...] | None = None
    except_sectors: tuple[Sector, ...] = ()
    destinations: tuple[str, ...] | None = None
    except_destinations: tuple[str, ...] = ()

    @field_validator("destinations", "except_destinations", mode="before")
    @classmethod
    def _country_codes(cls, value: object) -> object:
        if value is None:
            return None
        if not isinstance(value, list | tuple):
            raise ValueError("must be a list of two-letter country codes")
        return _countries(str(code) for code in value)

    def covers(self, sector: Sector, destination: str) -> bool:
        if self.sectors is not None and sector not in self.sectors:
            return False
        if sector in self.except_sectors:
            return False
        if self.destinations is not None and destination not in self.destinations:
            return False
        return destination not in self.except_destinations


class Cap(_Strict):
    """A recruitment fee cap: a fixed amount in a currency, or months of the origin wage."""

    amount: Decimal | None = Field(None, gt=0)
    currency: str | None = None
    months_of_origin_wage: Decimal | None = Field(None, gt=0)

    @field_validator("currency", mode="before")
    @classmethod
    def _currency(cls, value: object) -> object:
        if value is None:
            return None
        try:
            return to_currency(value)
        except ValueProblem as problem:
            raise ValueError(problem.for_field("currency")) from None

    @model_validator(mode="after")
    def _one_kind(self) -> Self:
        fixed = self.amount is not None
        monthly = self.months_of_origin_wage is not None
        if fixed == monthly:
            raise ValueError("give either amount with currency, or months_of_origin_wage")
        if fixed and self.currency is None:
            raise ValueError("a fixed amount needs its currency")
        return self


class FeeAllowance(Scope):
    """A recruitment fee the worker may pay, up to ``cap``, where the scope covers her."""

    cap: Cap


class CostAllowance(Scope):
    """Related-cost categories the worker may pay where the scope covers her."""

    categories: tuple[FeeCategory, ...] = Field(min_length=1)

    @field_validator("categories")
    @classmethod
    def _only_related_costs(cls, value: tuple[FeeCategory, ...]) -> tuple[FeeCategory, ...]:
        wrong = [c.value for c in value if c in NEVER_PAYABLE or c is FeeCategory.RECRUITMENT_FEE]
        if wrong:
            raise ValueError(
                f"{', '.join(wrong)} cannot be listed here: recruitment fees go under "
                "recruitment_fee, and deposits and illegitimate costs are never payable"
            )
        return value


class Source(_Strict):
    title: str = Field(min_length=1)
    url: str | None = None
    note: str | None = None


class Profile(_Strict):
    """One jurisdiction profile, as loaded from its file."""

    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    sources: tuple[Source, ...] = Field(min_length=1)
    checked_on: dt.date
    uncertain: str | None = None
    recruitment_fee: tuple[FeeAllowance, ...] = ()
    worker_may_pay: tuple[CostAllowance, ...] = ()
    weekly_hours_limit: Annotated[Decimal, Field(gt=0)] = Decimal(60)
    #: FL-01's "excessive overtime" (catalogue 1.2): apart from the legal limit, so a
    #: 48-hour limit does not make every 49-hour contract a forced-labour indicator.
    forced_labour_weekly_hours: Annotated[Decimal, Field(gt=0)] = Decimal(60)
    #: How sure the profile's law is (catalogue 1.2): ``checked`` (read in the official
    #: source on ``checked_on``) or ``to_be_confirmed``, with ``caveat``, the one plain
    #: sentence a report prints beside every profile-dependent finding.
    status: Literal["checked", "to_be_confirmed"] = "to_be_confirmed"
    caveat: str | None = None
    #: A rule's legal basis under this profile (``{FEE-05: "..."}``), cited instead of the
    #: catalogue's general text.
    legal_basis: dict[str, str] = Field(default_factory=dict)
    severity_overrides: dict[str, Severity] = Field(default_factory=dict)
    weights: dict[Severity, int] = Field(default_factory=lambda: dict(DEFAULT_WEIGHTS))

    @field_validator("weights")
    @classmethod
    def _all_weights(cls, value: dict[Severity, int]) -> dict[Severity, int]:
        # The score multiplies (1 - points/100) (catalogue 1.2): a weight of 100 or more
        # would make a factor zero or negative.
        wrong = [f"{s.value} {w}" for s, w in value.items() if not 0 <= w < 100]
        if wrong:
            raise ValueError(f"weights must be at least 0 and below 100: {', '.join(wrong)}")
        return {**DEFAULT_WEIGHTS, **value}

    @model_validator(mode="after")
    def _sure_and_consistent(self) -> Self:
        if self.status == "to_be_confirmed" and not (self.caveat or "").strip():
            raise ValueError(
                "status to_be_confirmed needs caveat: one plain sentence naming what is "
                "uncertain, printed beside every finding that rests on this profile"
            )
        if self.forced_labour_weekly_hours < self.weekly_hours_limit:
            raise ValueError(
                f"forced_labour_weekly_hours ({self.forced_labour_weekly_hours}) must be at "
                f"least weekly_hours_limit ({self.weekly_hours_limit}): hours within the legal "
                "limit cannot be a forced-labour indicator"
            )
        return self

    @property
    def to_be_confirmed(self) -> bool:
        return self.status == "to_be_confirmed"

    @property
    def key(self) -> str:
        """Case-folded id: profile ids match case-insensitively."""
        return self.id.casefold()

    def fee_allowance(self, sector: Sector, destination: str) -> FeeAllowance | None:
        """The recruitment fee allowance for a worker of this sector and destination, if any."""
        return next((a for a in self.recruitment_fee if a.covers(sector, destination)), None)

    def may_pay(self, category: FeeCategory, sector: Sector, destination: str) -> bool:
        """Whether the worker may lawfully pay a related cost of this category."""
        return any(
            category in allowance.categories and allowance.covers(sector, destination)
            for allowance in self.worker_may_pay
        )

    def cap_currencies(self) -> frozenset[str]:
        return frozenset(a.cap.currency for a in self.recruitment_fee if a.cap.currency)


class ProfileSet:
    """The profiles available to an audit, looked up case-insensitively."""

    def __init__(self, profiles: Iterable[Profile]) -> None:
        self._by_key: dict[str, Profile] = {}
        for profile in profiles:
            if profile.key in self._by_key:
                raise ProfileError(f"two profiles have the id {profile.id!r}")
            self._by_key[profile.key] = profile

    def get(self, profile_id: str) -> Profile | None:
        return self._by_key.get(profile_id.strip().casefold())

    def all(self) -> list[Profile]:
        return sorted(self._by_key.values(), key=lambda p: p.key)

    def ids(self) -> list[str]:
        return sorted((p.id for p in self._by_key.values()), key=str.casefold)

    def __contains__(self, profile_id: object) -> bool:
        return isinstance(profile_id, str) and self.get(profile_id) is not None

    def resolve(self, *, explicit: str | None, origin_country: str) -> Profile | None:
        """The profile in force: explicit id, else the origin country's, else ``ilo``.

        Returns ``None`` when an explicit id names no profile (an input error).
        """
        if explicit:
            return self.get(explicit)
        return self.get(origin_country) or self.get(DEFAULT_PROFILE_ID)


def load_profile(path: Path, content: bytes | None = None) -> Profile:
    """Load one profile file (or its ``content``), listing every problem with its field."""
    try:
        raw = content if content is not None else path.read_bytes()
        data = yamltext.load(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ProfileError(f"{path}: cannot be read as YAML: {error}") from None
    try:
        return Profile.model_validate(data)
    except ValidationError as error:
        lines = [
            f"{path}: {'.'.join(str(p) for p in e['loc']) or '(top)'}: {e['msg']}"
            for e in error.errors()
        ]
        raise ProfileError("\n".join(lines)) from None


def load_profiles(directory: Path) -> ProfileSet:
    """All profiles of a rules directory (``<dir>/profiles/*.yaml``), parsed once per content.

    Keyed by the files' bytes, not only the folder, so that a long-running
    process (a licensing system's server, a rule author's session) sees an
    edited profile at once, as the rule pack itself does.
    """
    files = sorted((directory / "profiles").glob("*.yaml"))
    if not files:
        raise ProfileError(f"{directory / 'profiles'}: no profile files found")
    return _parsed_profiles(tuple((path, path.read_bytes()) for path in files))


@cache
def _parsed_profiles(contents: tuple[tuple[Path, bytes], ...]) -> ProfileSet:
    return ProfileSet(load_profile(path, content) for path, content in contents)


def default_profiles() -> ProfileSet:
    """The shipped profiles (``rules/profiles``)."""
    return load_profiles(default_rules_dir())
