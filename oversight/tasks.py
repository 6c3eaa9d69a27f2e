"""The scheduled work of drift and delay (core/scheduled.py runs them daily)."""

from django.utils import timezone
from django_tasks import task

from accounts.models import LocalAuthority
from core import councils

from . import digest, evaluation


@task()
def evaluate_drift() -> dict[str, int]:
    """Every council's alerts for today (each council once a day)."""
    today = timezone.localdate()
    created = {}
    for la in LocalAuthority.objects.order_by("pk"):
        with councils.scope(la.pk):
            created[la.slug] = evaluation.evaluate(la, today).created
    return created


@task()
def send_digests() -> dict[str, int]:
    """Today's summary emails, after today's evaluation (run here too, in case
    the queue took this job first: evaluating twice a day changes nothing)."""
    today = timezone.localdate()
    sent = {}
    for la in LocalAuthority.objects.order_by("pk"):
        with councils.scope(la.pk):
            evaluation.evaluate(la, today)
        sent[la.slug] = digest.send_digests(la, today)
    return sent
