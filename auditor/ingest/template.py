"""Writing inspection workbooks: the blank template, and any dataset.

``auditor template`` writes an empty workbook in the current format that an
inspector can fill without reading anything else: the ``Guide`` sheet
first; on every sheet a frozen header row of the field names the reader
reads, each with its plain-language label and what to type as Excel's input
message (shown when the cell is selected, on the header and on every cell
of the column); validation of every typed column (dates, numbers with their
bounds, yes/no and enumerations as drop-downs), drop-downs of the ISO codes
for countries, currencies and languages (names are accepted too, so these
only warn) and of the ids of the other sheets for references; required
columns marked one way everywhere (a red header, and a red field name on
the Audit sheet), as the Guide explains; widths that fit. The same writer turns an
:class:`AuditDataset` back into a workbook, which is how the samples are
made and how the round-trip property is tested: whatever is written here
must read back equal.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.cell import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from auditor.ingest.guide_fees import fee_line
from auditor.model.columns import Kind, bounds_of, enum_of, kind_of, reference_of
from auditor.model.dataset import AuditDataset
from auditor.model.profiles import Profile
from auditor.model.sheets import (
    AUDIT_HEADERS,
    AUDIT_SHEET,
    DATE_ORDER_FIELD,
    TABLE_SHEETS,
    SheetSpec,
)

#: Rows of the template that get drop-down lists (Excel stores one range per column).
TEMPLATE_ROWS = 5000
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_REQUIRED_FILL = PatternFill("solid", fgColor="C00000")
_DATE_FORMAT = "yyyy-mm-dd"


@dataclass(frozen=True)
class Examples:
    """The examples a template gives, from the jurisdiction profile the office works under.

    A Nepali clerk reads "NP, Nepal, NPR, ne" where a Philippine one reads
    "PH, Philippines, PHP, tl" (issue 25: the examples were Philippine
    whatever the office).
    """

    country: str
    country_name: str
    currency: str
    language: str
    language_name: str
    destination: str
    destination_alias: str
    #: The country's alpha-3 code, accepted like the alpha-2 one.
    country_alpha3: str = "PHL"
    #: How the profile's clerks write dates as text (the Audit field ``date_order``).
    date_order: str = "month_first"


#: Examples of the shipped country profiles; another profile gets its country's name and the
#: default's other examples.
_PROFILE_EXAMPLES = {
    "NP": Examples("NP", "Nepal", "NPR", "ne", "Nepali", "AE", "UAE", "NPL", "day_first"),
    "PH": Examples("PH", "Philippines", "PHP", "tl", "Tagalog", "SA", "KSA", "PHL", "month_first"),
    "ID": Examples(
        "ID", "Indonesia", "IDR", "id", "Indonesian", "MY", "Malaysia", "IDN", "day_first"
    ),
}
#: The international baseline's examples (``ilo``): a country of origin, amounts in USD,
#: dates day first as most of the world writes them.
DEFAULT_EXAMPLES = Examples(
    "PH", "Philippines", "USD", "tl", "Tagalog", "QA", "Qatar", "PHL", "day_first"
)
#: A date written the way each ``date_order`` reads it (the 30th of June 2026).
DATE_EXAMPLES = {"iso": "2026-06-30", "day_first": "30/06/2026", "month_first": "06/30/2026"}


def examples_for(jurisdiction: str | None) -> Examples:
    """The examples for a profile id (any case); the default for ``ilo`` or none."""
    if jurisdiction is None:
        return DEFAULT_EXAMPLES
    key = jurisdiction.strip().upper()
    if key in _PROFILE_EXAMPLES:
        return _PROFILE_EXAMPLES[key]
    import pycountry

    country = pycountry.countries.get(alpha_2=key) if len(key) == 2 else None
    if country is None:
        return DEFAULT_EXAMPLES
    return replace(
        DEFAULT_EXAMPLES,
        country=key,
        country_name=str(country.name),
        country_alpha3=str(country.alpha_3),
    )


def kind_words(examples: Examples = DEFAULT_EXAMPLES) -> dict[Kind, str]:
    """What to type in a column of each kind, in the words of workbook format 1.2."""
    ex = examples
    return {
        Kind.ID: "identifier (text or whole number)",
        Kind.TEXT: "text",
        Kind.ENUM: "one of the listed values",
        Kind.BOOL: "yes or no (also y/n, true/false, 1/0); empty = not recorded",
        Kind.AMOUNT: ("number >= 0 (150000, 150,000 or 1,50,000), without the currency or a unit"),
        Kind.WAGE: "number above 0 (1200.50, 1,200.50 or 1,20,000)",
        Kind.NUMBER: "number >= 0 (1, 1.5, 48)",
        Kind.RATE: "number above 0",
        Kind.DATE: (
            f"date: a date cell, or text 2026-06-30 ({DATE_EXAMPLES[ex.date_order]} when the "
            f"Audit field date_order is {ex.date_order})"
        ),
        Kind.COUNTRY: (
            f"country: ISO code ({ex.country}, {ex.country_alpha3}, {ex.destination}), English "
            f"name ({ex.country_name}) or an alias of the Guide's list ({_aliases(ex)})"
        ),
        Kind.CURRENCY: f"three-letter ISO 4217 currency code ({ex.currency}, USD, QAR...)",
        Kind.LANGUAGES: (
            f"languages: codes ({ex.language}, en) or English names ({ex.language_name}), "
            "separated by commas"
        ),
    }


def _aliases(examples: Examples) -> str:
    return ", ".join(dict.fromkeys((examples.destination_alias, "UAE", "KSA", "UK", "USA")))


_KIND_WORDS = kind_words()

#: Descriptions of the models that carry an example, and the example's field of
#: :class:`Examples` (the models' own descriptions are published in the JSON schema).
_EXAMPLE_TEXTS = {
    "(e.g. PH)": "country",
    "(e.g. USD)": "currency",
    "(two-letter country code)": "country",
}
#: Format 1.2: the Audit field that says how text dates are written; read by the workbook
#: reader, not part of the audit's record.
DATE_ORDER_HELP = (
    "How dates typed as text are written: iso (2026-06-30, the default), day_first "
    "(30/06/2026) or month_first (06/30/2026). Date cells are always dates."
)
_WORKER_ID_HELP = (
    " A pseudonym such as W-001: a worker's name here (two words of letters, or letters "
    "of another script without a digit) is refused."
)


def _description(name: str, info: Any, examples: Examples) -> str:
    text: str = info.description or ""
    for written, attribute in _EXAMPLE_TEXTS.items():
        if written in text:
            value = getattr(examples, attribute)
            text = text.replace(
                written,
                f"(e.g. {value})"
                if written != "(two-letter country code)"
                else f"(country code or name, e.g. {value})",
            )
    if name == "worker_id" and reference_of(info) is None:
        text += _WORKER_ID_HELP
    return text


def write_template(
    path: str | Path,
    *,
    jurisdictions: tuple[str, ...] = (),
    jurisdiction: str | None = None,
    profile: Profile | None = None,
) -> Path:
    """A blank workbook in the current format, ready to be filled in.

    ``jurisdiction`` (a profile id) chooses the examples the help gives and is
    filled in on the Audit sheet; the Guide says what that profile lets a
    worker pay (``profile``, else the shipped profile of that id).
    """
    if profile is None and jurisdiction is not None:
        from auditor.model.profiles import default_profiles

        profile = default_profiles().get(jurisdiction)
    return write_workbook(
        None, path, jurisdictions=jurisdictions, examples=examples_for(jurisdiction),
        jurisdiction=jurisdiction, profile=profile,
    )  # fmt: skip


def write_workbook(
    dataset: AuditDataset | None,
    path: str | Path,
    *,
    jurisdictions: tuple[str, ...] = (),
    guide: bool = True,
    examples: Examples = DEFAULT_EXAMPLES,
    jurisdiction: str | None = None,
    profile: Profile | None = None,
) -> Path:
    """Write ``dataset`` (or nothing, for the template) as an inspection workbook."""
    path = Path(path)
    book = Workbook()
    first = book.active
    assert first is not None
    if guide:
        first.title = "Guide"
        _write_guide(first, jurisdictions, examples, profile)
        audit_sheet = book.create_sheet(AUDIT_SHEET.name)
    else:
        audit_sheet = first
    _write_audit_sheet(audit_sheet, dataset, jurisdictions, examples, jurisdiction)
    if dataset is None:
        _printable_audit(audit_sheet, examples)
    for spec in TABLE_SHEETS:
        sheet = book.create_sheet(spec.name)
        records = getattr(dataset, spec.key) if dataset is not None else ()
        _write_table_sheet(sheet, spec, [r.model_dump() for r in records], examples)
        if dataset is None:
            _printable_form(sheet, spec, examples)
    if guide:
        book.active = 0
    stamp = dataset.audit.inspection_date if dataset is not None else TEMPLATE_DATE
    return save_reproducibly(book, path, dt.datetime.combine(stamp, dt.time()))


#: The date a blank template claims to be from (it has no inspection date of its own).
TEMPLATE_DATE = dt.date(2026, 1, 1)
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def save_reproducibly(book: Workbook, path: str | Path, when: dt.datetime) -> Path:
    """Save so that the same content always gives the same bytes (:func:`reproducible_bytes`)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(reproducible_bytes(book, when))
    return path


def reproducible_bytes(book: Workbook, when: dt.datetime) -> bytes:
    """The workbook's file, the same bytes for the same content.

    openpyxl stamps the document with the time of saving and the zip entries
    with the clock; both are replaced by ``when`` and a fixed zip time, so a
    regenerated sample or report workbook is byte-identical to the last one.
    """
    book.properties.created = when
    buffer = io.BytesIO()
    book.save(buffer)
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", data)
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, data)
    return output.getvalue()


def cell_value(value: Any) -> Any:
    """A normalised value as the template writes it into a cell."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, tuple):
        return ", ".join(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and abs(value) < 10**15 else value
    return value


def _style_header(sheet: Worksheet, count: int, required: set[int]) -> None:
    for column in range(1, count + 1):
        cell = sheet.cell(row=1, column=column)
        cell.font = _HEADER_FONT
        cell.fill = _REQUIRED_FILL if column in required else _HEADER_FILL
        cell.alignment = Alignment(vertical="center")
        width = max(12, len(str(cell.value or "")) + 4)
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    _print_setup(sheet)


def _print_setup(sheet: Worksheet) -> None:
    """Printed (or saved as PDF) a sheet is landscape, one page wide, headers on every page."""
    sheet.page_setup.orientation = "landscape"
    from openpyxl.worksheet.properties import PageSetupProperties

    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.print_title_rows = "1:1"


def label(name: str) -> str:
    """A field's plain-language label: ``date_of_birth`` -> ``Date of birth``."""
    words = name.replace("_", " ")
    for short, long in (("id", "ID"), ("fx", "FX"), ("on", "on")):
        words = re.sub(rf"\b{short}\b", long, words)
    return words[0].upper() + words[1:]


def _help(
    name: str, info: Any, examples: Examples = DEFAULT_EXAMPLES, *, limit: int = 255
) -> tuple[str, str]:
    """Excel's input message for a column: its label (title) and what to type (body).

    An input message holds 255 characters; a printed note (``limit=0``) the whole text.
    """
    kind = kind_of(info)
    marker = enum_of(info)
    what = kind_words(examples)[kind]
    if marker is not None:
        what = "one of: " + ", ".join(m.value for m in marker.enum)
    required = "Required. " if info.is_required() else "Optional: leave empty if not recorded. "
    reference = reference_of(info)
    if reference is not None:
        what = f"an id from the {reference} sheet"
    body = f"{required}{_description(name, info, examples)} Type: {what}."
    return label(name)[:32], body[:limit] if limit else body


def _prompt(
    sheet: Worksheet, area: str, name: str, info: Any, examples: Examples = DEFAULT_EXAMPLES
) -> None:
    """The input message alone (any value allowed), for a header or an untyped column."""
    title, body = _help(name, info, examples)
    validation = DataValidation(
        allow_blank=True, showInputMessage=True, promptTitle=title, prompt=body
    )
    validation.add(area)
    sheet.add_data_validation(validation)


#: Bounds of the date validation: what a spreadsheet stores reliably, through a century ahead.
_FIRST_DAY, _LAST_DAY = dt.date(1900, 3, 1), dt.date(2100, 12, 31)


def _typed(  # noqa: PLR0917 - one column's place, field and the help's examples
    sheet: Worksheet,
    area: str,
    name: str,
    info: Any,
    lists: dict[Kind, str],
    examples: Examples = DEFAULT_EXAMPLES,
) -> None:
    """The column's validation with its input message: the check that fits its kind."""
    kind = kind_of(info)
    title, body = _help(name, info, examples)
    options: dict[str, Any] = {}
    error = ""
    reference = reference_of(info)
    marker = enum_of(info)
    if reference is not None:
        id_column = get_column_letter(1)
        options = {
            "type": "list",
            "formula1": f"'{reference}'!${id_column}$2:${id_column}${TEMPLATE_ROWS}",
            "errorStyle": "warning",
        }
        error = f"{name} should be an id of the {reference} sheet"
    elif marker is not None:
        choices = [m.value for m in marker.enum] + [alias for alias, _ in marker.aliases]
        options = {"type": "list", "formula1": '"' + ",".join(choices) + '"'}
        error = f"{name} must be one of: {', '.join(choices)}"
    elif kind is Kind.BOOL:
        options = {"type": "list", "formula1": '"yes,no"'}
        error = f"{name} must be yes or no"
    elif kind is Kind.DATE:
        options = {
            "type": "date",
            "operator": "between",
            "formula1": str((_FIRST_DAY - dt.date(1899, 12, 30)).days),
            "formula2": str((_LAST_DAY - dt.date(1899, 12, 30)).days),
        }
        error = f"{name} must be a date, typed as 2026-06-30 (or as date_order says)"
    elif kind in _NUMBER_KINDS:
        bounds = bounds_of(info)
        low, strict = _NUMBER_KINDS[kind]
        options = {
            "type": "decimal",
            "operator": "between"
            if bounds and bounds.maximum is not None
            else ("greaterThan" if strict else "greaterThanOrEqual"),
            "formula1": str(low),
        }
        if bounds and bounds.maximum is not None:
            options["formula2"] = str(bounds.maximum)
        error = f"{name} must be {_KIND_WORDS[kind]}"
    elif kind in lists:
        options = {"type": "list", "formula1": lists[kind], "errorStyle": "warning"}
        error = f"{name}: {_KIND_WORDS[kind]}; a name is accepted too"
    if not options:
        _prompt(sheet, area, name, info, examples)
        return
    validation = DataValidation(
        allow_blank=True,
        showInputMessage=True,
        promptTitle=title,
        prompt=body,
        showErrorMessage=True,
        errorTitle=f"{label(name)[:28]}: check the value"[:32],
        error=error[:255],
        **options,
    )
    validation.add(area)
    sheet.add_data_validation(validation)


#: Number kinds: (lower bound, whether the bound itself is excluded).
_NUMBER_KINDS = {
    Kind.AMOUNT: (0, False),
    Kind.NUMBER: (0, False),
    Kind.WAGE: (0, True),
    Kind.RATE: (0, True),
}


def _write_audit_sheet(
    sheet: Worksheet,
    dataset: AuditDataset | None,
    jurisdictions: tuple[str, ...],
    examples: Examples = DEFAULT_EXAMPLES,
    jurisdiction: str | None = None,
) -> None:
    sheet.title = AUDIT_SHEET.name
    sheet.append(list(AUDIT_HEADERS))
    _style_header(sheet, 2, set())
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["B"].width = 40
    values = dataset.audit.model_dump() if dataset is not None else {}
    if dataset is None and jurisdiction is not None:
        values = {"jurisdiction": jurisdiction, "origin_country": examples.country}
    lists = _code_lists()
    for row, (name, info) in enumerate(AUDIT_SHEET.model.model_fields.items(), start=2):
        field = sheet.cell(row=row, column=1, value=name)
        if info.is_required():  # the same mark as a required column's header: red
            field.font, field.fill = _HEADER_FONT, _REQUIRED_FILL
        value = sheet.cell(row=row, column=2, value=cell_value(values.get(name)))
        if kind_of(info) is Kind.DATE:
            value.number_format = _DATE_FORMAT
        if name == "jurisdiction" and jurisdictions:
            _add_list(sheet, f"B{row}", jurisdictions, "jurisdiction")
        elif name != "jurisdiction":
            _typed(sheet, f"B{row}", name, info, lists, examples)
        else:
            _prompt(sheet, f"B{row}", name, info, examples)
    if dataset is None:  # the template offers the 1.2 reading field; a dataset is ISO already
        row = sheet.max_row + 1
        sheet.cell(row=row, column=1, value=DATE_ORDER_FIELD)
        sheet.cell(row=row, column=2, value=None)  # empty: iso, the default
        validation = DataValidation(
            type="list",
            formula1='"iso,day_first,month_first"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="date_order: not a listed value",
            error="date_order must be one of: iso, day_first, month_first",
            showInputMessage=True,
            promptTitle="Date order",
            prompt=DATE_ORDER_HELP[:255],
        )
        validation.add(f"B{row}")
        sheet.add_data_validation(validation)


def _write_table_sheet(
    sheet: Worksheet,
    spec: SheetSpec,
    rows: list[dict[str, Any]],
    examples: Examples = DEFAULT_EXAMPLES,
) -> None:
    sheet.title = spec.name
    fields = list(spec.model.model_fields.items())
    sheet.append([name for name, _ in fields])
    required = {n for n, (_, info) in enumerate(fields, start=1) if info.is_required()}
    _style_header(sheet, len(fields), required)
    last_row = max(TEMPLATE_ROWS, len(rows) + 1)
    lists = _code_lists()
    for column, (name, info) in enumerate(fields, start=1):
        letter = get_column_letter(column)
        area = f"{letter}2:{letter}{last_row}"
        kind = kind_of(info)
        if kind is Kind.ENUM:
            marker = enum_of(info)
            assert marker is not None
            _add_list(sheet, area, tuple(m.value for m in marker.enum), name, info, examples)
        elif kind is Kind.BOOL:
            _add_list(sheet, area, ("yes", "no"), name, info, examples)
        else:
            _typed(sheet, area, name, info, lists, examples)
        _prompt(sheet, f"{letter}1", name, info, examples)
        width = max(len(name), len(label(name))) + 4
        sheet.column_dimensions[letter].width = min(max(12, width), 40)
    for record in rows:
        sheet.append([cell_value(record.get(name)) for name, _ in fields])
    for row in range(2, len(rows) + 2):
        for column, (_, info) in enumerate(fields, start=1):
            if kind_of(info) is Kind.DATE:
                sheet.cell(row=row, column=column).number_format = _DATE_FORMAT


#: Width of a blank form's column (Excel's units): 15 of them fit a landscape A4 page.
_FORM_WIDTH = 11
#: Blank rows a printed template sheet offers for writing by hand.
_PRINTED_BLANK_ROWS = 25


def _printable_form(sheet: Worksheet, spec: SheetSpec, examples: Examples) -> None:
    """A blank sheet prints as a form: A4, gridlines, blank rows, and its column help.

    Row 1 is the header and records start on row 2 (the format fixes both),
    so the help cannot be a printed row of the sheet: each header carries it
    as a note, and the sheet asks for its notes to be printed after it.
    ``cellComments="asDisplayed"`` is the value LibreOffice reads as "print
    the notes" (it prints them after the sheet, each with its cell); Excel
    prints notes only where they are shown, and shows these on selecting a
    header. The page header says where the help is; the Guide lists every
    column too.
    """
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.cellComments = "asDisplayed"
    sheet.print_options.gridLines = True
    fields = list(spec.model.model_fields.items())
    last = get_column_letter(len(fields))
    sheet.print_area = f"A1:{last}{_PRINTED_BLANK_ROWS + 1}"
    for column, (name, info) in enumerate(fields, start=1):
        header_cell = sheet.cell(row=1, column=column)
        header_cell.comment = _note(name, info, examples)
        header_cell.alignment = Alignment(vertical="center", wrap_text=True)
        # narrow enough that a wide sheet (Fees: 15 columns) prints near full size, so
        # its notes do too; a long field name wraps within its header
        sheet.column_dimensions[get_column_letter(column)].width = _FORM_WIDTH
    sheet.row_dimensions[1].height = 30
    header, footer = sheet.oddHeader, sheet.oddFooter
    assert header is not None
    assert footer is not None
    header.left.text = f"{spec.name}: one record a row; red columns are required"
    header.right.text = "What to type in each column: the notes after this sheet, and the Guide"
    footer.center.text = f"{spec.name} &P / &N"


def _note(name: str, info: Any, examples: Examples) -> Comment:
    """A column's (or an Audit field's) help as a note, printed after its sheet."""
    title, body = _help(name, info, examples, limit=0)
    note = Comment(f"{name} ({title}): {body}", "auditor")
    note.width, note.height = 320, 160
    return note


def _printable_audit(sheet: Worksheet, examples: Examples) -> None:
    """The blank Audit sheet prints on one A4 page with each field's help after it."""
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.cellComments = "asDisplayed"
    sheet.print_options.gridLines = True
    for row, (name, info) in enumerate(AUDIT_SHEET.model.model_fields.items(), start=2):
        sheet.cell(row=row, column=1).comment = _note(name, info, examples)
    date_order = sheet.cell(row=sheet.max_row, column=1)
    note = Comment(f"{DATE_ORDER_FIELD} (Date order): {DATE_ORDER_HELP}", "auditor")
    note.width, note.height = 320, 160
    date_order.comment = note
    header, footer = sheet.oddHeader, sheet.oddFooter
    assert header is not None
    assert footer is not None
    header.left.text = "Audit: red fields are required"
    header.right.text = "Help: the notes after this sheet, and the Guide"
    footer.center.text = "Audit &P / &N"


def _add_list(  # noqa: PLR0917 - one column's place, choices, field and examples
    sheet: Worksheet,
    area: str,
    choices: tuple[str, ...],
    name: str,
    info: Any = None,
    examples: Examples = DEFAULT_EXAMPLES,
) -> None:
    title, body = _help(name, info, examples) if info is not None else (label(name), "")
    validation = DataValidation(
        type="list",
        formula1='"' + ",".join(choices) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=f"{name}: not a listed value"[:32],
        error=f"{name} must be one of: {', '.join(choices)}"[:255],
        showInputMessage=bool(body),
        promptTitle=title[:32],
        prompt=body[:255],
    )
    validation.add(area)
    sheet.add_data_validation(validation)


#: Where the Guide keeps the code lists the drop-downs offer (columns far right of its text).
_LIST_COLUMNS = {Kind.COUNTRY: "H", Kind.CURRENCY: "I", Kind.LANGUAGES: "J"}


def _codes() -> dict[Kind, list[str]]:
    from auditor.model.spelling import country_names, language_names
    from auditor.model.values import currency_minor_units

    countries = sorted(set(country_names().values()))
    languages = sorted(set(language_names()[0].values()))
    return {
        Kind.COUNTRY: countries,
        Kind.CURRENCY: sorted(currency_minor_units()),
        Kind.LANGUAGES: languages,
    }


def _code_lists() -> dict[Kind, str]:
    """The drop-down sources of the code columns: ranges of the Guide's code lists."""
    return {
        kind: f"Guide!${letter}$2:${letter}${len(codes) + 1}"
        for (kind, codes), letter in zip(_codes().items(), _LIST_COLUMNS.values(), strict=True)
    }


#: The Guide's columns and their widths (in Excel's units of the default 11 pt font): the
#: text fits a portrait A4 page between 0.4 inch margins at full size, so it prints at
#: :data:`GUIDE_POINTS` (fit-to-width only ever shrinks, and here it has nothing to shrink).
_GUIDE_WIDTHS = (9, 25, 8, 27, 29)
_GUIDE_WIDTH = sum(_GUIDE_WIDTHS)
#: The Guide's text size: at least 9 pt on paper, readable on an office printer.
GUIDE_POINTS = 10
#: Characters of a wrapped line per unit of width, and the height of one printed line
#: (points) at :data:`GUIDE_POINTS`; a little generous, as openpyxl cannot measure text.
_LINE_CHARS, _LINE_POINTS = 1.0, 13.5


def _guide_intro(examples: Examples) -> list[str]:
    """The Guide's opening lines, true to the reading of workbook format 1.2."""
    from auditor.model.spelling import COUNTRY_ALIASES

    ex = examples
    return [
        "One workbook holds one inspection of one recruitment agency.",
        "Row 1 of each sheet names the columns; records start on row 2. Select a cell to see "
        "what to type in it; this Guide lists every column below, and each sheet prints its "
        "columns' notes after its rows.",
        "Red marks what is required: a red column header, or a red field name on the Audit "
        "sheet. Everything else may be left empty.",
        "Leave a cell empty when the fact was not recorded: empty means 'unknown', never 'no'.",
        f"Workers appear under pseudonymous ids only (W-001, {ex.country}-0042): never write a "
        "worker's name anywhere. A worker_id that looks like a person's name is refused at "
        "every cell where it appears (problem worker_id_looks_like_name): two or more words "
        "of at least two letters each (Sita Thapa), or letters of a script other than Latin "
        "(Devanagari, Arabic...) with no digit. A single Latin word with no digit (Maria) is "
        "a warning (worker_id_may_be_name). An id with a digit is never refused.",
        "Dates: a date cell, or text 2026-06-30. The Audit field date_order says how the dates "
        "typed as text are written: iso (2026-06-30, the default), day_first (30/06/2026, "
        "30.6.2026, 30-06-2026) or month_first (06/30/2026). Every text date is read that way, "
        "and one that cannot be is refused at its cell. 2026-06-30 and month names (30 June "
        "2026) are read under any order; two-digit years never."
        + (
            f" Here dates are usually written {ex.date_order} ({DATE_EXAMPLES[ex.date_order]}): "
            f"then set date_order to {ex.date_order}."
            if ex is not DEFAULT_EXAMPLES
            else ""
        )
        + " Convert Bikram Sambat dates to the Gregorian calendar; one typed by mistake is "
        "recognised, and the problem list gives its Gregorian date.",
        f"Amounts: the number alone, in the currency of its row: 150000 or 150000.50, with a "
        "point for decimals and commas every three digits (150,000) or in lakh grouping "
        "(1,50,000); any other comma is refused. No currency sign or unit in the cell "
        f"({ex.currency} 5,000 is refused: the currency has its own column). In a currency with "
        "three decimals (KWD, BHD, OMR, JOD, TND, LYD, IQD) write no commas. The FX sheet "
        "gives the rate of every other currency in the audit currency.",
        f"Countries: the ISO code ({ex.country} or {ex.country_alpha3}), the English name "
        f"({ex.country_name}) or one of these aliases: {', '.join(COUNTRY_ALIASES)}. "
        f"Languages: codes ({ex.language}, en) or English names ({ex.language_name}), "
        "separated by commas.",
        "Drop-downs offer the listed values, the ISO codes and the ids of the other sheets.",
        "This Guide sheet is ignored when the workbook is read.",
    ]


def _wrapped_height(text: str, chars: float) -> float:
    """Points of a wrapped row's height: openpyxl cannot measure text, so estimate its lines."""
    per_line = max(1, int(chars * _LINE_CHARS))
    lines = sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))
    return float(lines * _LINE_POINTS)


def _write_guide(
    sheet: Worksheet,
    jurisdictions: tuple[str, ...],
    examples: Examples = DEFAULT_EXAMPLES,
    profile: Profile | None = None,
) -> None:
    _print_setup(sheet)
    sheet.page_setup.orientation = "portrait"  # a page of text, read like a letter
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.page_margins.header = sheet.page_margins.footer = 0.3
    footer = sheet.oddFooter
    assert footer is not None
    footer.center.text = "Guide &P / &N"
    sheet.append(["How to fill in this workbook"])
    sheet["A1"].font = Font(bold=True, size=14)
    intro = _guide_intro(examples)
    if profile is not None:
        intro.insert(-2, fee_line(profile))
    if jurisdictions:
        intro.append(f"Jurisdiction profiles available: {', '.join(jurisdictions)}")
    for line in intro:
        sheet.append([line])
        row = sheet.max_row
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=5)
        sheet.cell(row=row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[row].height = _wrapped_height(line, _GUIDE_WIDTH)
    sheet.append([])
    sheet.append(["Sheet", "Column", "Required", "What to write", "Meaning"])
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
    words = kind_words(examples)
    rows: list[list[str]] = []
    for spec in (AUDIT_SHEET, *TABLE_SHEETS):
        for name, info in spec.model.model_fields.items():
            kind = kind_of(info)
            marker = enum_of(info)
            what = words[kind]
            if marker is not None:
                what = "one of: " + ", ".join(m.value for m in marker.enum)
                if marker.aliases:
                    what += " (or " + ", ".join(alias for alias, _ in marker.aliases) + ")"
            rows.append(
                [
                    spec.name,
                    name,
                    "yes" if info.is_required() else "no",
                    what,
                    _description(name, info, examples),
                ]
            )
        if spec is AUDIT_SHEET:
            rows.append(
                [
                    spec.name,
                    DATE_ORDER_FIELD,
                    "no",
                    "iso, day_first or month_first",
                    DATE_ORDER_HELP,
                ]
            )
    for values in rows:
        sheet.append(values)
        row = sheet.max_row
        sheet.row_dimensions[row].height = max(
            _wrapped_height(text, width) for text, width in zip(values, _GUIDE_WIDTHS, strict=True)
        )
    for letter, width in zip("ABCDE", _GUIDE_WIDTHS, strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.print_area = f"A1:E{sheet.max_row}"  # the text; the code lists beside it are data
    sheet.print_title_rows = f"{header_row}:{header_row}"
    for (kind, codes), letter in zip(_codes().items(), _LIST_COLUMNS.values(), strict=True):
        sheet[f"{letter}1"] = {
            Kind.COUNTRY: "countries",
            Kind.CURRENCY: "currencies",
            Kind.LANGUAGES: "languages",
        }[kind]
        sheet[f"{letter}1"].font = Font(bold=True)
        for number, code in enumerate(codes, start=2):
            sheet[f"{letter}{number}"] = code
        sheet.column_dimensions[letter].width = 11
    _guide_text_style(sheet, header_row)


def _guide_text_style(sheet: Worksheet, header_row: int) -> None:
    """The Guide's text wraps at :data:`GUIDE_POINTS`, its table header white on blue."""
    body = Font(size=GUIDE_POINTS)
    for row_cells in sheet.iter_rows(min_row=2, max_col=5):
        for cell in row_cells:
            if cell.row != header_row:
                cell.font = body
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cell in sheet[header_row][:5]:
        cell.font = Font(bold=True, color="FFFFFF", size=GUIDE_POINTS)
