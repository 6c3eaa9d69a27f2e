"""One function tells partner systems that something happened to a case:
`emit(episode, event)`, called by the domain functions where it happens
(episodes.services.transition, episodes.lead_professional, plans.services,
oversight.evaluation).

In the caller's transaction it writes the event (when a subscription of the
council listens for it); once the transaction commits, a task turns it into
one delivery for each such subscription whose client's organisation may see
the case (core.policy.client_told_about) and queues each delivery. Nothing is
sent if the transaction rolls back; and which organisations may see the case
is decided on what the whole transaction saved (a plan agreed brings its
organisations into the team after the stage has moved)."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone

from core import councils, policy
from episodes.models import Episode

from .delivery import enqueue_on_commit
from .models import CaseEvent, Delivery, Event, Subscription

# The state machine's actions that are events partner systems hear of.
ACTION_EVENTS = {
    "give_consent": Event.REQUEST_TAKEN_UP,
    "step_up": Event.CASE_STEPPED_UP,
    "close": Event.CASE_CLOSED,
    "decline_consent": Event.CASE_CLOSED,
    "referral_accepted": Event.CASE_CLOSED,
}
# An event whose task was lost is fanned out by the retry sweep after this.
LOST_AFTER = timedelta(minutes=2)


def _listening(local_authority_id: int, event: str) -> list[Subscription]:
    return [
        subscription
        for subscription in Subscription.objects.filter(
            local_authority_id=local_authority_id,
            removed_at__isnull=True,
            client__revoked_at__isnull=True,
        ).select_related("client")
        if event in subscription.events
    ]


def emit(episode: Episode, event: str, *, occurred_at: datetime | None = None) -> CaseEvent | None:
    """Record `event` about `episode` for the partner systems that listen for
    it, in the caller's transaction; None when none does."""
    with councils.scope(episode.local_authority_id):
        if not _listening(episode.local_authority_id, event):
            return None
        case_event = CaseEvent.objects.create(
            episode=episode, event=event, occurred_at=occurred_at or timezone.now()
        )
    transaction.on_commit(partial(_enqueue_fan_out, case_event.pk))
    return case_event


def emit_for_action(episode: Episode, action: str) -> None:
    """The event a move through the state machine is, if any."""
    event = ACTION_EVENTS.get(action)
    if event is not None:
        emit(episode, event)


def _enqueue_fan_out(pk: int) -> None:
    from . import tasks

    tasks.fan_out_event.enqueue(pk)


def fan_out(pk: int) -> int:
    """One delivery per listening subscription whose client may hear of the
    case; the event is then deleted (so it is fanned out once, whoever runs
    this). Returns how many deliveries were written."""
    with councils.across_councils(), transaction.atomic():
        case_event = (
            CaseEvent.objects.select_for_update(of=("self",))
            .select_related("episode")
            .filter(pk=pk)
            .first()
        )
        if case_event is None:
            return 0
        episode = case_event.episode
        told: dict[int, bool] = {}
        written = 0
        for subscription in _listening(episode.local_authority_id, case_event.event):
            client = subscription.client
            if client.pk not in told:
                told[client.pk] = policy.client_told_about(client, episode)
            if not told[client.pk]:
                continue
            delivery = Delivery.objects.create(
                subscription=subscription,
                episode=episode,
                event=case_event.event,
                occurred_at=case_event.occurred_at,
                next_attempt_at=timezone.now(),
            )
            enqueue_on_commit(delivery.pk)
            written += 1
        case_event.delete()
        return written


def fan_out_lost(now: datetime | None = None) -> int:
    """Fan out the events whose task was lost (the sweep)."""
    before = (now or timezone.now()) - LOST_AFTER
    with councils.across_councils():
        pks = list(
            CaseEvent.objects.filter(occurred_at__lt=before)
            .order_by("occurred_at")
            .values_list("pk", flat=True)
        )
    return sum(fan_out(pk) for pk in pks)
