"""``auditor offices``, ``users`` and the data folder, before any ``serve`` (web.md)."""

from __future__ import annotations

import stat
from pathlib import Path

from tests.service.harness import run_cli, service_env


def test_accounts_are_made_before_the_first_serve_and_secrets_print_once(tmp_path: Path) -> None:
    env = service_env(tmp_path / "data")
    assert (
        run_cli(env, "users", "create", "ana", "--role", "inspector", "--office", "X").returncode
        == 2
    )
    made = run_cli(env, "offices", "create", "X", "--name", "Office X")
    assert made.returncode == 0, made.stderr
    assert run_cli(env, "offices", "create", "X", "--name", "again").returncode == 2

    created = run_cli(env, "users", "create", "ana", "--role", "inspector", "--office", "X")
    assert created.returncode == 0, created.stderr
    password = created.stdout.strip()
    assert len(password) >= 12
    assert "\n" not in password
    assert created.stdout == password + "\n"
    assert (
        run_cli(env, "users", "create", "ana", "--role", "inspector", "--office", "X").returncode
        == 2
    )

    weak = run_cli(
        env,
        "users",
        "create",
        "ben",
        "--role",
        "supervisor",
        "--office",
        "X",
        "--password-stdin",
        stdin="password\n",
    )
    assert weak.returncode == 2
    assert "weak" in weak.stderr
    chosen = run_cli(
        env,
        "users",
        "create",
        "ben",
        "--role",
        "supervisor",
        "--office",
        "X",
        "--password-stdin",
        stdin="a long passphrase of one's own\n",
    )
    assert chosen.returncode == 0, chosen.stderr
    assert chosen.stdout == ""

    first = run_cli(env, "users", "token", "ana")
    second = run_cli(env, "users", "token", "ana")
    assert first.returncode == 0
    assert first.stdout.count("\n") == 1
    assert first.stdout != second.stdout
    assert run_cli(env, "users", "token", "nobody").returncode == 2
    assert run_cli(env, "users", "create", "cy", "--role", "king", "--office", "X").returncode == 2

    key = tmp_path / "data" / "secret_key"
    assert key.is_file()
    assert stat.S_IMODE(key.stat().st_mode) == 0o600


def test_serve_demo_makes_one_account_whose_password_prints_once(tmp_path: Path) -> None:
    from tests.service.harness import start_serve, stop

    data_dir = tmp_path / "data"
    env = service_env(data_dir)
    service = start_serve(dict(env), data_dir)
    stop(service.process)
    import subprocess
    import sys

    def demo() -> str:
        process = subprocess.Popen(
            [sys.executable, "-m", "auditor", "serve", "--demo", "--port", "0"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        assert process.stdout is not None
        first_line = process.stdout.readline()
        process.terminate()
        process.wait(20)
        process.stdout.close()
        return first_line

    first = demo()
    assert "password:" in first
    assert "exists" in demo()


def _p12(path: Path, password: bytes, *, expired: bool = False) -> Path:
    """A PKCS#12 file with an ECDSA key and a self-signed certificate, as an authority's."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Region office")])
    now = dt.datetime.now(dt.UTC)
    start, end = (now - dt.timedelta(days=400), now - dt.timedelta(days=1)) if expired else (
        now - dt.timedelta(days=1), now + dt.timedelta(days=365)
    )  # fmt: skip
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .sign(key, hashes.SHA256())
    )
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"office", key, certificate, None, serialization.BestAvailableEncryption(password)
        )
    )
    return path


def test_an_office_takes_a_time_zone_and_a_signing_key(tmp_path: Path) -> None:
    env = service_env(tmp_path / "data")
    bad = run_cli(env, "offices", "create", "K", "--name", "K", "--time-zone", "Asia/Nowhere")
    assert bad.returncode == 2
    assert "IANA" in bad.stderr
    made = run_cli(
        env, "offices", "create", "K", "--name", "K office", "--time-zone", "Asia/Kathmandu"
    )
    assert made.returncode == 0, made.stderr
    assert run_cli(env, "offices", "key", "NOPE", "--generate").returncode == 2
    secret = "correct horse battery"
    good = _p12(tmp_path / "good.p12", secret.encode())
    wrong = run_cli(
        env, "offices", "key", "K", "--import", str(good), "--password-stdin", stdin="no\n"
    )
    assert wrong.returncode == 2
    assert "password" in wrong.stderr
    assert "Traceback" not in wrong.stderr
    old = _p12(tmp_path / "old.p12", secret.encode(), expired=True)
    expired = run_cli(
        env, "offices", "key", "K", "--import", str(old), "--password-stdin", stdin=secret + "\n"
    )
    assert expired.returncode == 2
    assert "expired" in expired.stderr
    assert not list((tmp_path / "data" / "keys").glob("*.p12"))  # nothing half-written
    imported = run_cli(
        env, "offices", "key", "K", "--import", str(good), "--password-stdin", stdin=secret + "\n"
    )
    assert imported.returncode == 0, imported.stderr
    assert secret not in imported.stderr + imported.stdout
    key = tmp_path / "data" / "keys" / "K.p12"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert key.read_bytes()[:64] not in _database_bytes(env, tmp_path / "data")  # never there


def _database_bytes(env: dict[str, str], data_dir: Path) -> bytes:
    """Everything the service's database holds: the SQLite file, or on PostgreSQL every row of
    every table as text."""
    url = env.get("AUDITOR_DATABASE_URL")
    if not url:
        return (data_dir / "auditor.sqlite3").read_bytes()
    import psycopg

    with psycopg.connect(url) as connection:
        tables = connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        ).fetchall()
        rows = [
            str(row[0]).encode()
            for (table,) in tables
            for row in connection.execute(f'SELECT t::text FROM "{table}" t').fetchall()
        ]
    return b"\n".join(rows)
