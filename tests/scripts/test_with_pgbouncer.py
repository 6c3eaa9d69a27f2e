"""scripts/with_pgbouncer.py, which make test-postgres runs the PostgreSQL suite
through: a PgBouncer in transaction mode, stopped however the command ends, and
a failure (never a quiet direct run) in CI when PgBouncer is not installed."""

import importlib.util
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "with_pgbouncer.py"
# PgBouncer's admin console answers without the server behind it, so these
# need no PostgreSQL; the URL's server is never reached.
URL = "postgres://postgres@127.0.0.1:5999/anything"


def load_script():
    spec = importlib.util.spec_from_file_location("with_pgbouncer", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def require_pgbouncer():
    if load_script().find_pgbouncer() is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("PgBouncer is not installed; CI tests PostgreSQL through it.")
        pytest.skip("PgBouncer is not installed (apt-get install pgbouncer); CI runs this")


# What the command sees: its database URL and pooler setting, and PgBouncer's
# own account of its pool mode, then it exits with status 7.
PROBE = """
import os, sys, psycopg
from urllib.parse import urlsplit, urlunsplit
url = os.environ["DATABASE_URL"]
admin = urlunsplit(urlsplit(url)._replace(path="/pgbouncer"))
with psycopg.connect(admin, autocommit=True) as console:
    settings = dict((row[0], row[1]) for row in console.execute("SHOW CONFIG").fetchall())
print(url, os.environ["DATABASE_POOLER"], os.environ["DATABASE_DIRECT_URL"], settings["pool_mode"])
sys.exit(7)
"""


def test_the_command_runs_through_a_transaction_mode_pgbouncer_that_is_stopped_after():
    require_pgbouncer()
    result = subprocess.run(
        [sys.executable, str(SCRIPT), URL, "--", sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 7, result.stderr  # the command's own status
    pooled, pooler, direct, pool_mode = result.stdout.split()
    assert (pooler, direct, pool_mode) == ("transaction", URL, "transaction")
    port = int(pooled.split("@127.0.0.1:")[1].split("/")[0])
    assert pooled == f"postgres://postgres@127.0.0.1:{port}/anything"
    with socket.socket() as probe:  # stopped: nothing listens there any more
        assert probe.connect_ex(("127.0.0.1", port)) != 0
    assert "PgBouncer's log" in result.stderr  # shown when the command fails


def test_without_pgbouncer_ci_fails_and_a_developer_runs_straight_to_postgresql(monkeypatch, capfd):
    script = load_script()
    monkeypatch.setattr(script, "find_pgbouncer", lambda: None)
    command = [sys.executable, "-c", "import os; print(os.environ['DATABASE_URL'])"]

    monkeypatch.setenv("CI", "true")
    assert script.main([URL, "--", *command]) == 1
    assert "ERROR: PgBouncer is not installed" in capfd.readouterr().err

    monkeypatch.setenv("CI", "")
    assert script.main([URL, "--", *command]) == 0
    out, err = capfd.readouterr()
    assert (out.strip(), "NOTE: PgBouncer is not installed" in err) == (URL, True)
