"""What a long table writes on every row, worked out once a page.

A page of 50 or 100 rows repeats the same few addresses and days: `reverse()`
or `date_format()` for each row cost more than the rest of the row.

- `Addresses` reverses a URL name once, with an id no record has in the
  argument's place, and puts each row's id there.
- `Days` formats each date once, as the tables print it ("7 Dec 2026").
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.formats import date_format

# Never a record's id: replaced by the row's own in the reversed address.
_ANY_ID = 987654321


class Addresses:
    """`addresses.of("episodes:detail", pk=7)` is `reverse("episodes:detail",
    kwargs={"pk": 7})`, reversed once per name and argument for one page."""

    def __init__(self) -> None:
        self._reversed: dict[tuple[str, str], str] = {}

    def of(self, name: str, **kwargs: Any) -> str:
        [(key, value), *others] = kwargs.items() or [("", None)]
        if others or not isinstance(value, int):
            return reverse(name, kwargs=kwargs)
        if (name, key) not in self._reversed:
            self._reversed[name, key] = reverse(name, kwargs={key: _ANY_ID})
        return self._reversed[name, key].replace(str(_ANY_ID), str(value), 1)


class Days:
    """`days(value)` is `date_format(value, "j M Y")`, once per date for one
    page (in the language active when it is called)."""

    def __init__(self) -> None:
        self._printed: dict[date, str] = {}

    def __call__(self, value: date) -> str:
        if value not in self._printed:
            self._printed[value] = date_format(value, "j M Y")
        return self._printed[value]
