"""Office keys: generated and imported, kept 0600, refused with a clear code when unusable."""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from auditor.issuing import (
    KeyError_,
    generate_office_key,
    import_office_key,
    load_office_key,
    trusted_certificates,
)


def _p12(password: bytes, *, days: tuple[int, int] = (-1, 365)) -> bytes:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Department of Labour")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now + dt.timedelta(days=days[0]))
        .not_valid_after(now + dt.timedelta(days=days[1]))
        .sign(key, hashes.SHA256())
    )
    return pkcs12.serialize_key_and_certificates(
        b"office", key, certificate, None, serialization.BestAvailableEncryption(password)
    )


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_generated_key_is_kept_private_beside_its_certificate(tmp_path: Path) -> None:
    info = generate_office_key(tmp_path, "KTM")
    assert _mode(info.p12_path) == 0o600
    assert _mode(info.p12_path.parent) == 0o700
    assert info.certificate_path.read_bytes().startswith(b"-----BEGIN CERTIFICATE-----")
    assert len(info.fingerprint_sha256) == 64
    assert info.not_after - info.not_before > dt.timedelta(days=3000)
    key = load_office_key(tmp_path, "KTM")
    assert key is not None
    assert "BEGIN" not in repr(key)
    assert repr(key) == "OfficeKey(office='KTM')"
    assert trusted_certificates(tmp_path) == [info.certificate_path.read_bytes()]
    with pytest.raises(KeyError_) as kept:
        generate_office_key(tmp_path, "KTM")
    assert kept.value.code == "key_exists"
    assert load_office_key(tmp_path, "NONE") is None


def test_an_imported_key_is_checked_and_kept(tmp_path: Path) -> None:
    info = import_office_key(tmp_path, "POK", _p12(b"s3cret pass"), "s3cret pass")
    assert "Department of Labour" in info.subject
    assert _mode(info.p12_path) == 0o600
    assert load_office_key(tmp_path, "POK") is not None


@pytest.mark.parametrize(
    ("data", "password", "code"),
    [
        (None, "wrong", "wrong_password"),
        (b"not a p12 at all", "x", "not_pkcs12"),
        ("expired", "pw", "certificate_expired"),
        ("future", "pw", "certificate_not_yet_valid"),
    ],
)
def test_an_unusable_p12_is_a_clear_error_and_nothing_is_kept(
    tmp_path: Path, data: bytes | str | None, password: str, code: str
) -> None:
    if data is None:
        data = _p12(b"right")
    elif data == "expired":
        data = _p12(b"pw", days=(-400, -30))
    elif data == "future":
        data = _p12(b"pw", days=(30, 400))
    assert isinstance(data, bytes)
    with pytest.raises(KeyError_) as refused:
        import_office_key(tmp_path, "KTM", data, password)
    assert refused.value.code == code
    assert password not in str(refused.value) or password == "x"
    assert not (tmp_path / "keys" / "KTM.p12").exists()


def test_an_office_name_cannot_leave_the_keys_folder(tmp_path: Path) -> None:
    with pytest.raises(KeyError_) as refused:
        generate_office_key(tmp_path, "../evil")
    assert refused.value.code == "bad_office"
