"""Background work for emails, through Django's tasks API: tasks take ids."""

from django_tasks import task

from . import outbox


@task()
def deliver_email(pk: int) -> str:
    """One attempt at one queued email; returns its status."""
    return outbox.deliver(pk)


@task()
def retry_emails() -> dict[str, int]:
    """The retry sweep: every queued email that is due, once."""
    return outbox.retry_due()
