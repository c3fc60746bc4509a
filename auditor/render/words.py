"""The words of the records' codes as a report prints them, in the report's language.

Fee categories, severities, payees, channel kinds: the records and the JSON
hold codes (``recruitment_fee``, ``high``); a person reads words. Each is a
msgid here (``N_``), translated where it is printed, so that the evidence, the
tables and the notices name a fee the same way in one language.
"""

from __future__ import annotations

from auditor.i18n import current
from auditor.i18n.context import N_

#: What each fee category was for, as a person reads it (the codes are the workbook's).
FEE_CATEGORIES = {
    "recruitment_fee": N_("recruitment fee"),
    "medical": N_("medical examination"),
    "insurance": N_("insurance"),
    "skills_test": N_("skills test"),
    "training": N_("training"),
    "equipment": N_("equipment"),
    "travel": N_("travel"),
    "lodging": N_("lodging"),
    "administrative": N_("administrative costs"),
    "personal_documents": N_("personal documents"),
    "deposit": N_("deposit"),
    "illegitimate": N_("a charge with no lawful purpose"),
    "other": N_("other costs"),
}


#: Words of the records' codes that the report prints (sources, subjects, sectors, laws'
#: status, payees, channels), marked here for the catalogue; printed through ``_()``.
CODE_WORDS = (
    N_("machine/unreviewed"),
    N_("medical"),
    N_("administrative"),
    N_("illegitimate"),
    N_("intermediary"),
    N_("government"),
    N_("provider"),
    N_("employer"),
    N_("ngo"),
    N_("union"),
    N_("hotline"),
    N_("in person"),
    N_("email"),
    N_("app"),
    N_("web"),
    N_("other"),
    N_("interview"),
    N_("document"),
    N_("photo"),
    N_("site visit"),
    N_("agency"),
    N_("channel"),
    N_("domestic work"),
    N_("care"),
    N_("construction"),
    N_("agriculture"),
    N_("manufacturing"),
    N_("hospitality"),
    N_("fishing"),
    N_("checked"),
    N_("to be confirmed"),
)
SEVERITIES = {
    "critical": N_("critical"),
    "high": N_("high"),
    "medium": N_("medium"),
    "low": N_("low"),
}
#: Ratings: the letters stay letters; "critical" is a word.
RATINGS = {"critical": N_("critical")}


def severity_name(code: str) -> str:
    return current().gettext(SEVERITIES[code]) if code in SEVERITIES else code


def rating_name(code: str) -> str:
    return current().gettext(RATINGS[code]) if code in RATINGS else code


def fee_category(code: str) -> str:
    """A fee category's name in the current language (an unknown code as it is)."""
    return current().gettext(FEE_CATEGORIES[code]) if code in FEE_CATEGORIES else code


def code_word(code: str) -> str:
    """A code's word in the current language: ``in_person`` -> "in person", translated."""
    return current().gettext(code.replace("_", " "))
