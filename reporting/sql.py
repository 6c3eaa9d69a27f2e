"""SQL the report needs beyond Django's own: whole days between two local
dates, a percentile with linear interpolation (PostgreSQL's
`percentile_cont`), and a record's key for the cell key method (SQLite gets
the same functions, registered here), so every figure is one aggregate
query on either database."""

from __future__ import annotations

import hashlib
import math
from typing import Any

from django.db.models import Aggregate, FloatField, Func, IntegerField, TextField, Value
from django.db.models.functions import Cast, TruncDate


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


def record_key(salt: str, table: str, pk: int) -> int:
    """A record's key, 0 to 255: the first byte of SHA-256 of the council's
    secret salt, the table and the record's id. Fixed for the record for
    ever, and, without the salt, as good as random."""
    return _first_byte_of_sha256(f"{salt}:{table}:{pk}")


class RecordKey(Func):
    """`record_key` in SQL, for the record whose id is `pk` in `table`."""

    output_field = IntegerField()
    arg_joiner = " || "

    def __init__(self, salt: str, table: str, pk: str = "pk") -> None:
        super().__init__(Value(f"{salt}:{table}:"), Cast(pk, TextField()))

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "get_byte(sha256(convert_to(%(expressions)s, 'UTF8')), 0)"
        return super().as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "eh_record_key(%(expressions)s)"
        return super().as_sql(compiler, connection, template=template, **extra)


def _first_byte_of_sha256(text: str) -> int:
    return hashlib.sha256(text.encode()).digest()[0]


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
        connection.connection.create_function(
            "eh_record_key", 1, _first_byte_of_sha256, deterministic=True
        )
