"""The daily drift evaluation: every rule, for one council, on one day. It
keeps one open alert per rule and case (and per action or notification where
a rule can fire more than once), resolves those no longer true, and runs at
most once a council a day (EvaluationRun), so the scheduled job can be run
again safely."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import LocalAuthority
from episodes.models import Episode
from webhooks import events as webhook_events
from webhooks.models import Event

from .models import Alert, EvaluationRun, Timescales
from .rules import RULES, Context, Found


def timescales_for(la: LocalAuthority) -> Timescales:
    return Timescales.objects.get_or_create(local_authority=la)[0]


def find_all(la: LocalAuthority, today: datetime.date) -> dict[tuple[str, int | None, str], Found]:
    """What every rule finds today, keyed as alerts are."""
    context = Context(la, timescales_for(la), today)
    return {
        (rule.key, found.episode_id, found.subject): found
        for rule in RULES
        for found in rule.find(context)
    }


@transaction.atomic
def evaluate(la: LocalAuthority, today: datetime.date | None = None) -> EvaluationRun:
    """Bring the council's alerts up to date for `today` (once a day)."""
    today = today or timezone.localdate()
    run, created = EvaluationRun.objects.get_or_create(local_authority=la, day=today)
    if not created:
        return run
    found = find_all(la, today)
    open_alerts = {
        (alert.rule, alert.episode_id, alert.subject): alert
        for alert in Alert.objects.select_for_update().filter(
            local_authority=la, resolved_on__isnull=True
        )
    }
    gone = [alert.pk for key, alert in open_alerts.items() if key not in found]
    Alert.objects.filter(pk__in=gone).update(resolved_on=today)
    new = [
        Alert(
            local_authority=la,
            rule=rule,
            episode_id=episode_id,
            subject=subject,
            district_id=item.district_id,
            detail=item.detail[:200],
            due_since=item.due_since,
            first_seen=today,
        )
        for (rule, episode_id, subject), item in found.items()
        if (rule, episode_id, subject) not in open_alerts
    ]
    Alert.objects.bulk_create(new)
    # Partner systems hear once that a review is due: when its alert is raised.
    due = [alert.episode_id for alert in new if alert.rule == "review_overdue"]
    for episode in Episode.objects.filter(pk__in=due).order_by("pk"):
        webhook_events.emit(episode, Event.REVIEW_DUE)
    changed = []
    for key, alert in open_alerts.items():
        item = found.get(key)
        if item is not None and (alert.due_since, alert.district_id, alert.detail) != (
            item.due_since,
            item.district_id,
            item.detail[:200],
        ):
            alert.due_since, alert.district_id, alert.detail = (
                item.due_since,
                item.district_id,
                item.detail[:200],
            )
            changed.append(alert)
    Alert.objects.bulk_update(changed, ["due_since", "district_id", "detail"])
    run.created, run.resolved = len(new), len(gone)
    run.finished_at = timezone.now()
    run.save(update_fields=["created", "resolved", "finished_at"])
    return run
