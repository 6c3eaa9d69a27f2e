"""SQL the report needs beyond Django's own: whole days between two local
dates, and a percentile with linear interpolation (PostgreSQL's
`percentile_cont`; SQLite gets the same function, registered here), so every
figure is one aggregate query on either database."""

from __future__ import annotations

import math
from typing import Any

from django.db.models import Aggregate, FloatField, Func, IntegerField
from django.db.models.functions import TruncDate


class DaysBetween(Func):
    """Whole days from the local date of `earlier` to that of `later`."""

    output_field = IntegerField()
    arg_joiner = " - "
    template = "(%(expressions)s)"

    def __init__(self, later: str, earlier: str) -> None:
        super().__init__(TruncDate(later), TruncDate(earlier))

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )


class Percentile(Aggregate):
    """The `fraction` percentile of `expression`, interpolated between the two
    nearest values (0.5: the median; an even count gives the mean of the two
    middle values)."""

    output_field = FloatField()
    function = "percentile_cont"

    def __init__(self, expression: Any, fraction: float, **extra: Any) -> None:
        self.fraction = fraction
        super().__init__(expression, **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"percentile_cont({float(self.fraction)!r}) WITHIN GROUP (ORDER BY {sql})", params

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"eh_percentile({sql}, {float(self.fraction)!r})", params


def interpolated(values: list[float], fraction: float) -> float | None:
    """percentile_cont over `values` (None values left out)."""
    ordered = sorted(v for v in values if v is not None)
    if not ordered:
        return None
    position = fraction * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (position - low) * (ordered[high] - ordered[low])


class _SqlitePercentile:
    def __init__(self) -> None:
        self.values: list[float] = []
        self.fraction = 0.5

    def step(self, value: float | None, fraction: float) -> None:
        self.fraction = fraction
        if value is not None:
            self.values.append(value)

    def finalize(self) -> float | None:
        return interpolated(self.values, self.fraction)


def add_sqlite_functions(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate("eh_percentile", 2, _SqlitePercentile)
