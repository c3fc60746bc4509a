"""The one place that answers "may this user see this audit?", "review it?", "issue it?".

Anything of another office is *not found* (404), never *forbidden*: the
answer must not tell an attacker that an id exists.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404

from auditor.service.models import Audit, Role


def visible_audits(user: Any) -> Any:
    """Every audit ``user`` may see (their office's; every office's for an admin)."""
    return Audit.objects.visible_to(user)


def audit_for(user: Any, audit_id: object) -> Audit:
    """The audit with this id if ``user`` may see it; :class:`Http404` otherwise."""
    try:
        key = uuid.UUID(str(audit_id))
    except ValueError:
        raise Http404("no such audit") from None
    found: Audit | None = visible_audits(user).filter(pk=key).first()
    if found is None:
        raise Http404("no such audit")
    return found


def may_supervise(user: Any, audit: Audit) -> bool:
    """Supervisors of the audit's office, and admins, see who accessed it (admins read
    everything; they never issue: :func:`may_issue`)."""
    membership = getattr(user, "membership", None)
    if membership is None or not user.is_active:
        return False
    if membership.is_admin:
        return True
    return bool(membership.is_supervisor and membership.office_id == audit.office_id)


def may_upload(user: Any) -> bool:
    membership = getattr(user, "membership", None)
    return membership is not None and user.is_active


def _own_office_role(user: Any, audit: Audit) -> str | None:
    """The user's role when they belong to the audit's office and are active, else ``None``."""
    membership = getattr(user, "membership", None)
    if membership is None or not user.is_active or membership.office_id != audit.office_id:
        return None
    return str(membership.role)


def may_review(user: Any, audit: Audit) -> bool:
    """Inspectors and supervisors of the audit's office review it; admins never (web.md 1.1)."""
    return _own_office_role(user, audit) in (Role.INSPECTOR, Role.SUPERVISOR)


def may_issue(user: Any, audit: Audit) -> bool:
    """Supervisors of the audit's office issue and withdraw it; admins never, of any office:
    signing belongs to the audit's own office (web.md 1.1)."""
    return _own_office_role(user, audit) == Role.SUPERVISOR


def may_remove(user: Any, audit: Audit) -> bool:
    """Inspectors and supervisors of the audit's office take its invalid upload off their
    list (issue 25); admins, who read every office's, never tidy another office's list."""
    return _own_office_role(user, audit) in (Role.INSPECTOR, Role.SUPERVISOR)
