""" "Who has looked at this record": the audit trail read back for one case or
one person, for the district's EHO, the managers and the lead professional."""

from django.db.models import Q

from .models import AuditEvent

ACCESS_LOG_LIMIT = 500


def for_episode(episode):
    """Every event on the case and the records that belong to it (audit events
    carry their case), plus the views of its family's people."""
    people = [str(pk) for pk in episode.family.memberships.values_list("person_id", flat=True)]
    return (
        AuditEvent.objects.filter(
            Q(episode_id=episode.pk) | Q(object_type="people.person", object_id__in=people)
        )
        .select_related("actor")
        .order_by("-sequence")[:ACCESS_LOG_LIMIT]
    )


def for_person(person):
    return (
        AuditEvent.objects.filter(
            Q(object_type="people.person", object_id=str(person.pk))
            | Q(object_type="people.restriction", changes__person=person.pk)
        )
        .select_related("actor")
        .order_by("-sequence")[:ACCESS_LOG_LIMIT]
    )
