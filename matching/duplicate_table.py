"""The rows of the possible duplicates list, built in Python for
`{% govuk_table rows= %}` (as episodes/case_tables.py builds the case
list's): written as template tags, a page of 50 pairs' 250 cells cost more
than the rest of the page.

A row holds each record's name (not a restrictable value:
people.restrictions), how likely the pair is one person and why, and the
link to compare them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from core.once_a_page import Addresses

if TYPE_CHECKING:
    from .models import PossibleDuplicate


def duplicate_rows(pairs: Iterable[PossibleDuplicate]) -> list[list[dict[str, Any]]]:
    """Record A, record B, the likelihood (a whole percentage, as
    `{% widthratio score 1 100 %}` wrote it), why, and "Compare"."""
    compare = _("Compare")
    addresses = Addresses()
    table = []
    for pair in pairs:
        first, second = pair.first.full_name, pair.second.full_name
        table.append(
            [
                {"text": first},
                {"text": second},
                {"text": f"{round(pair.score * 100)}%", "format": "numeric"},
                {"text": capfirst(", ".join(str(reason) for reason in pair.reasons))},
                {
                    "html": format_html(
                        '<a class="govuk-link" href="{}">{}'
                        '<span class="govuk-visually-hidden"> {}</span></a>',
                        addresses.of("matching:compare", pk=pair.pk),
                        compare,
                        _("%(first)s and %(second)s") % {"first": first, "second": second},
                    )
                },
            ]
        )
    return table
