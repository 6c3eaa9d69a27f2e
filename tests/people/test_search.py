"""The "already known?" search (people.search) at the cost of one check."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from people.search import search_people
from tests.factories import PersonFactory


def _queries(user, **typed):
    with CaptureQueriesContext(connection) as captured:
        found = search_people(user, **typed)
    return len(captured.captured_queries), found


def test_the_queries_do_not_grow_with_the_people_found(la, involved):
    """Each candidate's household (for an address restricted on a housemate's
    record) and whom to contact are read for all candidates at once."""

    def person(n):
        return PersonFactory(
            local_authority=la,
            first_name="Annika",
            last_name="Searchfamily",
            address_line_1=f"{n} High Street",
            postcode=f"LS{n} 1AA",
        )

    person(1)
    typed = {
        "first_name": "Annika",
        "last_name": "Searchfamily",
        "date_of_birth": date(2016, 5, 17),
    }
    search_people(involved, **typed)  # the user's roles and organisations, read once
    one, found_one = _queries(involved, **typed)
    for n in range(2, 6):
        person(n)
    five, found_five = _queries(involved, **typed)

    # Hidden from a practitioner not involved: said to exist, never shown.
    assert (len(found_one), len(found_five)) == (1, 5)
    assert all(not match.visible for match in found_five)
    assert one == five
