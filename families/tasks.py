"""The daily job that deletes families' own requests closed without a case
once their retention period has passed (families/retention.py)."""

from django_tasks import task

from . import retention


@task()
def expire_family_requests() -> dict[str, int]:
    return retention.expire()
