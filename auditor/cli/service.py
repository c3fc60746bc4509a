"""``auditor serve``, ``worker``, ``users`` and ``offices``: the service's commands (web.md).

Thin, as :mod:`auditor.cli.main` is: each command sets the data folder, starts
the service's Django set-up (which brings the database up to date) and
calls one function. Django is imported only here, inside the handlers, so
``auditor audit`` never needs it.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

ROLES = ("inspector", "supervisor", "admin")
DEMO_OFFICE = "DEMO"
DEMO_USER = "demo"


def register(commands: Any) -> None:
    serve = commands.add_parser("serve", help="run the inspectorate service (pages, API, workers)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--demo",
        action="store_true",
        help=f"first create office {DEMO_OFFICE} and user {DEMO_USER!r} (password printed once)",
    )
    _data(serve)
    serve.set_defaults(handler=_serve)

    worker = commands.add_parser("worker", help="run an extra job worker (same settings)")
    _data(worker)
    worker.set_defaults(handler=_worker)

    users = commands.add_parser("users", help="create users, issue and revoke API tokens")
    user_commands = users.add_subparsers(dest="users_command", required=True)
    create = user_commands.add_parser("create", help="create a user in an office")
    create.add_argument("name")
    create.add_argument("--role", required=True, choices=ROLES)
    create.add_argument("--office", required=True, help="the office's code")
    create.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input (else a random one is printed once)",
    )
    _data(create)
    create.set_defaults(handler=_users_create)
    token = user_commands.add_parser("token", help="print a new API token for a user, once")
    token.add_argument("name")
    token.add_argument(
        "--revoke",
        nargs="?",
        const="all",
        metavar="ID",
        help="revoke the token with this id (see 'users tokens'), or all of them without one",
    )
    token.add_argument(
        "--expires-in-days", type=int, help="the new token stops working after this many days"
    )
    _data(token)
    token.set_defaults(handler=_users_token)
    tokens = user_commands.add_parser("tokens", help="list a user's tokens; revoke one")
    tokens.add_argument("name")
    tokens.add_argument("--revoke", type=int, metavar="ID", help="revoke the token with this id")
    _data(tokens)
    tokens.set_defaults(handler=_users_tokens)
    disable = user_commands.add_parser("disable", help="disable a user (tokens stop working)")
    disable.add_argument("name")
    _data(disable)
    disable.set_defaults(handler=_users_disable)

    _register_offices(commands)


def _register_offices(commands: Any) -> None:
    offices = commands.add_parser("offices", help="create offices")
    office_commands = offices.add_subparsers(dest="offices_command", required=True)
    office = office_commands.add_parser("create", help="create an office")
    office.add_argument("code")
    office.add_argument("--name", required=True, help="the display name issued reports print")
    office.add_argument(
        "--time-zone",
        default="UTC",
        help="IANA time zone of its pages and issue dates, e.g. Asia/Kathmandu (default UTC)",
    )
    office.add_argument(
        "--language",
        default="en",
        help="the pages' language for members whose browser asks for none the pages have "
        "(en, ne, id, fil, ar, fr, es; default en)",
    )
    _data(office)
    office.set_defaults(handler=_offices_create)
    office_language = office_commands.add_parser(
        "language", help="set an office's default language for the pages"
    )
    office_language.add_argument("code", metavar="NAME", help="the office's code")
    office_language.add_argument("language", help="en, ne, id, fil, ar, fr or es")
    _data(office_language)
    office_language.set_defaults(handler=_offices_language)
    key = office_commands.add_parser(
        "key", help="give an office its signing key (kept 0600 in the data folder)"
    )
    key.add_argument("code", metavar="NAME", help="the office's code")
    which = key.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--generate", action="store_true", help="make a key and a self-signed certificate"
    )
    which.add_argument(
        "--import", dest="import_file", type=Path, metavar="FILE.p12", help="take a PKCS#12 file"
    )
    key.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the .p12 file's password from standard input (else it has none)",
    )
    _data(key)
    key.set_defaults(handler=_offices_key)


def _data(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data",
        type=Path,
        help="the service's data folder (default: $AUDITOR_DATA_DIR, else ./auditor-data)",
    )


def _start(arguments: argparse.Namespace) -> None:
    """Point every part of the service at the data folder, then start Django."""
    if arguments.data is not None:
        os.environ["AUDITOR_DATA_DIR"] = str(arguments.data.resolve())
    from auditor.service.bootstrap import start

    start()


def _writable_data(arguments: argparse.Namespace) -> None:
    """``serve`` and ``worker`` refuse a data folder they cannot write, in one line (exit 2)."""
    from auditor.deployment.config import check_writable, read_config
    from auditor.errors import UsageError

    if arguments.data is not None:
        os.environ["AUDITOR_DATA_DIR"] = str(arguments.data.resolve())
    trouble = check_writable(read_config().data_dir)
    if trouble is not None:
        raise UsageError(trouble)


def _users_create(arguments: argparse.Namespace) -> int:
    _start(arguments)
    from auditor.service import accounts

    password = sys.stdin.readline().rstrip("\n") if arguments.password_stdin else None
    made = accounts.create_user(arguments.name, arguments.role, arguments.office, password)
    if password is None:
        print(made)
    print(
        f"user {accounts.normalised(arguments.name)} created in office {arguments.office} "
        f"as {arguments.role}",
        file=sys.stderr,
    )
    return 0


def _users_token(arguments: argparse.Namespace) -> int:
    _start(arguments)
    from auditor.service import accounts

    if arguments.revoke is not None:
        one = None if arguments.revoke == "all" else _token_id(arguments.revoke)
        count = accounts.revoke_tokens(arguments.name, one)
        print(f"{count} token(s) of {arguments.name} revoked", file=sys.stderr)
        return 0
    print(accounts.new_token(arguments.name, arguments.expires_in_days))
    return 0


def _token_id(text: str) -> int:
    from auditor.errors import UsageError

    if not text.isdigit():
        raise UsageError(
            f"--revoke takes a token's id (a number from 'users tokens'), not {text!r}"
        )
    return int(text)


def _users_tokens(arguments: argparse.Namespace) -> int:
    _start(arguments)
    from auditor.service import accounts

    if arguments.revoke is not None:
        count = accounts.revoke_tokens(arguments.name, arguments.revoke)
        print(f"{count} token(s) of {arguments.name} revoked", file=sys.stderr)
        return 0
    for line in accounts.token_rows(arguments.name):
        print(line)
    return 0


def _users_disable(arguments: argparse.Namespace) -> int:
    _start(arguments)
    from auditor.service import accounts

    accounts.disable_user(arguments.name)
    print(f"user {arguments.name} disabled", file=sys.stderr)
    return 0


def _offices_create(arguments: argparse.Namespace) -> int:
    _start(arguments)
    from auditor.service import accounts

    accounts.create_office(arguments.code, arguments.name, arguments.time_zone, arguments.language)
    print(f"office {arguments.code} created", file=sys.stderr)
    return 0


def _offices_language(arguments: argparse.Namespace) -> int:
    _start(arguments)
    from auditor.service import accounts

    accounts.set_office_language(arguments.code, arguments.language)
    print(f"office {arguments.code}'s pages default to {arguments.language}", file=sys.stderr)
    return 0


def _offices_key(arguments: argparse.Namespace) -> int:
    _start(arguments)
    from auditor.service import signing

    if arguments.generate:
        made = signing.generate_key(arguments.code)
    else:
        password = sys.stdin.readline().rstrip("\n") if arguments.password_stdin else None
        made = signing.import_key(arguments.code, arguments.import_file, password)
    print(f"office {arguments.code} signs with the key in {made}", file=sys.stderr)
    return 0


def _worker(arguments: argparse.Namespace) -> int:
    _writable_data(arguments)
    _start(arguments)
    from auditor.service.workers import run_worker

    parent = os.environ.get("AUDITOR_PARENT_PID")
    run_worker(parent_pid=int(parent) if parent else None)
    return 0


def _serve(arguments: argparse.Namespace) -> int:
    _writable_data(arguments)
    _start(arguments)
    from auditor.service import accounts
    from auditor.service.workers import serve

    if arguments.demo:
        made = accounts.demo_account(DEMO_OFFICE, DEMO_USER)
        if made is not None:
            print(f"demo office {DEMO_OFFICE}, user {DEMO_USER}, password: {made}")
            print("(the password is printed this once; keep it)")
        else:
            print(f"demo user {DEMO_USER} exists (its password was printed when it was made)")
    serve(arguments.host, arguments.port)
    return 0


__all__ = ["register"]


def code_lookup(folder: Path) -> Any:
    """What the service whose data folder is ``folder`` knows of a verification code, for
    ``auditor verify --data`` (audit-output.md 1.2, Settled): a function ``code -> CodeState
    | None``, or None when the folder holds no service's database (nothing to look up).

    A report superseded or withdrawn since it was printed is refused by ``verify`` although
    its signature is intact: the paper cannot say so, the office's records can.
    """
    if not os.environ.get("AUDITOR_DATABASE_URL") and not (folder / "auditor.sqlite3").is_file():
        return None
    os.environ["AUDITOR_DATA_DIR"] = str(folder.resolve())
    from auditor.service.bootstrap import start

    start(migrate=False)  # reading only: an older database is read as it is
    from auditor.issuing.verify import CodeState
    from auditor.service.models import IssueRecord

    def lookup(code: str) -> CodeState | None:
        record = IssueRecord.objects.filter(verification_code=code).first()
        if record is None:
            return None
        successor = record.successor
        return CodeState(
            state=record.state,
            superseded_by=successor.verification_code if successor is not None else None,
            reason=record.withdrawal_reason or None,
        )

    return lookup
