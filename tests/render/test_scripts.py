"""Names in the scripts of origin and destination countries print with the shipped fonts.

A name in a script no font has prints as empty boxes (``.notdef``) on a
document someone signs. The check reads the PDF itself: every glyph drawn
comes from a shipped font (renamed "Report ..." by reports/fonts/subset.py,
so a font the computer happens to have cannot pass for it), none is glyph
0 (``.notdef``), and the text layer gives back the name's characters.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from html import escape

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from pypdf.generic import ByteStringObject, ContentStream, TextStringObject

from auditor.base.glyphs import describe, drawable, undrawable
from auditor.render.pdf import html_to_pdf

NAMES = {
    "Devanagari": "श्री कृष्ण वैदेशिक रोजगार प्रा. लि.",
    "Bengali": "রহিমা খাতুন জনশক্তি",
    "Sinhala": "ශ්‍රී ලංකා විදේශ සේවා",
    "Tamil": "தமிழ்செல்வி முருகன்",
    "Myanmar": "မြန်မာ အလုပ်အကိုင်",
    "Khmer": "សុខ ស្រីមុំ",
    "Lao": "ບໍລິສັດ ແຮງງານ ລາວ",
    "Thai": "สมหญิง ใจดี",
    "Ethiopic": "ኢትዮጵያ ሥራና ሠራተኛ",
    "Arabic": "شركة الخليج للتوظيف",
    "Latin and Cyrillic": "Żaneta Nguyễn Thị Юлия Петрова",
}


def _pdf(names: dict[str, str]) -> bytes:
    rows = "".join(
        f"<p>{escape(script)}: <b>{escape(name)}</b> signed for {escape(name)} (W1).</p>"
        for script, name in names.items()
    )
    html = f"<html><body>{rows}</body></html>"  # html_to_pdf applies report.css
    pdf, _ = html_to_pdf(html, created=dt.date(2026, 6, 30))
    return pdf


def _glyphs_drawn(pdf: bytes) -> dict[str, set[int]]:
    """Font name -> glyph ids drawn with it (Identity-H: two bytes per glyph id)."""
    reader = PdfReader(io.BytesIO(pdf))
    drawn: dict[str, set[int]] = {}
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        current = ""
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"Tf":
                current = str(fonts[operands[0]].get_object()["/BaseFont"])
            elif operator in (b"Tj", b"TJ"):
                parts = operands[0] if operator == b"TJ" else [operands[0]]
                for part in parts:
                    if not isinstance(part, TextStringObject | ByteStringObject):
                        continue  # a kerning number
                    data = part.original_bytes
                    codes = {int.from_bytes(data[i : i + 2]) for i in range(0, len(data), 2)}
                    drawn.setdefault(current, set()).update(codes)
    return drawn


def _embedded_glyph_names(pdf: bytes) -> dict[str, list[str]]:
    reader = PdfReader(io.BytesIO(pdf))
    names = {}
    for page in reader.pages:
        for reference in page["/Resources"]["/Font"].values():
            font = reference.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            assert descendant["/CIDToGIDMap"] == "/Identity"
            program = descendant["/FontDescriptor"]["/FontFile2"].get_object().get_data()
            names[str(font["/BaseFont"])] = TTFont(io.BytesIO(program)).getGlyphOrder()
    return names


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return _pdf(NAMES)


def test_every_character_of_every_name_is_drawn_with_a_shipped_font(pdf: bytes) -> None:
    drawn = _glyphs_drawn(pdf)
    order = _embedded_glyph_names(pdf)
    used = {name.split("+", 1)[1] for name in drawn}
    for script in ("Devanagari", "Bengali", "Sinhala", "Tamil", "Myanmar", "Khmer", "Lao"):
        assert f"Report-{script}" in used, used
    assert {"Report-Thai", "Report-Ethiopic", "Report-Arabic", "Report-Arabic-Bold"} <= used
    for font, glyphs in drawn.items():
        assert font.split("+", 1)[1].startswith("Report-"), f"{font} is not a shipped font"
        assert 0 not in glyphs, f"{font} drew .notdef (an empty box)"
        assert all(order[font][g] != ".notdef" for g in glyphs), font


def test_the_text_layer_gives_back_every_character(pdf: bytes) -> None:
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for script, name in NAMES.items():
        # Known limit: WeasyPrint's text layer maps a Khmer subscript consonant (the sign
        # COENG and its letter, drawn as one glyph, checked above) to nothing, so a copy
        # and paste of the name loses it; the printed page is right.
        printed = re.sub("\u17d2.", "", name)
        wanted = {ch for ch in printed if not ch.isspace() and unicodedata.category(ch) != "Cf"}
        missing = wanted - set(text)
        assert not missing, (script, describe(sorted(missing)))


def test_arabic_runs_right_to_left_inside_english_text(pdf: bytes) -> None:
    """The text layer holds the Arabic words in reading order, the English around them intact."""
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    line = next(line for line in text.splitlines() if line.startswith("Arabic"))
    assert re.search(r"Arabic:\s*شركة\s+الخليج\s+للتوظيف\s+signed for", line), line
    # shaped: the joining forms of the presentation blocks are not in the text, the letters are
    assert not any(0xFB50 <= ord(ch) <= 0xFEFF for ch in line)


def test_every_name_here_is_drawable_and_a_script_without_a_font_is_named() -> None:
    for name in NAMES.values():
        assert undrawable(name) == []
    assert undrawable("ꦱꦸꦏꦂꦤꦺ Sukarno") == ["ꦱ", "ꦸ", "ꦏ", "ꦂ", "ꦤ", "ꦺ"]
    assert describe(["ꦱ"]) == '"ꦱ" (U+A9B1 JAVANESE LETTER SA)'
    assert ord("न") in drawable()
