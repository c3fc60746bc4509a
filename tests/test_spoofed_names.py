"""Invisible format characters in the agency's name and licence are refused (issue 23, item 6).

A right-to-left override (U+202E) or an isolate (U+2066-U+2069) reorders what a
reader sees, and a zero-width character makes two names look one: on a signed
report, the agency's name and licence number must read as what they are. Each
is refused with the cell named and the stable code ``invisible_character``;
the other texts (the inspector's words) keep every character.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import auditor
from auditor.errors import InvalidInput
from tests.builders import as_data, base_book, write_book

SPOOFS = [
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u200e",
    "\u200f",
    "\u2060",
    "\ufeff",
    "\u061c",
]


@pytest.mark.parametrize("character", SPOOFS)
def test_a_format_character_in_the_name_or_licence_is_refused_with_the_cell_named(
    character: str, tmp_path: Path
) -> None:
    book = base_book()
    book["Audit"]["agency_name"] = f"Good {character}Agency"
    book["Audit"]["agency_licence_number"] = f"LIC-{character}42"
    with pytest.raises(InvalidInput) as from_dicts:
        auditor.AuditDataset.from_dict(as_data(book))
    found = {(p.to_dict()["location"], p.to_dict()["code"]) for p in from_dicts.value.problems}
    assert ("audit.agency_name", "invisible_character") in found
    assert ("audit.agency_licence_number", "invisible_character") in found
    with pytest.raises(InvalidInput) as from_workbook:
        auditor.read_workbook(write_book(tmp_path / "spoof.xlsx", book))
    named = [p.to_dict() for p in from_workbook.value.problems]
    spoofed = [p for p in named if p["code"] == "invisible_character"]
    assert len(spoofed) == 2, named
    assert all("Audit" in p["location"] for p in spoofed), spoofed
    assert all(f"U+{ord(character):04X}" in p["message"] for p in spoofed), spoofed


def test_other_texts_keep_their_characters() -> None:
    book = base_book()
    book["Audit"]["agency_address"] = "\u202eStreet 1"
    book["Audit"]["agency_name"] = "وكالة Agency"  # right-to-left letters are no format characters
    dataset = auditor.AuditDataset.from_dict(as_data(book))
    assert dataset.audit.agency_address == "\u202eStreet 1"
