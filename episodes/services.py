"""Domain functions for the episode. Each runs in one transaction, checks the
permission (core.policy) and the state (episodes.states), writes, records its
audit event and queues notifications. Web pages, commands and the API call
these; nothing else changes an episode's status."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from audit.models import Action
from audit.services import record
from core import policy

from . import states
from .models import Episode


class StaleEdit(Exception):
    """Someone else saved first: the caller shows the difference, nothing is lost."""

    def __init__(self, current):
        super().__init__("This record was changed by someone else since you opened it.")
        self.current = current


def locked(episode):
    """The episode row, locked for the rest of the transaction, so two people
    acting at once take turns instead of both moving it."""
    return Episode.objects.select_for_update().get(pk=episode.pk)


@transaction.atomic
def transition(
    actor,
    episode,
    action,
    *,
    request=None,
    reason="",
    permission=None,
    set_fields=None,
    **context,
):
    """Move `episode` through the state machine's `action` on behalf of `actor`.

    `set_fields` are written to the episode first (the guards see them), e.g.
    the lead professional chosen at the meeting. Raises PermissionDenied or
    states.TransitionRefused (its message says why and what to do); on success
    the episode is saved and audited, and the caller's object is updated.
    """
    allowed = (permission or policy.can_work_on_episode)(actor, episode)
    if not allowed:
        raise PermissionDenied
    current = locked(episode)
    before = current.status
    for field, value in (set_fields or {}).items():
        setattr(current, field, value)
    states.apply(current, action, **context)
    current.version += 1
    current.save()
    record(
        Action.UPDATE,
        actor=actor,
        obj=current,
        request=request,
        reason=reason,
        changes={
            "action": action,
            "status": [before, current.status],
            "fields": sorted(set_fields or {}),
        },
    )
    episode.refresh_from_db()
    return episode
