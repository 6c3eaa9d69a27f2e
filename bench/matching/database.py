"""The benchmark's own database: made afresh for each part (dropped and
created; never var/ and never the test suite's databases), a register
loaded fast, and single checks timed.

The register goes in as plain rows (COPY on PostgreSQL, executemany on
SQLite), because building a million model instances through the ORM would
time Django, not matching. The match profiles and keys are the engine's
own: matching.indexing works them out and writes them; on PostgreSQL its
row writer (indexing.insert_rows) is swapped for COPY while the register
loads, which changes how the rows travel, not what they are."""

import os
import secrets
import statistics
import time
from contextlib import contextmanager
from pathlib import Path

# The test suite's databases: never dropped here, whatever URL is given.
PROTECTED_DATABASES = {"test", "test_test"}
COUNCIL_SLUG = "benchshire"
BATCH = 20_000


def environment(url):
    """Settings for this process and the commands it runs: production-like
    (DEBUG off, so Django keeps no query log), on the benchmark's database."""
    return {
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "earlyhelp.settings",
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "testserver",
    }


def setup_django(url):
    os.environ.update(environment(url))
    os.environ["BENCH_SECRET_KEY"] = os.environ["SECRET_KEY"]
    import django

    django.setup()


def recreate(url):
    """Drop and create the database, then migrate it. Django must be set up
    on this URL already (setup_django)."""
    from django.core.management import call_command
    from django.db import connections

    connections.close_all()
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        import psycopg

        server, name = url.rsplit("/", 1)
        if name in PROTECTED_DATABASES:
            raise SystemExit(f"Refusing to drop the database '{name}': the test suite uses it.")
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    call_command("migrate", verbosity=0)
    from accounts.models import LocalAuthority

    return LocalAuthority.objects.create(slug=COUNCIL_SLUG, name="Benchshire Council")


class PersonRows:
    """people_person rows: every column's stored default worked out once,
    then each person's own values put in."""

    def __init__(self, council):
        from django.db import connection

        from people.models import Gender, Person

        self.connection = connection
        self.fields = list(Person._meta.concrete_fields)
        self.columns = [f.column for f in self.fields]
        template = Person(local_authority=council)
        self.defaults = {
            f.attname: f.get_db_prep_save(f.pre_save(template, add=True), connection)
            for f in self.fields
            if not f.primary_key
        }
        self.sex = {
            "M": Gender.MALE.value,
            "F": Gender.FEMALE.value,
            "": Gender.NOT_RECORDED.value,
        }
        self.model = Person
        self.council = council

    def person(self, record, person_id):
        """An unsaved Person with the register's id, for matching.indexing."""
        from datetime import date

        born = record["date_of_birth"]
        return self.model(
            pk=person_id,
            local_authority=self.council,
            external_id=record["external_id"],
            first_name=record["first_name"],
            last_name=record["last_name"],
            date_of_birth=date.fromisoformat(born) if born else None,
            sex=self.sex[record["sex"]],
            postcode=record["postcode"],
            nhs_number=record["nhs_number"],
            upn=record["upn"],
            parent_name=record["parent_name"],
        )

    def row(self, person):
        values = dict(self.defaults)
        for name in ("external_id", "first_name", "last_name", "sex", "postcode"):
            values[name] = getattr(person, name)
        values.update(
            id=person.pk,
            date_of_birth=self.connection.ops.adapt_datefield_value(person.date_of_birth),
            nhs_number=person.nhs_number,
            upn=person.upn,
            parent_name=person.parent_name,
        )
        return [values[f.attname] for f in self.fields]


def _insert(table, columns, rows):
    from django.db import connection

    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" * len(columns))
            cursor.cursor.executemany(
                f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})",  # noqa: S608
                rows,
            )


@contextmanager
def _rows_copied(indexing):
    """indexing.insert_rows by COPY on PostgreSQL (executemany there is ten
    times slower for millions of keys); as it is on SQLite."""
    from django.db import connection

    original = getattr(indexing, "insert_rows", None)
    if original is None or connection.vendor != "postgresql":
        yield
        return
    indexing.insert_rows = _insert
    try:
        yield
    finally:
        indexing.insert_rows = original


def load_register(register, council, progress=None):
    """Write the register's people, then their match profiles and keys."""
    from django.db import connection, transaction

    from matching import indexing

    rows = PersonRows(council)
    people = register.people
    for start in range(0, len(people), BATCH):
        with transaction.atomic(), _rows_copied(indexing):
            batch = [rows.person(register.record(p), p.id) for p in people[start : start + BATCH]]
            _insert(rows.model._meta.db_table, rows.columns, [rows.row(p) for p in batch])
            indexing.write_profiles((p.pk, council.pk, indexing.details_of(p)) for p in batch)
        if progress:
            progress(start + len(batch))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('people_person', 'id'), "
                "(SELECT max(id) FROM people_person))"
            )
        # Statistics as a database in use would have them (autovacuum would).
        cursor.execute("ANALYZE")


def time_single_checks(council, queries, details_from, warm_up=20):
    """Seconds for each query's find_matches (the check a practitioner's
    request runs), after a few untimed to warm caches; and the top matches."""
    from matching.engine import find_matches

    from .score import Top

    readable = [(q, d) for q in queries if (d := details_from(q.record())) is not None]
    for _query, details in readable[:warm_up]:
        find_matches(council.pk, details)
    seconds, tops = [], {}
    for query, details in readable:
        started = time.perf_counter()
        found = find_matches(council.pk, details)
        seconds.append(time.perf_counter() - started)
        if found:
            tops[query.query_id] = Top(found[0].person_id, found[0].score, found[0].reasons)
    return seconds, tops


def percentiles(seconds):
    """(median, p95) in milliseconds."""
    ordered = sorted(seconds)
    p95 = ordered[max(0, int(round(len(ordered) * 0.95)) - 1)]
    return statistics.median(ordered) * 1000, p95 * 1000
