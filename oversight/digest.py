"""The summary email of drift and delay: to each Early Help Officer, manager
and lead professional who has alerts, every day or every Monday as they chose
(`User.digest`), with counts by rule and the case references of what is new:
no family details, and a link to the worklist. Sent through the outbox; the
scheduled job runs once a day, so nobody gets it twice."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import CASE_ROLES, DigestFrequency, LocalAuthority, User
from core import councils, policy
from episodes.models import reference_of
from notifications.services import email_staff

from .rules import RULES_BY_KEY

MONDAY = 0
LISTED = 20  # case references listed; the rest are counted


@dataclass(frozen=True)
class Digest:
    new: list[tuple[str, str]]  # (case reference, rule label) seen since the last digest
    open_by_rule: Counter[str]

    @property
    def empty(self) -> bool:
        return not self.new and not self.open_by_rule

    def text(self) -> str:
        lines = []
        if self.new:
            lines.append(_("New since your last summary (%(count)s):") % {"count": len(self.new)})
            lines += [f"  {reference}: {rule}" for reference, rule in self.new[:LISTED]]
            if len(self.new) > LISTED:
                lines.append("  " + _("and %(count)s more") % {"count": len(self.new) - LISTED})
            lines.append("")
        lines.append(_("Open alerts (%(count)s):") % {"count": sum(self.open_by_rule.values())})
        lines += [f"  {rule}: {count}" for rule, count in self.open_by_rule.most_common()]
        worklist = f"{settings.SERVICE_URL}{reverse('oversight:worklist')}"
        lines += ["", _("Your worklist: %(link)s") % {"link": worklist}, ""]
        return "\n".join(lines)


def _label(rule: str) -> str:
    found = RULES_BY_KEY.get(rule)
    return str(found.label) if found else rule


def digest_for(user: User, today: datetime.date) -> Digest:
    """What `user` is told today: alerts first seen since their last summary
    (yesterday, or last Monday), and every open alert not put off."""
    since = today - datetime.timedelta(days=7 if user.digest == DigestFrequency.WEEKLY else 1)
    alerts = policy.alerts_visible_to(user).filter(
        Q(acknowledged_until__isnull=True) | Q(acknowledged_until__lte=today)
    )
    new = [
        (reference_of(episode_id) if episode_id else _("a police notification"), _label(rule))
        for episode_id, rule in alerts.filter(first_seen__gt=since)
        .order_by("first_seen", "pk")
        .values_list("episode_id", "rule")
    ]
    counts = Counter(_label(rule) for rule in alerts.values_list("rule", flat=True))
    return Digest(new, counts)


def recipients(la: LocalAuthority, today: datetime.date) -> list[User]:
    frequencies = [DigestFrequency.DAILY]
    if today.weekday() == MONDAY:
        frequencies.append(DigestFrequency.WEEKLY)
    return list(
        User.objects.filter(
            local_authority=la, is_active=True, digest__in=frequencies, roles__role__in=CASE_ROLES
        )
        .distinct()
        .order_by("pk")
    )


def send_digests(la: LocalAuthority, today: datetime.date | None = None) -> int:
    """Email every recipient of the council who has something; returns how many."""
    today = today or timezone.localdate()
    sent = 0
    with councils.scope(la.pk):
        for user in recipients(la, today):
            digest = digest_for(user, today)
            if digest.empty:
                continue
            email_staff([user], _("Your early help summary"), digest.text())
            sent += 1
    return sent
