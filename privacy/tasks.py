"""The scheduled reminder of retention. Erasing or anonymising a family is a
reviewed step (`earlyhelp apply_retention`, then `--apply`), never automatic:
each Monday the council's administrators are told how many families are due,
by count only, and how to review them."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from accounts.models import LocalAuthority, Role, User
from core import councils
from notifications.services import email_staff

from . import due_counts, retention

MONDAY = 0


@task()
def remind_retention() -> dict[str, int]:
    """Each council's families due under its retention rule, counted, on Mondays."""
    today = timezone.localdate()
    if today.weekday() != MONDAY:
        return {}
    reminded = {}
    for la in LocalAuthority.objects.order_by("pk"):
        with councils.scope(la.pk):
            due = retention.due_families(la, today)
            if not due.due and not due.undetermined:
                continue
            admins = User.objects.filter(
                local_authority=la, is_active=True, roles__role=Role.LA_ADMIN
            ).distinct()
            email_staff(
                admins,
                _("Records due under the retention rule"),
                _(
                    "%(due)s families of %(council)s are due under the council's retention "
                    "rule, and %(undetermined)s have no date recorded to work it out.\n\n"
                    "To review them: earlyhelp apply_retention --la %(slug)s\n"
                    "Then, once reviewed, the same with --apply. Nothing is erased until then."
                )
                % {
                    "due": len(due.due),
                    "council": la.name,
                    "undetermined": len(due.undetermined),
                    "slug": la.slug,
                },
            )
            reminded[la.slug] = len(due.due)
    return reminded


@task()
def count_families_due() -> dict[str, int]:
    """Every council's families due under its rule, counted and kept for the
    retention settings page (core/scheduled.py runs it hourly)."""
    counted = {}
    for la in LocalAuthority.objects.order_by("pk"):
        with councils.scope(la.pk):
            counted[la.slug] = due_counts.count(la).due
    return counted


@task()
def count_council_families_due(local_authority_id: int) -> int:
    """One council's, counted again after its rule changed."""
    with councils.scope(local_authority_id):
        la = LocalAuthority.objects.get(pk=local_authority_id)
        return due_counts.count(la).due
