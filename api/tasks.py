"""Background work of the partner API (core/scheduled.py runs it daily)."""

from django_tasks import task

from . import idempotency


@task()
def prune_idempotency_keys() -> int:
    """Forget idempotency keys older than idempotency.IDEMPOTENCY_HOURS."""
    return idempotency.prune()
