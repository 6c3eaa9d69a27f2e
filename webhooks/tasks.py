"""Background work for webhooks, through Django's tasks API: tasks take ids."""

from django_tasks import task

from . import delivery, events


@task()
def fan_out_event(pk: int) -> int:
    """One delivery for each subscription whose client may hear of the case."""
    return events.fan_out(pk)


@task()
def deliver_webhook(pk: int) -> str:
    """One attempt at one delivery; returns its status."""
    return delivery.deliver(pk)


@task()
def retry_webhooks() -> dict[str, int]:
    """The retry sweep: any event whose task was lost, then every delivery
    that is due, once."""
    events.fan_out_lost()
    return delivery.retry_due()


@task()
def prune_webhook_deliveries() -> int:
    """Forget deliveries made more than delivery.DELIVERED_KEPT_FOR ago."""
    return delivery.prune()
