"""Say whether the PostgreSQL test run can go ahead.

Exit 0: the server answers. Exit 1: it does not and CI=true (a failure, never a
skip). Exit 3: it does not, on a developer's machine: the run is left out with a
loud note, and CI will still run it.
"""

import os
import sys

import psycopg

url = sys.argv[1]
try:
    psycopg.connect(url, connect_timeout=5).close()
except psycopg.OperationalError as error:
    message = f"PostgreSQL is not reachable at {url}: {error}".strip()
    if os.environ.get("CI", "").lower() == "true":
        print(
            f"ERROR: {message}\nCI must test against PostgreSQL; start the server "
            "or set POSTGRES_URL.",
            file=sys.stderr,
        )
        sys.exit(1)
    print(
        f"NOTE: {message}\nThe PostgreSQL run is left out on this machine; CI runs it. "
        "Set POSTGRES_URL to test against another server.",
        file=sys.stderr,
    )
    sys.exit(3)
