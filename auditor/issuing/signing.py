"""PAdES signing and reading signed reports: the only module that imports pyHanko.

:func:`sign_pdf` signs an issued report (PAdES baseline B-B: a CAdES
detached signature over the whole file, SHA-256, the signer's
certificate embedded) as an incremental update, so the PDF/A-3b file
underneath is unchanged. :func:`read_pdf` opens a file, its embedded
files (from the last revision and from the signed one) and checks each
signature against the certificates given as trusted; it never reaches the
network (no revocation fetching): a signature is trusted when its
certificate is one of those given, by fingerprint (an office's
certificate is trusted as itself, whoever issued it).
"""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass, field
from typing import Any

from auditor.issuing.keys import OfficeKey

#: pyHanko logs the signer's certificate at debug level: nothing about a key is logged here.
for _name in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_name).setLevel(logging.ERROR)


class Unreadable(Exception):
    """The bytes are not a PDF pyHanko can open (truncated, damaged, not a PDF)."""


@dataclass(frozen=True)
class SignatureCheck:
    intact: bool  # the signed bytes are as signed
    valid: bool  # the cryptographic signature holds
    trusted: bool  # by one of the trusted certificates
    whole_file: bool  # it covers the file as given (nothing appended after it)
    subject: str
    fingerprint_sha256: str


@dataclass(frozen=True)
class ReadPdf:
    attachments: dict[str, bytes] = field(default_factory=dict)
    signatures: tuple[SignatureCheck, ...] = ()


def sign_pdf(pdf: bytes, key: OfficeKey, *, reason: str, field_name: str = "AuditorIssue") -> bytes:
    """``pdf`` signed with the office's key: PAdES B-B, an incremental update."""
    from cryptography.hazmat.primitives.serialization import pkcs12
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata

    private, certificate, _ = pkcs12.load_key_and_certificates(key.p12, None)
    assert private is not None
    assert certificate is not None
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    signing_cert = asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))
    signer = signers.SimpleSigner(
        signing_cert=signing_cert,
        signing_key=asn1_keys.PrivateKeyInfo.load(
            private.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        ),
        cert_registry=SimpleCertificateStore.from_certs([signing_cert]),  # type: ignore[no-untyped-call]
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    meta = PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=key.office,
    )
    out = signers.sign_pdf(writer, meta, signer=signer)
    return bytes(out.getvalue())


def read_pdf(pdf: bytes, trusted_pems: list[bytes]) -> ReadPdf:
    """The file's attachments (last revision) and the checks of its signatures."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        attachments = _attachments(reader.root)
        signatures = tuple(_check(sig, trusted_pems) for sig in reader.embedded_signatures)
    except (PdfError, ValueError, KeyError, TypeError, AttributeError, IndexError) as error:
        raise Unreadable(str(error) or type(error).__name__) from None
    return ReadPdf(attachments, signatures)


def _attachments(root: Any) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    names = root.get("/Names")
    if names is None:
        return found
    tree = names.get_object().get("/EmbeddedFiles")
    if tree is None:
        return found
    stack = [tree.get_object()]
    while stack:
        node = stack.pop()
        for kid in node.get("/Kids", []):
            stack.append(kid.get_object())
        pairs = list(node.get("/Names", []))
        for index in range(0, len(pairs) - 1, 2):
            name = str(pairs[index])
            spec = pairs[index + 1].get_object()
            stream = spec["/EF"].get_object()["/F"].get_object()
            found[name] = bytes(stream.data)
    return found


def _check(signature: Any, trusted_pems: list[bytes]) -> SignatureCheck:
    from asn1crypto import pem
    from asn1crypto import x509 as asn1_x509
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    roots = []
    for text in trusted_pems:
        der = pem.unarmor(text)[2] if pem.detect(text) else text
        roots.append(asn1_x509.Certificate.load(der))
    context = ValidationContext(
        trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail"
    )
    status = validate_pdf_signature(signature, context, skip_diff=False)
    certificate = status.signing_cert
    fingerprint = hashlib.sha256(certificate.dump()).hexdigest() if certificate else ""
    trusted_prints = {hashlib.sha256(r.dump()).hexdigest() for r in roots}
    return SignatureCheck(
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=fingerprint in trusted_prints,  # an office's certificate, by itself
        whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        subject=certificate.subject.human_friendly if certificate else "unknown",
        fingerprint_sha256=fingerprint,
    )
