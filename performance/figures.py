"""The indicators as the scheduled job last worked them out.

Working out the twelve months of every indicator reads a council's whole
history (three seconds at 300,000 people), too slow for a page. The job
(`refresh_performance_figures`, core/scheduled.py) does it every hour for
each council and keeps the counts (`Figures`); the page and its download
show them with the council's targets as they are now, and say when they
were worked out. When there are none for today, or the job has not run for
two hours, the page works them out itself, as before, and keeps nothing: a
page that is read writes nothing."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone

from core.kept_counts import fresh, keep

from .indicators import INDICATORS, Figure, Group, Result, compute_all
from .models import Figures
from .services import targets_for

if TYPE_CHECKING:
    from accounts.models import LocalAuthority

    from .models import Targets

REFRESH_EVERY = datetime.timedelta(hours=1)
# Older than this, the job is not running: the page works the figures out.
TOO_OLD = 2 * REFRESH_EVERY


@dataclass(frozen=True)
class Shown:
    results: list[Result]
    # When they were worked out; None: just now, for this page.
    worked_out_at: datetime.datetime | None


def _key(group: Group) -> str:
    return "|".join(group)


def _group(key: str) -> Group:
    kind, _bar, value = key.partition("|")
    return (kind, value)


def refresh(la: LocalAuthority, now: datetime.datetime | None = None) -> Figures:
    """Work out `la`'s indicators for the day of `now` and keep their counts."""
    now = now or timezone.now()
    results = compute_all(la, targets_for(la), timezone.localdate(now))
    counts = {
        "months": [month.isoformat() for month in results[0].months],
        "indicators": {
            result.indicator.key: {
                _key(group): [[figure.met, figure.base] for figure in figures]
                for group, figures in result.series.items()
            }
            for result in results
        },
    }
    return keep(Figures, la, {"worked_out_at": now, "counts": counts})


def _results(figures: Figures, targets: Targets) -> list[Result] | None:
    """The kept counts as results with `targets`; None if they lack an
    indicator (kept before it was added)."""
    months = [datetime.date.fromisoformat(month) for month in figures.counts["months"]]
    kept = figures.counts["indicators"]
    if any(indicator.key not in kept for indicator in INDICATORS):
        return None
    return [
        Result(
            indicator,
            target=getattr(targets, indicator.target_field),
            band=targets.amber_points,
            months=months,
            series={
                _group(key): [Figure(met, base) for met, base in series]
                for key, series in kept[indicator.key].items()
            },
        )
        for indicator in INDICATORS
    ]


def shown(la: LocalAuthority, now: datetime.datetime | None = None) -> Shown:
    """What the page and its download show: the kept figures for today if the
    job worked them out within TOO_OLD, else worked out now (kept by no one)."""
    now = now or timezone.now()
    targets = targets_for(la)
    figures = Figures.objects.filter(local_authority=la).first()
    if figures is not None and fresh(figures.worked_out_at, now, TOO_OLD):
        results = _results(figures, targets)
        if results is not None:
            return Shown(results, figures.worked_out_at)
    return Shown(compute_all(la, targets, timezone.localdate(now)), None)
