"""The pages' forms: what a person may type, checked before anything is stored."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from auditor.ingest.load import profiles_for
from auditor.model.enums import Rating


def _jurisdiction_choices() -> list[tuple[str, str]]:
    """The shipped profiles by name ("Nepal (NP)"), after the default: the workbook's own."""
    profiles = sorted(profiles_for(None).all(), key=lambda profile: profile.name.casefold())
    return [
        ("", _("The workbook's own")),
        *((profile.id, f"{profile.name} ({profile.id})") for profile in profiles),
    ]


def clean_text(value: object) -> str:
    """A query parameter as plain text: no NUL (PostgreSQL refuses it), trimmed, bounded."""
    return str(value or "").replace("\x00", "").strip()[:200]


class UploadForm(forms.Form):
    """The workbook and, optionally, a jurisdiction profile that overrides the workbook's."""

    file = forms.FileField(
        label=_("Inspection workbook"),
        help_text=_("An .xlsx, .xlsm or .ods file filled in from the blank template."),
        error_messages={"required": _("Choose the workbook file to upload.")},
    )
    jurisdiction = forms.ChoiceField(
        label=_("Jurisdiction (optional)"),
        required=False,
        initial="",
        choices=_jurisdiction_choices,
        help_text=_("Leave as it is to use the jurisdiction the workbook names."),
    )


#: The issue states the list filters by (issue 25): not issued yet, or what became of the
#: issued report (IssueState).
ISSUE_CHOICES = [
    ("", _("Issued or not")),
    ("draft", _("draft (not issued)")),
    ("issued", pgettext_lazy("report state", "issued")),
    ("superseded", pgettext_lazy("report state", "superseded")),
    ("withdrawn", pgettext_lazy("report state", "withdrawn")),
]
#: Dates a filter accepts: anything outside is a typing slip, said so, never a query.
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2999, 12, 31)


class AuditFilterForm(forms.Form):
    """The filters of the office's audit list; a wrong value is said, never a crash."""

    agency = forms.CharField(
        label=_("Agency (licence or name contains)"), required=False, max_length=200
    )
    rating = forms.ChoiceField(
        label=_("Rating"),
        required=False,
        choices=[("", _("Any rating")), *((r.value, r.value) for r in Rating)],
    )
    issued = forms.ChoiceField(label=_("Issued"), required=False, choices=ISSUE_CHOICES)
    inspector = forms.ChoiceField(label=_("Uploaded by"), required=False, choices=[])
    inspected_from = forms.DateField(
        label=_("Inspected from (YYYY-MM-DD)"), required=False, input_formats=["%Y-%m-%d"]
    )
    inspected_to = forms.DateField(
        label=_("Inspected up to (YYYY-MM-DD)"), required=False, input_formats=["%Y-%m-%d"]
    )
    uploaded_from = forms.DateField(
        label=_("Uploaded from (YYYY-MM-DD)"), required=False, input_formats=["%Y-%m-%d"]
    )
    uploaded_to = forms.DateField(
        label=_("Uploaded up to (YYYY-MM-DD)"), required=False, input_formats=["%Y-%m-%d"]
    )
    removed = forms.ChoiceField(
        label=_("Removed uploads"),
        required=False,
        choices=[("", _("Hide removed uploads")), ("show", _("Show removed uploads"))],
    )

    def __init__(self, data: Any = None, *, inspectors: list[str] | None = None) -> None:
        cleaned = {key: clean_text(data.get(key)) for key in self.base_fields} if data else None
        super().__init__(cleaned)
        # Only the names of the office's own members: another office's are never offered.
        field = self.fields["inspector"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Anyone")), *((name, name) for name in inspectors or [])]

    def filters(self) -> dict[str, Any]:
        """The valid filters (an invalid field is left out and its error shown)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for first, last in (("uploaded_from", "uploaded_to"), ("inspected_from", "inspected_to")):
            for name in (first, last):
                day = data.get(name)
                if isinstance(day, dt.date) and not EARLIEST <= day <= LATEST:
                    self.add_error(
                        name,
                        _("Give a date from %(first)s to %(last)s.")
                        % {"first": EARLIEST.year, "last": LATEST.year},
                    )
                    data.pop(name, None)
            start, end = data.get(first), data.get(last)
            if isinstance(start, dt.date) and isinstance(end, dt.date) and start > end:
                self.add_error(last, _("The end date is before the start date."))
        return data
