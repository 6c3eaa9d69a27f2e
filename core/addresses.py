"""Addresses for the rows of a long table, each URL name reversed once.

`reverse()` for each row of a 50-row table cost more than the rest of the
row. `Addresses` reverses a name once, with an id no record has in the
argument's place, and puts each row's id there."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

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
