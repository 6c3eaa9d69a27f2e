"""Telling staff what happened on a case they are connected to: on their own
page, and by email after the change commits. Messages name the case reference
and the event only, never what the family said (need-to-know, seed 003)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import outbox
from .models import Notification

if TYPE_CHECKING:
    from accounts.models import LocalAuthority, User
    from episodes.models import Episode


def _staff_language() -> translation.override:
    """Emails to staff are in the practitioners' language, whichever page
    (a family's, in Arabic) made the change."""
    return translation.override(settings.LANGUAGE_CODE)


def notify(users: Iterable[User | None], episode: Episode, message: str) -> list[Notification]:
    recipients = {user.pk: user for user in users if user is not None and user.is_active}
    notifications = [
        Notification(user=user, episode=episode, message=message) for user in recipients.values()
    ]
    Notification.objects.bulk_create(notifications)
    emails = [user.email for user in recipients.values()]
    if emails:
        with _staff_language():
            subject = _("Early Help %(reference)s: %(message)s") % {
                "reference": episode.reference,
                "message": message,
            }
            body = _("%(message)s\n\nSign in to Early Help to see the case %(reference)s.\n") % {
                "message": message,
                "reference": episode.reference,
            }
        outbox.send_later(
            EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, emails),
            council=episode.local_authority,
        )
    return notifications


def notify_about_cases(
    recipients_by_episode: Mapping[Episode, Iterable[User | None]], message: str
) -> list[Notification]:
    """The same message about several cases: an update on each case for each
    of its recipients, and one email per person listing their cases."""
    cases_of: dict[str, list[str]] = {}
    council_of: dict[str, LocalAuthority] = {}
    notifications: list[Notification] = []
    for episode, users in recipients_by_episode.items():
        for user in {
            user.pk: user for user in users if user is not None and user.is_active
        }.values():
            notifications.append(Notification(user=user, episode=episode, message=message))
            cases_of.setdefault(user.email, []).append(episode.reference)
            council_of[user.email] = episode.local_authority
    Notification.objects.bulk_create(notifications)
    for email, references in cases_of.items():
        listed = "\n".join(references)
        with _staff_language():
            subject = _("Early Help: %(message)s") % {"message": message}
            body = _("%(message)s\n\n%(cases)s\n\nSign in to Early Help to see the cases.\n") % {
                "message": message,
                "cases": listed,
            }
        outbox.send_later(
            EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [email]),
            council=council_of[email],
        )
    return notifications


def email_staff(users: Iterable[User | None], subject: str, message: str) -> None:
    """An email about staff accounts rather than a case (the home page's
    updates are about cases), sent after the change commits."""
    active = [user for user in users if user is not None and user.is_active]
    emails = sorted({user.email for user in active})
    if emails:
        with _staff_language():
            subject = _("Early Help: %(subject)s") % {"subject": subject}
        outbox.send_later(
            EmailMessage(subject, f"{message}\n", settings.DEFAULT_FROM_EMAIL, emails),
            council=active[0].local_authority,
        )


def notify_requester(episode: Episode, message: str) -> list[Notification]:
    """The practitioner who asked for help hears how it went (issue: journey)."""
    return notify([episode.requested_by], episode, message)


def mark_all_read(user: User) -> int:
    """The user has seen their updates; returns how many were unread."""
    return user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
