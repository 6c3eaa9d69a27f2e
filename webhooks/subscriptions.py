"""Subscribing a client to events: by the client itself through the API
(scope `webhooks:manage`) or by its council's administrator on the API
clients page. The secret that signs deliveries is made here and shown once."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import ApiClient
from audit.models import Action
from audit.services import record
from core import policy

from . import addresses
from .models import Event, Subscription

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.models import User

SECRET_PREFIX = "whsec_"  # noqa: S105 - a prefix, so a leaked secret is recognisable
MAX_SUBSCRIPTIONS = 10


def check_events(events: Iterable[str]) -> list[str]:
    chosen = sorted({str(event).strip() for event in events if str(event).strip()})
    if not chosen:
        raise ValidationError(
            {
                "events": _("Choose at least one event: %(events)s")
                % {"events": ", ".join(Event.values)}
            }
        )
    if unknown := [event for event in chosen if event not in Event.values]:
        raise ValidationError(
            {
                "events": _("Unknown event %(unknown)s: choose from %(events)s")
                % {"unknown": ", ".join(unknown)[:200], "events": ", ".join(Event.values)}
            }
        )
    return chosen


def _may_manage(client: ApiClient, actor: User | None) -> bool:
    if actor is None:
        return policy.client_may(client, "webhooks:manage")
    return policy.can_manage_api_client(actor, client)


@transaction.atomic
def subscribe(
    client: ApiClient,
    url: str,
    events: Iterable[str],
    *,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> tuple[Subscription, str]:
    """The new subscription and its secret (the only time it is shown).
    `actor`: the administrator making it on the page; None, the client itself."""
    if not _may_manage(client, actor):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    try:
        address = addresses.parse(url).geturl()
    except ValidationError as error:
        errors["url"] = error.messages
    try:
        chosen = check_events(events)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    active = Subscription.objects.filter(client=client, removed_at__isnull=True)
    if active.count() >= MAX_SUBSCRIPTIONS:
        raise ValidationError(
            _("A client may have at most %(most)s subscriptions: remove one first")
            % {"most": MAX_SUBSCRIPTIONS}
        )
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    subscription = Subscription.objects.create(
        client=client, url=address, events=chosen, secret=secret
    )
    record(
        Action.CREATE,
        actor=actor,
        obj=subscription,
        request=request,
        local_authority=client.local_authority,
        actor_label="" if actor is not None else client.name,
        changes={"fields": ["url", "events"], "events": chosen},
    )
    return subscription, secret


@transaction.atomic
def remove(
    subscription: Subscription,
    *,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> Subscription:
    """No more events to this address; what is queued for it is not sent."""
    if not _may_manage(subscription.client, actor) or subscription.removed_at is not None:
        raise PermissionDenied
    subscription.removed_at = timezone.now()
    subscription.save(update_fields=["removed_at"])
    record(
        Action.UPDATE,
        actor=actor,
        obj=subscription,
        request=request,
        local_authority=subscription.client.local_authority,
        actor_label="" if actor is not None else subscription.client.name,
        changes={"fields": ["removed_at"]},
    )
    return subscription
