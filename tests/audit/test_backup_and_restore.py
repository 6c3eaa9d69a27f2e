"""A backup restores to a database whose audit trail verifies and which holds
every record: the procedure in docs/PRODUCTION.md ("Backup and restore").

On PostgreSQL: pg_dump in its custom format, pg_restore into a new database,
then `earlyhelp verify_audit --full` run against the copy as an operator would,
with the checkpoints written before the backup. Both tools and the check talk
to the server itself, never through PgBouncer (DATABASE_DIRECT_URL, set by
scripts/with_pgbouncer.py): pg_dump holds one snapshot for its whole session.
The SQLite run (development) copies its database with SQLite's backup API and
checks the copy the same way.
"""

import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.apps import apps
from django.db import connection

from audit.models import Action, AuditEvent
from audit.services import record
from audit.tasks import write_audit_checkpoint
from episodes.models import Episode
from tests.checkpoints import CHECKPOINT_KEY
from tests.factories import EpisodeFactory
from tests.journey import add_parent, give_consent


@pytest.fixture
def casework(la, other_la, episode, involved, manager):
    """Cases in two councils, with consent and views audited on each chain."""
    parent = add_parent(episode, first_name="Morgan")
    give_consent(involved, episode, parent)
    record(Action.VIEW, actor=manager, obj=episode, reason="supervision")
    other = EpisodeFactory(local_authority=other_la)
    record(Action.VIEW, actor=None, obj=other, local_authority=other_la, reason="checking")
    write_audit_checkpoint.enqueue()  # the hourly checkpoint, before the backup
    return episode


def table_counts(cursor, tables):
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608  (our own table names)
        counts[table] = cursor.fetchone()[0]
    return counts


def our_tables():
    return sorted(
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    )


def verify_audit(database_url, checkpoints):
    """`earlyhelp verify_audit --full` against the restored copy, as an operator runs it."""
    removed = {"DATABASE_URL", "DATABASE_POOLER", "DATABASE_REPLICA_URL", "AUDIT_CHECKPOINT_KEY"}
    env = {key: value for key, value in os.environ.items() if key not in removed}
    env.update(
        DATABASE_URL=database_url,
        AUDIT_CHECKPOINT_KEY=CHECKPOINT_KEY,
        AUDIT_CHECKPOINT_FILE=str(checkpoints),
    )
    earlyhelp = [sys.executable, "-c", "from earlyhelp.cli import main; main()"]
    return subprocess.run(
        [*earlyhelp, "verify_audit", "--full"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_restored_backup_holds_every_record_and_its_audit_trail_verifies(
    transactional_db, casework, checkpoints, tmp_path
):
    tables = our_tables()
    with connection.cursor() as cursor:
        before = table_counts(cursor, tables)
    assert before["audit_auditevent"] >= 4 and before["episodes_episode"] == 2
    last_event = AuditEvent.objects.order_by("-sequence").first()

    if connection.vendor == "postgresql":
        restored_url, open_restored, cleanup = restore_postgresql(tmp_path)
    else:
        restored_url, open_restored, cleanup = restore_sqlite(tmp_path)
    try:
        with open_restored() as restored:
            cursor = restored.cursor()
            after = table_counts(cursor, tables)
            cursor.execute(
                "SELECT status, family_id FROM episodes_episode WHERE id = %s"
                if connection.vendor == "postgresql"
                else "SELECT status, family_id FROM episodes_episode WHERE id = ?",
                [casework.pk],
            )
            episode_row = cursor.fetchone()
            cursor.execute(
                "SELECT hash, chain FROM audit_auditevent ORDER BY sequence DESC LIMIT 1"
            )
            last_row = cursor.fetchone()
        assert after == before  # every table, row for row
        episode = Episode.objects.get(pk=casework.pk)
        assert episode_row == (episode.status, episode.family_id)
        assert last_row == (last_event.hash, last_event.chain)

        result = verify_audit(restored_url, checkpoints)
        assert result.returncode == 0, result.stderr
        assert "audit chains intact" in result.stdout
        assert f"latest checkpoint matches: {last_event.chain}" in result.stdout
    finally:
        cleanup()


def direct_url(database):
    """The server itself: DATABASE_DIRECT_URL behind the pooler, else the suite's database."""
    if direct := os.environ.get("DATABASE_DIRECT_URL"):
        return urlunsplit(urlsplit(direct)._replace(path=f"/{database}"))
    config = connection.settings_dict
    credentials = config["USER"] + (f":{config['PASSWORD']}" if config["PASSWORD"] else "")
    address = f"{config['HOST'] or '127.0.0.1'}:{config['PORT'] or 5432}"
    return f"postgres://{credentials}@{address}/{database}"


def postgresql_tool(name):
    """pg_dump or pg_restore; the PostgreSQL run fails without them (postgresql-client)."""
    found = shutil.which(name)
    assert found, f"{name} is not installed (Debian: postgresql-client)"
    return found


def restore_postgresql(tmp_path):
    source = connection.settings_dict["NAME"]
    copy = f"{source}_restore_{uuid.uuid4().hex[:8]}"
    dump = tmp_path / "earlyhelp.dump"
    run = {"check": True, "capture_output": True, "text": True}
    pg_dump = [postgresql_tool("pg_dump"), "--format=custom", f"--file={dump}"]
    subprocess.run([*pg_dump, direct_url(source)], **run)
    with psycopg.connect(direct_url("postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{copy}"')

    def cleanup():
        with psycopg.connect(direct_url("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')

    try:
        pg_restore = [postgresql_tool("pg_restore"), "--exit-on-error", "--no-owner"]
        subprocess.run([*pg_restore, f"--dbname={direct_url(copy)}", str(dump)], **run)
    except BaseException:
        cleanup()
        raise
    return direct_url(copy), lambda: psycopg.connect(direct_url(copy)), cleanup


def restore_sqlite(tmp_path):
    copy = tmp_path / "restored.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(copy) as target:
        connection.connection.backup(target)
    target.close()
    return f"sqlite:///{copy}", lambda: _closing_sqlite(copy), lambda: copy.unlink()


class _closing_sqlite:
    def __init__(self, path):
        self.connection = sqlite3.connect(path)

    def __enter__(self):
        return self.connection

    def __exit__(self, *exc):
        self.connection.close()
