"""The PostgreSQL suite runs through PgBouncer in transaction pooling mode
(make test-postgres: scripts/with_pgbouncer.py, DATABASE_POOLER=transaction).

These prove the connection the tests use really is the pooler's, so a run
that quietly went straight to the server cannot pass for one through the
pooler in CI, and that the settings for a pooler hold."""

import json
import os
import socket

from django.conf import settings
from django.db import connection

from tests.earlyhelp.test_settings import settings_in
from tests.pooler import admin_console


def our_client_port() -> int:
    """The local port of the suite's own connection (PgBouncer lists clients by it)."""
    connection.ensure_connection()
    fd = connection.connection.pgconn.socket
    with socket.socket(fileno=os.dup(fd)) as ours:
        return ours.getsockname()[1]


def server_port() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT inet_server_port()")
        return cursor.fetchone()[0]


def test_the_suite_reaches_postgresql_the_way_its_settings_say(db):
    if connection.vendor != "postgresql":
        # The SQLite run has no server to pool connections to (a pooler setting
        # with SQLite stops start-up: test below).
        assert settings.DATABASE_POOLER == ""
        return
    if os.environ.get("CI", "").lower() == "true":
        assert settings.DATABASE_POOLER == "transaction", (
            "CI runs the PostgreSQL suite through PgBouncer (make test-postgres)"
        )
    if settings.DATABASE_POOLER != "transaction":
        # Straight to the server: the port we dial is the server's own.
        assert server_port() == int(connection.settings_dict["PORT"] or 5432)
        return

    # The server answers on its own port, not the one the suite dialled...
    assert server_port() != int(connection.settings_dict["PORT"])
    # ...and the pooler's console lists this very connection as its client, on
    # this test database, in a transaction-mode pool.
    port = our_client_port()
    with admin_console() as console, console.cursor() as cursor:
        cursor.execute("SHOW CLIENTS")
        columns = [column.name for column in cursor.description]
        clients = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        cursor.execute("SHOW POOLS")
        columns = [column.name for column in cursor.description]
        pools = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    [ours] = [client for client in clients if client["port"] == port]
    assert ours["database"] == connection.settings_dict["NAME"]
    [pool] = [pool for pool in pools if pool["database"] == ours["database"]]
    assert pool["pool_mode"] == "transaction"


def test_queries_run_without_server_side_cursors_or_prepared_statements_behind_the_pooler(
    db,
):
    if settings.DATABASE_POOLER != "transaction":
        assert connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS", False) is False
        return
    assert connection.settings_dict["DISABLE_SERVER_SIDE_CURSORS"] is True
    # A chunked iterator would otherwise hold a named cursor across transactions.
    from accounts.models import LocalAuthority

    list(LocalAuthority.objects.iterator(chunk_size=1))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        assert cursor.fetchone()[0] == 0


def _database(env, tmp_path):
    result = settings_in({"EARLYHELP_VAR_DIR": str(tmp_path), **env}, "s.DATABASES['default']")
    return result, (json.loads(result.stdout) if result.returncode == 0 else None)


def test_a_transaction_pooler_turns_off_what_needs_the_session(tmp_path):
    url = "postgres://earlyhelp@pooler.example:6432/earlyhelp"
    _, direct = _database({"DATABASE_URL": url}, tmp_path)
    _, pooled = _database({"DATABASE_URL": url, "DATABASE_POOLER": "transaction"}, tmp_path)

    assert direct["OPTIONS"]["options"] == "-c jit=off -c random_page_cost=1.1"
    assert direct.get("DISABLE_SERVER_SIDE_CURSORS", False) is False
    assert pooled["DISABLE_SERVER_SIDE_CURSORS"] is True
    # PgBouncer refuses the `options` startup parameter; prepared statements stay off.
    assert pooled["OPTIONS"] == {"prepare_threshold": None}


def test_a_pooler_setting_must_be_known_and_needs_postgresql(tmp_path):
    url = "postgres://earlyhelp@pooler.example:6432/earlyhelp"
    result, _ = _database({"DATABASE_URL": url, "DATABASE_POOLER": "statement"}, tmp_path)
    assert result.returncode == 1
    assert "DATABASE_POOLER is set to 'statement'. Use 'transaction'" in result.stderr

    result, _ = _database({"DATABASE_POOLER": "transaction"}, tmp_path)
    assert result.returncode == 1
    assert "DATABASE_POOLER is for a PostgreSQL DATABASE_URL." in result.stderr
