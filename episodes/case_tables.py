"""The rows of the long tables of cases (the case list, "My cases" and the
work owed on the home page), built in Python for `{% govuk_table rows= %}`.

A page of 50 cases has 300 cells; written as template tags each cell's body
was rendered, collected and escaped by the template engine, and the status
label was looked up through the model's choices (which translates every
choice on every call): most of a list page's time, at any council size.
Here each label, date and tag is worked out once per page.

A case row holds no person's restrictable values (people.restrictions): the
family's name, the case's reference, stage and dates, and staff names.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.govuk import render_component
from core.once_a_page import Addresses, Days

from .models import Status

if TYPE_CHECKING:
    from .models import Episode
    from .progress import NextStep
    from .work_owed import Item, ListedCase, MyCase, Where

Cell = dict[str, Any]


class _Page:
    """What every row of one page shares: translated labels, the overdue tag,
    the case page's address and each date as printed."""

    def __init__(self) -> None:
        self.today = timezone.localdate()
        self.statuses = {value: str(label) for value, label in Status.choices}
        self.overdue_tag = render_component(
            "tag", {"text": _("Overdue"), "classes": "govuk-tag--red"}
        )
        self.by = conditional_escape(_("by"))
        self._addresses = Addresses()
        self._days = Days()

    def link(self, where: Where) -> str:
        """The address of `where` (as Item.link gives it), each URL name
        reversed once a page."""
        name, kwargs, fragment = where
        return self._addresses.of(name, **kwargs) + fragment

    def case_url(self, pk: int) -> str:
        return self.link(("episodes:detail", {"pk": pk}, ""))

    def date(self, value: date | None) -> str:
        if value is None:
            return ""
        return self._days(value)

    def case_link(self, episode: Episode | ListedCase) -> SafeString:
        return format_html(
            '<a class="govuk-link" href="{}">{}</a>', self.case_url(episode.pk), episode.reference
        )

    def overdue(self, is_overdue: bool) -> str:
        return f" {self.overdue_tag}" if is_overdue else ""


def _text(value: object) -> str:
    return str(conditional_escape(value))


def case_list_rows(rows: Iterable[Mapping[str, Any]]) -> list[list[Cell]]:
    """The case list's rows: reference, family, stage, what is next (and any
    other work owed on the case), lead professional, district. `rows` as
    episodes.views._rows gives them."""
    page = _Page()
    not_agreed = _("Not yet agreed")
    table = []
    for row in rows:
        episode: ListedCase = row["episode"]
        step: NextStep[ListedCase] | None = row["next"]
        if step is not None:
            upcoming = _text(step.what)
            if step.due:
                upcoming += (
                    f'<br><span class="govuk-body-s">{page.by} {page.date(step.due)}</span>'
                    + page.overdue(step.due < page.today)
                )
        else:
            upcoming = "—"
        item: Item
        for item in row["also"]:
            upcoming += (
                f'<br><a class="govuk-link" href="{conditional_escape(page.link(item.where))}">'
                f"{_text(item.what)}</a>"
                f'<br><span class="govuk-body-s">{page.by} {page.date(item.due)}</span>'
                + page.overdue(item.overdue)
            )
        lead = episode.lead_name
        table.append(
            [
                {"html": page.case_link(episode)},
                {"html": _text(episode.family_name)},
                {"html": _text(page.statuses.get(episode.status, episode.status))},
                {"html": mark_safe(upcoming)},  # noqa: S308  (every part escaped above)
                {"html": _text(lead if lead else not_agreed)},
                {"html": _text(episode.district.name)},
            ]
        )
    return table


def my_cases_rows(rows: Iterable[Mapping[str, Any]]) -> list[list[Cell]]:
    """The home page's "My cases": the case (reference and family), what is
    next, by when, and with whom. `rows`: {"episode", "next"} each."""
    page = _Page()
    table = []
    for row in rows:
        episode: MyCase = row["episode"]
        step: NextStep[MyCase] | None = row["next"]
        due = page.date(step.due) if step is not None else ""
        overdue = step is not None and step.due is not None and step.due < page.today
        owner = episode.owner_name(step) if step is not None else None
        table.append(
            [
                {
                    "html": format_html(
                        '{}<br><span class="govuk-body-s">{}</span>',
                        page.case_link(episode),
                        episode.family_name,
                    )
                },
                {"text": (step.what if step is not None else "") or "—"},
                {"html": mark_safe(_text(due or "—") + page.overdue(overdue))},  # noqa: S308
                {"text": owner or "—"},
            ]
        )
    return table


def work_owed_rows(items: Iterable[Item]) -> list[list[Cell]]:
    """The home page's "Waiting for you": what (a link to where it is done),
    the case, and when it is due."""
    page = _Page()
    table = []
    for item in items:
        what = format_html(
            '<a class="govuk-link" href="{}">{}</a>', page.link(item.where), item.what
        )
        if item.detail:
            what = format_html('{}<br><span class="govuk-body-s">{}</span>', what, item.detail)
        if item.case is not None:
            case = format_html(
                '{}<br><span class="govuk-body-s">{}</span>',
                page.case_link(item.case),
                item.case.family_name,
            )
        else:
            case = mark_safe("—")  # noqa: S308
        due = _text(page.date(item.due) or "—") + page.overdue(item.overdue)
        table.append(
            [{"html": what}, {"html": case}, {"html": mark_safe(due)}]  # noqa: S308
        )
    return table
