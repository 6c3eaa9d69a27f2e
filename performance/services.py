"""Reading and changing a council's performance targets."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest

from audit.models import Action
from audit.services import record
from core import policy

from .models import Targets

if TYPE_CHECKING:
    from accounts.models import LocalAuthority, User

TARGET_FIELDS = (
    "assessment_on_time",
    "first_review_on_time",
    "reviews_on_time",
    "re_requests",
    "amber_points",
)


def targets_for(la: LocalAuthority) -> Targets:
    """The council's targets, or the defaults (unsaved) until it first
    changes them: reading a page writes nothing."""
    return Targets.objects.filter(local_authority=la).first() or Targets(local_authority=la)


@transaction.atomic
def update_targets(
    actor: User, data: dict[str, object], request: HttpRequest | None = None
) -> list[str]:
    """The council's targets, changed by its administrator or a manager;
    validated by the model. Returns the fields changed (audited by name)."""
    la = actor.local_authority
    if not policy.can_set_performance_targets(actor) or la is None:
        raise PermissionDenied
    targets = Targets.objects.select_for_update().filter(local_authority=la).first()
    if targets is None:
        targets = Targets(local_authority=la)
    before = {name: getattr(targets, name) for name in TARGET_FIELDS}
    for name in TARGET_FIELDS:
        if name in data:
            setattr(targets, name, data[name])
    targets.full_clean(exclude=["local_authority"])
    changed = sorted(name for name in TARGET_FIELDS if getattr(targets, name) != before[name])
    if changed:
        targets.save()
        record(
            Action.UPDATE,
            actor=actor,
            obj=targets,
            local_authority=la,
            request=request,
            changes={"fields": changed},
        )
    return changed
