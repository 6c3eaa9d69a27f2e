"""Background work for matching, through Django's tasks API (tasks take ids)."""

from datetime import datetime, timedelta

from django.utils import timezone
from django_tasks import task

from accounts.models import LocalAuthority
from audit.models import Action, AuditEvent
from core import councils

from . import duplicates


@task()
def queue_likely_duplicates(person_ids: list[int]) -> int:
    """Queue the likely duplicates of people a request has just recorded."""
    return duplicates.queue_likely_duplicates(person_ids)


# A day and a little more: a scan that ran late yesterday still overlaps.
SCAN_WINDOW = timedelta(hours=26)


@task()
def scan_changed_people() -> dict[str, int]:
    """The daily scan: each council's people recorded, imported or corrected
    in the last day, checked against the register, likely pairs queued for the
    Early Help Officers' review (nothing is merged)."""
    since = timezone.now() - SCAN_WINDOW
    queued = {}
    for la in LocalAuthority.objects.order_by("pk"):
        with councils.scope(la.pk):
            ids = changed_people(la, since)
            if ids:
                summary = duplicates.find_duplicates(
                    la, person_ids=ids, actor_label="scheduled scan of changed people"
                )
                queued[la.slug] = summary.new
    return queued


def changed_people(la: LocalAuthority, since: datetime) -> set[int]:
    """People the audit trail says were created or changed since `since`:
    one by one (a request, a correction) or by an import (its batch event)."""
    events = AuditEvent.objects.filter(
        local_authority=la,
        created_at__gte=since,
        action__in=[Action.CREATE, Action.UPDATE],
    )
    ids = {
        int(pk)
        for pk in events.filter(object_type="people.person").values_list("object_id", flat=True)
        if str(pk).isdigit()
    }
    for batch in events.filter(reason="import_people").values_list("changes", flat=True):
        ids.update(int(pk) for pk in (batch or {}).get("person_ids", []))
    return ids
