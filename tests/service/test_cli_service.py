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
