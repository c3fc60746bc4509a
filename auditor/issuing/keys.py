"""The offices' signing keys: made or imported once, kept 0600 in the data folder.

``<data>/keys/<office>.p12`` holds the office's private key and certificate
(PKCS#12, unencrypted: the service signs without a person typing a
password, so the file's protection is the folder's permissions, 0700, and
the file's, 0600, as for an SSH host key); ``<data>/keys/<office>.pem`` is
the certificate alone, the public half ``auditor verify --data`` trusts.
Keys are never put in the database and nothing about them is logged.

A generated key is ECDSA P-256 with a self-signed certificate valid ten
years; an imported one (from a real authority) is checked: the password
opens it, it holds a key and its certificate, and the certificate is valid
today.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from auditor.errors import UsageError

KEYS_FOLDER = "keys"
_OFFICE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
#: A generated certificate's validity, in days.
VALID_DAYS = 3650


class KeyError_(UsageError):
    """A key that cannot be used: a stable ``code`` and a sentence (never the password)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class OfficeKeyInfo:
    """What may be shown of an office's key: never the key itself."""

    office: str
    subject: str
    fingerprint_sha256: str  # of the certificate's DER bytes
    not_before: dt.datetime
    not_after: dt.datetime
    p12_path: Path
    certificate_path: Path


@dataclass(frozen=True)
class OfficeKey:
    """An office's key and certificate, in memory for signing one report."""

    office: str
    p12: bytes  # unencrypted PKCS#12
    certificate_pem: bytes

    def __repr__(self) -> str:  # never the key's bytes in a log or a traceback
        return f"OfficeKey(office={self.office!r})"


def _folder(data_dir: str | Path) -> Path:
    return Path(data_dir) / KEYS_FOLDER


def _check_office(office: str) -> None:
    if not _OFFICE.match(office):
        raise KeyError_(
            "bad_office",
            f"{office!r} cannot name a key: letters, digits, '.', '_' and '-' only",
        )


def fingerprint(certificate: x509.Certificate) -> str:
    return hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).hexdigest()


def generate_office_key(
    data_dir: str | Path, office: str, *, common_name: str | None = None, replace: bool = False
) -> OfficeKeyInfo:
    """Make a key and a self-signed certificate for ``office`` and keep them (0600)."""
    _check_office(office)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name or f"{office} (auditor office)"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, office),
        ]
    )
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=VALID_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    return _keep(data_dir, office, key, certificate, replace=replace)


def import_office_key(
    data_dir: str | Path,
    office: str,
    p12_bytes: bytes,
    password: bytes | str | None,
    *,
    replace: bool = False,
    now: dt.datetime | None = None,
) -> OfficeKeyInfo:
    """Check a PKCS#12 file from an authority and keep its key and certificate for ``office``."""
    _check_office(office)
    secret = password.encode("utf-8") if isinstance(password, str) else password
    try:
        key, certificate, _ = pkcs12.load_key_and_certificates(p12_bytes, secret or None)
    except ValueError as error:
        text = str(error).lower()
        if "password" in text or "mac" in text or "decrypt" in text:
            raise KeyError_("wrong_password", "the password does not open this .p12 file") from None
        raise KeyError_("not_pkcs12", "the file is not a PKCS#12 (.p12) key file") from None
    except TypeError:  # a password is needed but none was given (or the reverse)
        raise KeyError_("wrong_password", "the password does not open this .p12 file") from None
    if key is None or certificate is None:
        raise KeyError_(
            "incomplete_p12", "the .p12 file must hold a private key and its certificate"
        )
    if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise KeyError_("unsupported_key", "the key must be RSA or ECDSA")
    moment = now or dt.datetime.now(dt.UTC)
    if certificate.not_valid_after_utc < moment:
        raise KeyError_(
            "certificate_expired",
            f"the certificate expired on {certificate.not_valid_after_utc.date().isoformat()}",
        )
    if certificate.not_valid_before_utc > moment:
        raise KeyError_(
            "certificate_not_yet_valid",
            f"the certificate is valid only from "
            f"{certificate.not_valid_before_utc.date().isoformat()}",
        )
    if _public(certificate.public_key()) != _public(key.public_key()):
        raise KeyError_("key_mismatch", "the key in the .p12 file is not its certificate's")
    return _keep(data_dir, office, key, certificate, replace=replace)


def _public(key: object) -> bytes:
    """A public key's bytes, to compare a certificate's with a private key's."""
    from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes

    assert isinstance(key, ec.EllipticCurvePublicKey | rsa.RSAPublicKey)
    typed: PublicKeyTypes = key
    return typed.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _keep(
    data_dir: str | Path,
    office: str,
    key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey,
    certificate: x509.Certificate,
    *,
    replace: bool,
) -> OfficeKeyInfo:
    folder = _folder(data_dir)
    p12_path, pem_path = folder / f"{office}.p12", folder / f"{office}.pem"
    if p12_path.exists() and not replace:
        raise KeyError_("key_exists", f"office {office} already has a key ({p12_path}); it is kept")
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(folder, 0o700)
    p12 = pkcs12.serialize_key_and_certificates(
        office.encode("utf-8"), key, certificate, None, serialization.NoEncryption()
    )
    _write(p12_path, p12, 0o600)
    _write(pem_path, certificate.public_bytes(serialization.Encoding.PEM), 0o644)
    return _info(office, certificate, p12_path, pem_path)


def _write(path: Path, data: bytes, mode: int) -> None:
    """Write ``data`` whole under a temporary name (created ``mode``), then rename it."""
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=".key-", suffix=".part")
    try:
        os.fchmod(handle, mode)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(name, path)
    finally:
        Path(name).unlink(missing_ok=True)


def _info(
    office: str, certificate: x509.Certificate, p12_path: Path, pem_path: Path
) -> OfficeKeyInfo:
    return OfficeKeyInfo(
        office=office,
        subject=certificate.subject.rfc4514_string(),
        fingerprint_sha256=fingerprint(certificate),
        not_before=certificate.not_valid_before_utc,
        not_after=certificate.not_valid_after_utc,
        p12_path=p12_path,
        certificate_path=pem_path,
    )


def load_office_key(data_dir: str | Path, office: str) -> OfficeKey | None:
    """The office's key for signing, or ``None`` when it has none (reports go unsigned)."""
    _check_office(office)
    folder = _folder(data_dir)
    p12_path, pem_path = folder / f"{office}.p12", folder / f"{office}.pem"
    if not p12_path.is_file():
        return None
    return OfficeKey(office, p12_path.read_bytes(), pem_path.read_bytes())


def office_key_info(data_dir: str | Path, office: str) -> OfficeKeyInfo | None:
    """What may be shown of the office's key (subject, fingerprint, validity), or ``None``."""
    _check_office(office)
    folder = _folder(data_dir)
    pem_path = folder / f"{office}.pem"
    if not pem_path.is_file():
        return None
    certificate = x509.load_pem_x509_certificate(pem_path.read_bytes())
    return _info(office, certificate, folder / f"{office}.p12", pem_path)


def key_from_p12(office: str, p12_bytes: bytes, password: bytes | str | None) -> OfficeKey:
    """A key given on the command line (``--key FILE.p12``), checked like an import."""
    secret = password.encode("utf-8") if isinstance(password, str) else password
    try:
        key, certificate, _ = pkcs12.load_key_and_certificates(p12_bytes, secret or None)
    except (ValueError, TypeError):
        raise KeyError_(
            "wrong_password", "the password does not open this .p12 file (or it is no .p12)"
        ) from None
    if key is None or certificate is None:
        raise KeyError_(
            "incomplete_p12", "the .p12 file must hold a private key and its certificate"
        )
    if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise KeyError_("unsupported_key", "the key must be RSA or ECDSA")
    if certificate.not_valid_after_utc < dt.datetime.now(dt.UTC):
        raise KeyError_(
            "certificate_expired",
            f"the certificate expired on {certificate.not_valid_after_utc.date().isoformat()}",
        )
    plain = pkcs12.serialize_key_and_certificates(
        office.encode("utf-8"), key, certificate, None, serialization.NoEncryption()
    )
    return OfficeKey(office, plain, certificate.public_bytes(serialization.Encoding.PEM))


def trusted_certificates(data_dir: str | Path) -> list[bytes]:
    """The PEM certificates of every office of the data folder (what verification trusts)."""
    folder = _folder(data_dir)
    if not folder.is_dir():
        return []
    return [path.read_bytes() for path in sorted(folder.glob("*.pem"))]


def fingerprint_of_pem(pem: bytes) -> str:
    """SHA-256 of a PEM certificate's DER bytes (how records and verification name it)."""
    return fingerprint(x509.load_pem_x509_certificate(pem))
