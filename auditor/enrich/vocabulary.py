"""The facts rules read: one table of every field, its type, meaning and sources.

Rules never read the workbook directly. Enrichment turns each record into
a fact whose fields are either a workbook value (``briefing_received``) or
a value derived from several records (``worker_paid``,
``recruitment_fee_excess``), so that every rule condition reads one fact.
This table is what rule authors write conditions against; the rule linter
rejects a field that is not in it, and the rule documentation lists it.

A fact of one type also carries the fields of the records it belongs to,
under a prefix: a fee fact reads its worker's fields as ``worker.<field>``,
a worker fact her employer's as ``employer.<field>``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from auditor.model.enums import (
    ChannelKind,
    ChannelOperator,
    ComplaintCategory,
    ContractStage,
    FeeCategory,
    PassportHolder,
    Payee,
    Payer,
    Sector,
    Sex,
    SubjectType,
)


class FactType(StrEnum):
    """The kinds of fact a rule condition can read (``over`` in a rule file)."""

    AGENCY = "agency"
    EMPLOYER = "employer"
    WORKER = "worker"
    CONTRACT = "contract"
    FEE = "fee"
    CHANNEL = "channel"
    COMPLAINT = "complaint"


class FieldType(StrEnum):
    BOOL = "bool"
    NUMBER = "number"
    ENUM = "enum"
    CODE = "code"  # an ISO code: compared by equality with listed codes


@dataclass(frozen=True)
class FieldSpec:
    """One field of a fact type."""

    name: str
    type: FieldType
    meaning: str
    values: tuple[str, ...] = ()
    nullable: bool = True
    unit: str = ""


def _enum(enum: type[StrEnum]) -> tuple[str, ...]:
    return tuple(member.value for member in enum)


B, N, E, C = FieldType.BOOL, FieldType.NUMBER, FieldType.ENUM, FieldType.CODE

_AGENCY = (
    FieldSpec("licence_number_given", B, "agency_licence_number is filled in", nullable=False),
    FieldSpec(
        "licence_days_left",
        N,
        "days from the inspection date to licence_valid_until (negative: it expired before "
        "the inspection); unknown when licence_valid_until is empty",
        unit="days",
    ),
    FieldSpec("channels", N, "number of complaint channels (rows of Channels)", nullable=False),
    FieldSpec(
        "channels_confidential_with_women",
        N,
        "channels with confidential = yes and women_staff_available = yes (a range when some "
        "of those values are unrecorded)",
    ),
    FieldSpec(
        "channels_open_to_domestic_workers",
        N,
        "channels with open_to_domestic_workers = yes (a range when some are unrecorded)",
    ),
    FieldSpec(
        "domestic_workers", N, "workers whose employer's sector is domestic_work", nullable=False
    ),
)

_EMPLOYER = (
    FieldSpec("sector", E, "the employer's sector", _enum(Sector), nullable=False),
    FieldSpec("destination_country", C, "country where the work is done", nullable=False),
    FieldSpec("permit_tied_to_employer", B, "the worker's permit is tied to this employer"),
    FieldSpec(
        "job_change_requires_consent",
        B,
        "the worker needs this employer's consent to change employer",
    ),
    FieldSpec("exit_permit_required", B, "the worker needs the employer's permission to leave"),
    FieldSpec(
        "independent_residency_route",
        B,
        "a victim of violence, trafficking or exploitation can apply for residence independently",
    ),
)

_WORKER = (
    FieldSpec("sex", E, "female, male or other", _enum(Sex), nullable=False),
    FieldSpec("nationality", C, "the worker's nationality", nullable=False),
    FieldSpec(
        "age_at_deployment",
        N,
        "age in whole years on deployment_date; when that is unknown, at most her age on the "
        "inspection date; unknown without a date of birth",
        unit="years",
    ),
    FieldSpec("briefing_received", B, "pre-departure briefing received"),
    FieldSpec(
        "briefing_in_her_language",
        B,
        "one of briefing_languages is among her languages; unknown when briefing_languages "
        "is empty",
    ),
    FieldSpec("has_origin_contract", B, "she has a contract with stage origin", nullable=False),
    FieldSpec("has_contract", B, "she has at least one contract", nullable=False),
    FieldSpec(
        "origin_contract_in_her_language",
        B,
        "one of the latest origin contract's languages is among hers; unknown without one",
    ),
    FieldSpec("passport_held_by", E, "who holds her passport", _enum(PassportHolder)),
    FieldSpec("wages_withheld", B, "wages withheld or delayed more than one month"),
    FieldSpec(
        "wage_paid_to_contract_ratio",
        N,
        "monthly_wage_paid divided by the wage of her latest contract (origin or destination, "
        "by signed_on; a destination contract is later on the same date), both in the audit "
        "currency; unknown when either is missing",
    ),
    FieldSpec(
        "worker_paid_total",
        N,
        "total of the fee rows she bore, in the audit currency (a range when it is unknown "
        "whether she bore some rows)",
        unit="audit currency",
    ),
    FieldSpec(
        "worker_paid_total_above_reference_wage",
        N,
        "worker_paid_total minus her reference wage (the monthly wage of her latest origin "
        "contract; without one, of her latest destination contract; without any contract, her "
        "monthly_wage_paid), in the audit currency; unknown only when all three are",
        unit="audit currency",
    ),
    FieldSpec(
        "has_worker_paid_loan", B, "some fee row she bore was financed by a loan (financed_by_loan)"
    ),
    FieldSpec(
        "recruitment_fee_cap_applies",
        B,
        "the jurisdiction profile lets her pay a recruitment fee up to a cap above zero "
        "(whether or not the cap's amount is known)",
        nullable=False,
    ),
    FieldSpec(
        "recruitment_fee_allowed",
        B,
        "the profile allows her a recruitment fee with a cap above zero; unknown when the cap "
        "depends on a value that is unknown (months of a reference wage: she has no contract "
        "and her monthly_wage_paid is empty)",
    ),
    FieldSpec(
        "recruitment_fee_total",
        N,
        "total of the recruitment_fee rows she bore, in the audit currency",
        unit="audit currency",
    ),
    FieldSpec(
        "recruitment_fee_excess",
        N,
        "recruitment_fee_total minus her cap under the profile (the cap is zero where no "
        "recruitment fee is allowed); unbounded below when the cap is unknown",
        unit="audit currency",
    ),
    FieldSpec("channels_exist", B, "the agency has at least one complaint channel", nullable=False),
    FieldSpec(
        "channel_in_her_language", B, "some channel offers one of her languages", nullable=False
    ),
    FieldSpec(
        "destination_profile_applies",
        B,
        "a destination profile (rules/destinations) covers her: her employer's "
        "destination_country has one, and it covers the employer's sector (catalogue 1.3)",
        nullable=False,
    ),
    FieldSpec(
        "related_costs_against_destination",
        N,
        "total of her fee rows of a related-cost category that the jurisdiction profile lets "
        "her pay and her destination profile does not, in the audit currency (a range when "
        "it is unknown whether she bore some rows); 0 without a destination profile",
        unit="audit currency",
    ),
    FieldSpec(
        "recruitment_fee_over_destination_cap",
        N,
        "where the jurisdiction profile allows her a recruitment fee: recruitment_fee_total "
        "minus her destination profile's cap (zero when it allows none); 0 when the origin "
        "allows none, when there is no destination profile, or when the origin's known cap is "
        "not above the destination's (FEE-06's then); unbounded below when the destination's "
        "cap depends on a wage nobody recorded",
        unit="audit currency",
    ),
)

_CONTRACT = (
    FieldSpec("stage", E, "origin or destination", _enum(ContractStage), nullable=False),
    FieldSpec("copy_given_to_worker", B, "the worker was given a copy"),
    FieldSpec(
        "worker_may_terminate_for_abuse",
        B,
        "she may end the contract without penalty on exploitation, harassment or violence",
    ),
    FieldSpec(
        "termination_penalty",
        N,
        "what she owes for leaving early, in the audit currency",
        unit="audit currency",
    ),
    FieldSpec("passport_retention_clause", B, "the contract lets someone keep her documents"),
    FieldSpec("weekly_hours", N, "normal plus overtime hours per week", unit="hours"),
    FieldSpec("weekly_rest_days", N, "full days of weekly rest", unit="days"),
    FieldSpec(
        "weekly_hours_over_limit",
        N,
        "weekly_hours minus the profile's weekly hours limit (60 in ilo)",
        unit="hours",
    ),
    FieldSpec(
        "weekly_hours_over_forced_labour_threshold",
        N,
        "weekly_hours minus the profile's forced-labour threshold for excessive overtime "
        "(forced_labour_weekly_hours, 60 by default; apart from the legal limit)",
        unit="hours",
    ),
    FieldSpec(
        "wage_to_latest_origin_ratio",
        N,
        "this contract's monthly wage divided by that of her latest origin contract, both in "
        "the audit currency; unknown without an origin contract",
    ),
    FieldSpec(
        "hours_over_latest_origin",
        N,
        "weekly_hours minus those of her latest origin contract; unknown when either is",
        unit="hours",
    ),
    FieldSpec(
        "rest_days_against_latest_origin",
        N,
        "weekly_rest_days minus those of her latest origin contract (negative: fewer); unknown "
        "when either is",
        unit="days",
    ),
)

_FEE = (
    FieldSpec("category", E, "what the payment was for", _enum(FeeCategory), nullable=False),
    FieldSpec("paid_by", E, "who paid", _enum(Payer), nullable=False),
    FieldSpec("paid_to", E, "who received it", _enum(Payee)),
    FieldSpec(
        "amount", N, "the amount, in the audit currency", nullable=False, unit="audit currency"
    ),
    FieldSpec(
        "worker_paid",
        B,
        "the worker bore it: amount above 0 and paid_by = worker or deducted_from_wages = yes; "
        "unknown when paid_by = other without a deduction, or when whether it was deducted is "
        "unrecorded",
    ),
    FieldSpec("deducted_from_wages", B, "collected by deduction from her wages"),
    FieldSpec("receipt_issued", B, "a receipt was issued"),
    FieldSpec("financed_by_loan", B, "she borrowed to pay it"),
    FieldSpec(
        "category_payable",
        B,
        "the jurisdiction profile lets her pay a related cost of this category (never a "
        "recruitment_fee, deposit or illegitimate cost)",
        nullable=False,
    ),
    FieldSpec(
        "intermediary_licensed",
        B,
        "the intermediary it was paid to holds a licence; unknown when not recorded or not paid "
        "to an intermediary",
    ),
)

_CHANNEL = (
    FieldSpec("operated_by", E, "who runs it", _enum(ChannelOperator), nullable=False),
    FieldSpec(
        "kind",
        E,
        "hotline, in_person, email, app, web or other",
        _enum(ChannelKind),
        nullable=False,
    ),
    FieldSpec("free_of_charge", B, "using it costs the worker nothing"),
    FieldSpec("confidential", B, "complaints are kept confidential"),
    FieldSpec("women_staff_available", B, "a woman can take the complaint"),
    FieldSpec("open_to_domestic_workers", B, "domestic workers can use it"),
    FieldSpec("response_days", N, "published longest time to a response", unit="days"),
)

_COMPLAINT = (
    FieldSpec("category", E, "what it was about", _enum(ComplaintCategory), nullable=False),
    FieldSpec("open", B, "not resolved (resolved_on is empty)", nullable=False),
    FieldSpec("worker_penalised", B, "the worker was penalised after complaining"),
    FieldSpec(
        "days_taken",
        N,
        "days from filed_on to resolved_on, or to the inspection date while it is open",
        nullable=False,
        unit="days",
    ),
    FieldSpec(
        "response_limit_days",
        N,
        "the channel's response_days, at most 90; 30 when that is unknown or no channel is given",
        nullable=False,
        unit="days",
    ),
    FieldSpec(
        "days_over_limit", N, "days_taken minus response_limit_days", nullable=False, unit="days"
    ),
)

FIELDS: Mapping[FactType, tuple[FieldSpec, ...]] = {
    FactType.AGENCY: _AGENCY,
    FactType.EMPLOYER: _EMPLOYER,
    FactType.WORKER: _WORKER,
    FactType.CONTRACT: _CONTRACT,
    FactType.FEE: _FEE,
    FactType.CHANNEL: _CHANNEL,
    FactType.COMPLAINT: _COMPLAINT,
}

#: The record a fact belongs to, read through a prefix (``worker.`` on a fee fact).
RELATIONS: Mapping[FactType, tuple[FactType, ...]] = {
    FactType.WORKER: (FactType.EMPLOYER,),
    FactType.CONTRACT: (FactType.WORKER,),
    FactType.FEE: (FactType.WORKER,),
    FactType.COMPLAINT: (FactType.WORKER,),
}

#: The subject a fact type stands for by default (``subject`` in a rule file).
DEFAULT_SUBJECT: Mapping[FactType, SubjectType] = {
    FactType.AGENCY: SubjectType.AGENCY,
    FactType.EMPLOYER: SubjectType.EMPLOYER,
    FactType.WORKER: SubjectType.WORKER,
    FactType.CONTRACT: SubjectType.WORKER,
    FactType.FEE: SubjectType.WORKER,
    FactType.CHANNEL: SubjectType.CHANNEL,
    FactType.COMPLAINT: SubjectType.COMPLAINT,
}

#: Which subjects a fact of each type can speak for (a fee speaks for its worker).
SUBJECTS_OF: Mapping[FactType, frozenset[SubjectType]] = {
    FactType.AGENCY: frozenset({SubjectType.AGENCY}),
    FactType.EMPLOYER: frozenset({SubjectType.EMPLOYER}),
    FactType.WORKER: frozenset({SubjectType.WORKER}),
    FactType.CONTRACT: frozenset({SubjectType.WORKER}),
    FactType.FEE: frozenset({SubjectType.WORKER}),
    FactType.CHANNEL: frozenset({SubjectType.CHANNEL}),
    FactType.COMPLAINT: frozenset({SubjectType.COMPLAINT, SubjectType.WORKER}),
}


def field_spec(fact: FactType, path: str) -> FieldSpec | None:
    """The spec of ``path`` on ``fact`` (``employer.sector`` on a worker), or ``None``."""
    if "." in path:
        prefix, name = path.split(".", 1)
        if prefix not in {r.value for r in RELATIONS.get(fact, ())}:
            return None
        return field_spec(FactType(prefix), name)
    return next((spec for spec in FIELDS[fact] if spec.name == path), None)


def field_names(fact: FactType) -> list[str]:
    """Every path a condition on ``fact`` may read, related records included."""
    names = [spec.name for spec in FIELDS[fact]]
    for related in RELATIONS.get(fact, ()):
        names += [f"{related.value}.{name}" for name in field_names(related)]
    return names
