"""Restricted parts of a person's record (seed 003): who sees them is decided
by core.policy; this module hands templates a copy of the person with what the
viewer may not see blanked out, and audits every view of what they may.

Templates never need to know about restrictions beyond `person.withheld` (the
labels of what was left out): every page, document and search result gets its
person from one of the three functions below.
"""

import copy

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from audit.models import Action
from audit.services import record
from core import policy

from .models import RestrictableField, Restriction

# Roles that may be named on a restriction besides the lead professional.
NAMEABLE_ROLES = (Role.EARLY_HELP_OFFICER, Role.EARLY_HELP_MANAGER, Role.PANEL_COORDINATOR)

_BLANK = {
    "date_of_birth": None,
    "expected_date_of_birth": None,
    "disabilities": [],
    "has_send": False,
    "interpreter_needed": False,
}


def active_restrictions(person):
    return [r for r in person.restrictions.all() if r.lifted_at is None]


def _masked(person, hidden):
    """A display-only copy of `person` with the hidden restrictions blanked."""
    shown = copy.copy(person)
    shown.is_masked_copy = True
    for restriction in hidden:
        for name in restriction.model_fields:
            setattr(shown, name, _BLANK.get(name, ""))
    shown.withheld = [r.get_field_display() for r in hidden]
    shown.withheld_keys = {r.field for r in hidden}
    return shown


def shown_to(user, person, request=None):
    """`person` as `user` may see them. Showing a restricted part is audited."""
    restrictions = active_restrictions(person)
    hidden = [r for r in restrictions if not policy.can_see_restriction(user, r)]
    visible = [r for r in restrictions if r not in hidden]
    shown = _masked(person, hidden)
    shown.restricted_shown = {r.field for r in visible}
    if visible:
        record(
            Action.VIEW,
            actor=user,
            obj=person,
            request=request,
            changes={"restricted": sorted(r.field for r in visible)},
        )
    return shown


def for_document(person, recipient):
    """`person` as printed in a document given to `recipient` (a plan copy, a
    letter): other people's restricted parts never appear in it."""
    if recipient is not None and person.pk == recipient.pk:
        shown = _masked(person, [])
    else:
        shown = _masked(person, active_restrictions(person))
    shown.restricted_shown = set()
    return shown


def for_search(person):
    """`person` in search results and matches: restricted parts never appear."""
    shown = _masked(person, active_restrictions(person))
    shown.restricted_shown = set()
    return shown


@transaction.atomic
def restrict(actor, person, *, field, reason, visible_to_roles=(), request=None):
    if not policy.can_restrict(actor, person):
        raise PermissionDenied
    errors = {}
    if field not in RestrictableField.values:
        errors["field"] = _("Choose what to restrict")
    if not (reason or "").strip():
        errors["reason"] = _("Say why this is restricted, for example 'fleeing domestic abuse'")
    unknown = set(visible_to_roles) - {role.value for role in NAMEABLE_ROLES}
    if unknown:
        errors["visible_to_roles"] = _("Choose roles from the list")
    if not errors and person.restrictions.filter(field=field, lifted_at__isnull=True).exists():
        errors["field"] = _("%(field)s is already restricted") % {
            "field": RestrictableField(field).label
        }
    if errors:
        raise ValidationError(errors)
    restriction = Restriction.objects.create(
        person=person,
        field=field,
        reason=reason.strip(),
        visible_to_roles=sorted(visible_to_roles),
        created_by=actor,
    )
    record(
        Action.CREATE,
        actor=actor,
        obj=restriction,
        request=request,
        changes={"fields": ["field", "visible_to_roles"], "person": person.pk},
    )
    return restriction


@transaction.atomic
def lift(actor, restriction, *, request=None):
    if not policy.can_restrict(actor, restriction.person):
        raise PermissionDenied
    if restriction.lifted_at is not None:
        raise ValidationError(_("This restriction was already lifted"))
    restriction.lifted_at = timezone.now()
    restriction.lifted_by = actor
    restriction.save(update_fields=["lifted_at", "lifted_by"])
    record(
        Action.UPDATE,
        actor=actor,
        obj=restriction,
        request=request,
        changes={"fields": ["lifted_at"], "person": restriction.person_id},
    )
    return restriction


def editable_fields_for(user, person, fields):
    """The fields of `fields` that `user` may see and so may change."""
    hidden = {
        name
        for r in active_restrictions(person)
        if not policy.can_see_restriction(user, r)
        for name in r.model_fields
    }
    return [name for name in fields if name not in hidden]
