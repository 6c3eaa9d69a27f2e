"""The scheduled work of the performance page (core/scheduled.py runs it hourly)."""

from django_tasks import task

from accounts.models import LocalAuthority
from core import councils

from . import figures


@task()
def refresh_performance_figures() -> dict[str, str]:
    """Every council's indicators, worked out and kept for the page."""
    done = {}
    for la in LocalAuthority.objects.order_by("pk"):
        with councils.scope(la.pk):
            done[la.slug] = figures.refresh(la).worked_out_at.isoformat()
    return done
