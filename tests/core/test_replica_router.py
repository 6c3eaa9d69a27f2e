"""Reports' and exports' reads go to the read replica (core/routers.py); writes,
reads inside a transaction and every other page stay on the primary. The
replica here is a second connection to the test database, as Django's TEST
MIRROR makes it, so each query can be seen on the connection that ran it."""

import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEvent
from core.routers import REPLICA, REPLICA_READ_ROUTES, ReplicaRouter, reading_from_replica
from earlyhelp.settings import _replica_database
from episodes.models import Episode


@pytest.fixture
def replica(transactional_db):
    """A "replica" alias beside "default", as settings make it from
    DATABASE_REPLICA_URL, pointing at the same (committed) test database."""
    config = {**connections["default"].settings_dict}
    config["TEST"] = {**config["TEST"], "MIRROR": "default"}
    connections.settings[REPLICA] = config
    # Connected before first use: Django's test case refuses to open connections
    # to aliases it did not know when the test began.
    connections[REPLICA].connect()
    yield connections[REPLICA]
    connections[REPLICA].close()
    del connections[REPLICA]
    del connections.settings[REPLICA]


def test_the_replica_setting_mirrors_the_primary_in_tests():
    config = _replica_database("postgres://reader@replica.example:5432/earlyhelp")
    assert (config["HOST"], config["USER"], config["TEST"]) == (
        "replica.example",
        "reader",
        {"MIRROR": "default"},
    )


def test_reads_go_to_the_replica_only_inside_reading_from_replica(replica):
    router = ReplicaRouter()
    assert router.db_for_read(Episode) == "default"
    with reading_from_replica():
        assert router.db_for_read(Episode) == REPLICA
        assert router.db_for_write(Episode) == "default"
        # A transaction reads what it wrote: the primary, never a lagging copy.
        with transaction.atomic():
            assert router.db_for_read(Episode) == "default"
    assert router.db_for_read(Episode) == "default"
    assert router.allow_migrate(REPLICA, "episodes") is False
    assert router.allow_migrate("default", "episodes") is True


def test_without_a_replica_everything_uses_the_primary(db):
    with reading_from_replica():
        assert ReplicaRouter().db_for_read(Episode) == "default"


def test_the_access_log_reads_from_the_replica_and_writes_to_the_primary(
    replica, client_for, manager, episode
):
    client = client_for(manager)
    events_before = AuditEvent.objects.count()
    with CaptureQueriesContext(replica) as on_replica:
        response = client.get(f"/cases/{episode.pk}/access-log/")
    assert response.status_code == 200
    assert any("audit_auditevent" in query["sql"] for query in on_replica.captured_queries)
    assert not any(
        query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        for query in on_replica.captured_queries
    )
    # Reading the log is recorded, on the primary.
    assert AuditEvent.objects.count() == events_before + 1


def test_other_pages_read_only_from_the_primary(replica, client_for, manager, episode):
    client = client_for(manager)
    with CaptureQueriesContext(replica) as on_replica:
        response = client.get(f"/cases/{episode.pk}/")
    assert response.status_code == 200
    assert on_replica.captured_queries == []


def test_every_route_read_from_the_replica_exists():
    from tests.authorization_table import url_patterns

    names = {pattern.name for pattern in url_patterns()}
    assert REPLICA_READ_ROUTES - names == set()


# The last financial year that has ended, whatever the year the tests run in.
_YEAR = timezone.localdate().year
LAST_FINANCIAL_YEAR = (
    f"start-day=1&start-month=4&start-year={_YEAR - 2}&end-day=31&end-month=3&end-year={_YEAR - 1}"
)


@pytest.mark.parametrize(
    "url",
    [
        f"/reports/partnership/?{LAST_FINANCIAL_YEAR}",
        "/performance/",
        f"/outcomes/claim/?{LAST_FINANCIAL_YEAR}",
    ],
)
def test_the_managers_reports_read_from_the_replica(replica, client_for, manager, episode, url):
    with CaptureQueriesContext(replica) as on_replica:
        response = client_for(manager).get(url)
    assert response.status_code == 200
    assert any("episodes_episode" in query["sql"] for query in on_replica.captured_queries)
    assert not any(
        query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        for query in on_replica.captured_queries
    )
