"""The stable code of every problem an input can have, with its meaning.

A licensing system maps problems to its own form fields by ``code`` (and
``path``), never by parsing the English message: messages may be reworded,
codes never change once published (audit-output.md, "Version 1.1"). So:

- every :class:`~auditor.model.problems.Problem` is made with one of these
  constants (``problems.cell(..., code=Code.NOT_A_NUMBER)``), a required
  argument, so no problem can be made without one;
- a new kind of problem gets a new member here, with its meaning in
  :data:`MEANINGS`; an existing code is never renamed or removed, and a
  code whose check goes away stays listed;
- ``docs/problem-codes.md`` is generated from this module
  (``python -m auditor.model.codes > docs/problem-codes.md``) and a test
  keeps the two equal.

One code names one kind of problem whatever the input: a workbook's sheet,
column and row are a dataset's list, field and record, so ``missing_sheet``
is also a required list missing from dict input.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum


class Code(StrEnum):
    """Problem codes: snake case, stable, one per kind of problem."""

    # -- one value ------------------------------------------------------------
    REQUIRED_EMPTY = "required_empty"
    REQUIRED_MISSING = "required_missing"
    REQUIRED_WHEN = "required_when"
    NOT_TEXT = "not_text"
    NOT_AN_ID = "not_an_id"
    NOT_YES_NO = "not_yes_no"
    NOT_A_NUMBER = "not_a_number"
    OUT_OF_RANGE = "out_of_range"
    NOT_A_DATE = "not_a_date"
    NOT_A_COUNTRY = "not_a_country"
    NOT_A_CURRENCY = "not_a_currency"
    NOT_A_LANGUAGE = "not_a_language"
    NOT_IN_LIST = "not_in_list"
    INVALID_VALUE = "invalid_value"
    INVISIBLE_CHARACTER = "invisible_character"
    CONTROL_CHARACTER = "control_character"
    NUMBER_TOO_LONG = "number_too_long"
    UNRELIABLE_DATE_CELL = "unreliable_date_cell"
    TIME_NOT_DATE = "time_not_date"
    FORMULA_WITHOUT_RESULT = "formula_without_result"
    ERROR_CELL = "error_cell"
    MERGED_CELLS = "merged_cells"
    # -- across records -------------------------------------------------------
    DUPLICATE_ID = "duplicate_id"
    DUPLICATE_FX_RATE = "duplicate_fx_rate"
    UNKNOWN_REFERENCE = "unknown_reference"
    NO_ROWS = "no_rows"
    DATE_AFTER_INSPECTION = "date_after_inspection"
    RESOLVED_BEFORE_FILED = "resolved_before_filed"
    REFUND_ABOVE_AMOUNT = "refund_above_amount"
    MISSING_FX_RATE = "missing_fx_rate"
    AUDIT_CURRENCY_RATE = "audit_currency_rate"
    CURRENCY_WITHOUT_MINOR_UNIT = "currency_without_minor_unit"
    AMOUNT_TOO_LARGE = "amount_too_large"
    UNKNOWN_JURISDICTION = "unknown_jurisdiction"
    # -- plausibility (workbook format 1.1) ----------------------------------
    INSPECTION_AFTER_TODAY = "inspection_after_today"
    BIRTH_NOT_BEFORE_DEPLOYMENT = "birth_not_before_deployment"
    IMPLAUSIBLE_AGE = "implausible_age"
    IMPLAUSIBLE_FX_RATE = "implausible_fx_rate"
    NO_FONT_FOR_CHARACTER = "no_font_for_character"
    # -- reading what clerks type, pseudonyms (workbook format 1.2) ------------
    DATE_NOT_IN_DATE_ORDER = "date_not_in_date_order"
    BIKRAM_SAMBAT_DATE = "bikram_sambat_date"
    WORKER_ID_LOOKS_LIKE_NAME = "worker_id_looks_like_name"
    WORKER_ID_MAY_BE_NAME = "worker_id_may_be_name"
    REFUND_NOT_COUNTED = "refund_not_counted"
    COLUMN_NOT_RECORDED = "column_not_recorded"
    # -- structure ------------------------------------------------------------
    MISSING_SHEET = "missing_sheet"
    MISSING_COLUMN = "missing_column"
    DUPLICATE_SHEET = "duplicate_sheet"
    DUPLICATE_HEADER = "duplicate_header"
    DUPLICATE_FIELD = "duplicate_field"
    AUDIT_SHEET_LAYOUT = "audit_sheet_layout"
    NOT_AN_OBJECT = "not_an_object"
    NOT_A_LIST = "not_a_list"
    UNKNOWN_SHEET = "unknown_sheet"
    UNKNOWN_COLUMN = "unknown_column"
    UNKNOWN_FIELD = "unknown_field"
    UNNAMED_COLUMN = "unnamed_column"
    VALUE_WITHOUT_FIELD = "value_without_field"
    HIDDEN_SHEET = "hidden_sheet"
    # -- the file -------------------------------------------------------------
    FILE_UNREADABLE = "file_unreadable"
    FILE_EMPTY = "file_empty"
    NOT_A_WORKBOOK = "not_a_workbook"
    ENCRYPTED = "encrypted"
    DAMAGED_FILE = "damaged_file"
    DAMAGED_SHEET = "damaged_sheet"
    UNSAFE_FILE = "unsafe_file"
    MACROS_NOT_RUN = "macros_not_run"
    INVALID_JSON = "invalid_json"
    # -- limits ---------------------------------------------------------------
    FILE_TOO_LARGE = "file_too_large"
    UNPACKS_TOO_LARGE = "unpacks_too_large"
    TOO_MANY_PARTS = "too_many_parts"
    TOO_MANY_ROWS = "too_many_rows"
    TOO_MANY_COLUMNS = "too_many_columns"
    TOO_MANY_CELLS = "too_many_cells"
    TEXT_TOO_LONG = "text_too_long"


#: What each code means, for the documented list (one sentence, input-neutral where it can be).
MEANINGS: Mapping[Code, str] = {
    Code.REQUIRED_EMPTY: "A required value is empty (blank, or an empty marker such as n/a).",
    Code.REQUIRED_MISSING: (
        "A required field is not there at all: an Audit field with no row, or a record "
        "without the key."
    ),
    Code.REQUIRED_WHEN: (
        "A value required because of another value of the same record is empty "
        "(wage_currency with monthly_wage_paid, intermediary_id when paid_to is intermediary, "
        "refunded_on with a refund above 0)."
    ),
    Code.NOT_TEXT: "A text field holds something that is not text (a yes/no value, an object).",
    Code.NOT_AN_ID: "An identifier is neither text nor a whole number.",
    Code.NOT_YES_NO: "A yes/no field holds something other than yes/no, y/n, true/false or 1/0.",
    Code.NOT_A_NUMBER: "A number field holds something that is not a number in plain notation.",
    Code.OUT_OF_RANGE: (
        "A number is outside what the field allows (a negative amount, a wage or rate of 0)."
    ),
    Code.NOT_A_DATE: "A date field holds something that is not a real date (YYYY-MM-DD).",
    Code.NOT_A_COUNTRY: "A country field holds no ISO 3166-1 country.",
    Code.NOT_A_CURRENCY: "A currency field holds no ISO 4217 currency code.",
    Code.NOT_A_LANGUAGE: "A language field holds no ISO 639-1 language, or no language at all.",
    Code.NOT_IN_LIST: "An enumerated field holds a value outside its list; the message lists them.",
    Code.INVALID_VALUE: "A value the record cannot hold, of no more specific kind.",
    Code.INVISIBLE_CHARACTER: (
        "An identifier contains an invisible or control character, which makes different "
        "ids look the same; or the agency's name or licence number contains an invisible "
        "format character (a bidirectional override, a zero-width space) that could make it "
        "read as another on a signed report."
    ),
    Code.CONTROL_CHARACTER: "A text contains a control character no spreadsheet can hold.",
    Code.NUMBER_TOO_LONG: (
        "A number has 16 or more digits before the decimal point, more than any spreadsheet "
        "stores exactly."
    ),
    Code.UNRELIABLE_DATE_CELL: (
        "A date cell before 1 March 1900, which spreadsheet programs count wrongly (workbooks "
        "only)."
    ),
    Code.TIME_NOT_DATE: "A cell holds a time or a duration where a date belongs (workbooks only).",
    Code.FORMULA_WITHOUT_RESULT: "A formula cell has no saved result (workbooks only).",
    Code.ERROR_CELL: "A cell holds a spreadsheet error such as #N/A (workbooks only).",
    Code.MERGED_CELLS: "Merged cells over columns that are read (workbooks only).",
    Code.DUPLICATE_ID: "An id is used twice in its sheet (list); the message names the first.",
    Code.DUPLICATE_FX_RATE: "A currency has two FX rates.",
    Code.UNKNOWN_REFERENCE: (
        "A reference (worker_id, employer_id, intermediary_id, channel_id) matches no record, "
        "or the sheet (list) it refers to is missing."
    ),
    Code.NO_ROWS: "Employers or Workers has no records; at least one is needed.",
    Code.DATE_AFTER_INSPECTION: "A date is after the inspection date.",
    Code.RESOLVED_BEFORE_FILED: "A complaint's resolved_on is before its filed_on.",
    Code.REFUND_ABOVE_AMOUNT: "A fee's refunded_amount is more than its amount.",
    Code.MISSING_FX_RATE: (
        "A currency other than the audit currency, used in the input or in a fee cap of the "
        "jurisdiction profile, has no FX rate."
    ),
    Code.AUDIT_CURRENCY_RATE: "The audit currency is given an FX rate other than 1.",
    Code.CURRENCY_WITHOUT_MINOR_UNIT: (
        "The audit currency has no minor unit in ISO 4217 (such as XAU), so amounts cannot be "
        "stated in it."
    ),
    Code.AMOUNT_TOO_LARGE: (
        "An amount converted at its FX rate is beyond what the money arithmetic holds exactly."
    ),
    Code.UNKNOWN_JURISDICTION: "The jurisdiction names no profile of the rule pack.",
    Code.INSPECTION_AFTER_TODAY: (
        "The inspection date is after the day of the check (UTC); 50 or more years ahead, "
        "it looks like a Bikram Sambat or other non-Gregorian date."
    ),
    Code.BIRTH_NOT_BEFORE_DEPLOYMENT: (
        "A worker's date_of_birth is on or after her deployment_date."
    ),
    Code.IMPLAUSIBLE_AGE: (
        "Warning: a worker's age at deployment is under 14 or over 70; check the dates."
    ),
    Code.IMPLAUSIBLE_FX_RATE: (
        "Warning: an FX rate is more than 20 times away from the shipped reference rate "
        "(perhaps inverted); the rate given is the one used."
    ),
    Code.NO_FONT_FOR_CHARACTER: (
        "Warning: a text holds a character that no font shipped with the report can draw."
    ),
    Code.DATE_NOT_IN_DATE_ORDER: (
        "A text date cannot be read in the order the Audit field date_order declares "
        "(day_first or month_first), or has a two-digit year (workbooks only)."
    ),
    Code.BIKRAM_SAMBAT_DATE: (
        "A text date is no Gregorian date but looks like a Bikram Sambat one; the message gives "
        "the Gregorian date where the converter covers the year, or says that the day does not "
        "exist in that Bikram Sambat month (a Bikram Sambat date after the inspection keeps the "
        "code date_after_inspection, with the same sentence)."
    ),
    Code.WORKER_ID_LOOKS_LIKE_NAME: (
        "A worker_id looks like a person's name (two or more words of letters, or letters of a "
        "script other than Latin with no digit); worker ids are pseudonyms."
    ),
    Code.WORKER_ID_MAY_BE_NAME: (
        "Warning: a worker_id is a single Latin word with no digit, which may be a name."
    ),
    Code.REFUND_NOT_COUNTED: (
        "A warning of a done audit: a refund recorded on a fee row that no finding shows "
        "unlawful, that the worker did not bear, or whose amount owed is undetermined; it "
        "lowers no money owed."
    ),
    Code.COLUMN_NOT_RECORDED: (
        "A warning of a done audit: an optional column left empty in rows where a rule "
        "needed it; its data gaps say which cells."
    ),
    Code.MISSING_SHEET: (
        "A required sheet (for dataset input: the audit object or a list) is missing."
    ),
    Code.MISSING_COLUMN: "A required column is missing from a sheet's header row (workbooks only).",
    Code.DUPLICATE_SHEET: (
        "A sheet (for dataset input: a top-level key) is given twice once case, spaces and "
        "hyphens are ignored."
    ),
    Code.DUPLICATE_HEADER: "A column header appears twice in a sheet (workbooks only).",
    Code.DUPLICATE_FIELD: "An Audit field is given twice (workbooks only).",
    Code.AUDIT_SHEET_LAYOUT: (
        "The Audit sheet does not have the columns field and value (workbooks only)."
    ),
    Code.NOT_AN_OBJECT: (
        "The input, the audit section or a record is not an object (dataset input only)."
    ),
    Code.NOT_A_LIST: "A section that holds records is not a list (dataset input only).",
    Code.UNKNOWN_SHEET: (
        "Warning: an unknown sheet (for dataset input: an unknown top-level key) was ignored."
    ),
    Code.UNKNOWN_COLUMN: (
        "Warning: an unknown column (for dataset input: an unknown field of a record) was ignored."
    ),
    Code.UNKNOWN_FIELD: "Warning: an unknown field on the Audit sheet was ignored.",
    Code.UNNAMED_COLUMN: (
        "Warning: values in a column with no header were ignored (workbooks only)."
    ),
    Code.VALUE_WITHOUT_FIELD: (
        "Warning: a value on the Audit sheet without a field name was ignored (workbooks only)."
    ),
    Code.HIDDEN_SHEET: "Warning: a hidden sheet was read all the same (workbooks only).",
    Code.FILE_UNREADABLE: "There is no file at the path given, or it cannot be opened.",
    Code.FILE_EMPTY: "The file is empty.",
    Code.NOT_A_WORKBOOK: (
        "The file is not a workbook of a format read (a legacy .xls, a CSV, another zip file)."
    ),
    Code.ENCRYPTED: "The workbook is protected by a password.",
    Code.DAMAGED_FILE: "The file is damaged and cannot be read as a workbook.",
    Code.DAMAGED_SHEET: "A sheet is damaged or cannot be read safely; nothing of it was used.",
    Code.UNSAFE_FILE: (
        "The file holds what no spreadsheet program writes (unusual part names, duplicate "
        "parts, XML entities); refused."
    ),
    Code.MACROS_NOT_RUN: "Warning: the workbook contains macros; they were not run.",
    Code.INVALID_JSON: "The text is not valid JSON, or is nested too deeply.",
    Code.FILE_TOO_LARGE: "The file or JSON text is over the size limit.",
    Code.UNPACKS_TOO_LARGE: (
        "The workbook would unpack to more than the limit, or a part is compressed more than "
        "any workbook is (a zip bomb)."
    ),
    Code.TOO_MANY_PARTS: "The workbook package holds more parts than the limit.",
    Code.TOO_MANY_ROWS: "A sheet (list) has more rows (records) than the limit.",
    Code.TOO_MANY_COLUMNS: "A sheet reaches further right than the column limit.",
    Code.TOO_MANY_CELLS: "The input holds more cells (values, different texts) than the limit.",
    Code.TEXT_TOO_LONG: "A text (a value or a header) is longer than the limit.",
}

#: Codes that are warnings: the input is still valid and the audit runs.
WARNING_CODES: frozenset[Code] = frozenset(
    {
        Code.UNKNOWN_SHEET,
        Code.UNKNOWN_COLUMN,
        Code.UNKNOWN_FIELD,
        Code.UNNAMED_COLUMN,
        Code.VALUE_WITHOUT_FIELD,
        Code.HIDDEN_SHEET,
        Code.MACROS_NOT_RUN,
        Code.IMPLAUSIBLE_AGE,
        Code.IMPLAUSIBLE_FX_RATE,
        Code.NO_FONT_FOR_CHARACTER,
        Code.WORKER_ID_MAY_BE_NAME,
        Code.REFUND_NOT_COUNTED,
        Code.COLUMN_NOT_RECORDED,
    }
)


def markdown() -> str:
    """``docs/problem-codes.md``: every code with its meaning, in registry order."""
    lines = [
        "# Problem codes",
        "",
        "<!-- Generated by `python -m auditor.model.codes > docs/problem-codes.md`; "
        "a test keeps it in sync. -->",
        "",
        "Every problem `auditor` reports about an input (a workbook, a JSON file, dicts) has a",
        "stable `code`. Map problems to your own fields by `code` and `path` (dataset input),",
        "never by the message: messages may be reworded, codes never change once published.",
        "A new kind of problem gets a new code; a code is never renamed or removed.",
        "",
        "Each problem's `severity` is `error` (the input is invalid: no audit) or `warning`",
        "(the audit runs; the result lists it in `warnings`). A code marked *Warning* is",
        "always a warning; the others are errors.",
        "",
        "| code | meaning |",
        "|---|---|",
    ]
    lines += [f"| `{code.value}` | {MEANINGS[code]} |" for code in Code]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover - the documented way to regenerate the docs
    print(markdown(), end="")
