"""What every page's template may use."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def membership(request: HttpRequest) -> dict[str, Any]:
    """The signed-in user's office and role, for the page header."""
    user = getattr(request, "user", None)
    found = (
        getattr(user, "membership", None) if user is not None and user.is_authenticated else None
    )
    return {"membership": found}
