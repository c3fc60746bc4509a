"""Choosing a language, its formats, and renders in two languages that never bleed."""

from __future__ import annotations

import datetime as dt
import gettext
import threading
from decimal import Decimal

import pytest

from auditor.errors import UsageError
from auditor.i18n import Translator, current, language, shipped_codes, translator, using
from auditor.i18n import formats as locale_formats
from auditor.i18n.languages import LANGUAGES, first_shipped
from auditor.render import Copy, render_json, result_for
from auditor.render.report import report_html
from tests.i18n.conftest import PROBLEMS, inspection_of


def test_an_unknown_language_is_refused_with_the_list_of_shipped_ones() -> None:
    with pytest.raises(UsageError) as refused:
        language("xx")
    assert "en, ne" in str(refused.value)
    assert language(None).code == "en"
    assert language("NE").code == "ne"


def test_a_workers_first_shipped_language_is_hers_else_the_offices() -> None:
    assert first_shipped(("hi", "ne", "en"), "en").code == "ne"
    assert first_shipped(("hi", "ur"), "ne").code == "ne"
    assert first_shipped((), "en").code == "en"


def test_money_is_rounded_half_up_before_babel_writes_it() -> None:
    # Babel alone rounds half to even: 0.125 -> 0.12; the report rounds half up: 0.13.
    assert locale_formats.money(Decimal("0.125"), "USD", "fr") == "0,13 USD"
    assert locale_formats.money(Decimal("1722.505"), "USD", "ne") == "1,722.51 USD"
    assert locale_formats.money(Decimal("150000"), "JPY", "es") == "150.000 JPY"
    assert locale_formats.percent(Decimal("0.0745"), "fr") == "7,5 %"


def test_nepali_digits_are_optional_and_latin_by_default() -> None:
    day = dt.date(2026, 5, 17)
    assert locale_formats.day(day, "ne") == "2026 मे 17"
    assert locale_formats.day(day, "ne", native=True) == "२०२६ मे १७"
    assert translator("ne", native_digits=True).money(Decimal("1722.5"), "USD") == "१,७२२.५० USD"
    assert translator("ne").number(12345) == "12,345"


def test_english_formats_stay_those_of_the_report() -> None:
    assert locale_formats.day(dt.date(2026, 5, 17), "en") == "17 May 2026"
    assert locale_formats.money(Decimal("1722.5"), "USD", "en") == "1,722.50 USD"


def test_a_language_holds_only_inside_its_block() -> None:
    assert current().code == "en"
    with using("ne"):
        assert current().code == "ne"
        with using(None):
            assert current().code == "ne"  # None keeps the language in force
        with using("en"):
            assert current().code == "en"
        assert current().code == "ne"
    assert current().code == "en"


def test_two_renders_in_two_languages_at_once_do_not_bleed() -> None:
    inspection = inspection_of(PROBLEMS)
    result = result_for(inspection, Copy.INSPECTOR)
    alone = {}
    for code in ("en", "ne"):
        with using(code):
            alone[code] = report_html(inspection, result, Copy.INSPECTOR)
    assert alone["en"] != alone["ne"]
    together: dict[str, list[str]] = {"en": [], "ne": []}
    start = threading.Barrier(4)

    def render(code: str) -> None:
        start.wait()
        with using(code):
            together[code].append(report_html(inspection, result, Copy.INSPECTOR))

    threads = [threading.Thread(target=render, args=(c,)) for c in ("en", "ne", "en", "ne")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert together["en"] == [alone["en"], alone["en"]]
    assert together["ne"] == [alone["ne"], alone["ne"]]


def test_the_result_json_is_the_same_in_every_language() -> None:
    inspection = inspection_of(PROBLEMS)
    english = render_json(inspection, Copy.INSPECTOR)
    for code in shipped_codes():
        with using(code):
            assert render_json(inspection, Copy.INSPECTOR, code) == english


def test_an_arabic_report_reads_right_to_left_with_ids_isolated() -> None:
    """The layout does not wait for the catalogue: Arabic's direction is the language's."""
    arabic = Translator(LANGUAGES["ar"], gettext.NullTranslations())
    inspection = inspection_of(PROBLEMS)
    with using(arabic):
        html = report_html(inspection, result_for(inspection, Copy.INSPECTOR), Copy.INSPECTOR)
    assert '<html lang="ar" dir="rtl">' in html
    assert "<h1><bdi>PH-2026-0417</bdi></h1>" in html
    assert '<td class="id"><bdi>W18</bdi></td>' in html
    english = report_html(inspection, result_for(inspection, Copy.INSPECTOR), Copy.INSPECTOR)
    assert '<html lang="en">' in english
    assert "<bdi>" not in english


def test_a_translated_report_says_so_and_which_text_prevails(monkeypatch) -> None:
    inspection = inspection_of(PROBLEMS)
    result = result_for(inspection, Copy.INSPECTOR)
    with using("ne"):
        html = report_html(inspection, result, Copy.INSPECTOR)
        note = translator("ne").gettext(
            "This report is a translation of the English original. In case of doubt or "
            "dispute, the %(language)s text prevails.",
            language=translator("ne").gettext("English"),
        )
        status = translator("ne").gettext("machine/unreviewed")
    assert note in html
    assert status in html  # the footer: the catalogue's review status
    assert "अङ्ग्रेजी" in note
    monkeypatch.setenv("AUDITOR_AUTHORITATIVE_LANGUAGE", "ne")
    with using("ne"):
        authoritative = report_html(inspection, result, Copy.INSPECTOR)
    assert note not in authoritative
    assert "आधिकारिक" in authoritative
    # Where the office's language prevails, the English report is the translation.
    assert "the Nepali text prevails" in report_html(inspection, result, Copy.INSPECTOR)
    monkeypatch.delenv("AUDITOR_AUTHORITATIVE_LANGUAGE")
    assert "Translation." not in report_html(inspection, result, Copy.INSPECTOR)
