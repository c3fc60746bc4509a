"""One pydantic model per sheet of the inspection workbook (format version 1).

Field names are the names everywhere: sheet columns, model fields, JSON
keys. Field order is the column order of the template. An empty optional
value is ``None``, meaning "not recorded", which is never the same as
``False``.
"""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from auditor.model.columns import (
    Amount,
    ChannelKindColumn,
    ComplaintCategoryColumn,
    Country,
    Currency,
    Date,
    Days,
    FeeCategoryColumn,
    Hours,
    Id,
    Languages,
    OperatorColumn,
    OptAmount,
    OptBool,
    OptCurrency,
    OptDate,
    OptId,
    OptLanguages,
    OptSubjectTypeColumn,
    OptText,
    PassportHolderColumn,
    PayeeColumn,
    PayerColumn,
    Rate,
    Ref,
    RestDays,
    SectorColumn,
    SexColumn,
    SourceKindColumn,
    StageColumn,
    Text,
    Wage,
)


class Record(BaseModel):
    """Base of every sheet's record: immutable, and strict about unknown keys.

    ``SHEET`` names the sheet, ``ID_FIELD`` its identifier column (``None`` for
    the Audit sheet and FX, whose key is the currency).
    """

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=False)

    SHEET: ClassVar[str]
    ID_FIELD: ClassVar[str | None]


class AuditInfo(Record):
    """Sheet ``Audit``: one field per row (``field`` / ``value`` columns)."""

    SHEET: ClassVar[str] = "Audit"
    ID_FIELD: ClassVar[str | None] = None

    audit_id: Id = Field(description="The inspection's reference number.")
    agency_name: Text = Field(description="The recruitment agency inspected.")
    agency_licence_number: OptText = Field(
        None,
        description="The agency's licence number; leave empty if the agency showed no licence.",
    )
    licence_valid_until: OptDate = Field(None, description="Expiry date of that licence.")
    origin_country: Country = Field(description="Country where the agency recruits (e.g. PH).")
    jurisdiction: OptText = Field(
        None,
        description=(
            "Jurisdiction profile to apply (ilo, PH, NP, ID). Empty: the origin country's "
            "profile if there is one, else ilo."
        ),
    )
    inspection_date: Date = Field(description="The date the facts were recorded.")
    inspector: OptText = Field(None, description="Name of the inspector, printed on the report.")
    currency: Currency = Field(
        description="Currency in which the report states totals and refunds (e.g. USD)."
    )
    follow_up_of: OptText = Field(
        None,
        description="audit_id of the earlier audit this inspection follows up, if it is one.",
    )
    follow_up_due: OptDate = Field(
        None, description="When the next visit is due (may be after the inspection date)."
    )
    agency_address: OptText = Field(None, description="The agency's address, for the report.")
    case_reference: OptText = Field(None, description="The inspectorate's file number.")
    observations: OptText = Field(
        None,
        description=(
            "The inspector's own observations, printed as written in the inspector's copy only."
        ),
    )


class Employer(Record):
    """A row of ``Employers`` (``employers`` in a dataset): an employer abroad and its sector."""

    SHEET: ClassVar[str] = "Employers"
    ID_FIELD: ClassVar[str | None] = "employer_id"

    employer_id: Id = Field(description="Reference of the employer.")
    name: Text = Field(description="Name of the employer.")
    destination_country: Country = Field(description="Country where the work is done.")
    sector: SectorColumn = Field(description="Sector of the work.")
    permit_tied_to_employer: OptBool = Field(
        None, description="The worker's residence or work permit is tied to this employer."
    )
    job_change_requires_consent: OptBool = Field(
        None, description="The worker needs this employer's consent to change employer."
    )
    exit_permit_required: OptBool = Field(
        None, description="The worker needs the employer's permission to leave the country."
    )
    independent_residency_route: OptBool = Field(
        None,
        description=(
            "A worker who is a victim of violence, trafficking or exploitation can apply for "
            "residence independently of this employer."
        ),
    )


class Worker(Record):
    """A row of ``Workers`` (``workers``): one migrant worker, by pseudonymous id, never by name."""

    SHEET: ClassVar[str] = "Workers"
    ID_FIELD: ClassVar[str | None] = "worker_id"

    worker_id: Id = Field(description="A pseudonymous reference. Never a name.")
    sex: SexColumn = Field(description="female, male or other (F, M, X also accepted).")
    date_of_birth: OptDate = Field(None, description="Date of birth.")
    nationality: Country = Field(description="Nationality (two-letter country code).")
    employer_id: Annotated[Id, Ref("Employers")] = Field(
        description="The worker's employer: an employer_id from the Employers sheet."
    )
    languages: Languages = Field(
        description="Languages the worker reads and understands (codes, comma-separated: en, tl)."
    )
    deployment_date: OptDate = Field(None, description="Date of departure from the origin country.")
    monthly_wage_paid: OptAmount = Field(
        None, description="Wage actually received per month at destination, as last recorded."
    )
    wage_currency: OptCurrency = Field(
        None, description="Currency of monthly_wage_paid (required when a wage is given)."
    )
    briefing_received: OptBool = Field(
        None,
        description=(
            "The worker received pre-departure information on costs and benefits of migration, "
            "rights, working conditions and legal procedures."
        ),
    )
    briefing_languages: OptLanguages = Field(
        None, description="Languages that briefing was given in."
    )
    passport_held_by: PassportHolderColumn = Field(
        None, description="Who holds the worker's passport: worker, employer, agency or other."
    )
    wages_withheld: OptBool = Field(
        None, description="Wages due were withheld or delayed more than one month."
    )


class Contract(Record):
    """A row of ``Contracts`` (``contracts``): a worker's contract at one stage."""

    SHEET: ClassVar[str] = "Contracts"
    ID_FIELD: ClassVar[str | None] = "contract_id"

    contract_id: Id = Field(description="Reference of the contract.")
    worker_id: Annotated[Id, Ref("Workers")] = Field(
        description="The worker: a worker_id from the Workers sheet."
    )
    stage: StageColumn = Field(
        description=(
            "origin (signed before departure) or destination (signed or imposed after arrival)."
        )
    )
    signed_on: OptDate = Field(None, description="Date the contract was signed.")
    languages: Languages = Field(description="Languages the contract is written in.")
    copy_given_to_worker: OptBool = Field(None, description="The worker was given a copy.")
    monthly_wage: Wage = Field(description="Monthly wage the contract states (above 0).")
    currency: Currency = Field(description="Currency of the wage and of the termination penalty.")
    weekly_hours: Hours = Field(None, description="Normal plus overtime hours per week.")
    weekly_rest_days: RestDays = Field(
        None, description="Full days of weekly rest (0, 0.5, 1, 1.5, 2...)."
    )
    worker_may_terminate_for_abuse: OptBool = Field(
        None,
        description=(
            "The contract lets the worker end it without penalty in case of exploitation, "
            "discrimination, harassment or violence."
        ),
    )
    termination_penalty: OptAmount = Field(
        None,
        description="What the worker owes for leaving early (0 = none), in the contract currency.",
    )
    passport_retention_clause: OptBool = Field(
        None,
        description=(
            "The contract lets the employer or agency keep the worker's identity documents."
        ),
    )


class Fee(Record):
    """A row of ``Fees`` (``fees``): an amount a worker or employer paid, to whom, and for what."""

    SHEET: ClassVar[str] = "Fees"
    ID_FIELD: ClassVar[str | None] = "fee_id"

    fee_id: Id = Field(description="Reference of the payment.")
    worker_id: Annotated[Id, Ref("Workers")] = Field(
        description="The worker the payment concerns: a worker_id from the Workers sheet."
    )
    category: FeeCategoryColumn = Field(description="What the payment was for.")
    description: OptText = Field(None, description="Free description.")
    amount: Amount = Field(description="Amount paid (a number >= 0).")
    currency: Currency = Field(description="Currency of the amount.")
    paid_by: PayerColumn = Field(
        description="Who paid: worker, employer, agency, government, other."
    )
    paid_to: PayeeColumn = Field(
        None,
        description="Who received it: agency, intermediary, employer, government, provider, other.",
    )
    intermediary_id: Annotated[OptId, Ref("Intermediaries")] = Field(
        None, description="The intermediary paid (required when paid_to is intermediary)."
    )
    paid_on: OptDate = Field(None, description="Date of payment.")
    deducted_from_wages: OptBool = Field(
        None, description="Collected by deduction from the worker's wages."
    )
    receipt_issued: OptBool = Field(None, description="A receipt was issued.")
    financed_by_loan: OptBool = Field(None, description="The worker borrowed to pay it.")
    refunded_amount: OptAmount = Field(
        None,
        description=(
            "What the worker got back of this payment, in its currency (at most the amount). "
            "A refund lowers the money owed, never the findings: the fee was charged."
        ),
    )
    refunded_on: OptDate = Field(
        None, description="Date of the refund (required when refunded_amount is above 0)."
    )


class Intermediary(Record):
    """A row of ``Intermediaries`` (``intermediaries``): a sub-agent the agency works through."""

    SHEET: ClassVar[str] = "Intermediaries"
    ID_FIELD: ClassVar[str | None] = "intermediary_id"

    intermediary_id: Id = Field(description="Reference of the sub-agent or broker.")
    name: Text = Field(description="Name of the sub-agent or broker.")
    licensed: OptBool = Field(None, description="Holds a valid recruitment licence.")


class Channel(Record):
    """A row of ``Channels`` (``channels``): a way for workers to complain."""

    SHEET: ClassVar[str] = "Channels"
    ID_FIELD: ClassVar[str | None] = "channel_id"

    channel_id: Id = Field(description="Reference of the complaint channel.")
    operated_by: OperatorColumn = Field(
        description="Who runs it: agency, employer, government, ngo, union, other."
    )
    kind: ChannelKindColumn = Field(description="hotline, in_person, email, app, web or other.")
    languages: Languages = Field(description="Languages in which complaints can be made.")
    free_of_charge: OptBool = Field(None, description="Using the channel costs the worker nothing.")
    confidential: OptBool = Field(None, description="Complaints are kept confidential.")
    women_staff_available: OptBool = Field(None, description="A woman can take the complaint.")
    open_to_domestic_workers: OptBool = Field(None, description="Domestic workers can use it.")
    response_days: Days = Field(
        None, description="The channel's published longest time to a response, in days."
    )


class Complaint(Record):
    """A row of ``Complaints`` (``complaints``): a worker's complaint and how it was handled."""

    SHEET: ClassVar[str] = "Complaints"
    ID_FIELD: ClassVar[str | None] = "complaint_id"

    complaint_id: Id = Field(description="Reference of the complaint.")
    worker_id: Annotated[Id, Ref("Workers")] = Field(
        description="The worker who complained: a worker_id from the Workers sheet."
    )
    channel_id: Annotated[OptId, Ref("Channels")] = Field(
        None, description="The channel used: a channel_id from the Channels sheet."
    )
    category: ComplaintCategoryColumn = Field(description="What the complaint was about.")
    filed_on: Date = Field(description="Date the complaint was made.")
    resolved_on: OptDate = Field(None, description="Date it was resolved; empty = still open.")
    worker_penalised: OptBool = Field(
        None,
        description=(
            "After complaining, the worker was penalised (dismissal, deportation, an absconding "
            "report, a wage cut, a fine)."
        ),
    )


class FxRate(Record):
    """A row of ``FX`` (``fx``): the rate that converts one currency into the audit currency."""

    SHEET: ClassVar[str] = "FX"
    ID_FIELD: ClassVar[str | None] = None

    currency: Currency = Field(description="A currency used in the workbook.")
    rate: Rate = Field(
        description="Units of the audit currency for one unit of this currency (> 0)."
    )


class Source(Record):
    """A row of ``Sources`` (``sources``): what the findings were checked against (1.1).

    An interview names the worker by her pseudonymous id only, as everywhere.
    Printed in the inspector's copy only.
    """

    SHEET: ClassVar[str] = "Sources"
    ID_FIELD: ClassVar[str | None] = "source_id"

    source_id: Id = Field(description="Reference of the source.")
    kind: SourceKindColumn = Field(description="interview, document, photo, site_visit or other.")
    description: Text = Field(description="What it is: a document's title, an interview's date.")
    subject_type: OptSubjectTypeColumn = Field(
        None, description="What it concerns: agency, employer, worker, channel or complaint."
    )
    subject_id: OptId = Field(
        None,
        description="The id of that record (for agency, the audit_id); required with subject_type.",
    )
    collected_on: OptDate = Field(None, description="When it was collected or seen.")


TABLE_RECORDS: tuple[type[Record], ...] = (
    Employer,
    Worker,
    Contract,
    Fee,
    Intermediary,
    Channel,
    Complaint,
    FxRate,
    Source,
)
