"""Destination profiles: what the law of the country of work lets a worker bear, as data.

Catalogue 1.3 ("Corridor law"). The origin's jurisdiction profile stays the
law the inspector enforces; a destination profile (``rules/destinations/
<country>.yaml``) states, for workers whose employer's ``destination_country``
is that country, which related-cost categories a worker may lawfully bear
there and whether a recruitment fee is allowed, up to which cap. DEST-01
reads what enrichment derives from it; a destination profile never changes
what the origin's rules find nor the money owed.

A destination profile is never chosen with ``--jurisdiction``: it is found
by the worker's destination, and only covers the sectors it names (Qatar's
Labour Law excludes domestic workers, so ``QA`` covers the others).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Self

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from auditor.base import yamltext
from auditor.base.resources import default_rules_dir
from auditor.model.enums import FeeCategory, Sector
from auditor.model.profiles import NEVER_PAYABLE, ProfileError, Source
from auditor.model.values import ValueProblem, to_country, to_currency

#: The folder of a rules directory that holds destination profiles.
DESTINATIONS_DIR = "destinations"


class Status(StrEnum):
    """How sure a profile's law is (catalogue 1.2): read in the official text, or not yet."""

    CHECKED = "checked"
    TO_BE_CONFIRMED = "to_be_confirmed"


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SectorScope(_Strict):
    """The sectors a part of a destination profile covers: ``sectors`` only, or all but
    ``except_sectors`` (the employer's sector decides)."""

    sectors: tuple[Sector, ...] | None = None
    except_sectors: tuple[Sector, ...] = ()

    def covers(self, sector: Sector) -> bool:
        if self.sectors is not None and sector not in self.sectors:
            return False
        return sector not in self.except_sectors


class DestinationCap(_Strict):
    """A recruitment fee cap at destination; exactly one kind.

    - ``amount`` with ``currency``: a fixed amount (it needs an ``FX`` rate as
      any amount does, unless it is in the audit currency);
    - ``months_of_reference_wage``: months (or a share, e.g. 0.5) of her
      reference wage (catalogue, "Reference wage");
    - ``share_of_destination_wage``: a share of her first month's wage at
      destination: ``monthly_wage_paid``, else her latest destination
      contract's wage, else her reference wage (Hong Kong: 10%).
    """

    amount: Decimal | None = Field(None, gt=0)
    currency: str | None = None
    months_of_reference_wage: Decimal | None = Field(None, gt=0)
    share_of_destination_wage: Decimal | None = Field(None, gt=0, le=1)

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
        kinds = [
            self.amount is not None,
            self.months_of_reference_wage is not None,
            self.share_of_destination_wage is not None,
        ]
        if sum(kinds) != 1:
            raise ValueError(
                "give exactly one of: amount with currency, months_of_reference_wage, "
                "share_of_destination_wage"
            )
        if self.amount is not None and self.currency is None:
            raise ValueError("a fixed amount needs its currency")
        if self.amount is None and self.currency is not None:
            raise ValueError("currency goes with a fixed amount only")
        return self


class DestinationFee(SectorScope):
    """A recruitment fee the worker may bear at destination, up to ``cap``, in these sectors."""

    cap: DestinationCap


class DestinationCosts(SectorScope):
    """Related costs the worker may bear at destination in these sectors.

    Either ``categories`` (those only), or ``as_origin: true``: the
    destination's law says nothing of them, so what the origin allows stands.
    """

    categories: tuple[FeeCategory, ...] = ()
    as_origin: bool = False

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

    @model_validator(mode="after")
    def _one_kind(self) -> Self:
        if self.as_origin == bool(self.categories):
            raise ValueError("give either categories or as_origin: true")
        return self


class DestinationProfile(SectorScope):
    """One destination country's law on what a worker may bear, as loaded from its file.

    ``sectors``/``except_sectors`` say which workers it covers at all: a
    worker outside them has no destination profile (DEST-01 does not apply
    to her, and that is no data gap).
    """

    country: str
    name: str = Field(min_length=1)
    law: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    sources: tuple[Source, ...] = Field(min_length=1)
    checked_on: dt.date
    status: Status
    caveat: str | None = None
    to_confirm: str | None = None
    claims_to: str = Field(min_length=1)
    recruitment_fee: DestinationFee | None = None
    worker_may_bear: tuple[DestinationCosts, ...] = ()

    @field_validator("country", mode="before")
    @classmethod
    def _country(cls, value: object) -> object:
        try:
            return to_country(str(value))
        except ValueProblem as problem:
            raise ValueError(problem.for_field("country")) from None

    @model_validator(mode="after")
    def _uncertainty_said(self) -> Self:
        if self.status is Status.TO_BE_CONFIRMED and not (self.caveat and self.to_confirm):
            raise ValueError(
                "a to_be_confirmed profile needs caveat (one sentence printed beside its "
                "findings) and to_confirm (what must be checked in the official text)"
            )
        return self

    def fee_cap(self, sector: Sector) -> DestinationCap | None:
        """Her recruitment fee cap at destination; ``None``: no recruitment fee at all."""
        fee = self.recruitment_fee
        return fee.cap if fee is not None and fee.covers(sector) else None

    def may_bear(self, category: FeeCategory, sector: Sector, *, origin_allows: bool) -> bool:
        """Whether she may lawfully bear a related cost of ``category`` for work here."""
        for allowance in self.worker_may_bear:
            if not allowance.covers(sector):
                continue
            if allowance.as_origin and origin_allows:
                return True
            if category in allowance.categories:
                return True
        return False

    @property
    def cap_currencies(self) -> frozenset[str]:
        fee = self.recruitment_fee
        return frozenset({fee.cap.currency} if fee is not None and fee.cap.currency else ())


class DestinationSet:
    """The destination profiles of a pack, by country."""

    def __init__(self, profiles: Iterable[DestinationProfile] = ()) -> None:
        self._by_country: dict[str, DestinationProfile] = {}
        for profile in profiles:
            if profile.country in self._by_country:
                raise ProfileError(f"two destination profiles are for {profile.country}")
            self._by_country[profile.country] = profile

    def get(self, country: str) -> DestinationProfile | None:
        return self._by_country.get(country.strip().upper())

    def for_worker(self, country: str, sector: Sector) -> DestinationProfile | None:
        """The profile covering a worker of this destination and sector, if any."""
        profile = self._by_country.get(country)
        return profile if profile is not None and profile.covers(sector) else None

    def all(self) -> list[DestinationProfile]:
        return [self._by_country[key] for key in sorted(self._by_country)]

    def countries(self) -> list[str]:
        return sorted(self._by_country)

    def __len__(self) -> int:
        return len(self._by_country)

    def __contains__(self, country: object) -> bool:
        return isinstance(country, str) and self.get(country) is not None


NO_DESTINATIONS = DestinationSet()


def load_destination(path: Path, content: bytes | None = None) -> DestinationProfile:
    """Load one destination profile file, listing every problem with its field.

    The file's name must be its country code (``QA.yaml`` for ``country: QA``),
    so that the folder reads as the list of destinations it covers.
    """
    try:
        raw = content if content is not None else path.read_bytes()
        data = yamltext.load(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ProfileError(f"{path}: cannot be read as YAML: {error}") from None
    try:
        profile = DestinationProfile.model_validate(data)
    except ValidationError as error:
        lines = [
            f"{path}: {'.'.join(str(p) for p in e['loc']) or '(top)'}: {e['msg']}"
            for e in error.errors()
        ]
        raise ProfileError("\n".join(lines)) from None
    if path.stem.upper() != profile.country:
        raise ProfileError(
            f"{path}: country is {profile.country}; name the file {profile.country}.yaml"
        )
    return profile


def destination_fee_text(profile: DestinationProfile) -> str:
    """The recruitment fee a destination allows, in a few words (lists and pages)."""
    fee = profile.recruitment_fee
    if fee is None:
        return "none"
    cap = fee.cap
    if cap.amount is not None:
        text = f"at most {cap.amount} {cap.currency}"
    elif cap.months_of_reference_wage is not None:
        text = f"at most {cap.months_of_reference_wage} months of the reference wage"
    else:
        assert cap.share_of_destination_wage is not None
        share = (cap.share_of_destination_wage * 100).normalize()
        text = f"at most {share:f}% of the first month's wage"
    scope = _sectors_text(fee)
    return f"{text}{scope}"


def related_costs_text(profile: DestinationProfile) -> str:
    """The related costs a worker may bear there, in a few words."""
    parts = []
    for allowance in profile.worker_may_bear:
        what = (
            "as the origin allows"
            if allowance.as_origin
            else ", ".join(c.value for c in allowance.categories)
        )
        parts.append(f"{what}{_sectors_text(allowance)}")
    return "; ".join(parts) if parts else "none"


def covered_text(profile: DestinationProfile) -> str:
    """Which workers of the destination the profile covers, by their employer's sector."""
    if profile.sectors is not None:
        return "sectors " + ", ".join(s.value for s in profile.sectors)
    if profile.except_sectors:
        return "every sector except " + ", ".join(s.value for s in profile.except_sectors)
    return "every sector"


def _sectors_text(scope: SectorScope) -> str:
    if scope.sectors is not None:
        return f" (sectors {', '.join(s.value for s in scope.sectors)})"
    if scope.except_sectors:
        return f" (except {', '.join(s.value for s in scope.except_sectors)})"
    return ""


def destination_files(directory: Path) -> list[Path]:
    return sorted((directory / DESTINATIONS_DIR).glob("*.yaml"))


def load_destinations(directory: Path) -> DestinationSet:
    """The destination profiles of a rules directory (none when it has no such folder)."""
    files = destination_files(directory)
    return _parsed(tuple((path, path.read_bytes()) for path in files))


@cache
def _parsed(contents: tuple[tuple[Path, bytes], ...]) -> DestinationSet:
    problems: list[str] = []
    profiles = []
    for path, content in contents:
        try:
            profiles.append(load_destination(path, content))
        except ProfileError as error:
            problems.append(str(error))
    if problems:
        raise ProfileError("\n".join(problems))
    return DestinationSet(profiles)


def default_destinations() -> DestinationSet:
    """The shipped destination profiles (``rules/destinations``)."""
    return load_destinations(default_rules_dir())
