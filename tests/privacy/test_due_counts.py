"""The count of families due that the scheduled job keeps for the retention
settings page (privacy/due_counts.py): shown with when it was made, counted
again at once when the rule changes, and counted by the page itself, keeping
nothing, when no fresh count under today's rule is kept."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from people.models import Person
from privacy import due_counts
from privacy.models import DueCount
from privacy.tasks import count_families_due
from tests.privacy.conftest import at, helped

URL = "/privacy/retention/"


def _second_family_due(la, district, school, involved):
    """Another family whose youngest child turned 25 long ago."""
    return helped(
        la, district, school, involved, datetime.date(1995, 1, 2), at(datetime.date(2012, 5, 1))
    )


def test_the_page_shows_the_kept_count_and_when_it_was_made(
    client_for, manager, la, closed_family, district, school, involved
):
    kept = due_counts.count(la)
    assert (kept.due, kept.undetermined) == (1, 0)
    _second_family_due(la, district, school, involved)
    client = client_for(manager)
    client.get(URL)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(URL).content.decode()
    assert "Today 1 family's records are due." in page
    at_time = timezone.localtime(kept.counted_at)
    assert f"Counted at {at_time:%H:%M} today." in page
    # Read from the kept row: none of the families' own tables.
    assert not any("people_familymember" in q["sql"] for q in queries.captured_queries)
    # The next count finds the second family.
    due_counts.count(la)
    assert "Today 2 families' records are due." in client.get(URL).content.decode()


def test_a_changed_rule_is_counted_again_at_once(
    client_for, manager, la, closed_family, django_capture_on_commit_callbacks
):
    due_counts.count(la)
    client = client_for(manager)
    # Seven years after the last closure (10 March 2018): due since March 2025.
    changed = {"kind": "years_after_closure", "age": "25", "years": "7", "action": "anonymise"}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, changed)
    kept = DueCount.objects.get(local_authority=la)
    assert (kept.rule, kept.due) == ("years_after_closure:7", 1)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {**changed, "years": "10"})
    kept.refresh_from_db()
    assert (kept.rule, kept.due) == ("years_after_closure:10", 0)
    page = client.get(URL).content.decode()
    assert "Today 0 families' records are due." in page
    assert "Counted at" in page


def test_a_count_under_another_rule_is_not_shown(client_for, manager, la, closed_family):
    DueCount.objects.create(
        local_authority=la,
        rule="youngest_child_age:30",
        counted_at=timezone.now(),
        due=0,
        undetermined=0,
    )
    page = client_for(manager).get(URL).content.decode()
    assert "Today 1 family's records are due." in page
    assert "Counted now, for this page." in page


def test_without_a_fresh_count_the_page_counts_and_keeps_nothing(
    client_for, manager, la, closed_family
):
    client = client_for(manager)
    page = client.get(URL).content.decode()
    assert "Today 1 family's records are due." in page
    assert "Counted now, for this page." in page
    assert not DueCount.objects.exists()
    # Kept, but the job has not counted for more than two hours.
    stale = due_counts.count(la, now=timezone.now() - due_counts.TOO_OLD - datetime.timedelta(1))
    Person.objects.filter(family_memberships__family=closed_family.family).update(
        date_of_birth=None
    )
    page = client.get(URL).content.decode()
    assert "Today 0 families' records are due." in page
    assert "1 family is kept because a child's date of birth is not recorded." in page
    assert "Counted now, for this page." in page
    assert DueCount.objects.get().counted_at == stale.counted_at


def test_the_job_counts_every_council_in_its_own_scope(la, other_la, closed_family):
    counted = count_families_due.call()
    assert counted == {la.slug: 1, other_la.slug: 0}
    assert DueCount.objects.get(local_authority=la).due == 1


def test_acting_on_the_families_due_counts_again(
    la, closed_family, django_capture_on_commit_callbacks
):
    from io import StringIO

    from django.core.management import call_command

    assert due_counts.count(la).due == 1
    with django_capture_on_commit_callbacks(execute=True):
        call_command("apply_retention", "--apply", stdout=StringIO())
    assert DueCount.objects.get(local_authority=la).due == 0
