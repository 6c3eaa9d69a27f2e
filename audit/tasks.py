"""Background work for the audit trail, through Django's tasks API."""

from django_tasks import task

from . import checkpoints


@task()
def write_audit_checkpoint():
    """Append a signed checkpoint of every chain's end; returns {chain: its last event number}."""
    heads = checkpoints.write_checkpoint().heads
    return {chain: number for chain, (number, _hash) in heads.items()}
