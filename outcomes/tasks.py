"""The scheduled six-month question (core/scheduled.py runs it daily)."""

from django.utils import timezone
from django_tasks import task

from accounts.models import LocalAuthority
from core import councils

from . import services


@task()
def ask_sustainment() -> dict[str, int]:
    """Each council's checks made today (a need is asked about once, ever)."""
    today = timezone.localdate()
    made = {}
    for la in LocalAuthority.objects.order_by("pk"):
        with councils.scope(la.pk):
            made[la.slug] = services.ask_due(la, today).checks
    return made
