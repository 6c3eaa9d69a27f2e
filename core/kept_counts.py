"""Counts a scheduled job works out and keeps for a page that would be too
slow to work them out on each view (the performance page's figures, the
retention settings page's families due): one row a council, replaced each
time, and shown only while fresh."""

from __future__ import annotations

import datetime
from typing import Any, TypeVar

from django.db import IntegrityError, models, transaction
from django.utils import timezone

Kept = TypeVar("Kept", bound=models.Model)


def keep(model: type[Kept], local_authority: Any, values: dict[str, Any]) -> Kept:
    """The council's row of `model`, made or replaced with `values`."""
    try:
        with transaction.atomic():
            kept, _created = model._default_manager.update_or_create(
                local_authority=local_authority, defaults=values
            )
    except IntegrityError:  # another worker kept its row first
        kept = model._default_manager.get(local_authority=local_authority)
    return kept


def fresh(kept_at: datetime.datetime, now: datetime.datetime, too_old: datetime.timedelta) -> bool:
    """Whether what was kept at `kept_at` may be shown at `now`: kept on the
    same day (in the council's time zone) and no longer than `too_old` ago
    (older, the job is not running)."""
    return timezone.localdate(kept_at) == timezone.localdate(now) and now - kept_at <= too_old
