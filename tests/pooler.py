"""The PostgreSQL suite runs through PgBouncer in transaction mode (make
test-postgres, scripts/with_pgbouncer.py): what the test runner needs from it.

Dropping a test database at the end fails while PgBouncer still holds idle
server connections to it ("database is being accessed by other users"), and
Django never asks the pooler to let them go. So once the run is over, before
the databases are dropped, the pooler's admin console closes its connections to
each test database (KILL), and lets the name be used again (RESUME).
"""

import re

import psycopg
from django.conf import settings
from django.db import connections

# A test database's name as Django makes it (test_<name>, _gw<n> under xdist).
_PLAIN_NAME = re.compile(r"^[A-Za-z0-9_]+$")


def pooled() -> bool:
    return settings.DATABASE_POOLER == "transaction"


def admin_console(alias: str = "default") -> psycopg.Connection:
    """PgBouncer's admin console, at the address the suite's database is reached."""
    config = connections[alias].settings_dict
    return psycopg.connect(
        host=config["HOST"],
        port=config["PORT"],
        user=config["USER"],
        password=config["PASSWORD"] or None,
        dbname="pgbouncer",
        autocommit=True,
        connect_timeout=5,
    )


def release_test_databases() -> None:
    """Close the pooler's server connections to this run's test databases."""
    if not pooled():
        return
    names = [
        connections[alias].settings_dict["NAME"]
        for alias in connections
        if connections[alias].vendor == "postgresql"
        and not connections[alias].settings_dict.get("TEST", {}).get("MIRROR")
    ]
    connections.close_all()
    with admin_console() as console:
        for name in names:
            if not _PLAIN_NAME.match(name):
                raise ValueError(f"unexpected test database name {name!r}")
            try:
                console.execute(f"KILL {name}")
            except psycopg.Error as error:
                if "no such database" not in str(error):
                    raise
                continue
            console.execute(f"RESUME {name}")
