"""Background work for matching, through Django's tasks API (tasks take ids)."""

from django_tasks import task

from . import duplicates


@task()
def queue_likely_duplicates(person_ids: list[int]) -> int:
    """Queue the likely duplicates of people a request has just recorded."""
    return duplicates.queue_likely_duplicates(person_ids)
