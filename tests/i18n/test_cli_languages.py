"""``auditor audit --lang``, ``--copy inspector:ne,agency:en`` and ``--format notices``,
end to end through the command line (issue 27's "Done when")."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from auditor.cli import main
from auditor.i18n import translator
from auditor.i18n.languages import first_shipped
from auditor.render.notices import notices
from tests.i18n.conftest import PROBLEMS, inspection_of

STEM = "PH-2026-0417"


def _text(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(path.read_bytes())).pages]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One command: the inspector's copy in Nepali, the agency's in English, the notices."""
    out = tmp_path_factory.mktemp("languages")
    assert (
        main(
            [
                "audit",
                str(PROBLEMS),
                "--out",
                str(out),
                "--in-process",
                "--lang",
                "ne",
                "--copy",
                "inspector:ne,agency:en",
                "--format",
                "pdf,json,notices",
                "--office-contact",
                "Department of Foreign Employment, hotline 1141",
            ]
        )
        == 0
    )
    return out


def test_one_command_prints_the_inspectors_copy_in_nepali_and_the_agencys_in_english(
    written: Path,
) -> None:
    # Text extraction scrambles Devanagari's vowel signs; the document's title does not.
    nepali = PdfReader(written / f"{STEM}.pdf")
    english = PdfReader(written / f"{STEM}.agency.pdf")
    assert nepali.metadata.title.startswith("निरीक्षण प्रतिवेदन PH-2026-0417")
    assert english.metadata.title.startswith("Inspection report PH-2026-0417")
    nepali_text = " ".join(page.extract_text() for page in nepali.pages)
    assert "Findings and orders to remedy" not in nepali_text
    assert "Findings and orders to remedy" in " ".join(p.extract_text() for p in english.pages)
    assert "निरीक्षण" not in " ".join(p.extract_text() for p in english.pages)


def test_the_json_is_the_same_whatever_the_language(written: Path, tmp_path: Path) -> None:
    assert main(["audit", str(PROBLEMS), "--out", str(tmp_path), "--in-process",
                 "--copy", "inspector,agency", "--format", "json"]) == 0  # fmt: skip
    for name in (f"{STEM}.json", f"{STEM}.agency.json"):
        assert (written / name).read_bytes() == (tmp_path / name).read_bytes()


def test_each_worker_owed_money_gets_one_page_in_her_language(written: Path) -> None:
    inspection = inspection_of(PROBLEMS)
    owed = inspection.result.money_owed.by_worker
    assert len(owed) == 7
    pages = _text(written / f"{STEM}.notices.pdf")
    assert len(pages) == 7
    workers = {w.worker_id: w for w in inspection.dataset.workers}
    made = notices(inspection, "ne")
    for page, notice, worker_id in zip(pages, made, owed, strict=True):
        expected = first_shipped(tuple(workers[worker_id].languages), "ne").code
        assert notice.worker_id == worker_id
        assert notice.lang == expected
        words = translator(expected)
        assert words.gettext("To worker %(worker)s", worker=worker_id) in page
        assert words.gettext("Where to complain") in page
        assert "hotline 1141" in page
        others = [w for w in owed if w != worker_id]
        assert not any(f" {other}\n" in page or page.endswith(other) for other in others)


def test_a_workers_notice_is_in_her_own_language_where_it_is_shipped() -> None:
    """A worker who reads Nepali gets her notice in Nepali, whatever the office's language."""
    inspection = inspection_of(PROBLEMS)
    first = next(iter(inspection.result.money_owed.by_worker))
    workers = tuple(
        w.model_copy(update={"languages": ("ne",)}) if w.worker_id == first else w
        for w in inspection.dataset.workers
    )
    import dataclasses

    changed = dataclasses.replace(
        inspection, dataset=inspection.dataset.model_copy(update={"workers": workers})
    )
    made = {notice.worker_id: notice for notice in notices(changed, "en")}
    assert made[first].lang == "ne"
    text = re.sub(r"<[^>]+>", " ", str(made[first].body))
    assert "श्रमिक" in text
    assert "notice" not in text.lower()


def test_an_unknown_language_is_exit_2_with_the_shipped_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for arguments in (["--lang", "xx"], ["--copy", "inspector:zz"]):
        assert main(["audit", str(PROBLEMS), "--out", str(tmp_path), *arguments]) == 2
        error = capsys.readouterr().err
        assert "unknown language" in error
        assert "en, ne" in error
    assert list(tmp_path.iterdir()) == []


def test_the_summary_is_printed_in_the_offices_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", str(PROBLEMS), "--out", str(tmp_path), "--in-process",
                 "--lang", "ne", "--format", "json"]) == 0  # fmt: skip
    printed = capsys.readouterr().out
    assert "निष्कर्षहरू: 49" in printed
    assert "लेखियो:" in printed


def test_issue_renders_each_copy_in_its_language_and_the_notices_with_due_dates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``auditor issue --copy inspector:ne,agency:en --notices``: the issue record stays
    language-free; the notices give the orders' due dates as dates."""
    import datetime as dt

    result = Path(__file__).resolve().parents[2] / "sample_audits" / "expected" / f"{STEM}.json"
    arguments = ["issue", str(result), str(PROBLEMS), "--by", "Sita Sharma", "--title",
                 "Inspector", "--office", "KTM", "--on", "2026-07-01", "--out", str(tmp_path),
                 "--copy", "inspector:ne,agency:en", "--lang", "ne", "--notices"]  # fmt: skip
    assert main(arguments) == 0
    assert "प्रमाणीकरण कोड:" in capsys.readouterr().out
    inspector = PdfReader(tmp_path / f"{STEM}.pdf")
    agency = PdfReader(tmp_path / f"{STEM}.agency.pdf")
    assert inspector.metadata.title.startswith("निरीक्षण प्रतिवेदन")
    assert agency.metadata.title.startswith("Inspection report")
    record = (tmp_path / f"{STEM}.issue.json").read_text("utf-8")
    assert not re.search("[\u0900-\u097f]", record)
    pages = _text(tmp_path / f"{STEM}.notices.pdf")
    assert len(pages) == 7
    # The sample's workers read Tagalog (Filipino) and English: the office's Nepali unless
    # Filipino is shipped; a high finding's order is due 30 days after issue.
    made = notices(inspection_of(PROBLEMS), "ne")
    due = translator(made[0].lang).day(dt.date(2026, 7, 31))
    assert sum(due in page for page in pages) >= 1


def test_compare_prints_in_the_language_asked_and_its_json_does_not_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = Path(__file__).resolve().parents[2] / "sample_audits" / "expected"
    pair = [str(expected / "PH-2026-0417.json"), str(expected / "PH-2026-1102.json")]
    for code in ("en", "ne"):
        folder = tmp_path / code
        arguments = ["compare", *pair, "--format", "json,pdf", "--lang", code, "--out", str(folder)]
        assert main(arguments) == 0
    printed = capsys.readouterr().out
    assert "को अनुगमन PH-2026-1102" in printed
    name = "PH-2026-1102.comparison.json"
    assert (tmp_path / "en" / name).read_bytes() == (tmp_path / "ne" / name).read_bytes()
    title = PdfReader(tmp_path / "ne" / "PH-2026-1102.comparison.pdf").metadata.title
    assert title == "PH-2026-0417 को अनुगमन PH-2026-1102"
