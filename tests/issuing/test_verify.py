"""``verify_pdf`` and ``auditor verify`` on files built for real: issued, tampered, re-signed."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from auditor.cli.main import main
from auditor.issuing import (
    CodeState,
    IssueRecord,
    OfficeKey,
    OfficeKeyInfo,
    generate_office_key,
    load_office_key,
    trusted_certificates,
    verify_pdf,
)
from auditor.issuing.signing import sign_pdf


def _trusted(data_dir: Path) -> list[bytes]:
    return trusted_certificates(data_dir)


def test_an_intact_signed_issued_report_verifies(
    signed_pdf: bytes, signed_record: IssueRecord, data_dir: Path
) -> None:
    outcome = verify_pdf(signed_pdf, _trusted(data_dir))
    assert outcome.status == 0, outcome.reason
    assert outcome.record is not None
    assert outcome.record.verification_code == signed_record.verification_code
    assert outcome.result_matches is True
    assert outcome.signer is not None
    assert "KTM" in outcome.signer


def test_a_draft_is_refused_as_a_draft(draft_pdf: bytes, data_dir: Path) -> None:
    outcome = verify_pdf(draft_pdf, _trusted(data_dir))
    assert (outcome.status, outcome.reason) == (1, "a draft: this report has not been issued")


def test_an_unsigned_issued_report_is_refused_as_unsigned(
    unsigned_pdf: bytes, data_dir: Path
) -> None:
    outcome = verify_pdf(unsigned_pdf, _trusted(data_dir))
    assert outcome.status == 1
    assert outcome.reason.startswith("unsigned")
    assert outcome.result_matches is True


def _first_page_content_offset(pdf: bytes) -> int:
    """An offset inside the first page's content stream (compressed bytes)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    contents = reader.pages[0].get_object().raw_get("/Contents")
    number = contents.idnum if hasattr(contents, "idnum") else contents[0].idnum
    start = re.search(rb"\n%d 0 obj" % number, pdf)
    assert start is not None
    stream = pdf.index(b"stream", start.end()) + len(b"stream\n")
    return stream + 40


def test_one_byte_of_page_content_changed_is_altered(signed_pdf: bytes, data_dir: Path) -> None:
    offset = _first_page_content_offset(signed_pdf)
    tampered = bytearray(signed_pdf)
    tampered[offset] ^= 0x01
    outcome = verify_pdf(bytes(tampered), _trusted(data_dir))
    assert outcome.status == 1
    assert outcome.reason.startswith("altered"), outcome.reason


def _swap_result(pdf: bytes) -> bytes:
    """The attached result replaced by another JSON (an incremental update, as a tool would)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    names = writer.root["/Names"]["/EmbeddedFiles"]["/Names"]
    for index in range(0, len(names), 2):
        if str(names[index]).endswith(".issue.json"):
            continue
        spec = names[index + 1].get_object()
        ef = spec["/EF"]
        old = ef["/F"].get_object()
        forged = old.data.replace(b'"score": 0.0', b'"score": 99.0', 1)
        forged = forged if forged != old.data else old.data + b" "
        stream = generic.StreamObject({}, stream_data=forged)
        ef["/F"] = writer.add_object(stream)
        writer.update_container(ef)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_the_attached_json_swapped_is_altered(signed_pdf: bytes, data_dir: Path) -> None:
    outcome = verify_pdf(_swap_result(signed_pdf), _trusted(data_dir))
    assert outcome.status == 1
    assert outcome.reason.startswith("altered"), outcome.reason


def test_the_attached_json_swapped_in_an_unsigned_report_is_altered(
    unsigned_pdf: bytes, data_dir: Path
) -> None:
    outcome = verify_pdf(_swap_result(unsigned_pdf), _trusted(data_dir))
    assert outcome.status == 1
    assert outcome.reason.startswith("altered: the attached result"), outcome.reason
    assert outcome.result_matches is False


def test_resigned_with_another_key_is_a_valid_signature_by_an_unknown_signer(
    unsigned_pdf: bytes, data_dir: Path, tmp_path: Path
) -> None:
    generate_office_key(tmp_path, "FORGER")
    forger = load_office_key(tmp_path, "FORGER")
    assert forger is not None
    resigned = sign_pdf(unsigned_pdf, forger, reason="forged")
    outcome = verify_pdf(resigned, _trusted(data_dir))
    assert outcome.status == 1
    assert outcome.reason.startswith("valid signature, unknown signer")
    # trusting the forger's certificate is not enough: the record names the office's
    # certificate only when the office signed; this record says unsigned
    trusting = verify_pdf(resigned, [*_trusted(data_dir), *trusted_certificates(tmp_path)])
    assert trusting.status == 0


def test_counter_signed_by_another_key_is_refused(
    signed_pdf: bytes, data_dir: Path, tmp_path: Path
) -> None:
    generate_office_key(tmp_path, "OTHER")
    other = load_office_key(tmp_path, "OTHER")
    assert other is not None
    twice = sign_pdf(signed_pdf, other, reason="second", field_name="Second")
    assert verify_pdf(twice, _trusted(data_dir)).reason.startswith("valid signature, unknown")
    outcome = verify_pdf(twice, [*_trusted(data_dir), *trusted_certificates(tmp_path)])
    assert outcome.status == 1
    assert outcome.reason.startswith("valid signature, unknown signer")  # not the record's


def test_the_signature_removed_is_altered(signed_pdf: bytes, data_dir: Path) -> None:
    # the unsigned file under the signature: the incremental update cut off
    cut = signed_pdf[: signed_pdf.index(b"%%EOF") + len(b"%%EOF\n")]
    outcome = verify_pdf(cut, _trusted(data_dir))
    assert outcome.status == 1
    assert outcome.reason == "altered: the record says signed, but the signature was removed"


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (CodeState("superseded", superseded_by="AAAA-BBBB-CCCC-DDDD"), "superseded by AAAA"),
        (CodeState("withdrawn", reason="issued on the wrong audit"), "withdrawn: issued on"),
    ],
)
def test_a_known_code_superseded_or_withdrawn_is_refused(
    signed_pdf: bytes, data_dir: Path, state: CodeState, expected: str
) -> None:
    outcome = verify_pdf(signed_pdf, _trusted(data_dir), lambda code: state)
    assert outcome.status == 1
    assert outcome.reason.startswith(expected)
    issued = verify_pdf(signed_pdf, _trusted(data_dir), lambda code: CodeState("issued"))
    assert issued.status == 0


def test_not_ours_unreadable_or_truncated_exit_2(signed_pdf: bytes, data_dir: Path) -> None:
    assert verify_pdf(b"hello", []).status == 2
    assert verify_pdf(signed_pdf[: len(signed_pdf) // 2], []).status == 2
    garbage = b"%PDF-1.7\n" + bytes(range(256)) * 10 + b"\n%%EOF\n"
    assert verify_pdf(garbage, []).status == 2


def test_a_pdf_of_someone_else_is_not_ours(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    outcome = verify_pdf(buffer.getvalue(), [])
    assert outcome.status == 2
    assert "not a report of auditor" in outcome.reason


def test_the_command_exits_0_1_2(  # noqa: PLR0917 - fixtures
    signed_pdf: bytes,
    unsigned_pdf: bytes,
    data_dir: Path,
    office_key: tuple[OfficeKey, OfficeKeyInfo],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)  # no ./auditor-data here: only what is given is trusted
    monkeypatch.delenv("AUDITOR_DATA_DIR", raising=False)
    good, unsigned, broken = tmp_path / "good.pdf", tmp_path / "unsigned.pdf", tmp_path / "b.pdf"
    good.write_bytes(signed_pdf)
    unsigned.write_bytes(unsigned_pdf)
    broken.write_bytes(signed_pdf[:1000])
    assert main(["verify", str(good), "--data", str(data_dir)]) == 0
    out = capsys.readouterr().out
    assert "Office: KTM" in out
    assert "Issued on: 2026-12-07" in out
    assert "Attached result: matches" in out
    assert office_key[1].fingerprint_sha256 in out
    assert main(["verify", str(good), "--trust", str(office_key[1].certificate_path)]) == 0
    assert main(["verify", str(good)]) == 1
    assert "unknown signer" in capsys.readouterr().err
    assert main(["verify", str(unsigned), "--data", str(data_dir)]) == 1
    assert "unsigned" in capsys.readouterr().err
    assert main(["verify", str(broken)]) == 2
    assert main(["verify", str(tmp_path / "missing.pdf")]) == 2
    monkeypatch.setenv("AUDITOR_DATA_DIR", str(data_dir))  # as every service command
    assert main(["verify", str(good)]) == 0


def test_the_office_signature_replaced_by_a_trusted_other_is_an_unknown_signer(
    signed_pdf: bytes, data_dir: Path, tmp_path: Path
) -> None:
    """The record names the office's certificate: another certificate, even one the
    verifier trusts, re-signing the stripped file is not the signer of this report."""
    generate_office_key(tmp_path, "POKHARA")
    other = load_office_key(tmp_path, "POKHARA")
    assert other is not None
    stripped = signed_pdf[: signed_pdf.index(b"%%EOF") + len(b"%%EOF\n")]
    resigned = sign_pdf(stripped, other, reason="re-signed")
    trusting = [*_trusted(data_dir), *trusted_certificates(tmp_path)]
    outcome = verify_pdf(resigned, trusting)
    assert outcome.status == 1
    assert outcome.reason.startswith("valid signature, unknown signer")
