"""The case page asks in one query which kinds of record the case has
(episodes/records_present.py) and reads only those: the chronology is the
same as when every kind is read, and a kind the case has none of costs no
query of its own."""

from django.db import connection
from django.db.models import prefetch_related_objects
from django.test.utils import CaptureQueriesContext

from episodes.chronology import case_page_records, chronology
from episodes.models import Episode
from episodes.records_present import KINDS, present, read_present
from tests.privacy.conftest import case  # noqa: F401  (a case with a record of most kinds)

# The consent section asks of them whatever the case holds.
ALWAYS_READ = {KINDS["consents"]}


def _both_ways(pk, viewer):
    """The chronology with the kinds read as the page reads them, and with
    every kind read."""
    page = Episode.objects.get(pk=pk)
    read_present(page, case_page_records())
    everything = Episode.objects.get(pk=pk)
    prefetch_related_objects([everything], *case_page_records())
    return chronology(page, viewer), chronology(everything, viewer)


def test_the_kinds_found_are_those_the_case_has(case, episode, manager):  # noqa: F811
    found = present(case.episode)
    assert {
        "meetings",
        "reviews",
        "case_notes",
        "referrals",
        "consents",
        "sharing_overrides",
        "plans",
    } <= found
    assert "police_notifications" not in found
    read, every = _both_ways(case.episode.pk, manager)
    assert read == every and len(read) > 8


def test_a_new_case_reads_no_kind_it_has_none_of(client_for, episode, manager):
    assert present(episode) == frozenset()
    read, every = _both_ways(episode.pk, manager)
    assert read == every
    client = client_for(manager)
    client.get(f"/cases/{episode.pk}/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/cases/{episode.pk}/").status_code == 200
    tables = {
        label: Episode._meta.apps.get_model(label)._meta.db_table
        for label in [*KINDS.values(), "advice.AdviceContact"]
    }
    sent = [query["sql"] for query in queries.captured_queries]
    own_queries = [sql for sql in sent if "EXISTS (SELECT 1 FROM" not in sql]
    assert len(own_queries) == len(sent) - 1  # the one query that asks
    read_anyway = [
        label
        for label, table in tables.items()
        if any(f'FROM "{table}"' in sql for sql in own_queries) and label not in ALWAYS_READ
    ]
    assert read_anyway == []
