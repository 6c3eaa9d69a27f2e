"""Domain functions for people. Each checks access through core.policy, writes
in one transaction and records its audit event."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from audit.models import Action
from audit.services import changed_fields, record
from core import policy

EDITABLE_FIELDS = [
    "first_name",
    "middle_names",
    "last_name",
    "known_as",
    "date_of_birth",
    "expected_date_of_birth",
    "sex",
    "gender_identity",
    "ethnicity",
    "disabilities",
    "has_send",
    "preferred_language",
    "interpreter_needed",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "nhs_number",
    "upn",
]


@transaction.atomic
def update_person(actor, person, data, request=None):
    """Save corrected details; validation errors leave the stored record as it was."""
    if not policy.can_edit_person(actor, person):
        raise PermissionDenied
    before = {name: getattr(person, name) for name in EDITABLE_FIELDS}
    for name in EDITABLE_FIELDS:
        if name in data:
            setattr(person, name, data[name])
    person.full_clean()
    after = {name: getattr(person, name) for name in EDITABLE_FIELDS}
    changed = changed_fields(before, after)
    if changed:
        person.save()
        record(Action.UPDATE, actor=actor, obj=person, request=request, changes={"fields": changed})
    return changed
