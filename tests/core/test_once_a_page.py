"""core.once_a_page: a table's addresses, each URL name reversed once a page,
are reverse()'s own whatever the name, argument and id; its dates are
date_format()'s."""

import datetime

from django.urls import reverse
from django.utils.formats import date_format

from core.once_a_page import _ANY_ID, Addresses, Days
from episodes.case_tables import _Page


def test_each_address_is_what_reverse_gives():
    addresses = Addresses()
    asked = [
        ("episodes:detail", {"pk": 7}),
        ("episodes:detail", {"pk": 70}),
        ("reviews:record", {"episode_pk": 1}),
        ("consent:list", {"episode_pk": _ANY_ID + 1}),
        ("matching:compare", {"pk": 3}),
        ("oversight:acknowledge", {"pk": 12}),
        ("accounts:role_requests", {}),
    ]
    for name, kwargs in [*asked, *asked]:  # the second time from what was reversed
        assert addresses.of(name, **kwargs) == reverse(name, kwargs=kwargs)


def test_a_case_tables_links_keep_their_fragment():
    page = _Page()
    where = ("episodes:detail", {"pk": 9}, "#next-step")
    assert page.link(where) == reverse("episodes:detail", kwargs={"pk": 9}) + "#next-step"
    assert page.case_url(12) == reverse("episodes:detail", kwargs={"pk": 12})


def test_each_day_is_what_date_format_gives():
    days = Days()
    asked = [datetime.date(2026, 12, 7), datetime.date(2027, 1, 1), datetime.date(2026, 12, 7)]
    assert [days(day) for day in asked] == [date_format(day, "j M Y") for day in asked]
