"""The samples' inspections, made once per session, and a pseudo-language for the tests.

The pseudo-language wraps every translated text in ``⟦ ⟧`` (placeholders kept): a
report rendered in it shows, outside the brackets, only what never went through
the catalogue, which must be data (names, ids, cells), never a sentence.
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path

from auditor.i18n import LANGUAGES, Translator
from auditor.i18n.languages import Language
from auditor.pipeline import Inspection, inspect_records
from auditor.verdict.compare import read_result

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_audits"
PROBLEMS = SAMPLES / "agency-with-problems.xlsx"
COMPLIANT = SAMPLES / "compliant-agency.xlsx"
FOLLOW_UP = SAMPLES / "agency-follow-up.xlsx"
POT = ROOT / "auditor" / "locale" / "auditor.pot"


@cache
def inspection_of(path: Path) -> Inspection:
    return inspect_records(path)


@cache
def follow_up_inspection() -> Inspection:
    """The follow-up sample compared with the pinned result of the first audit."""
    from auditor.cli.audit import follow_up

    previous = read_result(SAMPLES / "expected" / "PH-2026-0417.json", "previous")
    return follow_up(inspection_of(FOLLOW_UP), previous)


class Pseudo(gettext.NullTranslations):
    """Every message wrapped in brackets, so that what is not wrapped shows."""

    def gettext(self, message: str) -> str:
        return f"⟦{message}⟧"

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return f"⟦{singular if n == 1 else plural}⟧"

    def pgettext(self, context: str, message: str) -> str:
        return f"⟦{message}⟧"


def pseudo() -> Translator:
    """Nepali's formats (months in Devanagari: no Latin word comes from a date) and the
    bracketing catalogue."""
    nepali = LANGUAGES["ne"]
    language = Language("ne", "Pseudo", "Pseudo", reviewed_by="tests", reviewed_on="2026-12-07")
    assert language.code == nepali.code
    return Translator(language, Pseudo())
