""" "Who has looked at this record": the audit trail read back for one case or
one person, for the district's EHO, the managers and the lead professional."""

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

from .models import AuditEvent

# A busy case is looked at thousands of times: the log is read a page at a time.
PAGE_SIZE = 100


def page_of(events: QuerySet[AuditEvent], number: str | None) -> Page:
    """One page of the log, newest first; a page number out of range or not a
    number gives the nearest page, never an error."""
    return Paginator(events, PAGE_SIZE).get_page(number)


def for_episode(episode):
    """Every event on the case and the records that belong to it (audit events
    carry their case), plus the views of its family's people."""
    people = [str(pk) for pk in episode.family.memberships.values_list("person_id", flat=True)]
    return (
        AuditEvent.objects.filter(
            Q(episode_id=episode.pk) | Q(object_type="people.person", object_id__in=people)
        )
        .select_related("actor")
        .order_by("-sequence")
    )


def for_person(person):
    return (
        AuditEvent.objects.filter(
            Q(object_type="people.person", object_id=str(person.pk))
            | Q(object_type="people.restriction", changes__person=person.pk)
        )
        .select_related("actor")
        .order_by("-sequence")
    )
