"""How many families are due under the council's retention rule, as the
settings page shows it.

Counting works out each family's date (privacy.retention.due_families): at
300,000 people that reads a thousand and more families with their children
and takes half a second or more, too slow for a page. The scheduled job
(`count_families_due`, core/scheduled.py) counts every council each hour and
keeps the counts with the rule they were counted under (`DueCount`); a
council is counted again at once, in the background, when its rule changes
or `apply_retention --apply` has acted on it. The page shows the
kept counts with when they were made. When there are none for today's rule,
or the job has not run for two hours, the page counts for itself, as before,
and keeps nothing: a page that is read writes nothing."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from core.kept_counts import fresh, keep

from . import retention
from .models import DueCount

if TYPE_CHECKING:
    from accounts.models import LocalAuthority

COUNT_EVERY = datetime.timedelta(hours=1)
# Older than this, the job is not running: the page counts for itself.
TOO_OLD = 2 * COUNT_EVERY


@dataclass(frozen=True)
class Counted:
    due: int
    undetermined: int
    # When they were counted; None: just now, for this page.
    counted_at: datetime.datetime | None


def count(la: LocalAuthority, now: datetime.datetime | None = None) -> DueCount:
    """Count `la`'s families due on the day of `now` under its rule, and keep it."""
    now = now or timezone.now()
    due = retention.due_families(la, timezone.localdate(now))
    values = {
        "rule": due.rule.code,
        "counted_at": now,
        "due": len(due.due),
        "undetermined": len(due.undetermined),
    }
    return keep(DueCount, la, values)


def shown(la: LocalAuthority, now: datetime.datetime | None = None) -> Counted:
    """What the settings page shows: the kept count if it was made today,
    under the rule as it is now, within TOO_OLD; else counted now (kept by
    no one)."""
    now = now or timezone.now()
    rule = retention.rule_for(la)
    kept = DueCount.objects.filter(local_authority=la).first()
    if kept is not None and kept.rule == rule.code and fresh(kept.counted_at, now, TOO_OLD):
        return Counted(kept.due, kept.undetermined, kept.counted_at)
    due = retention.due_families(la, timezone.localdate(now))
    return Counted(len(due.due), len(due.undetermined), None)


def count_soon(la: LocalAuthority) -> None:
    """Count `la` again in the background once the transaction commits (its
    rule changed, or families were acted on: the kept count no longer holds)."""
    from .tasks import count_council_families_due

    transaction.on_commit(lambda: count_council_families_due.enqueue(la.pk))
