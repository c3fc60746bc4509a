"""What the chosen jurisdiction profile lets a worker pay, as one line of the template's Guide.

A clerk fills the Fees sheet better knowing which payments matter: under
Nepal's profile a worker may pay insurance, training, the medical and her
documents for seven destinations, and at most NPR 10,000 of recruitment fee;
under the ILO baseline she pays nothing. The line is written from the
profile itself (the same allowances the rules read), never from a text of
its own, so a changed profile changes the Guide with it.
"""

from __future__ import annotations

from decimal import Decimal

from auditor.model.profiles import Cap, Profile, Scope


def fee_line(profile: Profile) -> str:
    """The Guide's sentence on fees under ``profile``."""
    allowed: list[str] = []
    for fee in profile.recruitment_fee:
        allowed.append(f"a recruitment fee of at most {_cap(fee.cap)}{_scope(fee)}")
    for costs in profile.worker_may_pay:
        names = ", ".join(category.value for category in costs.categories)
        allowed.append(f"these costs: {names}{_scope(costs)}")
    who = f"Fees under {profile.name} ({profile.id}): "
    if not allowed:
        may = "the worker may pay no recruitment fee and no related cost"
    else:
        may = (
            "the worker may pay "
            + "; and ".join(allowed)
            + "; the rules check every other payment by the worker"
        )
    return f"{who}{may}. Record every payment on the Fees sheet, whoever paid it, by category."


def _cap(cap: Cap) -> str:
    if cap.amount is not None:
        return f"{cap.currency} {_number(cap.amount)}"
    months = cap.months_of_origin_wage or Decimal(0)
    unit = "month" if months == 1 else "months"
    return f"{_number(months)} {unit} of the origin contract's wage"


def _number(value: Decimal) -> str:
    whole = value == value.to_integral_value()
    return f"{int(value):,}" if whole else f"{value:,}"


def _scope(scope: Scope) -> str:
    parts: list[str] = []
    if scope.destinations is not None:
        parts.append("to " + ", ".join(scope.destinations))
    if scope.except_destinations:
        parts.append("except to " + ", ".join(scope.except_destinations))
    if scope.sectors is not None:
        parts.append("in " + ", ".join(sector.value for sector in scope.sectors))
    if scope.except_sectors:
        parts.append("except in " + ", ".join(sector.value for sector in scope.except_sectors))
    return f" ({'; '.join(parts)})" if parts else ""
