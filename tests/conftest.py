"""Shared fixtures: one local authority with a case, and the personas that test
every access rule against it.

- involved: a practitioner whose organisation asked for help on the case
- other_org: a practitioner of another organisation in the same LA
- eho: the Early Help Officer of the case's district
- other_eho: the Early Help Officer of another district
- manager: an early help manager of the LA
- other_la_manager: a manager of another LA
- la_admin: the LA's administrator (accounts, not cases)
"""

import os

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from accounts.models import Role
from earlyhelp.environment import prepare_local_files

# Each test's audit checkpoints in a file of its own, with a known key (autouse).
from tests.checkpoints import checkpoints  # noqa: F401, E402  (a fixture)
from tests.factories import (
    DistrictFactory,
    EpisodeFactory,
    LocalAuthorityFactory,
    OrganisationFactory,
    UserFactory,
)

# Shared journey fixtures every app's tests may ask for.
from tests.journey_factories import colleague  # noqa: F401, E402  (a fixture)
from tests.pooler import release_test_databases

# A queue of the test's own on RQ over a real Redis (TASKS_BACKEND=rq).
from tests.redis_queue import rq_queue  # noqa: F401, E402  (a fixture)
from tests.two_factor import sign_in_verified

# Property-based tests: a short run by default and in CI, a long one on demand
# (HYPOTHESIS_PROFILE=long make test-sqlite). Database-backed examples are slow
# and fixtures are shared across examples on purpose, so those checks are off.
_SHARED = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    "derandomize": False,
}
hypothesis_settings.register_profile("short", max_examples=25, **_SHARED)
hypothesis_settings.register_profile("long", max_examples=500, **_SHARED)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "short"))


def pytest_addoption(parser):
    parser.addoption(
        "--clock",
        metavar="INSTANT",
        help=(
            "run as if the clock read INSTANT (ISO 8601 with its offset, for example "
            "2026-12-04T23:30:00+00:00, a Friday night) and went on from there: due dates "
            "in working days, midnight and the clock changes (make test-clock)"
        ),
    )


def pytest_configure(config):
    # What the earlyhelp command prepares before it runs (var/, WhiteNoise's
    # folder): importing settings creates nothing by itself.
    prepare_local_files()
    if instant := config.getoption("clock"):
        _start_clock_at(config, instant)


def _start_clock_at(config, instant: str) -> None:
    """Move every clock Python reads (datetime, time, timezone.now) to
    `instant` for the whole run, ticking on from there."""
    import datetime

    import time_machine

    try:
        moment = datetime.datetime.fromisoformat(instant)
    except ValueError:
        raise pytest.UsageError(
            f"--clock={instant!r} is not an instant: write it as ISO 8601 with its offset, "
            "for example 2026-12-04T23:30:00+00:00"
        ) from None
    if moment.tzinfo is None:
        raise pytest.UsageError(
            f"--clock={instant!r} has no offset: add one (+00:00 for GMT, +01:00 for BST)"
        )
    traveller = time_machine.travel(moment, tick=True)
    traveller.start()
    config.add_cleanup(traveller.stop)


# A test reaches the test database through one of these fixtures (pytest-django's
# db and transactional_db, and the module-wide worlds of tests/built_once.py all
# stand on django_db_setup; the live server opens a transactional database), or
# through the django_db marker. Without them any query fails the test.
_DATABASE_FIXTURES = frozenset({"django_db_setup", "_django_db_helper", "live_server"})


def uses_database(item) -> bool:
    """Whether the test may reach the database. A test or fixture of ours that
    takes `request` may ask for a fixture by name as it runs (a persona from a
    parameter: request.getfixturevalue), which the names it declares do not
    show, so it counts as reaching it. (pytest's and pytest-django's own
    fixtures that take `request` ask only for what the names above say.)"""
    if item.get_closest_marker("django_db") is not None:
        return True
    names = getattr(item, "fixturenames", ())
    if not _DATABASE_FIXTURES.isdisjoint(names):
        return True
    if "request" in getattr(getattr(item, "_fixtureinfo", None), "argnames", ()):
        return True
    definitions = getattr(getattr(item, "_fixtureinfo", None), "name2fixturedefs", {})
    return any(
        "request" in definition.argnames and definition.func.__module__.startswith("tests.")
        for defs in definitions.values()
        for definition in defs
    )


def pytest_collection_finish(session):
    """Settle what collection loaded (every test module, the application) as a
    web server process does (earlyhelp/server_process.py), so Python's
    collector does not walk it again and again through the run: a tenth less
    CPU for the authorisation matrix (docs/ARCHITECTURE.md, the suite's time)."""
    from earlyhelp.server_process import settle_loaded_application

    settle_loaded_application()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Tests marked for one database are left out of the other's suite rather
    than skipped: `make test` runs both, so every test runs somewhere in CI.

    - `postgresql`: what only PostgreSQL does (the audit table's partitions),
      and the hostile-input walk: PostgreSQL refuses more (a NUL in text, a
      number beyond an integer column) than SQLite, so it finds the larger set.
    - `sqlite`: the walks whose subject is the permission policy and the
      restriction rule on every page (the authorisation matrix with its
      council-filter log, the restricted-values walk). The ORM sends both
      databases the same queries; the apps' own tests run on both. These walks
      are most of the suite's time, and a request costs half as much on SQLite.
    - Tests that never reach the database (uses_database above: no database
      fixture, no django_db marker) run in the SQLite suite only, unless marked
      `postgresql`: the database cannot change what they find, so a second run
      would only repeat them.

    The browser tests (tests/browser) go last, after pytest-django's own
    ordering, so each worker turns to them once it is done with the rest:
    pytest-xdist's `load` hands tests out in this order, and Playwright's
    event loop, once started, stays open in the worker's thread until the run
    ends. The `long_running` ones (a whole journey is half a minute) go first
    among them: handed out last, one kept a worker busy while the other had
    nothing left to do.
    """
    from django.db import connection

    on_postgresql = connection.vendor == "postgresql"
    other = "sqlite" if on_postgresql else "postgresql"

    def left_out_here(item):
        if item.get_closest_marker(other):
            return True
        return (
            on_postgresql and not item.get_closest_marker("postgresql") and not uses_database(item)
        )

    kept, left_out = [], []
    for item in items:
        (left_out if left_out_here(item) else kept).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)

    def place(item):
        if item.get_closest_marker("browser") is None:
            return 0
        return 1 if item.get_closest_marker("long_running") else 2

    # A stable sort: every other test keeps its place.
    items[:] = sorted(kept, key=place)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test databases; behind PgBouncer (make test-postgres) the
    pooler lets go of them before they are dropped (tests/pooler.py)."""
    yield
    with django_db_blocker.unblock():
        release_test_databases()


@pytest.fixture
def la(db):
    return LocalAuthorityFactory(slug="testshire", name="Testshire Council")


@pytest.fixture
def other_la(db):
    return LocalAuthorityFactory(slug="otherton", name="Otherton Council")


@pytest.fixture
def school(la):
    return OrganisationFactory(local_authority=la, name="Testshire Primary")


@pytest.fixture
def clinic(la):
    return OrganisationFactory(local_authority=la, name="Testshire Clinic", type="health")


@pytest.fixture
def involved(la, school):
    return UserFactory(
        local_authority=la,
        email="involved@test.example",
        organisation=school,
        roles=[Role.PRACTITIONER],
    )


@pytest.fixture
def other_org(la, clinic):
    return UserFactory(
        local_authority=la,
        email="other-org@test.example",
        organisation=clinic,
        roles=[Role.PRACTITIONER],
    )


@pytest.fixture
def eho(la):
    return UserFactory(
        local_authority=la, email="eho@test.example", roles=[Role.EARLY_HELP_OFFICER]
    )


@pytest.fixture
def other_eho(la):
    user = UserFactory(
        local_authority=la, email="other-eho@test.example", roles=[Role.EARLY_HELP_OFFICER]
    )
    DistrictFactory(local_authority=la, name="Far District", early_help_officer=user)
    return user


@pytest.fixture
def manager(la):
    return UserFactory(
        local_authority=la, email="manager@test.example", roles=[Role.EARLY_HELP_MANAGER]
    )


@pytest.fixture
def other_la_manager(other_la):
    return UserFactory(
        local_authority=other_la,
        email="manager@other.example",
        roles=[Role.EARLY_HELP_MANAGER],
    )


@pytest.fixture
def la_admin(la, school):
    return UserFactory(
        local_authority=la,
        email="admin@test.example",
        organisation=school,
        roles=[Role.LA_ADMIN],
    )


@pytest.fixture
def district(la, eho):
    return DistrictFactory(local_authority=la, name="Near District", early_help_officer=eho)


@pytest.fixture
def episode(la, district, school, involved):
    return EpisodeFactory(
        local_authority=la,
        district=district,
        requesting_organisation=school,
        requested_by=involved,
    )


@pytest.fixture
def child(episode):
    return episode.children.get()


@pytest.fixture
def client_for(client):
    """client_for(user): the test client, signed in as `user` with the second
    factor done."""

    def sign_in(user):
        return sign_in_verified(client, user)

    return sign_in


@pytest.fixture(autouse=True)
def person_values_guard_raises(settings):
    # A page that prints a person's values without people.restrictions fails
    # the test that renders it (people/guard.py).
    settings.PERSON_VALUES_GUARD = "raise"


@pytest.fixture(autouse=True)
def council_guard_raises(settings):
    # A page that loads another council's record fails the test (core/councils.py).
    settings.COUNCIL_GUARD = "raise"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The real hasher is slow on purpose; tests only need passwords to match.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
