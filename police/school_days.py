"""When a police notification must be acknowledged: before the start of the
next school day (Operation Encompass: the school's key adult knows before the
child arrives). Weekends and the council's non-school days are skipped."""

import datetime

from django.utils import timezone

from .models import NonSchoolDay

# Schools open about 08:30; the notification must be read before then.
SCHOOL_DAY_STARTS = datetime.time(8, 30)
# Longer than any school holiday: past it, the next weekday is taken.
LOOK_AHEAD_DAYS = 120


def next_school_day_start(local_authority_id: int, after: datetime.datetime) -> datetime.datetime:
    """The start of the first school day that begins after `after`."""
    first = timezone.localtime(after).date()
    closed = set(
        NonSchoolDay.objects.filter(
            local_authority_id=local_authority_id,
            day__range=(first, first + datetime.timedelta(days=LOOK_AHEAD_DAYS)),
        ).values_list("day", flat=True)
    )
    weekday_fallback = None
    for offset in range(LOOK_AHEAD_DAYS + 1):
        day = first + datetime.timedelta(days=offset)
        starts = timezone.make_aware(datetime.datetime.combine(day, SCHOOL_DAY_STARTS))
        if day.weekday() >= 5 or starts <= after:
            continue
        if weekday_fallback is None:
            weekday_fallback = starts
        if day not in closed:
            return starts
    # Every weekday closed for months is a mistake in the calendar: fall back
    # to the next weekday rather than no deadline at all.
    assert weekday_fallback is not None
    return weekday_fallback
