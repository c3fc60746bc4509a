"""Issue 27: problem messages in the reader's language, the problems document in English.

Every problem of a large corpus of bad inputs (:mod:`tests.i18n.problem_corpus`:
the hostile files, the sample invalid workbook, mutations of a valid inspection as
a workbook and as a dataset, inputs over small limits) is rendered in the
bracketing pseudo-language: a message whose sentence is not a catalogue entry, or
that carries an English clause as a plain value, fails naming its code. The
problems documents of the whole corpus stay byte for byte what they were before
the messages went through the catalogue.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

from auditor.i18n import translator
from auditor.model.codes import Code
from auditor.model.messages import Message
from auditor.model.problems import Problem, ValidationReport
from tests.i18n.conftest import pseudo
from tests.i18n.problem_corpus import PINNED, documents, reports

#: Codes the corpus does not raise as input problems, and why they are not rendered here.
NOT_INPUT_PROBLEMS = {
    # The result's warnings (pipeline/run.py), which stay English in the result JSON.
    Code.REFUND_NOT_COUNTED,
    Code.COLUMN_NOT_RECORDED,
    # pydantic's own sentence for an error no reader of the format words (never seen in
    # practice: every field has a reader that raises its own coded problem).
    Code.INVALID_VALUE,
}
#: Values quoted from another program as they are (calamine's, expat's, the JSON parser's or
#: the operating system's error text).
DATA_PARAMS = frozenset({"detail"})
_ENGLISH_WORDS = re.compile(r"\b[a-z]{2,} [a-z]{2,} [a-z]{2,}\b")


@cache
def _corpus(folder: str) -> tuple[tuple[str, ValidationReport], ...]:
    return tuple(reports(Path(folder)))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[tuple[str, ValidationReport], ...]:
    return _corpus(str(tmp_path_factory.mktemp("problems")))


def _problems(
    corpus: tuple[tuple[str, ValidationReport], ...],
) -> Iterator[tuple[str, Problem]]:
    for name, report in corpus:
        for problem in (*report.errors, *report.warnings):
            yield name, problem


def _plain_clauses(message: Message) -> Iterator[tuple[str, str]]:
    """Parameters that read as English words rather than data (a clause left untranslated)."""
    for name, value in message.params.items():
        if isinstance(value, Message):
            yield from _plain_clauses(value)
        elif (
            isinstance(value, str)
            and name not in DATA_PARAMS
            and not value.startswith(('"', "'"))
            and _ENGLISH_WORDS.search(value)
        ):
            yield name, value


def test_the_problems_documents_stay_byte_identical(tmp_path: Path) -> None:
    """``problems_english.json`` was written by the code before issue 27's problem messages."""
    pinned = json.loads(PINNED.read_text("utf-8"))
    made = documents(tmp_path)
    assert sorted(made) == sorted(pinned)
    changed = [name for name in made if made[name] != pinned[name]]
    assert changed == [], f"problems documents changed: {changed}"


def test_the_corpus_raises_every_input_problem_code(
    corpus: tuple[tuple[str, ValidationReport], ...],
) -> None:
    raised = {problem.code for _, problem in _problems(corpus)}
    assert set(Code) - NOT_INPUT_PROBLEMS - raised == set()


def test_every_problem_message_goes_through_the_catalogue(
    corpus: tuple[tuple[str, ValidationReport], ...],
) -> None:
    lookup = pseudo().catalogue.gettext
    outside = []
    for name, problem in _problems(corpus):
        message = problem.message
        if not isinstance(message, Message):
            outside.append(f"{name} {problem.code}: not a Message: {message}")
            continue
        said = problem.localized(lookup)
        if not (said.startswith("⟦") and said.endswith("⟧")):
            outside.append(f"{name} {problem.code}: {said}")
        outside.extend(
            f"{name} {problem.code}: %({param})s is English text: {value!r}"
            for param, value in _plain_clauses(message)
        )
    assert outside == []


@pytest.mark.parametrize("code", ["ne", "id", "fil", "ar", "fr", "es"])
def test_every_problem_of_the_corpus_is_translated(
    corpus: tuple[tuple[str, ValidationReport], ...], code: str
) -> None:
    """Each catalogue has every sentence the corpus says, and fills it without an error."""
    catalogue = translator(code).catalogue
    missing = set()
    for _, problem in _problems(corpus):
        assert isinstance(problem.message, Message)
        stack = [problem.message]
        while stack:
            message = stack.pop()
            if catalogue.gettext(message.msgid) == message.msgid:
                missing.add(message.msgid)
            stack.extend(v for v in message.params.values() if isinstance(v, Message))
        said = problem.localized(catalogue.gettext)
        assert said
        assert "%(" not in said
    # A translation may equal its msgid only where nothing in it is words.
    assert {m for m in missing if re.search(r"[a-z]{3,}", re.sub(r"%\(\w+\)s", "", m))} == set()


def test_a_problem_survives_pickling_with_its_msgid() -> None:
    """Isolated audits send problems back pickled: the translation must come with them."""
    import pickle

    from auditor.model.values import ValueProblem

    message = ValueProblem("%(field)s must be text, got %(value)s", Code.NOT_TEXT, value="1")
    problem = Problem("Fees!E2", message.for_field("amount"), code=Code.NOT_TEXT)
    back = pickle.loads(pickle.dumps(problem))
    assert back == problem
    assert isinstance(back.message, Message)
    assert back.message.msgid == "%(field)s must be text, got %(value)s"
    assert back.localized(translator("fr").catalogue.gettext) != str(problem.message)


INVALID = Path(__file__).resolve().parents[2] / "sample_audits" / "invalid-workbook.xlsx"


def test_validate_prints_the_problems_in_the_chosen_language(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from auditor.cli import main

    assert main(["validate", str(INVALID)]) == 2
    english = capsys.readouterr().out.splitlines()
    assert main(["validate", str(INVALID), "--lang", "ne"]) == 2
    said = capsys.readouterr()
    nepali = said.out.splitlines()
    assert said.err == f"{INVALID}: 15 समस्या\n"
    assert len(nepali) == len(english) == 15
    # Same places, in the same order; the sentences in Nepali, the cells' values as written.
    assert [line.split(": ", 1)[0] for line in nepali] == [
        line.split(": ", 1)[0] for line in english
    ]
    assert nepali[0] == (
        "Audit!B6: origin_country देश हुनुपर्छ: यसको ISO 3166-1 दुई अक्षरे कोड (PH, NP, QA...), "
        'तीन अक्षरे कोड (PHL) वा अङ्ग्रेजी नाम (Nepal), तर "Phillipines" पाइयो'
    )
    assert all(re.search("[\u0900-\u097f]", line) for line in nepali)


def test_a_valid_workbook_is_said_valid_in_the_chosen_language(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from auditor.cli import main

    compliant = INVALID.with_name("compliant-agency.xlsx")
    assert main(["validate", str(compliant), "--lang", "es"]) == 0
    assert capsys.readouterr().err == (
        f"{compliant}: válido (trabajadores: 12, empleadores: 2, pagos: 48)\n"
    )
    assert main(["validate", str(compliant)]) == 0
    assert capsys.readouterr().err == f"{compliant}: valid (12 workers, 2 employers, 48 fees)\n"


def test_the_json_problems_document_stays_english_whatever_the_language(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from auditor.cli import main

    assert main(["validate", str(INVALID), "--format", "json"]) == 2
    english = capsys.readouterr().out
    assert main(["validate", str(INVALID), "--format", "json", "--lang", "ar"]) == 2
    assert capsys.readouterr().out == english


def test_an_unknown_language_is_refused_before_the_input_is_read(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from auditor.cli import main

    assert main(["validate", str(INVALID), "--lang", "xx"]) == 2
    said = capsys.readouterr()
    assert said.out == ""
    assert "unknown language 'xx'" in said.err
    assert "ne, id, fil, ar, fr, es" in said.err


def test_audit_refuses_bad_input_in_the_chosen_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from auditor.cli import main

    out = tmp_path / "out"
    code = main(["audit", str(INVALID), "--out", str(out), "--in-process", "--lang", "fr"])
    assert code == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == (
        "Audit!B6: origin_country doit être un pays : son code ISO 3166-1 à deux lettres (PH, NP, "
        "QA...), son code à trois lettres (PHL) ou son nom anglais (Nepal), valeur lue : "
        '"Phillipines"'
    )
    assert "Fees!A18: fee_id est obligatoire, mais il est vide" in err
    assert not out.exists() or not any(out.iterdir())


def test_audit_in_an_isolated_worker_keeps_the_translation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The problems come back pickled from the worker process, msgids and all."""
    from auditor.cli import main

    out = tmp_path / "out"
    assert main(["audit", str(INVALID), "--out", str(out), "--lang", "es"]) == 2
    err = capsys.readouterr().err
    assert "Fees!A18: fee_id es obligatorio, pero está vacío" in err
