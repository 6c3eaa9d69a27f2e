"""Background work for the audit trail, through Django's tasks API."""

from django_tasks import task

from . import checkpoints


@task()
def write_audit_checkpoint():
    """Append a signed checkpoint of the chain's end; returns its event number."""
    return checkpoints.write_checkpoint().sequence
