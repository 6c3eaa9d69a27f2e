"""Blocking keys: short strings stored for every person and looked up for a
query, so that a check reads the few people who share one with it instead
of the whole register.

A held record gets its keys once (records_keys). A query asks for more
(query_keys): the day and month of its date of birth swapped, and its first
and last names swapped, because those are the mistakes people make when
typing details in; keys for the held side stay few and the index small."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from . import names

if TYPE_CHECKING:
    from .details import Prepared


def _name_keys(first: str, last_parts: Sequence[str]) -> set[str]:
    if not first or not last_parts:
        return set()
    return {
        f"s:{given}|{names.skeleton(part) or part}"
        for given in names.given_name_keys(first)
        for part in last_parts
    }


def _swapped_day_and_month(day: date | None) -> date | None:
    if day is None or day.day > 12 or day.day == day.month:
        return None
    try:
        return day.replace(month=day.day, day=day.month)
    except ValueError:
        return None


def record_keys(prepared: Prepared) -> set[str]:
    keys: set[str] = set()
    if prepared.nhs:
        keys.add(f"n:{prepared.nhs}")
    if prepared.upn:
        keys.add(f"u:{prepared.upn}")
    if prepared.dob:
        keys.add(f"d:{prepared.dob.isoformat()}")
    for given in prepared.given:
        keys |= _name_keys(given, prepared.last_parts)
        if prepared.postcode:
            # Same address and first name: finds a changed surname or a
            # mistyped birth date; the postcode alone would fetch the
            # whole street.
            keys |= {f"p:{prepared.postcode}|{g}" for g in names.given_name_keys(given)}
    surnames = {names.skeleton(part) or part for part in prepared.last_parts}
    for surname in surnames:
        # A first name mistyped past recognition as well as a date of birth
        # slip: the family at the address, or the surname born that month.
        if prepared.postcode:
            keys.add(f"a:{prepared.postcode}|{surname}")
        if prepared.dob:
            keys.add(f"m:{surname}|{prepared.dob:%Y-%m}")
            if prepared.first:
                # A month of birth slip as well: the surname and initial born that year.
                keys.add(f"y:{surname}|{prepared.first[0]}|{prepared.dob.year}")
    if prepared.dob and prepared.postcode:
        # Both names mistyped at the same address: whoever there was born that year.
        keys.add(f"b:{prepared.postcode}|{prepared.dob.year}")
    if prepared.dob:
        # A first name mistyped as well as a year of birth slip: the surname
        # born on that day of the year.
        keys |= {f"e:{surname}|{prepared.dob:%m-%d}" for surname in surnames}
    # Every name and birth date mistyped, but the parent named: their
    # children. The parents' names are held one after another, so each
    # two words in a row (a first name and a surname, or the seam between
    # two parents, which finds nothing).
    keys |= {
        _parent_key(a, b) for a, b in zip(prepared.parents, prepared.parents[1:], strict=False)
    }
    if prepared.dob:
        # A surname mistyped or changed as well as a day of birth slip: the
        # first name born that month.
        for given in prepared.given[:1]:
            keys |= {f"f:{g}|{prepared.dob:%Y-%m}" for g in names.given_name_keys(given)}
    return keys


def _parent_key(first: str, last: str) -> str:
    return f"h:{first}|{names.skeleton(last) or last}"


def query_keys(prepared: Prepared) -> set[str]:
    keys = record_keys(prepared)
    # A query names one parent: their first name and surname.
    keys -= {key for key in keys if key.startswith("h:")}
    if len(prepared.parents) > 1:
        keys.add(_parent_key(prepared.parents[0], prepared.parents[-1]))
    swapped = _swapped_day_and_month(prepared.dob)
    if swapped:
        keys.add(f"d:{swapped.isoformat()}")
    # First and last names typed the wrong way round.
    swapped_surnames = names.surname_parts(prepared.details.first_name)
    for part in prepared.last_parts:
        keys |= _name_keys(part, swapped_surnames)
    if prepared.postcode:
        # ... with the first name mistyped too: the family at the address.
        keys |= {
            f"a:{prepared.postcode}|{names.skeleton(part) or part}" for part in swapped_surnames
        }
    return keys
