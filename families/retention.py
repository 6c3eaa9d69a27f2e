"""How long a family's own request is kept when it never became a case.

A request the officer closed without a case (advice given, passed on, no
contact) holds what a family typed about themselves and nothing else needs
it: it is deleted FAMILY_REQUEST_RETENTION_DAYS after it was closed, by the
daily `expire_family_requests` job, one audit event a council naming the
references (never what the family said). A request still waiting in the
queue is never deleted: someone has to deal with it first. A request that
became a case goes with the case's family under the council's retention rule
(privacy/retention.py erases or deletes it with the family)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import LocalAuthority
from audit.models import Action
from audit.services import record
from core import councils

from .models import FamilyRequest

ACTOR_LABEL = "expire_family_requests"


def expired(la: LocalAuthority, now: datetime):
    """The council's requests closed without a case long enough ago to go."""
    cutoff = now - timedelta(days=settings.FAMILY_REQUEST_RETENTION_DAYS)
    return FamilyRequest.objects.filter(
        local_authority=la, episode__isnull=True, closed_at__lt=cutoff
    )


def expire(now: datetime | None = None) -> dict[str, int]:
    """Delete every council's expired requests; {council slug: how many}."""
    now = now or timezone.now()
    deleted = {}
    for la in LocalAuthority.objects.order_by("pk"):
        with councils.scope(la.pk), transaction.atomic():
            going = list(expired(la, now).order_by("pk"))
            if not going:
                continue
            record(
                Action.DELETE,
                local_authority=la,
                actor_label=ACTOR_LABEL,
                reason="family requests past their retention",
                changes={
                    "requests": [item.reference for item in going],
                    "days": settings.FAMILY_REQUEST_RETENTION_DAYS,
                },
            )
            FamilyRequest.objects.filter(pk__in=[item.pk for item in going]).delete()
            deleted[la.slug] = len(going)
    return deleted
