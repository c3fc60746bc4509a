"""Offices, users and tokens, as the command line manages them.

No account exists until someone creates one; there are no default
passwords. A password not given is a random one, printed once.
"""

from __future__ import annotations

import datetime as dt
import secrets
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from auditor.errors import UsageError
from auditor.service.languages import CODES, PAGE_LANGUAGES, SOURCE
from auditor.service.models import ApiToken, Membership, Office, Role


def checked_time_zone(name: str) -> str:
    """``name`` if it is an IANA time zone this machine knows (``Asia/Kathmandu``)."""
    name = name.strip()
    try:
        if not name or name != name.strip("/") or ".." in name:
            raise ValueError(name)
        ZoneInfo(name)
    except (ValueError, ZoneInfoNotFoundError):
        raise UsageError(
            f"{name!r} is not an IANA time zone (for example Asia/Kathmandu or UTC)"
        ) from None
    return name


def checked_language(code: str) -> str:
    """``code`` if the pages are shipped in that language (``ne``, ``ar``...)."""
    code = code.strip()
    if code not in CODES:
        shipped = ", ".join(code for code, _ in PAGE_LANGUAGES)
        raise UsageError(f"{code!r} is not a language of the pages ({shipped})")
    return code


def create_office(code: str, name: str, time_zone: str = "UTC", language: str = SOURCE) -> Office:
    code = code.strip()
    problems = []
    if not code or not name.strip():
        problems.append("an office needs a code and a name")
    checked: dict[str, str] = {}
    for key, check, value in (
        ("time_zone", checked_time_zone, time_zone),
        ("language", checked_language, language),
    ):
        try:
            checked[key] = check(value)
        except UsageError as error:
            problems.append(str(error))
    if problems:
        raise UsageError("; ".join(problems))
    if Office.objects.filter(code=code).exists():
        raise UsageError(f"office {code} exists already")
    return Office.objects.create(code=code, name=name.strip(), **checked)


def set_office_language(code: str, language: str) -> None:
    """The pages' default language of the office's members (after their own and their
    browser's: web.md, "The pages' language")."""
    found = office(code)
    found.language = checked_language(language)
    found.save(update_fields=["language"])


def office(code: str) -> Office:
    found = Office.objects.filter(code=code).first()
    if found is None:
        raise UsageError(f"there is no office {code}")
    return found


def create_user(name: str, role: str, office_code: str, password: str | None = None) -> str:
    """Create the user; returns the password (the random one when none was given)."""
    if role not in Role.values:
        raise UsageError(f"role must be one of {', '.join(Role.values)}")
    office = Office.objects.filter(code=office_code).first()
    if office is None:
        raise UsageError(
            f"there is no office {office_code}; create it first: "
            f'auditor offices create {office_code} --name "..."'
        )
    users = get_user_model()
    # As Django's log-in form will read it (NFKC): a fullwidth "i" makes the same name.
    name = normalised(name)
    if not name or not name.isprintable():
        raise UsageError("a user name must be printable text, not empty")
    if users.objects.filter(username=name).exists():
        raise UsageError(f"user {name} exists already (names are compared as Django reads them)")
    chosen = password if password is not None else secrets.token_urlsafe(12)
    candidate = users(username=name)
    try:
        validate_password(chosen, candidate)
    except ValidationError as error:
        raise UsageError("the password is too weak: " + " ".join(error.messages)) from None
    try:
        with transaction.atomic():
            user = users.objects.create_user(username=name, password=chosen)
            Membership.objects.create(user=user, office=office, role=role)
    except IntegrityError:  # made at the same moment by another command
        raise UsageError(f"user {name} exists already") from None
    return chosen


def _user(name: str) -> object:
    users = get_user_model()
    found = users.objects.filter(username=users.normalize_username(name.strip())).first()
    if found is None:
        raise UsageError(f"there is no user {name}")
    return found


def new_token(name: str, expires_in_days: int | None = None) -> str:
    """A new token for the user; with ``expires_in_days`` it stops working that many days on."""
    user = _user(name)
    if not getattr(user, "is_active", False):
        raise UsageError(f"user {name} is disabled")
    if expires_in_days is not None and expires_in_days < 1:
        raise UsageError("--expires-in-days must be a whole number of days, at least 1")
    expires = (
        timezone.now() + dt.timedelta(days=expires_in_days) if expires_in_days is not None else None
    )
    return ApiToken.objects.issue(user, expires_at=expires)


def revoke_tokens(name: str, token_id: int | None = None) -> int:
    """Revoke one of the user's tokens (by the id ``users tokens`` lists), or all of them."""
    tokens = ApiToken.objects.filter(user=_user(name), revoked_at__isnull=True)
    if token_id is not None:
        if not tokens.filter(pk=token_id).exists():
            raise UsageError(f"user {name} has no token {token_id} in use")
        tokens = tokens.filter(pk=token_id)
    return tokens.update(revoked_at=timezone.now())


def token_rows(name: str) -> list[str]:
    """One line per token of the user: id, the token's first characters, made, expires,
    state; never the token (only its digest is kept)."""
    now = timezone.now()
    lines = []
    for token in ApiToken.objects.filter(user=_user(name)).order_by("created_at", "id"):
        if token.revoked_at is not None:
            state = f"revoked {token.revoked_at:%Y-%m-%d %H:%M}"
        elif token.expires_at is not None and token.expires_at <= now:
            state = "expired"
        else:
            state = "in use"
        expires = f"{token.expires_at:%Y-%m-%d %H:%M}" if token.expires_at else "never"
        lines.append(
            f"{token.pk}\t{token.prefix}…\tmade {token.created_at:%Y-%m-%d %H:%M}"
            f"\texpires {expires}\t{state}"
        )
    return lines


def disable_user(name: str) -> None:
    get_user_model().objects.filter(pk=getattr(_user(name), "pk", None)).update(is_active=False)


def demo_account(office_code: str, username: str) -> str | None:
    """The demo office and supervisor; their new password, or ``None`` if they exist already."""
    if get_user_model().objects.filter(username=username).exists():
        return None
    if not Office.objects.filter(code=office_code).exists():
        create_office(office_code, "Demonstration office")
    return create_user(username, Role.SUPERVISOR, office_code)


def normalised(name: str) -> str:
    """A user name as the service keeps it (NFKC, as Django's log-in form reads it)."""
    return str(get_user_model().normalize_username(name.strip()))
