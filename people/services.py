"""Domain functions for people. Each checks access through core.policy, writes
in one transaction and records its audit event."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from audit.models import Action
from audit.services import changed_fields, record
from core import policy

from . import restrictions
from .models import PERSON_DETAIL_FIELDS

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.models import User

    from .models import Person

EDITABLE_FIELDS = list(PERSON_DETAIL_FIELDS)


@transaction.atomic
def update_person(
    actor: User, person: Person, data: dict[str, Any], request: HttpRequest | None = None
) -> list[str]:
    """Save corrected details; validation errors leave the stored record as it was."""
    if not policy.can_edit_person(actor, person):
        raise PermissionDenied
    allowed = restrictions.editable_fields_for(actor, person, EDITABLE_FIELDS)
    if set(data) & (set(EDITABLE_FIELDS) - set(allowed)):
        # Restricted parts the actor may not see cannot be overwritten blind.
        raise PermissionDenied
    before = {name: getattr(person, name) for name in EDITABLE_FIELDS}
    for name in allowed:
        if name in data:
            setattr(person, name, data[name])
    person.full_clean()
    after = {name: getattr(person, name) for name in EDITABLE_FIELDS}
    changed = changed_fields(before, after)
    if changed:
        person.save()
        record(Action.UPDATE, actor=actor, obj=person, request=request, changes={"fields": changed})
    return changed
