"""The shipped catalogues: complete, placeholders kept, compiled, and the glossary used.

A language is shipped when its ``auditor.po`` is in ``auditor/locale``: each
must translate every msgid of ``auditor.pot`` (a msgid left empty would print
English in the middle of the report), keep each placeholder and markup, and
compile. The glossary (``docs/glossary.md``) says which word each language
uses for the terms a reader must recognise from one page to the next.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from auditor.i18n import LANGUAGES, shipped_codes, translator
from auditor.i18n.catalogue import catalogue_path, compile_po
from tests.i18n.conftest import POT, ROOT

TRANSLATED = [code for code in shipped_codes() if code != "en"]
_PLACEHOLDER = re.compile(r"%\([a-z_]+\)s|%%|</?[a-z]+(?: [^>]*)?/?>")


def _messages(path: Path) -> dict[str, str]:
    """msgid -> translation; a plural by its singular, translated only if every form is."""
    with path.open("rb") as stream:
        catalog = read_po(stream)
    return {
        (m.id[0] if isinstance(m.id, tuple) else str(m.id)): (
            (" ".join(m.string) if all(m.string) else "")
            if isinstance(m.string, tuple)
            else str(m.string)
        )
        for m in catalog
        if m.id
    }


def _singular_messages(path: Path) -> dict[str, str]:
    """The messages without a plural (their forms are held by the plural test)."""
    with path.open("rb") as stream:
        catalog = read_po(stream)
    return {str(m.id): str(m.string) for m in catalog if m.id and not isinstance(m.id, tuple)}


def test_nepali_is_shipped_and_every_planned_language_has_its_metadata() -> None:
    assert "ne" in TRANSLATED
    assert set(LANGUAGES) == {"en", "ne", "id", "fil", "ar", "fr", "es"}
    assert LANGUAGES["ar"].rtl
    assert not LANGUAGES["ne"].rtl


@pytest.mark.parametrize("code", TRANSLATED)
def test_the_catalogue_translates_every_message_of_the_template(code: str) -> None:
    template = _messages(POT)
    messages = _messages(catalogue_path(code))
    missing = sorted(set(template) - {m for m, text in messages.items() if text})
    assert missing == [], f"{code}: {len(missing)} messages untranslated, e.g. {missing[:5]}"


@pytest.mark.parametrize("code", TRANSLATED)
def test_each_translation_keeps_the_placeholders_and_markup(code: str) -> None:
    wrong = [
        message
        for message, text in _singular_messages(catalogue_path(code)).items()
        if text and sorted(_PLACEHOLDER.findall(message)) != sorted(_PLACEHOLDER.findall(text))
    ]
    assert wrong == []


@pytest.mark.parametrize("code", TRANSLATED)
def test_each_plural_form_keeps_the_placeholders(code: str) -> None:
    """Every form of a plural (one in Indonesian, six in Arabic) says each placeholder of
    the English plural once, and the catalogue has as many forms as its language needs."""
    with catalogue_path(code).open("rb") as stream:
        catalog = read_po(stream)
    for message in catalog:
        if not isinstance(message.id, tuple):
            continue
        forms = message.string
        assert isinstance(forms, tuple)
        assert len(forms) == catalog.num_plurals, message.id
        wanted = sorted(_PLACEHOLDER.findall(message.id[1]))
        assert [sorted(_PLACEHOLDER.findall(form)) for form in forms] == [wanted] * len(forms)


@pytest.mark.parametrize("code", TRANSLATED)
def test_the_catalogue_compiles_and_is_read_through_babel(code: str) -> None:
    assert compile_po(catalogue_path(code))
    words = translator(code)
    assert words.gettext("Inspection report") != "Inspection report"
    assert words.gettext("Written: %(path)s", path="x.pdf").count("x.pdf") == 1


def test_legal_citations_survive_translation() -> None:
    """Convention and article numbers, the resolution's paragraphs: never translated away."""
    citation = re.compile(r"\b(?:C\d{2,3}|74/127|Art \d+(?:\(\w\))*|para \d+)")
    for code in TRANSLATED:
        for message, text in _messages(catalogue_path(code)).items():
            if text:
                assert sorted(citation.findall(message)) == sorted(citation.findall(text)), (
                    code,
                    message,
                )


def glossary() -> dict[str, dict[str, list[str]]]:
    """``docs/glossary.md``'s table: English term -> language -> accepted forms."""
    lines = (ROOT / "docs" / "glossary.md").read_text("utf-8").splitlines()
    rows = [line for line in lines if line.startswith("|")]
    header = [cell.strip() for cell in rows[0].strip("|").split("|")]
    terms: dict[str, dict[str, list[str]]] = {}
    for row in rows[2:]:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        terms[cells[0]] = {
            code: [form.strip() for form in cell.split(" / ")]
            for code, cell in zip(header[1:], cells[1:], strict=True)
        }
    return terms


def test_the_glossary_names_every_term_the_issue_asks_for_in_every_language() -> None:
    terms = glossary()
    asked = {"recruitment fee", "related costs", "order to remedy", "finding", "data gap",
             "provisional", "agency's copy"}  # fmt: skip
    assert asked <= set(terms)
    for forms in terms.values():
        assert set(forms) == set(LANGUAGES) - {"en"}
        assert all(all(form for form in cell) for cell in forms.values())


_NOT_WORDS = re.compile(r"%\([a-z_]+\)s|<span class=\"mono\">[^<]*</span>|<[^>]+>")


@pytest.mark.parametrize("code", TRANSLATED)
def test_the_catalogue_uses_the_glossary_terms(code: str) -> None:
    """Wherever a msgid says a glossary term, its translation says the language's term."""
    astray = []
    for message, text in _messages(catalogue_path(code)).items():
        words = _NOT_WORDS.sub(" ", message).lower()
        for term, forms in glossary().items():
            if term in words and not any(form.lower() in text.lower() for form in forms[code]):
                astray.append(f"{term!r} in {message[:70]!r}")
    assert astray == [], "\n".join(astray)


def test_the_template_holds_every_message_of_the_sources() -> None:
    """``make messages`` was run: a text marked in the code or a rule file but absent from
    ``auditor.pot`` would print in English in every language, unseen by the other tests."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with (ROOT / "babel.cfg").open(encoding="utf-8") as stream:
        method_map, options_map = parse_mapping_cfg(stream)
    keywords = {
        "N_": None,
        "_": None,
        "Message": None,
        "ValueProblem": None,
        "gettext": None,
        "ngettext": (1, 2),
        "pgettext": ((1, "c"), 2),
    }
    found: set[str] = set()
    for _name, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=keywords
    ):
        found.add(message if isinstance(message, str) else message[0])
    assert found - {""} == set(_messages(POT))


def test_compiled_catalogues_are_read_and_a_stale_one_is_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``make setup`` (``python -m auditor.i18n``) writes each ``.mo``, which is read; a
    ``.mo`` older than its ``.po`` (a translator's edit not compiled yet) is not: the
    ``.po`` is compiled in memory instead."""
    import os
    import shutil

    from auditor.i18n import catalogue
    from auditor.i18n.catalogue import compile_all, translations

    folder = tmp_path / "ne" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = folder / "auditor.po"
    shutil.copy(catalogue_path("ne"), po)
    monkeypatch.setattr(catalogue, "LOCALE_DIR", tmp_path)
    [mo] = compile_all()
    assert mo == folder / "auditor.mo"
    expected = translator("ne").gettext("Inspection report")
    assert translations("ne").gettext("Inspection report") == expected
    edited = po.read_text("utf-8").replace(f'msgstr "{expected}"', 'msgstr "EDITED"', 1)
    assert edited != po.read_text("utf-8")
    po.write_text(edited, "utf-8")
    os.utime(mo, ns=(0, 0))  # the .mo is now older than its .po
    assert translations("ne").gettext("Inspection report") == "EDITED"
